"""Two processes on Redis + PostgreSQL: the latency scenario with users split across them.

Needs the Redis and PostgreSQL servers of --redis-url / --postgres-url; without them it is noted
as not run. The run creates and drops its own database beside the one named.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from plan import HOT_CID, JATTE_ENV, LABELS, SECRET, Plan
from runner import Bench, Scenario, failure, outcome, say
from servers import BACKEND, BENCH, PY, BenchError, Server, run_checked
from traffic import Load, paced, paced_brief

__all__ = ["SCENARIO"]


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


async def measure(bench: Bench, kind: str, profile_to: Path | None = None) -> dict[str, Any]:
    """Two servers of `kind` on one fresh PostgreSQL database and Redis, the latency scenario across them."""
    import psycopg
    import redis

    plan = bench.plan
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
        log = bench.workdir / "setup.log"
        await asyncio.to_thread(
            run_checked, [PY, "manage.py", "migrate", "--noinput", "-v0"], BACKEND, full_env, log
        )
        seed = {"idle": plan.idle + 100, "id_offset": offset}
        await asyncio.to_thread(
            run_checked, [PY, str(BENCH / "seed.py"), json.dumps(seed)], BACKEND, full_env, log
        )
        launched = await asyncio.gather(
            *(Server.launch(kind, bench.workdir, env) for _ in range(2)), return_exceptions=True
        )
        servers = [s for s in launched if isinstance(s, Server)]  # stopped below, even if one failed
        for result in launched:
            if isinstance(result, BaseException):
                raise result
        short = replace(plan, seconds=plan.profile_seconds) if profile_to else plan
        load = Load(watchers=10, processes=2, rate=200)
        figures = await paced(servers, short, bench.workdir, load, idle=plan.idle, profile_to=profile_to)
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


async def run(bench: Bench) -> None:
    plan = bench.plan
    table = bench.results.setdefault("scaleout", {})
    problem = services_problem(plan)
    if problem:
        say(f"scaleout: skipped, {problem}")
        bench.notes.setdefault("scaleout", []).append(f"not run: {problem}")
        return
    for kind in (k for k in plan.scaleout if k in plan.servers):
        say(f"scaleout: two {LABELS[kind]} processes on Redis + PostgreSQL, latency scenario ...")
        started = time.monotonic()
        try:
            figures = await asyncio.wait_for(measure(bench, kind), 600)
        except (BenchError, TimeoutError, OSError) as error:
            figures = failure(error)
        table[kind] = figures
        say(f"scaleout: {LABELS[kind]}: {outcome(paced_brief, figures)} ({time.monotonic() - started:.0f} s)")


async def profile(bench: Bench, kind: str, to: Path) -> dict[str, Any]:
    return await asyncio.wait_for(measure(bench, kind, to), 600)


SCENARIO = Scenario("scaleout", run, profile)
