"""Import: `manage.py import_stream` of a Stream import file into a fresh SQLite and a fresh
PostgreSQL database (issue 11's target: at least 20,000 messages a second for 1,000,000 messages).

The file is generated here in Stream's import format (JSON Lines, the documented fields only):
1,000 users, 1,000 channels of 5 members each with a read mark, then the messages in time order,
round-robin over the channels: 30% are thread replies to one of the channel's last 20 top-level
messages, 5% of the others quote the channel's previous one, and about half of the messages get a
reaction (after all the messages, as Stream's order has it). `--quick` imports 100,000 messages.

The figure is messages over the wall time of the whole command (users, channels, members, reactions,
and the closing passes: thread counts, reaction groups, read marks), Django's start-up excluded.
No server runs; the database and the import share the machine's cores.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import resource
import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from runner import Bench, Scenario, failure, say
from servers import (
    BACKEND,
    PY,
    BenchError,
    drop_postgres_database,
    new_postgres_database,
    postgres_problem,
    run_checked,
)

__all__ = ["SCENARIO", "TARGET", "write_file"]

TARGET = 20_000  # messages per second, issue 11
FULL, QUICK = 1_000_000, 100_000


def write_file(
    path: Path, messages: int, users: int = 1000, channels: int = 1000, members: int = 5
) -> dict[str, int]:
    """Writes the import file; returns how many records of each type it holds."""
    rnd = random.Random(11)
    start = datetime(2022, 1, 1, tzinfo=UTC)

    def at(seconds: float) -> str:
        return (start + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    counts = {
        "user": users,
        "channel": channels,
        "member": channels * members,
        "message": messages,
        "reaction": 0,
    }
    last = 10 + messages * 2
    with path.open("w") as out:

        def line(kind: str, data: dict[str, Any]) -> None:
            out.write(json.dumps({"type": kind, "data": data}, separators=(",", ":")) + "\n")

        for u in range(users):
            line("user", {"id": f"u{u}", "name": f"User {u}", "created_at": at(0)})
        for c in range(channels):
            line(
                "channel",
                {
                    "type": "messaging",
                    "id": f"c{c}",
                    "created_by": f"u{c % users}",
                    "name": f"Channel {c}",
                    "created_at": at(1),
                },
            )
        for c in range(channels):
            for k in range(members):
                user = f"u{(c + k * 7) % users}"
                line(
                    "member",
                    {
                        "channel_type": "messaging",
                        "channel_id": f"c{c}",
                        "user_id": user,
                        "created_at": at(1),
                        "last_read": at(last * 0.9),
                    },
                )
        tops: dict[int, list[str]] = {}
        reactions: list[tuple[str, str, int]] = []
        for n in range(messages):
            c = n % channels
            author = f"u{(c + (n // channels) % members * 7) % users}"
            data: dict[str, Any] = {
                "id": f"m{n}",
                "channel_type": "messaging",
                "channel_id": f"c{c}",
                "user": author,
                "text": f"message {n}: the quick brown fox jumps over the lazy dog",
                "created_at": at(10 + n * 2),
            }
            recent = tops.get(c)
            if recent and rnd.random() < 0.3:
                data["parent_id"] = rnd.choice(recent)
                data["type"] = "reply"
            else:
                if recent and rnd.random() < 0.05:
                    data["quoted_message_id"] = recent[-1]
                tops.setdefault(c, []).append(data["id"])
                del tops[c][:-20]
            line("message", data)
            if rnd.random() < 0.5:
                reactions.append((data["id"], f"u{(c + rnd.randrange(members) * 7) % users}", 11 + n * 2))
        for message_id, user, second in reactions:
            line(
                "reaction",
                {"message_id": message_id, "type": "like", "user_id": user, "created_at": at(second)},
            )
        counts["reaction"] = len(reactions)
    return counts


def _sqlite_database(bench: Bench) -> tuple[str, dict[str, str]]:
    path = bench.workdir / f"import-{uuid.uuid4().hex[:8]}.sqlite3"
    return f"sqlite:///{path}", {}


def _postgres_database(bench: Bench) -> tuple[str, dict[str, str]]:
    url, name = new_postgres_database(bench.plan.postgres_url, "jatte_import")
    return url, {"drop": name}


def _drop(bench: Bench, made: dict[str, str]) -> None:
    if "drop" in made:
        drop_postgres_database(bench.plan.postgres_url, made["drop"])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(bench: Bench, database: str, path: Path, counts: dict[str, int]) -> dict[str, Any]:
    """One import of the file into a fresh database of that kind, timed from outside."""
    url, made = (_sqlite_database if database == "sqlite" else _postgres_database)(bench)
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": ""}
    log = bench.workdir / f"import-{database}.log"
    try:
        run_checked([PY, "manage.py", "migrate", "--noinput", "-v0"], BACKEND, env, log)
        # Django's start-up, measured alone, is taken off the import's time.
        started = time.monotonic()
        run_checked([PY, "manage.py", "check", "-v0"], BACKEND, env, log)
        startup = time.monotonic() - started
        cpu, load = _children_cpu(), os.getloadavg()[0]
        started = time.monotonic()
        table = run_checked([PY, "manage.py", "import_stream", str(path)], BACKEND, env, log)
        seconds = time.monotonic() - started - startup
        cpu = _children_cpu() - cpu
        stored = _stored(url)
    finally:
        _drop(bench, made)
    imported = _imported(table)
    if imported.get("message") != counts["message"] or stored != counts["message"]:
        raise BenchError(
            f"imported {imported.get('message')} messages ({stored} stored) of {counts['message']}"
        )
    return {
        "messages": counts["message"],
        "reactions": counts["reaction"],
        "records": sum(counts.values()),
        "file_mib": path.stat().st_size / 2**20,
        "seconds": seconds,
        "msg_s": counts["message"] / seconds,
        "records_s": sum(counts.values()) / seconds,
        "import_cpu": cpu / seconds,  # the import process, in cores
        "load": load,
    }


def _imported(table: str) -> dict[str, int]:
    found = {}
    for row in table.splitlines()[1:]:
        cells = row.split()
        if len(cells) == 5 and re.fullmatch(r"[\d,]+", cells[2]):
            found[cells[0]] = int(cells[2].replace(",", ""))
    return found


def _stored(url: str) -> int:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return int(db.execute("SELECT COUNT(*) FROM chat_message").fetchone()[0])
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        row = conn.execute("SELECT COUNT(*) FROM chat_message").fetchone()
        assert row is not None
        return int(row[0])


def brief(f: dict[str, Any]) -> str:
    return f"{f['msg_s']:,.0f} messages/s ({f['messages']:,} messages, {f['seconds']:.1f} s)"


async def run(bench: Bench) -> None:
    messages = QUICK if bench.plan.quick else FULL
    path = bench.workdir / "stream-import.jsonl"
    say(f"import: writing a Stream import file of {messages:,} messages ...")
    counts = await asyncio.to_thread(write_file, path, messages)
    say(f"import: {path.stat().st_size / 2**20:,.0f} MiB, {sum(counts.values()):,} records")
    table = bench.results.setdefault("import", {})
    databases = ["sqlite"]
    problem = postgres_problem(bench.plan.postgres_url)
    if problem:
        bench.notes.setdefault("import", []).append(f"PostgreSQL not run: {problem}")
    else:
        databases.append("postgres")
    for database in databases:
        say(f"import: into {database} ...")
        try:
            figures = await asyncio.to_thread(measure, bench, database, path, counts)
        except (BenchError, OSError) as error:
            figures = failure(error)
        table[database] = figures
        say(f"import: {database}: {brief(figures) if 'error' not in figures else figures['error']}")
    path.unlink(missing_ok=True)


SCENARIO = Scenario("import", run)
