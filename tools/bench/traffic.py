"""Load on running servers: specs for the load processes, one measured window, paced traffic.

Every scenario drives its servers through these: `traffic` is one paced sender and its watchers,
`paced` the same beside idle sockets, `measure_window` the shared window (one t0, server and machine CPU).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plan import HOT_CID, SECRET, Plan
from profiles import Profile, record
from servers import BenchError, Server, Worker

__all__ = [
    "Load",
    "clients_spec",
    "idle_spec",
    "measure_window",
    "paced",
    "paced_brief",
    "percentile",
    "split",
    "traffic",
    "window_figures",
]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def idle_spec(server: Server, start: int) -> dict[str, Any]:
    return {
        "role": "idle",
        "url": server.url,
        "secret": SECRET,
        "user": "idle{n}",
        "cid": "messaging:idle-{n}",
        "start": start,
        "concurrency": 200,
    }


def clients_spec(server: Server, tag: str, seconds: float, **extra: Any) -> dict[str, Any]:
    return {
        "role": "clients",
        "url": server.url,
        "secret": SECRET,
        "tag": tag,
        "cid": HOT_CID,
        "seconds": seconds,
        "watchers": [],
        "senders": [],
        **extra,
    }


async def open_idle(servers: list[Server], count: int, workdir: Path) -> tuple[list[Worker], dict[str, Any]]:
    """Opens `count` idle sockets split over the servers, each watching its own channel."""
    share = count // len(servers)
    holders = await asyncio.gather(
        *(Worker.start(f"idle{i}", idle_spec(s, i * share), workdir) for i, s in enumerate(servers))
    )
    if not count:
        return list(holders), {"opened": 0, "failed": 0, "seconds": 0.0}

    async def opened(holder: Worker) -> dict[str, Any]:
        await holder.send({"cmd": "open", "count": share})
        return await holder.expect("opened", within=300)

    reports = await asyncio.gather(*(opened(h) for h in holders))
    return list(holders), {
        "opened": sum(r["opened"] for r in reports),
        "failed": sum(r["failed"] for r in reports),
        "failures": [f for r in reports for f in r["failures"]][:3],
        "seconds": max(r["seconds"] for r in reports),
        "client_cpu": max(r["client_cpu"] for r in reports),
    }


async def measure_window(
    servers: list[Server],
    workers: list[Worker],
    seconds: float,
    profile_to: Path | None,
) -> tuple[list[dict[str, Any]], dict[str, float], Profile | None]:
    """Starts every client process at one t0 and collects their reports, with the CPU over the window.

    `server_cpu` is the server processes' CPU in cores; `machine_cpu` the share of all cores busy,
    which says when the servers and the load processes together ran out of machine.
    """
    t0 = time.monotonic() + 0.5
    for worker in workers:
        await worker.send({"cmd": "go", "t0": t0})
    profiling = (
        asyncio.create_task(record(servers[0].pid, seconds, profile_to)) if profile_to is not None else None
    )
    await asyncio.sleep(max(0.0, t0 - time.monotonic()))
    cpu_before, machine_before = [s.cpu_seconds() for s in servers], machine_cpu()
    await asyncio.sleep(max(0.0, t0 + seconds - time.monotonic()))
    cpu = sum(s.cpu_seconds() - before for s, before in zip(servers, cpu_before, strict=True)) / seconds
    busy, total = (now - before for now, before in zip(machine_cpu(), machine_before, strict=True))
    reports = await asyncio.gather(*(w.expect("done", within=seconds + 120) for w in workers))
    profile = await profiling if profiling is not None else None
    window = {"server_cpu": cpu, "machine_cpu": busy / total if total else 0.0}
    return list(reports), window, profile


def machine_cpu() -> tuple[int, int]:
    """Busy and total jiffies of every core since boot (/proc/stat): the load processes share them."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


