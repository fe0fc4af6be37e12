"""A second `tools/dev test` with nothing changed is a cache hit: every suite cached, done in seconds,
and the source tree exactly as the first run found it.

This runs the whole suite (twice), so it is not part of `//...`; run it on a checkout nobody is
editing: `.venv/bin/pytest -p no:cacheprovider tools/tests/test_rerun_cached.py -s`.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RERUN_SECONDS = 5.0


def git_status() -> list[str]:
    """`git status`, ignored files too, but for what is no Bazel input (as `tools/dev test` checks):
    Bazel's own bazel-* links and the folders .bazelignore names."""
    outside = {
        f"!! {line.rstrip('/')}{end}"
        for line in (ROOT / ".bazelignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
        for end in ("", "/")
    }
    status = subprocess.run(
        ["git", "status", "--porcelain", "--ignored"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.splitlines()
    return [line for line in status if not line.startswith("!! bazel-") and line not in outside]


def run_suite() -> tuple[float, list[str]]:
    """Runs `tools/dev test`; returns its wall time and its output's suite table and closing line."""
    started = time.monotonic()
    done = subprocess.run(["tools/dev", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60 * 60)
    elapsed = time.monotonic() - started
    lines = done.stdout.splitlines()
    assert done.returncode == 0, f"tools/dev test failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    header = next(i for i, line in enumerate(lines) if line.startswith("suite "))
    return elapsed, lines[header + 1 :]


def test_second_run_is_fully_cached_quick_and_leaves_the_tree_as_it_was() -> None:
    before = git_status()
    _, first = run_suite()
    after_first = git_status()
    elapsed, second = run_suite()

    suites, closing = second[:-1], second[-1]
    assert suites, "the second run listed no suite"
    not_cached = [line for line in suites if "(cached)" not in line]
    assert not not_cached, "suites that ran again:\n" + "\n".join(not_cached)
    assert closing == first[-1], f"the counts changed: {first[-1]!r} then {closing!r}"
    assert elapsed <= RERUN_SECONDS, f"the cached rerun took {elapsed:.1f} s"
    assert after_first == before, "the first run changed the tree"
    assert git_status() == before, "the second run changed the tree"
    print(f"\ncached rerun: {len(suites)} suites cached in {elapsed:.1f} s; {closing}")
