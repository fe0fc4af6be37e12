"""`tools/dev bench`: every scenario of issue 4 against the floor, the textbook consumer and Jatte.

Each scenario runs, side by side in one run, against:
  floor     a bare `websockets` broadcast server (tools/bench/floor_server.py): Python's best here;
  textbook  the textbook Channels consumer (tools/bench/textbook/) under daphne: one group_send per
            message, the default InMemoryChannelLayer, one ORM insert per message to SQLite;
  daphne    this backend as shipped, `python -m jatte.serve --server daphne`, fresh SQLite;
  uvicorn   the same under uvicorn.
Every server is its own process; the clients are real WebSockets in separate load processes
(load.py), paced open-loop. Progress goes to stdout; the tables go to BENCHMARKS.md.

Usage: tools/dev bench [--quick] [--only latency,fanout] [--servers floor,daphne] [--output FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from plan import (
    HISTORY_CID,
    HOT_CID,
    JATTE,
    JATTE_ENV,
    LABELS,
    SCENARIOS,
    SECRET,
    SERVERS,
    Plan,
    Results,
    quick_plan,
)
from profiles import Profile, py_spy, record
from report import TARGETS, scaleout_met, write_report
from servers import BACKEND, BENCH, PY, REPO, TEXTBOOK, BenchError, Server, Worker, run_checked

__all__ = ["main"]


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- databases ------------------------------------------------------------------------------------


class Databases:
    """Migrated, seeded SQLite templates made once per run; each server run gets a fresh copy."""

    def __init__(self, workdir: Path, plan: Plan) -> None:
        self.workdir = workdir
        self.plan = plan
        self.log = workdir / "setup.log"
        self._made: dict[str, Path] = {}
        self._copies = 0

    def _backend_env(self, path: Path) -> dict[str, str]:
        return {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "REDIS_URL": ""}

    def template(self, name: str) -> Path:
        if name in self._made:
            return self._made[name]
        path = self.workdir / f"template-{name}.sqlite3"
        started = time.monotonic()
        if name in {"jatte", "jatte-history"}:
            env = self._backend_env(path)
            run_checked([PY, "manage.py", "migrate", "--noinput", "-v0"], BACKEND, env, self.log)
            options = {
                "idle": self.plan.seeded_idle,
                "history": self.plan.history if name == "jatte-history" else 0,
            }
            run_checked([PY, str(BENCH / "seed.py"), json.dumps(options)], BACKEND, env, self.log)
        else:
            env = {**os.environ, "TEXTBOOK_DB": str(path)}
            run_checked([PY, "manage.py", "migrate", "--noinput", "-v0"], TEXTBOOK, env, self.log)
            if name == "textbook-history":
                seed_textbook(path, self.plan.history)
        say(f"  database template {name} ready in {time.monotonic() - started:.1f} s")
        self._made[name] = path
        return path

    def copy(self, name: str) -> Path:
        self._copies += 1
        target = self.workdir / f"db-{self._copies}-{name}.sqlite3"
        shutil.copyfile(self.template(name), target)
        return target


def seed_textbook(path: Path, count: int) -> None:
    import sqlite3

    now = datetime.now(UTC).isoformat(sep=" ")
    with sqlite3.connect(path) as db:
        rows = (
            (
                HISTORY_CID,
                f"history-{n}",
                f"h{n % 10}",
                f"Reader {n % 10}",
                f"message {n} of the long history",
                now,
            )
            for n in range(count)
        )
        db.executemany(
            "INSERT INTO chat_message (room, message_id, user_id, user_name, text, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    db.close()


async def make_server(kind: str, workdir: Path, databases: Databases, history: bool = False) -> Server:
    env = {"SUPABASE_JWT_SECRET": SECRET}
    if kind == "textbook":
        env["TEXTBOOK_DB"] = str(
            await asyncio.to_thread(databases.copy, "textbook-history" if history else "textbook")
        )
    elif kind in JATTE:
        path = await asyncio.to_thread(databases.copy, "jatte-history" if history else "jatte")
        env.update({**JATTE_ENV, "DATABASE_URL": f"sqlite:///{path}", "REDIS_URL": ""})
    return await Server(kind, workdir, env).start()


# --- the load -------------------------------------------------------------------------------------


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


async def measure(
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


def split(items: list[str], parts: int) -> list[list[str]]:
    return [items[i::parts] for i in range(parts)]


async def paced(
    servers: list[Server],
    plan: Plan,
    workdir: Path,
    *,
    idle: int,
    watchers: int,
    watcher_processes: int,
    rate: float,
    profile_to: Path | None = None,
) -> dict[str, Any]:
    """Opens `idle` sockets over the servers, then runs `traffic` beside them."""
    holders, opened = await open_idle(servers, idle, workdir)
    try:
        if opened["failed"]:
            raise BenchError(
                f"{opened['failed']} of {idle} idle sockets failed to open: {opened['failures']}"
            )
        figures = await traffic(
            servers,
            plan,
            workdir,
            watchers=watchers,
            watcher_processes=watcher_processes,
            rate=rate,
            profile_to=profile_to,
        )
    finally:
        await asyncio.gather(*(h.stop() for h in holders))
    return {**figures, "idle_open_s": opened["seconds"], "idle": opened["opened"]}


async def traffic(
    servers: list[Server],
    plan: Plan,
    workdir: Path,
    *,
    watchers: int,
    watcher_processes: int,
    rate: float,
    profile_to: Path | None = None,
) -> dict[str, Any]:
    """One sender at `rate` msg/s (open loop, on the first server) to `watchers` sockets over the servers."""
    tag = uuid.uuid4().hex[:8]
    workers: list[Worker] = []
    try:
        processes = max(watcher_processes, len(servers))
        groups = split([f"w{n}" for n in range(watchers)], processes)
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
        reports, window, profile = await measure(servers, workers, plan.seconds, profile_to)
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
        "out_of_order": sum(w["out_of_order"] for w in watcher_reports),
        "duplicates": sum(w["duplicates"] for w in watcher_reports),
        "foreign": sum(w["foreign"] for w in watcher_reports),
        "errors": sender["error_count"],
        "unanswered": sender["unanswered"],
        "error_samples": sender["errors"],
        "ack_p50": percentile(sender["ack_latencies"], 0.5),
        "sender_lag_p99": sender["lateness"],
        **window,
        "client_cpu": max(r["client_cpu"] for r in reports),
        "profile": profile,
    }


async def throughput(
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
        reports, window, profile = await measure([server], workers, seconds, profile_to)
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
        "errors": sum(s["error_count"] for s in senders),
        "unanswered": sum(s["unanswered"] for s in senders),
        "error_samples": [e for s in senders for e in s["errors"]][:3],
        "out_of_order": sum(w["out_of_order"] for w in watcher_reports),
        "duplicates": sum(w["duplicates"] for w in watcher_reports),
        "ack_p50": percentile([x for s in senders for x in s["ack_latencies"]], 0.5),
        **window,
        "client_cpu": max(r["client_cpu"] for r in reports),
        "profile": profile,
    }


async def sockets(
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
    held, failed, attempted = 0, 0, 0
    failures: list[str] = []

    async def open_on(holder: Worker, count: int) -> dict[str, Any]:
        await holder.send({"cmd": "open", "count": count})
        return await holder.expect("opened", within=900)

    async def open_more(count: int) -> tuple[float, float]:
        """Opens `count` more over the load processes; returns the busiest one's CPU and the seconds taken."""
        nonlocal held, failed, attempted
        attempted += count
        started = time.monotonic()
        reports = await asyncio.gather(*(open_on(h, count // processes) for h in holders))
        opened = sum(r["opened"] for r in reports)
        held += opened
        failed += sum(r["failed"] for r in reports)
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
            figures = await traffic([server], plan, workdir, watchers=10, watcher_processes=1, rate=200)
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


async def history(
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


# --- scenarios ------------------------------------------------------------------------------------


Runner = Callable[[Server], Awaitable[dict[str, Any]]]


class Bench(Results):
    """Runs the scenarios of the plan, keeping what they find."""

    def __init__(self, plan: Plan, workdir: Path) -> None:
        super().__init__(plan)
        self.workdir = workdir
        self.databases = Databases(workdir, plan)

    async def each_server(
        self, scenario: str, runner: Runner, kinds: tuple[str, ...] | None = None, history: bool = False
    ) -> None:
        table = self.results.setdefault(scenario, {})
        for kind in kinds or self.plan.servers:
            started = time.monotonic()
            say(f"{scenario}: {LABELS[kind]} ...")
            server: Server | None = None
            try:
                server = await make_server(kind, self.workdir, self.databases, history)
                figures = await asyncio.wait_for(runner(server), 400)
                if not server.alive():
                    figures["error"] = f"server died: {server.tail(5)}"
            except (BenchError, TimeoutError, OSError) as failure:
                figures = {"error": f"{type(failure).__name__}: {str(failure)[:300]}"}
            finally:
                if server is not None:
                    server.stop()
            table[kind] = figures
            say(
                f"{scenario}: {LABELS[kind]}: {brief(scenario, figures)} ({time.monotonic() - started:.0f} s)"
            )

    async def latency(self) -> None:
        await self.sockets()

    async def connections(self) -> None:
        await self.sockets()

    async def sockets(self) -> None:
        """Connections and latency in one pass per server: the latency's idle sockets are the connections'."""
        plan = self.plan
        latency, connections = "latency" in plan.scenarios, "connections" in plan.scenarios
        if "latency" in self.results or "connections" in self.results:
            return
        if connections:
            say(f"connections: open {plan.timed_open:,} (timed), hold up to {plan.connections:,}")
        if latency:
            say(
                f"latency: 10 watchers, 1 sender at 200 msg/s for {plan.seconds:.0f} s, {plan.idle:,} idle sockets"
            )
        names = [name for name in ("latency", "connections") if name in plan.scenarios]
        tables = {name: self.results.setdefault(name, {}) for name in names}
        for kind in plan.servers:
            started = time.monotonic()
            say(f"{' + '.join(names)}: {LABELS[kind]} ...")
            server: Server | None = None
            try:
                server = await make_server(kind, self.workdir, self.databases)
                found = await asyncio.wait_for(
                    sockets(server, plan, self.workdir, latency=latency, connections=connections), 900
                )
                if not server.alive():
                    found = {name: {"error": f"server died: {server.tail(5)}"} for name in names}
            except (BenchError, TimeoutError, OSError) as failure:
                found = {name: {"error": f"{type(failure).__name__}: {str(failure)[:300]}"} for name in names}
            finally:
                if server is not None:
                    server.stop()
            for name, table in tables.items():
                table[kind] = found.get(name, {"error": "not measured"})
                say(
                    f"{name}: {LABELS[kind]}: {brief(name, table[kind])} ({time.monotonic() - started:.0f} s)"
                )

    async def throughput(self) -> None:
        say(f"throughput: 4 senders x 50 unacknowledged, 10 watchers, {self.plan.throughput_seconds:.0f} s")
        await self.each_server("throughput", lambda s: throughput(s, self.plan, self.workdir))

    async def fanout(self) -> None:
        plan = self.plan
        say(f"fanout: {plan.fanout_watchers} watchers, 20 msg/s for {plan.seconds:.0f} s")
        await self.each_server(
            "fanout",
            lambda s: paced(
                [s], plan, self.workdir, idle=0, watchers=plan.fanout_watchers, watcher_processes=2, rate=20
            ),
        )

    async def history(self) -> None:
        say(f"history: watch latest 50 of {self.plan.history:,} messages, {self.plan.history_watches} times")
        kinds = tuple(k for k in self.plan.servers if k != "floor")
        await self.each_server("history", lambda s: history(s, self.plan, self.workdir), kinds, history=True)

    async def scaleout(self) -> None:
        plan = self.plan
        table = self.results.setdefault("scaleout", {})
        problem = services_problem(plan)
        if problem:
            say(f"scaleout: skipped, {problem}")
            self.notes.setdefault("scaleout", []).append(f"not run: {problem}")
            return
        for kind in (k for k in plan.scaleout if k in plan.servers):
            say(f"scaleout: two {LABELS[kind]} processes on Redis + PostgreSQL, latency scenario ...")
            started = time.monotonic()
            try:
                figures = await asyncio.wait_for(self._scaleout(kind), 600)
            except (BenchError, TimeoutError, OSError) as failure:
                figures = {"error": f"{type(failure).__name__}: {str(failure)[:300]}"}
            table[kind] = figures
            say(f"scaleout: {LABELS[kind]}: {brief('latency', figures)} ({time.monotonic() - started:.0f} s)")

    async def _scaleout(self, kind: str, profile_to: Path | None = None) -> dict[str, Any]:
        import psycopg
        import redis

        plan = self.plan
        admin = plan.postgres_url.replace("postgres://", "postgresql://", 1)
        name = f"jatte_bench_{uuid.uuid4().hex[:10]}"
        url = plan.postgres_url.rsplit("/", 1)[0] + "/" + name
        # Channel keys start at a random offset: Redis pub/sub channels are global to the server (not
        # per database number), so this keeps the groups apart from any other run on this Redis.
        offset = random.randrange(10**9, 2 * 10**9)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        servers: list[Server] = []
        env = {**JATTE_ENV, "DATABASE_URL": url, "REDIS_URL": plan.redis_url, "SUPABASE_JWT_SECRET": SECRET}
        try:
            full_env = {**os.environ, **env}
            log = self.workdir / "setup.log"
            await asyncio.to_thread(
                run_checked, [PY, "manage.py", "migrate", "--noinput", "-v0"], BACKEND, full_env, log
            )
            seed = {"idle": plan.idle + 100, "id_offset": offset}
            await asyncio.to_thread(
                run_checked, [PY, str(BENCH / "seed.py"), json.dumps(seed)], BACKEND, full_env, log
            )
            servers = list(await asyncio.gather(*(Server(kind, self.workdir, env).start() for _ in range(2))))
            short = replace(plan, seconds=plan.profile_seconds) if profile_to else plan
            figures = await paced(
                servers,
                short,
                self.workdir,
                idle=plan.idle,
                watchers=10,
                watcher_processes=2,
                rate=200,
                profile_to=profile_to,
            )
            with psycopg.connect(admin.rsplit("/", 1)[0] + "/" + name) as conn:
                row = conn.execute(
                    "SELECT count(*), count(DISTINCT message_id) FROM chat_message m JOIN chat_channel c"
                    " ON m.channel_id = c.id WHERE c.cid = %s",
                    [HOT_CID],
                ).fetchone()
            assert row is not None
            figures["stored"], figures["stored_distinct"] = row
            figures["alive"] = all(s.alive() for s in servers)
            return figures
        finally:
            for server in servers:
                server.stop()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            client = redis.Redis.from_url(plan.redis_url)
            keys = [f"jatte:watchers:chat.channel.{offset + n}" for n in range(1, plan.idle + 103)]
            for first in range(0, len(keys), 1000):
                client.delete(*keys[first : first + 1000])
            client.close()

    async def shim(self) -> None:
        say("shim: esbuild bundles, minified and gzipped")
        try:
            self.results["shim"] = await asyncio.to_thread(shim_sizes)
        except (BenchError, OSError) as failure:
            self.results["shim"] = {"error": {"error": str(failure)[:300]}}
        for name, figures in self.results["shim"].items():
            say(f"shim: {name}: {figures}")

    async def profile(self) -> None:
        """Runs each scenario whose target a Jatte server missed again, under py-spy."""
        plan = self.plan
        if not plan.profile:
            return
        if py_spy() is None:
            self.notes.setdefault("profile", []).append("py-spy is not installed: no profiles taken")
            return
        for kind in plan.profile:
            for scenario in (*(t.scenario for t in TARGETS), "scaleout"):
                figures = self.results.get(scenario, {}).get(kind)
                if figures is None or met(scenario, kind, self):
                    continue
                say(f"profile: {scenario} on {LABELS[kind]} under py-spy ...")
                to = self.workdir / f"profile-{scenario}-{kind}.txt"
                try:
                    if scenario == "scaleout":
                        found = await asyncio.wait_for(self._scaleout(kind, to), 600)
                    else:
                        found = await self._profiled(scenario, kind, to)
                except (BenchError, TimeoutError, OSError) as failure:
                    say(f"profile: {scenario} on {kind} failed: {failure}")
                    continue
                if found.get("profile") is None:
                    say(
                        f"profile: {scenario} on {kind}: py-spy gave no samples (see {to.with_suffix('.err')})"
                    )
                    continue
                self.profiles.setdefault(scenario, {})[kind] = found["profile"]

    async def _profiled(self, scenario: str, kind: str, to: Path) -> dict[str, Any]:
        plan = self.plan
        short = replace(
            plan,
            seconds=plan.profile_seconds,
            throughput_seconds=plan.profile_seconds,
            connections=plan.timed_open,
            history_watches=10**6,  # watch for the whole recording
        )
        server = await make_server(kind, self.workdir, self.databases, history=scenario == "history")
        try:
            if scenario == "latency":
                run = paced(
                    [server],
                    short,
                    self.workdir,
                    idle=min(plan.idle, 1000),  # fewer than measured: the profile pass must stay short
                    watchers=10,
                    watcher_processes=1,
                    rate=200,
                    profile_to=to,
                )
            elif scenario == "throughput":
                run = throughput(server, short, self.workdir, to)
            elif scenario == "fanout":
                run = paced(
                    [server],
                    short,
                    self.workdir,
                    idle=0,
                    watchers=plan.fanout_watchers,
                    watcher_processes=2,
                    rate=20,
                    profile_to=to,
                )
            elif scenario == "connections":
                run = sockets(server, short, self.workdir, latency=False, connections=True, profile_to=to)
            else:
                run = history(server, short, self.workdir, to)
            found = await asyncio.wait_for(run, 400)
            return found["connections"] if scenario == "connections" else found
        finally:
            server.stop()


def met(scenario: str, kind: str, results: Results) -> bool:
    """Whether the run met the scenario's target on that server (a failed run has not)."""
    figures = results.results.get(scenario, {}).get(kind)
    if figures is None or "error" in figures:
        return False
    if scenario == "scaleout":
        return scaleout_met(results.results.get("latency", {}).get(kind), figures)
    return all(t.check(figures) for t in TARGETS if t.scenario == scenario)


def services_problem(plan: Plan) -> str | None:
    try:
        import psycopg
        import redis
    except ImportError as missing:
        return f"{missing.name} is not installed"
    try:
        if not redis.Redis.from_url(plan.redis_url, socket_connect_timeout=2).ping():
            return f"Redis at {plan.redis_url} does not answer"
    except redis.RedisError as failure:
        return f"Redis at {plan.redis_url} is not reachable ({failure})"
    try:
        with psycopg.connect(plan.postgres_url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            pass
    except psycopg.Error as failure:
        return f"PostgreSQL at {plan.postgres_url} is not reachable ({str(failure).strip()[:100]})"
    return None


def shim_sizes() -> dict[str, dict[str, Any]]:
    esbuild = REPO / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        raise BenchError(f"{esbuild} is missing: run `tools/dev setup`")
    options = [
        "--bundle",
        "--minify",
        "--format=esm",
        "--platform=browser",
        "--target=es2022",
        "--log-level=error",
    ]
    # The repo's tsconfig maps "stream-chat" to the shim (the seed's alias): the SDK is bundled without it.
    builds = {
        "Jatte shim (libs/chat-shim/index.ts)": [
            str(esbuild),
            str(REPO / "libs" / "chat-shim" / "index.ts"),
            *options,
        ],
        f"stream-chat {package_version('stream-chat')} browser build (import {{ StreamChat }})": [
            str(esbuild),
            *options,
            "--loader=js",
            "--tsconfig-raw={}",
        ],
    }
    sizes: dict[str, dict[str, Any]] = {}
    for name, command in builds.items():
        entry = b"" if "index.ts" in command[1] else b'export { StreamChat } from "stream-chat";'
        done = subprocess.run(command, input=entry, cwd=REPO, capture_output=True, check=False)
        if done.returncode:
            raise BenchError(f"esbuild failed for {name}: {done.stderr.decode(errors='replace')[-500:]}")
        gzipped = len(gzip.compress(done.stdout, compresslevel=9, mtime=0))
        sizes[name] = {
            "minified_kib": len(done.stdout) / 1024,
            "gzip_kib": gzipped / 1024,
            "gzip_bytes": gzipped,
        }
    return sizes


def package_version(name: str) -> str:
    try:
        return str(json.loads((REPO / "node_modules" / name / "package.json").read_text())["version"])
    except (OSError, ValueError, KeyError):
        return "(not installed)"


def brief(scenario: str, f: dict[str, Any]) -> str:
    if "error" in f:
        return f"FAILED {f['error']}"
    if scenario == "latency" or scenario == "fanout":
        return (
            f"p50 {f['p50']:.2f} ms, p99 {f['p99']:.2f} ms, missing {f['missing']}, "
            f"server CPU {f['server_cpu']:.0%}, client CPU {f['client_cpu']:.0%}"
        )
    if scenario == "throughput":
        return (
            f"{f['msg_s']:.0f} msg/s, {f['deliveries_s']:.0f} deliveries/s, lost {f['lost']}, "
            f"errors {f['errors']}, server CPU {f['server_cpu']:.0%}"
        )
    if scenario == "connections":
        return (
            f"{f['sockets']} sockets, {f['timed']:,} opened in {f['open_s']:.2f} s, "
            f"{f['kib_per_socket']:.1f} KiB/socket, failed {f['failed']}"
        )
    if scenario == "history":
        return f"p50 {f['p50']:.2f} ms, p99 {f['p99']:.2f} ms over {f['watches']} watches"
    return str(f)


# --- main -----------------------------------------------------------------------------------------


def raise_open_files(needed: int) -> int:
    """Lifts this process's open-file limit to its hard limit; servers and load processes inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, needed)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def load_average() -> str:
    return f"{os.getloadavg()[0]:.2f}"


async def amain(plan: Plan, output: Path, command: str, keep: bool) -> int:
    limit = raise_open_files(plan.connections * 2 + 1000)
    if limit < plan.connections + 500:
        say(f"open-file limit is {limit}: holding {limit - 500} sockets instead of {plan.connections}")
        plan = replace(plan, connections=max(plan.timed_open, limit - 500))
    workdir = Path(tempfile.mkdtemp(prefix="jatte-bench-"))
    started, clock = datetime.now(UTC), time.monotonic()
    loads = [load_average()]
    say(
        f"jatte bench{' --quick' if plan.quick else ''}: servers {', '.join(plan.servers)}; work dir {workdir}"
    )
    say(
        f"load average now {loads[0]} on {os.cpu_count()} cores (other work on the machine makes figures noisy)"
    )
    bench = Bench(plan, workdir)
    try:
        for scenario in plan.scenarios:
            await getattr(bench, scenario)()
        await bench.profile()
    finally:
        loads.append(load_average())
        report = write_report(bench, command, started, time.monotonic() - clock, (loads[0], loads[1]))
        await asyncio.to_thread(output.write_text, report)
        say(f"wrote {output} in {(time.monotonic() - clock) / 60:.1f} min")
        if keep:
            say(f"kept {workdir} (logs, databases, raw profiles)")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    failed = [
        f"{s}/{k}"
        for s, table in bench.results.items()
        if s != "shim"
        for k, f in table.items()
        if "error" in f
    ]
    if failed:
        say(f"failed runs: {', '.join(failed)}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="a 1-2 minute run: fewer sockets, shorter windows"
    )
    parser.add_argument(
        "--only", default=",".join(SCENARIOS), help=f"scenarios, comma-separated ({','.join(SCENARIOS)})"
    )
    parser.add_argument(
        "--servers", default=",".join(SERVERS), help=f"servers, comma-separated ({','.join(SERVERS)})"
    )
    parser.add_argument(
        "--profile",
        default=None,
        help="Jatte servers to profile with py-spy where a target is missed (default: uvicorn; none in --quick)",
    )
    parser.add_argument(
        "--scaleout",
        default=None,
        help="Jatte servers to run the two-process Redis + PostgreSQL scenario on (default: uvicorn)",
    )
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="an existing database to connect to; the run creates and drops its own beside it",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the work directory (logs, databases, profiles)"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the Jatte servers, to try a setting (repeatable; shown in the report)",
    )
    args = parser.parse_args(argv)
    scenarios = tuple(s for s in args.only.split(",") if s)
    servers = tuple(s for s in args.servers.split(",") if s)
    unknown = [s for s in scenarios if s not in SCENARIOS] + [s for s in servers if s not in SERVERS]
    if unknown:
        parser.error(f"unknown scenario or server: {', '.join(unknown)}")
    bad = [pair for pair in args.env if "=" not in pair]
    if bad:
        parser.error(f"--env wants KEY=VALUE, got {', '.join(bad)}")
    JATTE_ENV.update(pair.split("=", 1) for pair in args.env)
    plan = Plan(
        quick=args.quick,
        servers=servers,
        scenarios=scenarios,
        redis_url=args.redis_url,
        postgres_url=args.postgres_url,
    )
    if args.quick:
        plan = quick_plan(plan)

    def jatte_servers(option: str, value: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
        if value is None:
            return default
        chosen = tuple(p for p in value.split(",") if p and p != "none")
        if any(p not in JATTE for p in chosen):
            parser.error(f"--{option} takes Jatte servers: {', '.join(JATTE)} (or none)")
        return chosen

    plan = replace(
        plan,
        profile=jatte_servers("profile", args.profile, plan.profile),
        scaleout=jatte_servers("scaleout", args.scaleout, plan.scaleout),
    )
    plan = replace(plan, profile=tuple(p for p in plan.profile if p in servers))
    command = "tools/dev bench" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    try:
        import uvloop  # noqa: F401  # the load processes use it; say so early if it is missing
    except ImportError:
        say("uvloop is not installed: the load processes run on asyncio's default loop")
    return asyncio.run(amain(plan, args.output, command, args.keep))


if __name__ == "__main__":
    sys.exit(main())
