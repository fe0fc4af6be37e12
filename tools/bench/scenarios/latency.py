"""Latency: 10 watchers and one sender at 200 msg/s (open loop), beside thousands of idle sockets.

Measured in the connections scenario's pass (scenarios/connections.py): its idle sockets are these.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from runner import Bench, Scenario, profile_plan
from traffic import Load, paced

from scenarios.connections import together

__all__ = ["SCENARIO"]


async def profile(bench: Bench, kind: str, to: Path) -> dict[str, Any]:
    plan = bench.plan
    async with bench.fresh_server(kind) as server:
        load = Load(watchers=10, processes=1, rate=200)
        # Fewer idle sockets than measured: the profile pass must stay short.
        run = paced(
            [server], profile_plan(plan), bench.workdir, load, idle=min(plan.idle, 1000), profile_to=to
        )
        return await asyncio.wait_for(run, 400)


SCENARIO = Scenario("latency", together, profile)
