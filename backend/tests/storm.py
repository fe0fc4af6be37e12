"""The reconnect storm (issue 12): many real shim clients lose their server to SIGKILL and come back.

Shared by backend/tests/test_storm.py (500 users, correctness only) and the bench's storm scenario
(tools/bench/scenarios/storm.py, 5,000 users, timed), so it uses the standard library only (the
bench imports it with backend/ on its path). The clients are libs/chat-shim/tests/live/storm.live.ts,
a slice of the users per Node process; the users and their channels are seeded by
tools/bench/seed_storm.py before the server starts.

`run_storm`: every client connects and watches its 3 channels; each sends a message and waits for
the ack, then each sends another and the server is SIGKILLed at once (those are in flight); the
server restarts on the same port; every client reconnects with the shim's backoff, re-watches and
resends. The result says when the server accepted connections again, when each client was back
and caught up, what each holds, and what the database stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from jatte.processes import ChildServer, listening

__all__ = ["Crowd", "check", "run_storm", "seed", "stored_messages"]

BACKEND = Path(__file__).resolve().parent.parent
REPO = BACKEND.parent
TSX = REPO / "node_modules" / ".bin" / "tsx"
DRIVER = REPO / "libs" / "chat-shim" / "tests" / "live" / "storm.live.ts"
SEED = REPO / "tools" / "bench" / "seed_storm.py"
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def seed(env: dict[str, str], users: int, history: int) -> None:
    """Seeds the migrated database `env` names (DATABASE_URL) with the storm's users and channels."""
    options = json.dumps({"users": users, "history": history})
    subprocess.run(
        [sys.executable, str(SEED), options], cwd=BACKEND, env=env, check=True, capture_output=True
    )


def channels_of(user: int, users: int) -> list[str]:
    """The cids of `storm<user>`'s channels (seed_storm.channels_of)."""
    count = users * 3 // 10
    return [f"messaging:storm-{(user + j * users) % count}" for j in range(3)]


class Crowd:
    """The clients, a slice of the users per Node process, each process read one JSON line at a time."""

    def __init__(self, processes: list[asyncio.subprocess.Process], logs: list[Path]) -> None:
        self.processes = processes
        self.logs = logs

    @classmethod
    async def start(
        cls,
        ws_url: str,
        users: int,
        mint: Callable[[str], str],
        workdir: Path,
        processes: int = 1,
        parallel: int = 100,
    ) -> Crowd:
        started, logs = [], []
        for n in range(processes):
            mine = [
                {"id": f"storm{u}", "token": mint(f"storm{u}"), "cids": channels_of(u, users)}
                for u in range(n, users, processes)
            ]
            path = workdir / f"storm-users-{n}.json"
            path.write_text(json.dumps(mine))
            log = workdir / f"storm-driver-{n}.stderr"
            env = {
                **os.environ,
                "JATTE_WS_URL": ws_url,
                "STORM_USERS": str(path),
                "STORM_PARALLEL": str(parallel),
            }
            with log.open("wb") as err:
                started.append(
                    await asyncio.create_subprocess_exec(
                        str(TSX),
                        str(DRIVER),
                        cwd=REPO,
                        env=env,
                        stdin=asyncio.subprocess.PIPE,
                        stdout=asyncio.subprocess.PIPE,
                        stderr=err,
                        limit=1 << 28,  # the report lists every message each client holds
                    )
                )
            logs.append(log)
        return cls(started, logs)

    async def expect(self, event: str, within: float) -> list[dict[str, Any]]:
        """Each process's next `event`; fails on a crash, an early exit or the timeout."""

        async def one(n: int, process: asyncio.subprocess.Process) -> dict[str, Any]:
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), within)
            if not line:
                await process.wait()
                raise AssertionError(
                    f"storm driver {n} exited with {process.returncode} before {event!r}:\n"
                    + self.logs[n].read_text(errors="replace")[-3000:]
                )
            found: dict[str, Any] = json.loads(line)
            assert found["event"] != "crashed", found["error"]
            assert found["event"] == event, f"storm driver {n}: {found['event']!r}, not {event!r}"
            return found

        return list(await asyncio.gather(*(one(n, p) for n, p in enumerate(self.processes))))

    async def command(
        self, command: dict[str, Any], answer: str, within: float = 120
    ) -> list[dict[str, Any]]:
        for process in self.processes:
            assert process.stdin is not None
            process.stdin.write((json.dumps(command) + "\n").encode())
            await process.stdin.drain()
        return await self.expect(answer, within)

    async def stop(self) -> None:
        for process in self.processes:
            if process.returncode is None:
                process.kill()
            await process.wait()


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_KIB


async def restart(server: ChildServer) -> float:
    """Starts `server` again (no migration: the database is the one it had) and returns the epoch
    time its port first accepted a connection."""
    starting = asyncio.create_task(asyncio.to_thread(ChildServer.start, server, 60))
    while not starting.done():
        if await asyncio.to_thread(listening, server.port):
            accepted = time.time()
            await starting
            return accepted
        await asyncio.sleep(0.005)
    await starting
    return time.time()


