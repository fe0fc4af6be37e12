"""Counts the tests of a `bazel test` run: each suite's own JUnit XML, summed, in a short table.

Usage: tally.py BUILD_EVENTS_JSON [--bazel-exit N]

BUILD_EVENTS_JSON is what `bazel test --build_event_json_file=...` wrote. Every test target the
run configured is a suite; its counts come from the test.xml Bazel collected for it (pytest's and
Jest's own reports, or the one Bazel writes for a check that is not a test runner: one test). The
last line is `tests: N passed, N failed` (`tests: N skipped, N passed, N failed` when any skip:
CI reads a line that ends with "N passed, N failed"). A suite counts as one failure
more than its XML shows when it did not pass anyway, or ran no test, or left no XML (it failed to
build, timed out, or never ran); a failed Bazel run with no failing suite counts as one failure.
Exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = ["Suite", "main", "read_events", "render", "tally_xml"]


@dataclass
class Suite:
    """One Bazel test target: its status, its counts and how long it ran."""

    label: str
    status: str = "NO_STATUS"  # Bazel's TestStatus: PASSED, FAILED, TIMEOUT, FAILED_TO_BUILD, ...
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    cached: bool = False
    xml: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the table says besides the counts

    def settle(self) -> None:
        """Reads the XML, then counts one failure more when the suite failed in a way it does not show."""
        if self.status != "PASSED":
            self.notes.insert(0, self.status.lower().replace("_", " "))
        for path in self.xml:
            try:
                passed, failed, skipped = tally_xml(path.read_bytes())
            except (OSError, ElementTree.ParseError) as error:
                self.notes.append(f"unreadable {path.name}: {error}")
                continue
            self.passed += passed
            self.failed += failed
            self.skipped += skipped
        if not self.xml and self.status not in {"FAILED_TO_BUILD", "NO_STATUS"}:
            self.notes.append("no test.xml")
        if self.failed:
            return
        if self.status != "PASSED" or self.notes:
            self.failed = 1
        elif not self.passed + self.skipped:
            self.failed = 1
            self.notes.append("ran no test")


def tally_xml(text: bytes) -> tuple[int, int, int]:
    """Passed, failed and skipped test cases of one JUnit XML report (<testsuites> or <testsuite>)."""
    root = ElementTree.fromstring(text)
    passed = failed = skipped = 0
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def _path(uri: str) -> Path:
    return Path(unquote(urlsplit(uri).path))


def read_events(lines: list[str]) -> dict[str, Suite]:
    """The suites of a run, from Bazel's build event stream (one JSON object a line)."""
    suites: dict[str, Suite] = {}

    def suite(label: str) -> Suite:
        return suites.setdefault(label, Suite(label))

    for line in lines:
        if not line.strip():
            continue
        event: dict[str, Any] = json.loads(line)
        ids: dict[str, Any] = event.get("id", {})
        if "targetConfigured" in ids:
            if event.get("configured", {}).get("targetKind", "").endswith("_test rule"):
                suite(ids["targetConfigured"]["label"])
        elif "testResult" in ids:
            result = event.get("testResult", {})
            entry = suite(ids["testResult"]["label"])
            entry.status = result.get("status", "NO_STATUS")
            entry.seconds += int(result.get("testAttemptDurationMillis", 0)) / 1000
            entry.cached = bool(
                result.get("cachedLocally") or result.get("executionInfo", {}).get("cachedRemotely")
            )
            entry.xml = [
                _path(o["uri"]) for o in result.get("testActionOutput", []) if o.get("name") == "test.xml"
            ]
        elif "testSummary" in ids:
            summary = event.get("testSummary", {})
            suite(ids["testSummary"]["label"]).status = summary.get("overallStatus", "NO_STATUS")
        elif "targetCompleted" in ids and ids["targetCompleted"]["label"] in suites:
            completed = event.get("completed")
            if completed is not None and not completed.get("success"):
                entry = suites[ids["targetCompleted"]["label"]]
                entry.status = "FAILED_TO_BUILD"
                entry.notes.append(completed.get("failureDetail", {}).get("message", "")[:200])
    for entry in suites.values():
        entry.settle()
    return suites


def render(suites: list[Suite], bazel_exit: int = 0) -> tuple[list[str], bool]:
    """The table and the closing line; and whether everything passed."""
    width = max([len("suite"), *(len(s.label) for s in suites)])
    lines = [f"{'suite':<{width}}  {'passed':>6}  {'failed':>6}  {'skipped':>7}  {'time':>8}"]
    for s in suites:
        note = "".join(f"  {n}" for n in (["(cached)"] if s.cached else []) + s.notes if n)
        lines.append(
            f"{s.label:<{width}}  {s.passed:>6}  {s.failed:>6}  {s.skipped:>7}  {s.seconds:>7.1f}s{note}"
        )
    passed = sum(s.passed for s in suites)
    failed = sum(s.failed for s in suites)
    skipped = sum(s.skipped for s in suites)
    if not suites:
        failed = 1
        lines.append("no test target ran: counted as one failure")
    elif bazel_exit and not failed:
        failed = 1
        lines.append(f"bazel exited with {bazel_exit} and no suite failed: counted as one failure")
    # CI reads a last line that ends with "N passed, N failed": skips are named first.
    closing = "tests: " + (f"{skipped} skipped, " if skipped else "") + f"{passed} passed, {failed} failed"
    return [*lines, closing], failed == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("events", type=Path, help="the --build_event_json_file of the run")
    parser.add_argument("--bazel-exit", type=int, default=0, help="bazel's exit status")
    args = parser.parse_args(argv)
    try:
        events = args.events.read_text().splitlines()
    except OSError as error:
        events = []
        print(f"tally: no build events ({error})", file=sys.stderr)
    suites = sorted(read_events(events).values(), key=lambda s: s.label)
    lines, ok = render(suites, args.bazel_exit)
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
