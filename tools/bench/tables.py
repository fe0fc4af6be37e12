"""Cells of BENCHMARKS.md's tables: milliseconds, ratios to the floor, notes on what bounded a run."""

from __future__ import annotations

from typing import Any

from plan import Results

__all__ = ["client_note", "floor", "ms", "ratio"]


def ms(value: float) -> str:
    return "—" if value != value else f"{value:.2f}"


def ratio(value: float, floor: float | None) -> str:
    if floor is None or floor != floor or value != value or floor == 0:
        return "—"
    share = value / floor
    return f"{share:.2f}x" if share < 0.1 else f"{share:.1f}x"


def client_note(f: dict[str, Any]) -> str:
    notes = []
    if f.get("client_cpu", 0) >= 0.9:
        notes.append(f"client-bound (a load process at {f['client_cpu']:.0%} CPU)")
    if f.get("sender_lag_p99", 0) > 2:
        notes.append(f"sender {f['sender_lag_p99']:.1f} ms behind schedule (p99)")
    if f.get("foreign"):
        notes.append(f"{f['foreign']} foreign deliveries ignored")
    if f.get("machine_cpu", 0) >= 0.9:
        notes.append(f"machine-bound (all cores {f['machine_cpu']:.0%} busy: servers and load share them)")
    if f.get("errors"):
        notes.append(f"{f['errors']} error frames {f.get('error_samples', [])[:1]}")
    if f.get("unanswered"):
        notes.append(f"{f['unanswered']} sends unanswered when the run ended")
    if f.get("idle_failed"):
        notes.append(f"{f['idle_failed']} idle sockets failed to open")
    if f.get("out_of_order") or f.get("duplicates"):
        notes.append(f"{f.get('out_of_order', 0)} out of order, {f.get('duplicates', 0)} duplicated")
    return "; ".join(notes)


def floor(bench: Results, scenario: str, key: str) -> float | None:
    """The floor's figure `key` in `scenario`, or None when the floor did not run or failed."""
    row = bench.results.get(scenario, {}).get("floor")
    return None if not row or "error" in row else float(row[key])
