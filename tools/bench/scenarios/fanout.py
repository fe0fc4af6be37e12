"""Fan-out: 200 watchers of one channel, one sender at 20 msg/s (open loop)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from plan import Plan
from runner import Bench, Scenario, say
from servers import Server
from traffic import Load, paced, paced_brief

__all__ = ["SCENARIO"]


async def measure(
    server: Server, plan: Plan, workdir: Path, profile_to: Path | None = None
) -> dict[str, Any]:
    load = Load(watchers=plan.fanout_watchers, processes=2, rate=20)
    return await paced([server], plan, workdir, load, idle=0, profile_to=profile_to)


async def run(bench: Bench) -> None:
    plan = bench.plan
    say(f"fanout: {plan.fanout_watchers} watchers, 20 msg/s for {plan.seconds:.0f} s")
    await bench.each_server("fanout", lambda s: measure(s, plan, bench.workdir), paced_brief)


async def profile(bench: Bench, kind: str, to: Path) -> dict[str, Any]:
    return await bench.profiled(kind, measure, to)


SCENARIO = Scenario("fanout", run, profile)
