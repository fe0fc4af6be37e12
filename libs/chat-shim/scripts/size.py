#!/usr/bin/env python3
"""Checks the shim's budget, the way mitt checks its size: fails when its hand-written source has
more than 150 counted lines, when the hand-written part of its bundle is more than 2 KiB minified
and gzipped, or when the whole bundle (with the generated code it runs) is more than 4.5 KiB.

Lines are counted on the source as prettier formats it with the repository's .prettierrc.json
(print width 100), not as it is written, so a budget cannot be met by packing statements into
long lines. Counted lines are the ones `grep -cvE '^\\s*($|//|/\\*|\\*)'` counts in that text:
neither blank nor comment-only. The hand-written source is every .ts file at the top of the
package; a file whose first line says DO NOT EDIT is generated (frames.ts, requests.ts, events.ts
from `tools/dev codegen`) and does not count.

Bundles: esbuild --bundle --minify --format=esm, gzipped at level 9. The hand-written part is
index.ts with every generated module left out (--external); the whole bundle adds them back, since
the request methods of requests.ts and the frame handling of events.ts run in the browser. Its
budget is the hand-written one plus 2.5 KiB for the generated code.

Usage: python3 libs/chat-shim/scripts/size.py   (or `npm run size --workspace libs/chat-shim`)
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

__all__ = [
    "MAX_BUNDLE_BYTES",
    "MAX_GZIP_BYTES",
    "MAX_LINES",
    "counted_lines",
    "formatted",
    "generated",
    "hand_written",
    "main",
]

MAX_LINES = 150
MAX_GZIP_BYTES = 2048  # the hand-written part
# With the generated code it bundles: 2.5 KiB more, since it also holds the HTTP upload calls
# (issue 10) and the channel-list calls and events (issue 9: 11 calls, 12 events, unread counting).
MAX_BUNDLE_BYTES = MAX_GZIP_BYTES + 2560

SHIM = Path(__file__).resolve().parent.parent
ROOT = SHIM.parent.parent
BIN = ROOT / "node_modules" / ".bin"
NOT_COUNTED = re.compile(r"^\s*($|//|/\*|\*)")


def counted_lines(source: str) -> int:
    """Returns how many lines of `source` are code: neither blank nor comment-only."""
    return sum(1 for line in source.splitlines() if not NOT_COUNTED.match(line))


def formatted(path: Path) -> str:
    """Returns `path` as prettier formats it with the repository's config (the file is untouched)."""
    command = [str(BIN / "prettier"), "--stdin-filepath", str(path)]
    source = path.read_bytes()
    return subprocess.run(command, input=source, check=True, capture_output=True, cwd=ROOT).stdout.decode()


def generated(path: Path) -> bool:
    """Returns whether `path` is generated: its first line says DO NOT EDIT."""
    return "DO NOT EDIT" in path.read_text(encoding="utf-8").partition("\n")[0]


def hand_written() -> list[Path]:
    """Returns the package's own .ts source files, generated ones left out."""
    return [path for path in sorted(SHIM.glob("*.ts")) if not generated(path)]


def bundle(entry: Path, external: tuple[str, ...] = ()) -> bytes:
    """Returns the minified ESM bundle of `entry` without the `external` modules, written to stdout
    (the source tree stays untouched)."""
    command = [
        str(BIN / "esbuild"),
        str(entry),
        "--bundle",
        "--minify",
        "--format=esm",
        "--target=es2022",
        "--log-level=warning",
        *(f"--external:{module}" for module in external),
    ]
    return subprocess.run(command, check=True, capture_output=True).stdout


def gzipped(data: bytes) -> int:
    """Returns the size of `data` gzipped at level 9."""
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def main() -> int:
    failures = []
    total = 0
    for path in hand_written():
        text = path.read_text(encoding="utf-8")
        lines = counted_lines(formatted(path))
        total += lines
        print(
            f"libs/chat-shim/{path.name}: {lines} counted lines formatted ({counted_lines(text)} as written)"
        )
    print(f"hand-written source: {total} counted lines (limit {MAX_LINES})")
    generated_modules = tuple(f"./{path.stem}" for path in sorted(SHIM.glob("*.ts")) if generated(path))
    own, whole = bundle(SHIM / "index.ts", generated_modules), bundle(SHIM / "index.ts")
    own_size, whole_size = gzipped(own), gzipped(whole)
    print(f"hand-written bundle: {len(own)} B minified, {own_size} B gzipped (limit {MAX_GZIP_BYTES} B)")
    print(f"whole bundle: {len(whole)} B minified, {whole_size} B gzipped (limit {MAX_BUNDLE_BYTES} B)")
    if total > MAX_LINES:
        failures.append(
            f"the hand-written source has {total} counted lines, over the {MAX_LINES}-line budget"
        )
    if own_size > MAX_GZIP_BYTES:
        failures.append(
            f"the hand-written bundle is {own_size} B gzipped, over the {MAX_GZIP_BYTES} B budget"
        )
    if whole_size > MAX_BUNDLE_BYTES:
        failures.append(f"the whole bundle is {whole_size} B gzipped, over the {MAX_BUNDLE_BYTES} B budget")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