async def _peak_rss(server: ChildServer, peak: list[int]) -> None:
    with contextlib.suppress(OSError, AssertionError):
        while True:
            peak[0] = max(peak[0], rss_kib(server.pid))
            await asyncio.sleep(0.05)


def stored_messages(database: Path) -> dict[str, list[str]]:
    """Each storm channel's message ids as the database holds them, in the server's order."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        rows = db.execute(
            "SELECT c.cid, m.message_id FROM chat_message m JOIN chat_channel c ON c.id = m.channel_id"
            " WHERE c.cid LIKE 'messaging:storm-%' ORDER BY m.seq"
        ).fetchall()
    stored: dict[str, list[str]] = {}
    for cid, message_id in rows:
        stored.setdefault(cid, []).append(message_id)
    return stored


async def run_storm(
    server: ChildServer,
    *,
    ws_url: str,
    users: int,
    mint: Callable[[str], str],
    workdir: Path,
    processes: int = 1,
    within: float = 60,
    observe: Callable[[int], Coroutine[Any, Any, Any]] | None = None,
) -> dict[str, Any]:
    """The storm on a running, seeded `server`; its figures and every client's report. `observe`
    runs beside the storm from the restart on, given the new process's pid (the bench's py-spy);
    what it returns is `observed`."""
    crowd = await Crowd.start(ws_url, users, mint, workdir, processes)
    try:
        ready = await crowd.expect("ready", 600)
        await crowd.command({"cmd": "send", "tag": "before", "wait": True}, "sent")
        await asyncio.sleep(1)
        steady_kib = rss_kib(server.pid)
        await crowd.command({"cmd": "send", "tag": "inflight", "wait": False}, "sending")
        server.stop(kill=True)
        killed = time.time()
        accepted = await restart(server)
        peak = [rss_kib(server.pid)]
        sampling = asyncio.create_task(_peak_rss(server, peak))
        observing = asyncio.create_task(observe(server.pid)) if observe else None
        reports = await crowd.command({"cmd": "report", "within_ms": int(within * 1000)}, "done", within + 60)
        sampling.cancel()
        observed = await observing if observing else None
        settled_kib = rss_kib(server.pid)
    finally:
        await crowd.stop()
    clients = [client for report in reports for client in report["clients"]]
    back = [client["recovered_at"] / 1000 - accepted for client in clients if client["recovered_at"]]
    return {
        "users": users,
        "open_s": max(r["seconds"] for r in ready),
        "down_s": accepted - killed,
        "all_back_s": max(back) if len(back) == len(clients) else None,
        "back_p50_s": statistics.median(back) if back else None,
        "back": len(back),
        "refusals": sum(r["refusals"] for r in reports),
        "steady_rss_mib": steady_kib / 1024,
        "peak_rss_mib": peak[0] / 1024,
        "settled_rss_mib": settled_kib / 1024,
        "clients": clients,
        "observed": observed,
    }


def check(clients: list[dict[str, Any]], stored: dict[str, list[str]]) -> dict[str, Any]:
    """What went wrong: clients not back, sends not acked, messages lost or doubled (empty lists
    when nothing did)."""
    everything = [message_id for ids in stored.values() for message_id in ids]
    in_db = set(everything)
    problems: dict[str, list[Any]] = {
        "not_back": [],
        "failed": [],
        "unacked": [],
        "lost": [],
        "doubled": [],
        "stored_twice": [m for m, n in Counter(everything).items() if n > 1],
    }
    acked = {m for client in clients for m in client["acked"]}
    problems["unasked"] = [m for m in in_db if m.startswith(("before-", "inflight-")) and m not in acked]
    back = {c["id"] for c in clients if c["outages"] >= 1 and c["recoveries"] >= c["outages"]}
    problems["not_back"] = [c["id"] for c in clients if c["id"] not in back]
    for client in clients:
        problems["failed"] += client["failed"]
        if sorted(client["acked"]) != sorted(client["sent"]):
            problems["unacked"].append((client["id"], sorted(set(client["sent"]) - set(client["acked"]))))
        problems["lost"] += [(client["id"], m) for m in client["acked"] if m not in in_db]
        # What each client holds is compared with what is stored only once every client is back:
        # before that, members still resending when the run stops store messages after it looked.
        if problems["not_back"]:
            continue
        for cid, held in client["held"].items():
            problems["doubled"] += [(client["id"], cid, m) for m, n in Counter(held).items() if n > 1]
            holds = set(held)
            problems["unknown"] = problems.get("unknown", []) + [(client["id"], m) for m in holds - in_db]
            # Every stored message of the channel's latest page (all of it, in the storm) is held.
            problems["lost"] += [(client["id"], cid, m) for m in stored.get(cid, [])[-50:] if m not in holds]
    return {name: found for name, found in problems.items() if found}
