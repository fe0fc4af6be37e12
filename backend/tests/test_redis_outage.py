"""A Redis outage wedges nothing and loses nothing (issue 14).

Redis is the test's own `redis-server`, SIGKILLed mid-run and started again on the same port. Each
hub stops waiting on it at once (every call bounded), keeps delivering inside its process, and
once Redis is back has every process catch its watchers up from the database. End to end: two
backend processes on PostgreSQL with the real shim on each, 300 messages, Redis gone for 3 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from chat.fanout import REDIS_TIMEOUT, RedisHub

from .live_shim import assert_nothing_lost, driving
from .servers import BackendProcess
from .services_for_tests import RedisServer, fresh_postgres

UNLIMITED = {"JATTE_RATE_LIMIT_PER_MINUTE": "1000000", "JATTE_RATE_LIMIT_BURST": "1000000"}
OUTAGE = 3.0  # seconds Redis stays dead


class Socket:
    def __init__(self) -> None:
        self.connection_id = uuid.uuid4().hex
        self.received: list[str] = []

    def deliver(self, text: str) -> None:
        self.received.append(text)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis.log").start()
    yield server
    server.stop()


async def _until(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        await asyncio.sleep(0.05)


async def test_redis_hub_publishes_without_waiting_while_redis_is_dead_and_catches_up_after(
    redis_server: RedisServer,
) -> None:
    """Dead Redis: publishes return within the bound and reach local sockets; back: every hub resyncs."""
    asked: list[tuple[str, list[str], float]] = []

    def catch_up_for(name: str):  # type: ignore[no-untyped-def]
        async def catch_up(groups: list[str], since: float) -> dict[str, list[str]]:
            asked.append((name, groups, since))
            return {group: [f"replayed to {name}"] for group in groups}

        return catch_up

    first = RedisHub(redis_server.url, catch_up=catch_up_for("first"))
    second = RedisHub(redis_server.url, catch_up=catch_up_for("second"))
    here, there = Socket(), Socket()
    try:
        await first.join("chat.channel.1", here)
        assert await second.join("chat.channel.1", there) == 2
        await first.publish("chat.channel.1", "before")
        await _until(lambda: there.received == ["before"], 5)
        assert there.received == ["before"]

        killed_at = time.time()
        redis_server.kill()
        started = time.monotonic()
        for n in range(20):
            await first.publish("chat.channel.1", f"during {n}")
        # One publish may wait out the bound; after it the hub knows Redis is down and waits no more.
        assert time.monotonic() - started < REDIS_TIMEOUT + 1.5
        assert first.down
        assert here.received[-20:] == [f"during {n}" for n in range(20)]
        assert "during 0" not in there.received  # the other process could not get it
        assert await first.watcher_count("chat.channel.1") == 1  # counted locally meanwhile

        await asyncio.sleep(OUTAGE)
        redis_server.start()
        await _until(
            lambda: len({name for name, _, _ in asked}) == 2 and not first.down and not second.down, 15
        )
        assert {name for name, _, _ in asked} == {"first", "second"}
        assert all(groups == ["chat.channel.1"] for _, groups, _ in asked)
        assert all(since <= killed_at for _, _, since in asked), "the replay starts after the outage did"
        assert "replayed to second" in there.received and "replayed to first" in here.received

        await first.publish("chat.channel.1", "after")  # through Redis again, to the other process
        await _until(lambda: "after" in there.received and "after" in here.received, 5)
        assert there.received.count("after") == 1 and here.received.count("after") == 1
        assert await second.watcher_count("chat.channel.1") == 2
    finally:
        for hub in (first, second):
            await hub.close()


@dataclass
class Cluster:
    a: BackendProcess
    b: BackendProcess
    redis: RedisServer
    database_url: str

    def stored(self, cid: str) -> list[str]:
        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://", 1)) as conn:
            rows = conn.execute(
                "SELECT m.message_id FROM chat_message m JOIN chat_channel c ON c.id = m.channel_id"
                " WHERE c.cid = %s ORDER BY m.seq",
                [cid],
            ).fetchall()
        return [row[0] for row in rows]


@pytest.fixture
async def cluster(tmp_path: Path, redis_server: RedisServer) -> AsyncIterator[Cluster]:
    with fresh_postgres() as url:
        env = {"DATABASE_URL": url, "REDIS_URL": redis_server.url, **UNLIMITED}
        a = BackendProcess(env, tmp_path / "a.log", server="uvicorn")
        b = BackendProcess(env, tmp_path / "b.log", server="uvicorn")
        try:
            await asyncio.to_thread(a.start)
            await asyncio.to_thread(b.start)
            yield Cluster(a, b, redis_server, url)
        finally:
            for process in (a, b):
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(process.stop)


@pytest.mark.postgres
async def test_redis_sigkill_mid_exchange_between_two_processes_loses_and_doubles_nothing(
    cluster: Cluster, tmp_path: Path
) -> None:
    """Alice on one process, bob on the other, 300 sends; Redis dies for 3 s in the middle."""
    cid, per_client = f"messaging:outage{uuid.uuid4().hex[:6]}", 150
    extra = {"BOB_WS_URL": cluster.b.ws_url}
    async with driving(cluster.a.ws_url, tmp_path, cid, per_client, extra) as driver:
        await driver.until(lambda e: e["event"] == "acked" and e["n"] >= 100)
        cluster.redis.kill()
        await asyncio.sleep(OUTAGE)
        await asyncio.to_thread(cluster.redis.start)
        back = time.monotonic()
        clients = await driver.finish()
        took = time.monotonic() - back
    print(f"after Redis came back, both clients held all {2 * per_client} messages within {took:.1f} s")
    # Nobody's socket had to drop: the sends were answered throughout and the gap was replayed.
    for process in (cluster.a, cluster.b):
        assert "fan-out: Redis is back" in process.log.read_text(), f"{process.log.name}: no recovery"
    # Two processes stamp created_at each by its own clock: order is each sender's, as on Stream.
    assert_nothing_lost(
        clients, cluster.stored(cid), per_client, expect_resent=False, expect_outage=False, server_order=False
    )
