"""Throughput: 4 senders with up to 50 unacknowledged messages each, 10 watchers in 2 processes.

msg/s counts messages acknowledged (stored, then delivered); lost = acknowledged messages a watcher
never got.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from plan import Plan
from runner import Bench, Scenario, say
from servers import Server, Worker
from traffic import clients_spec, measure_window, split, window_figures

__all__ = ["SCENARIO"]


async def measure(
    server: Server, plan: Plan, workdir: Path, profile_to: Path | None = None
) -> dict[str, Any]:
    """4 senders with up to 50 unacknowledged messages each, 10 watchers in 2 processes."""
    tag = uuid.uuid4().hex[:8]
    seconds = plan.throughput_seconds
    options = {"report_seqs": True, "window": 50, "drain": 10}
    workers: list[Worker] = list(
        await asyncio.gather(
            *(
                Worker.start(
                    f"watchers{i}", clients_spec(server, tag, seconds, watchers=group, **options), workdir
                )
                for i, group in enumerate(split([f"w{n}" for n in range(10)], 2))
            ),
            Worker.start(
                "senders",
                clients_spec(server, tag, seconds, senders=[f"s{n}" for n in range(4)], **options),
                workdir,
            ),
        )
    )
    try:
        reports, window, profile = await measure_window([server], workers, seconds, profile_to)
    finally:
        await asyncio.gather(*(w.stop() for w in workers))
    senders = reports[-1]["senders"]
    watcher_reports = [w for r in reports[:-1] for w in r["watchers"]]
    acked = {s["name"]: set(s["acked"]) for s in senders}
    lost = sum(len(acked[name] - set(w["seqs"].get(name, ()))) for w in watcher_reports for name in acked)
    total_acked = sum(len(a) for a in acked.values())
    return {
        "msg_s": total_acked / seconds,
        "deliveries_s": sum(w["in_window"] for w in watcher_reports) / seconds,
        "acked": total_acked,
        "lost": lost,
        **window_figures(reports, watcher_reports, senders, window, profile),
    }


def brief(f: dict[str, Any]) -> str:
    return (
        f"{f['msg_s']:.0f} msg/s, {f['deliveries_s']:.0f} deliveries/s, lost {f['lost']}, "
        f"errors {f['errors']}, server CPU {f['server_cpu']:.0%}"
    )


async def run(bench: Bench) -> None:
    say(f"throughput: 4 senders x 50 unacknowledged, 10 watchers, {bench.plan.throughput_seconds:.0f} s")
    await bench.each_server("throughput", lambda s: measure(s, bench.plan, bench.workdir), brief)


async def profile(bench: Bench, kind: str, to: Path) -> dict[str, Any]:
    return await bench.profiled(kind, measure, to)


SCENARIO = Scenario("throughput", run, profile)
