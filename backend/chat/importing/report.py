"""What an import did: counts per record type, every bad record, and the progress on the way.

A bad record is told at once, as `line N (type): reason`; the closing table has, per type, how many
records were read, imported, skipped (already there, the same) and failed. On a terminal the
progress is a tqdm bar (records per second, ETA from the bytes read); elsewhere a plain line every
few seconds, so a log shows how far a long run got.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import IO, Any

__all__ = ["Failure", "Progress", "Report"]

OUTCOMES = ("read", "imported", "skipped", "failed")
# Derived rows: mutes and app-wide bans come from user records, attachments from messages.
EXTRA_KINDS = ("mute", "ban", "attachment")


@dataclass(frozen=True, slots=True)
class Failure:
    line: int
    kind: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line} ({self.kind}): {self.reason}"


@dataclass
class Report:
    """Counts per record type and outcome, the failures, and notes on what was left out."""

    out: IO[str] | None = None  # where each failure is written as it happens
    format: str = ""
    counts: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timings: list[str] = field(default_factory=list)  # where the time went, for the closing lines
    keep_failures: int = 10_000  # held for the caller; every one is still written to `out`
    failed_total: int = 0

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts[kind][outcome] += n

    def read(self, kind: str) -> None:
        self.count(kind, "read")

    def fail(self, line: int, kind: str, reason: str, read: bool = False) -> None:
        if read:
            self.count(kind, "read")
        self.count(kind, "failed")
        self.failed_total += 1
        failure = Failure(line, kind, reason)
        if len(self.failures) < self.keep_failures:
            self.failures.append(failure)
        if self.out is not None:
            self.out.write(f"{failure}\n")
            self.out.flush()

    @property
    def records_read(self) -> int:
        return sum(c["read"] for k, c in self.counts.items() if k not in EXTRA_KINDS)

    def table(self) -> str:
        from chat.importing.rules import KINDS

        order = [*KINDS, *sorted(k for k in self.counts if k not in KINDS and k not in EXTRA_KINDS)]
        order += [k for k in EXTRA_KINDS if k in self.counts]
        rows: list[tuple[str, ...]] = [("type", *OUTCOMES)]
        rows += [
            (kind, *(f"{self.counts[kind][o]:,}" for o in OUTCOMES)) for kind in order if kind in self.counts
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(OUTCOMES) + 1)]
        lines = [
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
            for row in rows
        ]
        return "\n".join(lines)

    def summary(self) -> dict[str, Any]:
        return {kind: dict(counts) for kind, counts in self.counts.items()}


class Progress:
    """Records per second and how far through the file, on a terminal or as periodic lines."""

    def __init__(self, total_bytes: int, out: IO[str], terminal: bool, every: float = 5.0) -> None:
        self.total = max(total_bytes, 1)
        self.out = out
        self.every = every
        self.started = self._last = time.monotonic()
        self.records = 0
        self._bar: Any = None
        if terminal:
            from tqdm import tqdm

            self._bar = tqdm(
                total=total_bytes, unit="B", unit_scale=True, unit_divisor=1024, file=out, dynamic_ncols=True
            )
        self._shown = 0

    def update(self, done_bytes: int, records: int) -> None:
        self.records = records
        now = time.monotonic()
        if self._bar is not None:
            if now - self._last >= 0.2:
                self._last = now
                self._bar.update(done_bytes - self._shown)
                self._shown = done_bytes
                rate = records / max(now - self.started, 1e-9)
                self._bar.set_postfix_str(f"{records:,} records, {rate:,.0f} records/s", refresh=False)
            return
        if now - self._last >= self.every:
            self._last = now
            self.out.write(self.line(done_bytes, now) + "\n")
            self.out.flush()

    def line(self, done_bytes: int, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        share = min(done_bytes / self.total, 1.0)
        eta = elapsed / share - elapsed if share > 0 else float("nan")
        return (
            f"import: {self.records:,} records, {share:.0%} of the file, "
            f"{self.records / elapsed:,.0f} records/s, ETA {eta:,.0f} s"
        )

    def close(self, done_bytes: int) -> None:
        if self._bar is not None:
            self._bar.update(done_bytes - self._shown)
            self._bar.close()
