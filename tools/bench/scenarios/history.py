"""History: watch (latest 50) on a channel holding a long history, one watch at a time.

The floor keeps no history, so it does not run this one.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from plan import HISTORY_CID, SECRET, Plan
from profiles import record
from runner import Bench, Scenario, say
from servers import Server, Worker
from traffic import percentile

__all__ = ["SCENARIO"]


async def measure(
    server: Server, plan: Plan, workdir: Path, profile_to: Path | None = None
) -> dict[str, Any]:
    """Watch (latest 50) on a channel holding plan.history messages, one watch at a time."""
    spec = {
        "role": "history",
        "url": server.url,
        "secret": SECRET,
        "user": "h1",
        "cid": HISTORY_CID,
        "count": plan.history_watches,
        "limit": 50,
        "seconds": plan.profile_seconds + 1 if profile_to else 60,
    }
    worker = await Worker.start("history", spec, workdir)
    profiling = (
        asyncio.create_task(record(server.pid, plan.profile_seconds, profile_to)) if profile_to else None
    )
    try:
        done = await worker.expect("done", within=120)
    finally:
        await worker.stop()
    profile = await profiling if profiling else None
    latencies = done["latencies"]
    return {
        "p50": percentile(latencies, 0.5),
        "p99": percentile(latencies, 0.99),
        "watches": len(latencies),
        "sizes": done["sizes"],
        "profile": profile,
    }


def brief(f: dict[str, Any]) -> str:
    return f"p50 {f['p50']:.2f} ms, p99 {f['p99']:.2f} ms over {f['watches']} watches"


async def run(bench: Bench) -> None:
    plan = bench.plan
    say(f"history: watch latest 50 of {plan.history:,} messages, {plan.history_watches} times")
    kinds = tuple(k for k in plan.servers if k != "floor")
    await bench.each_server("history", lambda s: measure(s, plan, bench.workdir), brief, kinds, history=True)


async def profile(bench: Bench, kind: str, to: Path) -> dict[str, Any]:
    return await bench.profiled(kind, measure, to, history=True)


SCENARIO = Scenario("history", run, profile)
