"""Channel list: one user in 1,000 channels, 30 returned, 10,000 messages each (issue 9: channels.query
p50 ≤ 10 ms, unread.get p50 ≤ 5 ms, on SQLite and PostgreSQL, with the SQL statements per call).

The database (tools/bench/seed_lists.py): 10 users, each a member of all 1,000 channels; the
messages written inside the database by one INSERT ... SELECT; every member's read mark 0 to 19
messages before each channel's end. One socket of `l0` on a fresh Jatte (uvicorn) process asks, one
request at a time, for its first 30 channels newest first with 25 messages each (the shim's
queryChannels: state and watch on), then the same page with each channel's last message only (what
a channel list shows), then for its unread counts. The statements per call are
counted in-process (Django's query capture), where the p50 without the socket is taken too, and each
statement's plan (EXPLAIN) says which index serves it.
`--quick` seeds 1,000 messages a channel.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path
from typing import Any

from plan import JATTE, JATTE_ENV, SECRET
from runner import Bench, Scenario, failure, say
from servers import (
    BACKEND,
    BENCH,
    PY,
    BenchError,
    Server,
    Worker,
    drop_postgres_database,
    new_postgres_database,
    postgres_problem,
    run_checked,
)
from traffic import percentile

__all__ = ["SCENARIO", "TARGETS"]

TARGETS = {"channels.query": 10.0, "unread.get": 5.0}  # p50 ms, issue 9
FULL = {"channels": 1000, "messages": 10_000, "members": 10}
QUICK = {**FULL, "messages": 1000}
CALLS = {"full": 200, "quick": 50}


def _database(bench: Bench, database: str) -> tuple[str, str | None]:
    """A fresh database of that kind: its URL, and the PostgreSQL database to drop afterwards."""
    if database == "sqlite":
        return f"sqlite:///{bench.workdir / f'lists-{uuid.uuid4().hex[:8]}.sqlite3'}", None
    return new_postgres_database(bench.plan.postgres_url, "jatte_lists")


def _drop(bench: Bench, name: str | None) -> None:
    if name is not None:
        drop_postgres_database(bench.plan.postgres_url, name)


def _prepare(bench: Bench, url: str, shape: dict[str, int], log: Path) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": ""}
    run_checked([PY, "manage.py", "migrate", "--noinput", "-v0"], BACKEND, env, log)
    seeded: dict[str, Any] = json.loads(
        run_checked([PY, str(BENCH / "seed_lists.py"), "seed", json.dumps(shape)], BACKEND, env, log)
        .strip()
        .splitlines()[-1]
    )
    calls = CALLS["quick" if bench.plan.quick else "full"]
    counted: dict[str, Any] = json.loads(
        run_checked(
            [PY, str(BENCH / "seed_lists.py"), "count", json.dumps({"calls": calls})], BACKEND, env, log
        )
        .strip()
        .splitlines()[-1]
    )
    return {"seed": seeded, **counted}


async def measure(bench: Bench, database: str, kind: str) -> dict[str, Any]:
    shape = QUICK if bench.plan.quick else FULL
    url, made = await asyncio.to_thread(_database, bench, database)
    log = bench.workdir / f"lists-{database}.log"
    try:
        figures = await asyncio.to_thread(_prepare, bench, url, shape, log)
        from seed_lists import PREVIEW, QUERY

        env = {"SUPABASE_JWT_SECRET": SECRET, **JATTE_ENV, "DATABASE_URL": url, "REDIS_URL": ""}
        server = await Server.launch(kind, bench.workdir, env)
        try:
            spec = {
                "role": "lists",
                "url": server.url,
                "secret": SECRET,
                "user": "l0",
                "requests": [
                    ["channels.query", {"type": "channels.query", **QUERY}, "channels.state"],
                    ["channels.query, last message", {"type": "channels.query", **PREVIEW}, "channels.state"],
                    ["unread.get", {"type": "unread.get"}, "unread.counts"],
                ],
                "count": CALLS["quick" if bench.plan.quick else "full"],
            }
            worker = await Worker.start("lists", spec, bench.workdir)
            try:
                done = await worker.expect("done", within=300)
            finally:
                await worker.stop()
        finally:
            server.stop()
    finally:
        await asyncio.to_thread(_drop, bench, made)
    if done["sizes"].get("channels.query channels") != 30:
        raise BenchError(
            f"channels.query returned {done['sizes'].get('channels.query channels')} channels, not 30"
        )
    for name, latencies in done["latencies"].items():
        figures[name] = {
            "p50": percentile(latencies, 0.5),
            "p99": percentile(latencies, 0.99),
            "n": len(latencies),
        }
    return {**figures, "shape": shape, "server": kind, "answer_bytes": done["sizes"]}


def plans_note(database: str, f: dict[str, Any]) -> str:
    """Which index serves each statement of the two calls, as this database's planner chose on the
    seeded data (EXPLAIN; a table of 10 users or no bans may be scanned whole, as cheaper)."""
    lines = [f"Plans on {database} (EXPLAIN of each statement, in the order a call runs them):"]
    for label, key in (("channels.query", "channels_query_plans"), ("unread.get", "unread_get_plans")):
        for n, plan in enumerate(f.get(key, []), 1):
            lines.append(f"  - {label} {n}, {' + '.join(plan['tables'])}: {'; '.join(plan['steps'])}")
    return "\n".join(lines)


def brief(f: dict[str, Any]) -> str:
    query, preview, unread = f["channels.query"], f["channels.query, last message"], f["unread.get"]
    return (
        f"channels.query p50 {query['p50']:.2f} ms ({f['channels_query_sql']} statements), "
        f"with the last message only {preview['p50']:.2f} ms, "
        f"unread.get p50 {unread['p50']:.2f} ms ({f['unread_get_sql']} statement(s))"
    )


async def run(bench: Bench) -> None:
    shape = QUICK if bench.plan.quick else FULL
    kinds = [k for k in bench.plan.servers if k in JATTE]
    kind = "uvicorn" if "uvicorn" in kinds else (kinds[0] if kinds else "uvicorn")
    say(
        f"lists: one user in {shape['channels']:,} channels of {shape['messages']:,} messages, "
        f"{shape['members']} members each, on Jatte ({kind})"
    )
    table = bench.results.setdefault("lists", {})
    databases = ["sqlite"]
    problem = postgres_problem(bench.plan.postgres_url)
    if problem:
        bench.notes.setdefault("lists", []).append(f"PostgreSQL not run: {problem}")
    else:
        databases.append("postgres")
    for database in databases:
        say(f"lists: {database} (seeding {shape['channels'] * shape['messages']:,} messages) ...")
        try:
            figures = await asyncio.wait_for(measure(bench, database, kind), 1800)
        except (BenchError, OSError, TimeoutError) as error:
            figures = failure(error)
        table[database] = figures
        if "error" not in figures:
            bench.notes.setdefault("lists", []).append(plans_note(database, figures))
        say(f"lists: {database}: {brief(figures) if 'error' not in figures else figures['error']}")


SCENARIO = Scenario("lists", run)
