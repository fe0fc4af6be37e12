"""The shared runner: a run's state, the databases its servers start from, one fresh server per measurement.

A scenario (scenarios/) measures through `Bench.each_server` and keeps its figures in
`bench.results[name][server kind]`; report.py turns them into BENCHMARKS.md.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from plan import HISTORY_CID, JATTE, JATTE_ENV, LABELS, SECRET, Plan, Results
from servers import BACKEND, BENCH, PY, TEXTBOOK, BenchError, Server, run_checked

__all__ = ["Bench", "Measure", "Scenario", "failure", "make_server", "outcome", "profile_plan", "say"]


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


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


async def make_server(
    kind: str, workdir: Path, databases: Databases, history: bool = False, extra: dict[str, str] | None = None
) -> Server:
    env = {"SUPABASE_JWT_SECRET": SECRET, **(extra or {})}
    if kind == "textbook":
        env["TEXTBOOK_DB"] = str(
            await asyncio.to_thread(databases.copy, "textbook-history" if history else "textbook")
        )
    elif kind in JATTE:
        path = await asyncio.to_thread(databases.copy, "jatte-history" if history else "jatte")
        env.update({**JATTE_ENV, "DATABASE_URL": f"sqlite:///{path}", "REDIS_URL": ""})
    return await Server.launch(kind, workdir, env)


def failure(error: BaseException) -> dict[str, Any]:
    """The figures of a run that failed: what the report shows in place of a row."""
    return {"error": f"{type(error).__name__}: {str(error)[:300]}"}


def profile_plan(plan: Plan) -> Plan:
    """The plan of a py-spy pass: short windows, the timed sockets only, history for the whole recording."""
    return replace(
        plan,
        seconds=plan.profile_seconds,
        throughput_seconds=plan.profile_seconds,
        connections=plan.timed_open,
        history_watches=10**6,  # watch for the whole recording
    )


Measure = Callable[[Server], Awaitable[dict[str, Any]]]


class Bench(Results):
    """A run: the plan, its work directory and databases, and what the scenarios found."""

    def __init__(self, plan: Plan, workdir: Path) -> None:
        super().__init__(plan)
        self.workdir = workdir
        self.databases = Databases(workdir, plan)

    @asynccontextmanager
    async def fresh_server(
        self, kind: str, history: bool = False, env: dict[str, str] | None = None
    ) -> AsyncIterator[Server]:
        """A new server of `kind` on a fresh database copy (`env` added to its environment),
        stopped on the way out."""
        server = await make_server(kind, self.workdir, self.databases, history, env)
        try:
            yield server
        finally:
            server.stop()

    async def profiled(
        self,
        kind: str,
        measure: Callable[[Server, Plan, Path, Path], Awaitable[dict[str, Any]]],
        to: Path,
        history: bool = False,
    ) -> dict[str, Any]:
        """`measure` once more on a fresh server of `kind`, on the short plan, recording a profile to `to`."""
        async with self.fresh_server(kind, history) as server:
            return await asyncio.wait_for(measure(server, profile_plan(self.plan), self.workdir, to), 400)

    async def each_server(
        self,
        scenario: str,
        measure: Measure,
        brief: Callable[[dict[str, Any]], str],
        kinds: tuple[str, ...] | None = None,
        history: bool = False,
    ) -> None:
        """Runs `measure` on a fresh server of each kind in turn; a failure is kept as that row's figures."""
        table = self.results.setdefault(scenario, {})
        for kind in kinds or self.plan.servers:
            started = time.monotonic()
            say(f"{scenario}: {LABELS[kind]} ...")
            try:
                async with self.fresh_server(kind, history) as server:
                    figures = await asyncio.wait_for(measure(server), 400)
                    if not server.alive():
                        figures["error"] = f"server died: {server.tail(5)}"
            except (BenchError, TimeoutError, OSError) as error:
                figures = failure(error)
            table[kind] = figures
            say(f"{scenario}: {LABELS[kind]}: {outcome(brief, figures)} ({time.monotonic() - started:.0f} s)")


def outcome(brief: Callable[[dict[str, Any]], str], figures: dict[str, Any]) -> str:
    """A progress line's verdict: the scenario's brief summary, or why the run failed."""
    return f"FAILED {figures['error']}" if "error" in figures else brief(figures)


@dataclass(frozen=True)
class Scenario:
    """One scenario of issue 4: how it runs on every server, and its re-run under py-spy."""

    name: str
    run: Callable[[Bench], Awaitable[None]]
    # A short re-run on one Jatte server kind, recording a py-spy profile to the path given.
    profile: Callable[[Bench, str, Path], Awaitable[dict[str, Any]]] | None = None
