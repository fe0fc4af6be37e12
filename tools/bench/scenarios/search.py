"""Search: client.search over 1,000,000 messages on SQLite and on PostgreSQL (issue 10: p50 ≤ 20 ms).

Each database is migrated and seeded (seed_search.py: 1,000 channels, the messages round-robin over
them, words drawn from a 20,000-word vocabulary by Zipf's law); then one Jatte server (uvicorn)
serves it and one socket sends `messages.search` frames one at a time, timing each from send to
answer. The searcher is a member of 500 channels (Stream's most a search looks in: half of the
messages) and filters by membership, as an app's search box does. Three query kinds, each timed:

- `word`: one word of rank 100 to 20,000 (most searches: a name, a term, something said once);
- `two words`: two such words, both required (most such pairs are in no message: the index alone);
- `common word`: one of the 10 most used words (in 5 to 30% of the messages: the worst case, where
  the newest 2,000 matches are ranked, chat.services.search.CANDIDATES).

`--quick` seeds 100,000 messages.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
import uuid
from typing import Any

from clients import CONNECT_OPTIONS, token
from plan import JATTE_ENV, SECRET
from runner import Bench, Scenario, failure, say
from servers import (
    BACKEND,
    BENCH,
    PY,
    BenchError,
    Server,
    drop_postgres_database,
    new_postgres_database,
    postgres_problem,
    run_checked,
)
from traffic import percentile
from websockets.asyncio.client import connect

__all__ = ["SCENARIO", "TARGET_MS"]

TARGET_MS = 20.0  # p50, issue 10
FULL, QUICK = 1_000_000, 100_000
CHANNELS, MEMBER_OF = 1000, 500
SEARCHES = 200  # per query kind
KINDS = ("word", "two words", "common word")


def _queries(words: list[str], kind: str, count: int) -> list[str]:
    rnd = random.Random(f"{kind}-10")
    if kind == "common word":
        return [rnd.choice(words[:10]) for _ in range(count)]
    picks = 2 if kind == "two words" else 1
    return [" ".join(rnd.choice(words[100:]) for _ in range(picks)) for _ in range(count)]


async def _timed(server: Server, queries: list[str]) -> dict[str, Any]:
    """Sends each search in turn on one socket; the round trips in ms, and the hits per search."""
    latencies: list[float] = []
    hits: list[int] = []
    url = f"{server.url}?token={token(SECRET, 'searcher')}"
    async with connect(url, **CONNECT_OPTIONS) as socket:
        hello = json.loads(await socket.recv())
        if hello.get("type") != "health.check":
            raise BenchError(f"the server did not greet the searcher: {hello}")
        mine = {"members": {"$in": ["searcher"]}}
        for n, query in enumerate(queries):
            frame = {"type": "messages.search", "request_id": f"s{n}", "filter_conditions": mine}
            frame.update(query=query, limit=20)
            started = time.perf_counter()
            await socket.send(json.dumps(frame))
            while True:
                answer = json.loads(await socket.recv())
                if answer.get("request_id") == f"s{n}":
                    break
            latencies.append((time.perf_counter() - started) * 1000)
            if answer.get("type") != "search.results":
                raise BenchError(f"search {query!r} was answered {str(answer)[:300]}")
            hits.append(len(answer["results"]))
    return {
        "p50": percentile(latencies, 0.5),
        "p90": percentile(latencies, 0.9),
        "p99": percentile(latencies, 0.99),
        "searches": len(latencies),
        "hits": sum(hits) / max(len(hits), 1),
    }


def _database(bench: Bench, kind: str) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite:///{bench.workdir / f'search-{uuid.uuid4().hex[:8]}.sqlite3'}", None
    return new_postgres_database(bench.plan.postgres_url, "jatte_search")


def _drop(bench: Bench, name: str | None) -> None:
    if name is not None:
        drop_postgres_database(bench.plan.postgres_url, name)


async def measure(bench: Bench, database: str, messages: int) -> dict[str, Any]:
    """Seeds a fresh database of that kind, then times each query kind on a server over it."""
    url, made = await asyncio.to_thread(_database, bench, database)
    env = {**os.environ, **JATTE_ENV, "DATABASE_URL": url, "REDIS_URL": "", "SUPABASE_JWT_SECRET": SECRET}
    log = bench.workdir / f"search-{database}.log"
    try:
        await asyncio.to_thread(
            run_checked, [PY, "manage.py", "migrate", "--noinput", "-v0"], BACKEND, env, log
        )
        options = json.dumps({"messages": messages, "channels": CHANNELS, "member_of": MEMBER_OF})
        seeded = json.loads(
            await asyncio.to_thread(
                run_checked, [PY, str(BENCH / "seed_search.py"), options], BACKEND, env, log
            )
        )
        say(
            f"search: {database} seeded in {seeded['seconds']:.0f} s (index built in {seeded['index_seconds']:.0f} s)"
        )
        server = await Server.launch("uvicorn", bench.workdir, env)
        try:
            await _timed(server, _queries(seeded["words"], "word", 20))  # warm the caches
            figures: dict[str, Any] = {"messages": messages, "seed_s": seeded["seconds"]}
            for kind in KINDS:
                figures[kind] = await _timed(server, _queries(seeded["words"], kind, SEARCHES))
            if not server.alive():
                raise BenchError(f"server died: {server.tail(5)}")
        finally:
            server.stop()
    finally:
        await asyncio.to_thread(_drop, bench, made)
    return figures


def brief(f: dict[str, Any]) -> str:
    return ", ".join(f"{kind} p50 {f[kind]['p50']:.1f} ms (p99 {f[kind]['p99']:.1f})" for kind in KINDS)


async def run(bench: Bench) -> None:
    messages = QUICK if bench.plan.quick else FULL
    table = bench.results.setdefault("search", {})
    databases = ["sqlite"]
    problem = postgres_problem(bench.plan.postgres_url)
    if problem:
        bench.notes.setdefault("search", []).append(f"PostgreSQL not run: {problem}")
    else:
        databases.append("postgres")
    for database in databases:
        say(f"search: {messages:,} messages on {database} ...")
        try:
            figures = await measure(bench, database, messages)
        except (BenchError, OSError, TimeoutError) as error:
            figures = failure(error)
        table[database] = figures
        say(f"search: {database}: {brief(figures) if 'error' not in figures else figures['error']}")


SCENARIO = Scenario("search", run)
