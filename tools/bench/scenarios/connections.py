"""Connections: idle sockets, each watching its own channel; how fast they open and what each costs.

The latency scenario runs on the same server process, beside these sockets: `together` measures
both in one pass per server, whichever of the two the plan names.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

from plan import LABELS, Plan
from profiles import component_of, record
from runner import Bench, Scenario, failure, outcome, profile_plan, say
from servers import BENCH, BenchError, Server, Worker
from traffic import Load, idle_spec, paced_brief, traffic

__all__ = ["SCENARIO", "together"]


async def measure(
    server: Server,
    plan: Plan,
    workdir: Path,
    *,
    latency: bool,
    connections: bool,
    profile_to: Path | None = None,
) -> dict[str, dict[str, Any]]:
    """The connections and latency scenarios on one server process, sharing its idle sockets.

    Idle sockets each watch their own channel. 20 warm sockets first (imports, the database
    connection), then `timed_open` at once, split over `open_processes` load processes (one Python
    client opens sockets about as fast as the floor accepts them and would hide the server behind its
    own cost); then up to `idle` for the latency scenario, which runs beside them; then up to
    `connections` for the memory figure, within `open_budget` seconds (a slow server holds fewer).
    """
    processes = plan.open_processes
    most = max(plan.connections if connections else 0, plan.idle if latency else 0, plan.timed_open)
    per = most // processes
    holders = list(
        await asyncio.gather(
            *(Worker.start(f"sockets{i}", idle_spec(server, 20 + i * per), workdir) for i in range(processes))
        )
    )
    warm = await Worker.start("warm", idle_spec(server, plan.seeded_idle - 50), workdir)
    held, failed, attempted, told_to_wait = 0, 0, 0, 0
    failures: list[str] = []

    async def open_on(holder: Worker, count: int) -> dict[str, Any]:
        await holder.send({"cmd": "open", "count": count})
        return await holder.expect("opened", within=900)

    async def open_more(count: int) -> tuple[float, float]:
        """Opens `count` more over the load processes; returns the busiest one's CPU and the seconds taken."""
        nonlocal held, failed, attempted, told_to_wait
        attempted += count
        started = time.monotonic()
        reports = await asyncio.gather(*(open_on(h, count // processes) for h in holders))
        opened = sum(r["opened"] for r in reports)
        held += opened
        failed += sum(r["failed"] for r in reports)
        told_to_wait += sum(r["told_to_wait"] for r in reports)
        failures.extend(f for r in reports for f in r["failures"])
        if not opened:  # a few refused handshakes are a finding; none accepted is a broken run
            raise BenchError(f"no socket opened; {failed} failed: {failures[:2]}")
        return max(r["client_cpu"] for r in reports), time.monotonic() - started

    found: dict[str, dict[str, Any]] = {}
    try:
        await open_on(warm, 20)
        await asyncio.sleep(1)
        rss_before, cpu_before = server.rss_kib(), server.cpu_seconds()
        profiling = (
            asyncio.create_task(record(server.pid, plan.profile_seconds, profile_to)) if profile_to else None
        )
        started = time.monotonic()
        client_cpu, open_s = await open_more(plan.timed_open)
        server_cpu = (server.cpu_seconds() - cpu_before) / open_s
        profile = await profiling if profiling else None
        if latency:
            if attempted < plan.idle:
                await open_more(plan.idle - attempted)
            idle_open_s = time.monotonic() - started
            figures = await traffic([server], plan, workdir, Load(watchers=10, processes=1, rate=200))
            found["latency"] = {**figures, "idle": held, "idle_open_s": idle_open_s, "idle_failed": failed}
        capped = ""
        if connections:
            # In steps of 1,000, so a server that slows down as it fills (the textbook's layer scans
            # every channel) cannot stretch the budget.
            deadline = time.monotonic() + plan.open_budget
            while attempted < plan.connections:
                if time.monotonic() >= deadline:
                    capped = f"stopped at {held:,} after the {plan.open_budget:.0f} s opening budget"
                    break
                step = min(1000, plan.connections - attempted) // processes * processes
                if step == 0:
                    break
                await open_more(step)
        if connections:
            await asyncio.sleep(2)
            rss_after = server.rss_kib()
            found["connections"] = {
                "open_s": open_s,
                "timed": plan.timed_open,
                "sockets": held,
                "failed": failed,
                "told_to_wait": told_to_wait,  # 4013 closes the sockets waited out, then reconnected
                "failures": failures[:3],
                "kib_per_socket": (rss_after - rss_before) / held,
                "rss_mib": rss_after / 1024,
                "server_cpu": server_cpu,
                "client_cpu": client_cpu,
                "capped": capped,
                "alive": server.alive(),
                "profile": profile,
            }
    finally:
        await asyncio.gather(*(h.stop() for h in [*holders, warm]))
    return found


def brief(f: dict[str, Any]) -> str:
    return (
        f"{f['sockets']} sockets, {f['timed']:,} opened in {f['open_s']:.2f} s, "
        f"{f['kib_per_socket']:.1f} KiB/socket, failed {f['failed']}, told to retry later {f['told_to_wait']}"
    )


async def together(bench: Bench) -> None:
    """Connections and latency in one pass per server: the latency's idle sockets are the connections'."""
    plan = bench.plan
    latency, connections = "latency" in plan.scenarios, "connections" in plan.scenarios
    if "latency" in bench.results or "connections" in bench.results:
        return
    if connections:
        say(f"connections: open {plan.timed_open:,} (timed), hold up to {plan.connections:,}")
    if latency:
        say(
            f"latency: 10 watchers, 1 sender at 200 msg/s for {plan.seconds:.0f} s, {plan.idle:,} idle sockets"
        )
    briefs = {"latency": paced_brief, "connections": brief}
    names = [name for name in briefs if name in plan.scenarios]
    by_scenario = {name: bench.results.setdefault(name, {}) for name in names}
    for kind in plan.servers:
        started = time.monotonic()
        say(f"{' + '.join(names)}: {LABELS[kind]} ...")
        try:
            async with bench.fresh_server(kind) as server:
                found = await asyncio.wait_for(
                    measure(server, plan, bench.workdir, latency=latency, connections=connections), 900
                )
                if not server.alive():
                    found = {name: {"error": f"server died: {server.tail(5)}"} for name in names}
        except (BenchError, TimeoutError, OSError) as error:
            found = {name: failure(error) for name in names}
        for name, figures in by_scenario.items():
            figures[kind] = found.get(name, {"error": "not measured"})
            say(
                f"{name}: {LABELS[kind]}: {outcome(briefs[name], figures[kind])} ({time.monotonic() - started:.0f} s)"
            )


async def profile(bench: Bench, kind: str, to: Path) -> dict[str, Any]:
    """The timed opening under py-spy, then what an idle socket holds under tracemalloc."""
    short = profile_plan(bench.plan)
    async with bench.fresh_server(kind) as server:
        run = measure(server, short, bench.workdir, latency=False, connections=True, profile_to=to)
        found = (await asyncio.wait_for(run, 400))["connections"]
    found["memory"] = await asyncio.wait_for(trace_memory(bench, kind), 400)
    return found


TRACED_SOCKETS = 1000


async def trace_memory(bench: Bench, kind: str, sockets: int = TRACED_SOCKETS) -> dict[str, Any]:
    """What an idle socket holds, by tracemalloc: a fresh server of `kind` under the memory probe
    (tools/bench/memtrace), a baseline snapshot once 20 warm sockets are open, another once `sockets`
    more are (each watching its own channel, as in the scenario); the growth per socket, by component
    and by the files that allocated most. Tracing slows the server, so no time is taken here."""
    out = bench.workdir / f"memtrace-{kind}.json"
    probe = {"PYTHONPATH": str(BENCH / "memtrace"), "JATTE_BENCH_TRACE": str(out)}
    async with bench.fresh_server(kind, env=probe) as server:
        workers: list[Worker] = []
        try:
            warm = await Worker.start(
                "traced-warm", idle_spec(server, bench.plan.seeded_idle - 50), bench.workdir
            )
            workers.append(warm)
            held = await Worker.start("traced", idle_spec(server, 20), bench.workdir)
            workers.append(held)
            await warm.send({"cmd": "open", "count": 20})
            await warm.expect("opened", within=120)
            await asyncio.sleep(1)
            await _snapshot(server, out, baseline=True)
            rss_before = server.rss_kib()
            await held.send({"cmd": "open", "count": sockets})
            opened = int((await held.expect("opened", within=300))["opened"])
            await asyncio.sleep(2)
            rss_after = server.rss_kib()
            grown = await _snapshot(server, out, baseline=False)
        finally:
            await asyncio.gather(*(worker.stop() for worker in workers))
    if not opened:
        raise BenchError("no socket opened under the memory probe")
    by_component: Counter[str] = Counter()
    by_file: Counter[str] = Counter()
    for path, size, _count in grown["by_file"]:
        by_component[component_of(path)] += size
        by_file["/".join(path.split("/")[-2:])] += size
    total = sum(by_component.values())
    return {
        "sockets": opened,
        "traced_kib_per_socket": total / opened / 1024,
        "rss_kib_per_socket": (rss_after - rss_before) / opened,
        "by_component": [(name, size / opened / 1024) for name, size in by_component.most_common(8)],
        "by_file": [(name, size / opened / 1024) for name, size in by_file.most_common(8)],
    }


async def _snapshot(server: Server, out: Path, baseline: bool) -> dict[str, Any]:
    """Signals the probe and waits for its snapshot (the baseline, or the growth since)."""
    await asyncio.to_thread(out.unlink, missing_ok=True)
    os.kill(server.pid, signal.SIGUSR1)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        written = await asyncio.to_thread(lambda: out.read_text() if out.exists() else None)
        if written is not None:
            found: dict[str, Any] = json.loads(written)
            if found["baseline"] is baseline:
                return found
        await asyncio.sleep(0.2)
    raise BenchError(f"the memory probe wrote no snapshot to {out} (server log: {server.tail(3)})")


SCENARIO = Scenario("connections", together, profile)