@dataclass(frozen=True)
class Load:
    """The traffic of a paced scenario: one sender at `rate` msg/s to `watchers` sockets in `processes` load processes."""

    watchers: int
    processes: int
    rate: float


def split(items: list[str], parts: int) -> list[list[str]]:
    return [items[i::parts] for i in range(parts)]


async def paced(
    servers: list[Server], plan: Plan, workdir: Path, load: Load, idle: int, profile_to: Path | None = None
) -> dict[str, Any]:
    """Opens `idle` sockets over the servers, then runs `traffic` beside them."""
    holders, opened = await open_idle(servers, idle, workdir)
    try:
        if opened["failed"]:
            raise BenchError(
                f"{opened['failed']} of {idle} idle sockets failed to open: {opened['failures']}"
            )
        figures = await traffic(servers, plan, workdir, load, profile_to)
    finally:
        await asyncio.gather(*(h.stop() for h in holders))
    return {**figures, "idle_open_s": opened["seconds"], "idle": opened["opened"]}


async def traffic(
    servers: list[Server], plan: Plan, workdir: Path, load: Load, profile_to: Path | None = None
) -> dict[str, Any]:
    """One sender at `load.rate` msg/s (open loop, on the first server) to `load.watchers` sockets over the servers."""
    tag = uuid.uuid4().hex[:8]
    workers: list[Worker] = []
    rate = load.rate
    try:
        processes = max(load.processes, len(servers))
        groups = split([f"w{n}" for n in range(load.watchers)], processes)
        workers = list(
            await asyncio.gather(
                *(
                    Worker.start(
                        f"watchers{i}",
                        clients_spec(servers[i % len(servers)], tag, plan.seconds, watchers=group, rate=rate),
                        workdir,
                    )
                    for i, group in enumerate(groups)
                ),
                Worker.start(
                    "sender", clients_spec(servers[0], tag, plan.seconds, senders=["s0"], rate=rate), workdir
                ),
            )
        )
        reports, window, profile = await measure_window(servers, workers, plan.seconds, profile_to)
    finally:
        await asyncio.gather(*(w.stop() for w in workers))
    watcher_reports = [w for r in reports for w in r["watchers"]]
    sender = reports[-1]["senders"][0]
    latencies = [x for w in watcher_reports for x in w["latencies"]]
    expected = sender["sent"] * len(watcher_reports)
    return {
        "p50": percentile(latencies, 0.5),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies, default=float("nan")),
        "sent": sender["sent"],
        "delivered": len(latencies),
        "missing": expected - sum(sum(w["seen"].values()) for w in watcher_reports),
        "foreign": sum(w["foreign"] for w in watcher_reports),
        "sender_lag_p99": sender["lateness"],
        **window_figures(reports, watcher_reports, [sender], window, profile),
    }


def window_figures(
    reports: list[dict[str, Any]],
    watchers: list[dict[str, Any]],
    senders: list[dict[str, Any]],
    window: dict[str, float],
    profile: Profile | None,
) -> dict[str, Any]:
    """What every measured window reports besides its own figures: order, errors, answers, CPU."""
    return {
        "out_of_order": sum(w["out_of_order"] for w in watchers),
        "duplicates": sum(w["duplicates"] for w in watchers),
        "errors": sum(s["error_count"] for s in senders),
        "unanswered": sum(s["unanswered"] for s in senders),
        "error_samples": [e for s in senders for e in s["errors"]][:3],
        "ack_p50": percentile([x for s in senders for x in s["ack_latencies"]], 0.5),
        **window,
        "client_cpu": max(r["client_cpu"] for r in reports),
        "profile": profile,
    }


def paced_brief(f: dict[str, Any]) -> str:
    """The progress line of a paced run (latency, fan-out, two processes)."""
    return (
        f"p50 {f['p50']:.2f} ms, p99 {f['p99']:.2f} ms, missing {f['missing']}, "
        f"server CPU {f['server_cpu']:.0%}, client CPU {f['client_cpu']:.0%}"
    )
