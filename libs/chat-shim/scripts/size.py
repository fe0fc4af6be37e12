#!/usr/bin/env python3
"""Checks the shim's budget, the way mitt checks its size: fails when index.ts has more than 150
counted lines or its bundle is more than 2 KiB minified and gzipped.

Counted lines are the ones `grep -cvE '^\\s*($|//|/\\*|\\*)' index.ts` counts: neither blank nor
comment-only. The generated frames.ts does not count, but its runtime part (the CloseCode values)
is in the bundle: esbuild --bundle --minify --format=esm, gzipped at level 9.

Usage: python3 libs/chat-shim/scripts/size.py   (or `npm run size --workspace libs/chat-shim`)
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

__all__ = ["MAX_GZIP_BYTES", "MAX_LINES", "counted_lines", "main"]

MAX_LINES = 150
MAX_GZIP_BYTES = 2048

SHIM = Path(__file__).resolve().parent.parent
ESBUILD = SHIM.parent.parent / "node_modules" / ".bin" / "esbuild"
NOT_COUNTED = re.compile(r"^\s*($|//|/\*|\*)")


def counted_lines(source: str) -> int:
    """Returns how many lines of `source` are code: neither blank nor comment-only."""
    return sum(1 for line in source.splitlines() if not NOT_COUNTED.match(line))


def bundle(entry: Path) -> bytes:
    """Returns the minified ESM bundle of `entry`, written to stdout (the source tree stays untouched)."""
    command = [str(ESBUILD), str(entry), "--bundle", "--minify", "--format=esm", "--target=es2022", "--log-level=warning"]
    return subprocess.run(command, check=True, capture_output=True).stdout


def main() -> int:
    index = SHIM / "index.ts"
    lines = counted_lines(index.read_text(encoding="utf-8"))
    minified = bundle(index)
    gzipped = len(gzip.compress(minified, compresslevel=9, mtime=0))
    print(f"libs/chat-shim/index.ts: {lines} counted lines (limit {MAX_LINES})")
    print(f"bundle: {len(minified)} B minified, {gzipped} B gzipped (limit {MAX_GZIP_BYTES} B)")
    failures = []
    if lines > MAX_LINES:
        failures.append(f"index.ts has {lines} counted lines, over the {MAX_LINES}-line budget")
    if gzipped > MAX_GZIP_BYTES:
        failures.append(f"the bundle is {gzipped} B gzipped, over the {MAX_GZIP_BYTES} B budget")
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
