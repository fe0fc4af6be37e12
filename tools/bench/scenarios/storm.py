"""Reconnect storm (issue 12): N users, each in 3 channels with history and unread state, connected
through the real shim (in Node), lose the server to SIGKILL; it restarts on the same port; every
client reconnects with the shim's own backoff and re-watches its channels.

Measured: seconds from the restarted server accepting connections to the last client back and
caught up (connection.recovered: every channel re-watched from its newest message), acknowledged
messages lost (0 is the only good figure), and the server's RSS at its peak during the storm
against the old process's with every client connected and idle. The orchestration is
backend/tests/storm.py, which the reduced test (backend/tests/test_storm.py) shares.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from clients import token
from plan import JATTE, JATTE_ENV, LABELS, SECRET
from profiles import record
from runner import Bench, Scenario, failure, outcome, say
from servers import BACKEND, BENCH, PY, BenchError, Server, run_checked
from tests.storm import check, run_storm, stored_messages  # backend/ is on the path (servers.py)

__all__ = ["SCENARIO"]

HISTORY = 20  # messages seeded in each channel
PROFILE_SECONDS = 15  # py-spy beside the storm, from the restart on (non-blocking: it costs ~1% CPU)


async def measure(bench: Bench, kind: str) -> dict[str, Any]:
    users = bench.plan.storm_users
    database = bench.workdir / f"storm-{kind}-{time.monotonic_ns()}.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "REDIS_URL": ""}
    log = bench.workdir / "setup.log"
    await asyncio.to_thread(run_checked, [PY, "manage.py", "migrate", "--noinput", "-v0"], BACKEND, env, log)
    seed = [PY, str(BENCH / "seed_storm.py"), f'{{"users": {users}, "history": {HISTORY}}}']
    await asyncio.to_thread(run_checked, seed, BACKEND, env, log)
    server_env = {
        "SUPABASE_JWT_SECRET": SECRET,
        **JATTE_ENV,
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "",
    }
    server = await Server.launch(kind, bench.workdir, server_env)
    to = bench.workdir / f"profile-storm-{kind}.txt"
    profiled = kind in bench.plan.profile
    try:
        found = await run_storm(
            server,
            ws_url=server.url,
            users=users,
            mint=lambda user: token(SECRET, user),
            workdir=bench.workdir,
            processes=bench.plan.storm_processes,
            within=120,
            observe=(lambda pid: record(pid, PROFILE_SECONDS, to)) if profiled else None,
        )
        if not server.alive():
            raise BenchError(f"server died: {server.tail(5)}")
    finally:
        server.stop()
    clients = found.pop("clients")
    profile = found.pop("observed")
    if profile is not None:
        bench.profiles.setdefault("storm", {})[kind] = profile
    problems = check(clients, stored_messages(database))
    found["lost"] = len(problems.get("lost", []))
    found["doubled"] = len(problems.get("doubled", [])) + len(problems.get("stored_twice", []))
    found["problems"] = {name: found[:3] for name, found in problems.items()}
    return found


def brief(f: dict[str, Any]) -> str:
    back = f"{f['all_back_s']:.1f} s" if f["all_back_s"] is not None else f"only {f['back']:,} back"
    return (
        f"{f['users']:,} users: all back in {back} (p50 {f['back_p50_s'] or 0:.1f} s), lost {f['lost']}, "
        f"doubled {f['doubled']}, RSS {f['steady_rss_mib']:.0f} -> peak {f['peak_rss_mib']:.0f} MiB, "
        f"{f['refusals']} told to retry later"
    )


async def run(bench: Bench) -> None:
    say(f"storm: {bench.plan.storm_users:,} shim clients, SIGKILL, restart, all reconnect")
    table = bench.results.setdefault("storm", {})
    for kind in [k for k in bench.plan.servers if k in JATTE]:
        started = time.monotonic()
        say(f"storm: {LABELS[kind]} ...")
        try:
            table[kind] = await asyncio.wait_for(measure(bench, kind), 900)
        except (BenchError, AssertionError, TimeoutError, OSError) as error:
            table[kind] = failure(error)
        say(f"storm: {LABELS[kind]}: {outcome(brief, table[kind])} ({time.monotonic() - started:.0f} s)")


SCENARIO = Scenario("storm", run)
