"""Processes sharing one Redis enforce one set of limits and keep honest counts (issue 14).

Real uvicorn processes on a fresh PostgreSQL database and the test's own `redis-server`: a user's
rate limit and socket cap hold across processes, a crashed process's watchers stop counting
within JATTE_REDIS_TTL, two deployments on one Redis (two prefixes) never see each other's events,
and a user deactivated by an operator loses every socket, on every process, within a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import websockets

from chat.auth import mint_token

from .peers import Peer, connect_peer, until, watch
from .servers import BackendProcess
from .services_for_tests import RedisServer, fresh_postgres

pytestmark = pytest.mark.postgres

TTL = 2.0  # JATTE_REDIS_TTL of these processes: a crashed one stops counting after this long


@dataclass
class Pair:
    a: BackendProcess
    b: BackendProcess
    database_url: str


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis") / "redis.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, redis_server: RedisServer) -> Iterator[Pair]:
    """Two processes with Stream's default limits (60 frames a minute, 50 sockets a user)."""
    logs = tmp_path_factory.mktemp("pair")
    with fresh_postgres() as url:
        env = {"DATABASE_URL": url, "REDIS_URL": redis_server.url, "JATTE_REDIS_TTL": str(TTL)}
        processes = [BackendProcess(env, logs / f"{name}.log", server="uvicorn") for name in "ab"]
        try:
            for process in processes:
                process.start()
            yield Pair(processes[0], processes[1], url)
        finally:
            for process in processes:
                with contextlib.suppress(Exception):
                    process.stop()


async def _request(peer: Peer, frame: dict[str, object]) -> dict[str, object]:
    request_id = f"r-{uuid.uuid4().hex[:8]}"
    await peer.socket.send(json.dumps({**frame, "request_id": request_id}))
    return await peer.answer(request_id)


async def _closed(peer: Peer, timeout: float) -> tuple[int | None, float]:
    """Waits for the server to close the socket: its close code and when it closed."""
    assert peer.reader is not None
    with contextlib.suppress(websockets.ConnectionClosed):
        await asyncio.wait_for(peer.reader, timeout)
    return peer.socket.close_code, time.monotonic()


async def test_rate_limit_counts_a_users_frames_on_every_process(pair: Pair) -> None:
    """80 frames in a second, 40 through each process: 60 (Stream's per-minute figure) get through."""
    cid = f"messaging:rates-{uuid.uuid4().hex[:6]}"
    on_a, on_b = await connect_peer(pair.a, "alice"), await connect_peer(pair.b, "alice")
    try:
        await watch(on_a, cid)
        started = time.monotonic()
        ids = [f"t{n}" for n in range(80)]
        for n, request_id in enumerate(ids):  # sent without waiting, alternating processes
            frame = {"type": "typing.stop", "cid": cid, "request_id": request_id}
            await (on_a if n % 2 else on_b).socket.send(json.dumps(frame))
        answers = [await (on_a if n % 2 else on_b).answer(request_id) for n, request_id in enumerate(ids)]
        elapsed = time.monotonic() - started
        granted = [answer for answer in answers if answer["type"] == "ok"]
        refused = [answer for answer in answers if answer.get("code") == "rate_limited"]
        # Each process saw 40 frames, fewer than the 60 it would grant counting alone: every refusal
        # comes from the shared count, which grants its 60 and what it refilled (one a second).
        assert 60 <= len(granted) <= 60 + int(elapsed) + 1, (len(granted), elapsed)
        assert len(granted) + len(refused) == 80
    finally:
        for peer in (on_a, on_b):
            await peer.close()


async def test_socket_cap_counts_a_users_sockets_on_every_process(pair: Pair) -> None:
    """25 sockets on each process fill the cap of 50; the 51st is refused on either; a closed one frees a place."""
    peers = [await connect_peer(pair.a if n % 2 else pair.b, "bob") for n in range(50)]
    try:
        for process in (pair.a, pair.b):
            socket = await websockets.connect(f"{process.ws_url}?token={mint_token('bob', 'Bob')}")
            with pytest.raises(websockets.ConnectionClosed) as refused:
                await asyncio.wait_for(socket.recv(), 10)
            assert refused.value.rcvd is not None and refused.value.rcvd.code == 4029, refused.value
        await peers.pop().close()  # one on process a
        await asyncio.sleep(0.2)
        peers.append(await connect_peer(pair.b, "bob"))  # accepted on the other process
    finally:
        for peer in peers:
            await peer.close()


async def test_watcher_count_forgets_a_crashed_process_within_the_ttl(pair: Pair) -> None:
    """100 sockets watch through a process that is SIGKILLed; within the TTL they no longer count."""
    cid = f"livestream:crash-{uuid.uuid4().hex[:6]}"  # open to all: no member list to read per watch
    first = await connect_peer(pair.b, "owner")
    await watch(first, cid)
    doomed = list(await asyncio.gather(*(connect_peer(pair.a, f"u{n}") for n in range(100))))
    try:
        for peer in doomed:
            await watch(peer, cid)
        second = await connect_peer(pair.b, "u0")
        assert (await watch(second, cid))["watcher_count"] == 102
        await asyncio.to_thread(pair.a.stop, kill=True)
        killed = time.monotonic()
        counts: list[int] = []
        while time.monotonic() - killed < TTL + 5:
            counts.append(int((await watch(second, cid))["watcher_count"]))  # already watching: a count
            if counts[-1] == 2:
                break
            await asyncio.sleep(0.25)
        took = time.monotonic() - killed
        assert counts[-1] == 2, f"watcher counts after the crash: {counts}"
        assert took <= TTL + 2, f"the crashed process counted for {took:.1f} s (TTL {TTL} s)"
        await second.close()
    finally:
        await first.close()
        for peer in doomed:
            with contextlib.suppress(Exception):
                await peer.close()
        if pair.a.process is None:  # the other tests of the module share the pair
            await asyncio.to_thread(pair.a.start)


async def test_deactivated_user_loses_every_socket_on_every_process_within_a_second(pair: Pair) -> None:
    """An operator sets deactivated_at: both of carol's sockets close with 4001; she cannot reconnect."""
    on_a, on_b = await connect_peer(pair.a, "carol"), await connect_peer(pair.b, "carol")
    bystander = await connect_peer(pair.a, "dave")
    try:
        with psycopg.connect(pair.database_url.replace("postgres://", "postgresql://", 1)) as conn:
            conn.execute("UPDATE chat_chatuser SET deactivated_at = now() WHERE id = 'carol'")
        deactivated = time.monotonic()
        for peer in (on_a, on_b):
            code, at = await _closed(peer, 5)
            assert code == 4001
            assert at - deactivated <= 1.0, f"closed {at - deactivated:.2f} s after the deactivation"
            errors = peer.of_type("error")
            assert errors and errors[-1]["code"] == "not_allowed" and "deactivated" in errors[-1]["message"]
        again = await websockets.connect(f"{pair.b.ws_url}?token={mint_token('carol', 'Carol')}")
        with pytest.raises(websockets.ConnectionClosed) as refused:
            await asyncio.wait_for(again.recv(), 10)
        assert refused.value.rcvd is not None and refused.value.rcvd.code == 4001
        assert (await _request(bystander, {"type": "health.check"}))["type"] == "health.check"
    finally:
        for peer in (on_a, on_b, bystander):
            await peer.close()


async def test_two_prefixes_on_one_redis_do_not_see_each_others_events(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    """Two deployments (their own databases, prefixes `one` and `two`) share a Redis and stay apart."""
    processes = [
        BackendProcess(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / name}.sqlite3",
                "REDIS_URL": redis_server.url,
                "JATTE_REDIS_PREFIX": name,
            },
            tmp_path / f"{name}.log",
            server="uvicorn",
        )
        for name in ("one", "two")
    ]
    peers: list[Peer] = []
    try:
        for process in processes:
            await asyncio.to_thread(process.start)
        cid = "messaging:general"  # the same channel key (1) in both databases
        alice = await connect_peer(processes[0], "alice")
        bob = await connect_peer(processes[1], "bob")
        peers += [alice, bob]
        await watch(alice, cid)
        assert (await watch(bob, cid))["watcher_count"] == 1  # alice is not counted here
        sent = await _request(alice, {"type": "message.new", "cid": cid, "text": "for deployment one"})
        assert sent["type"] == "message.sent"
        await until(lambda: bool(alice.of_type("message.new")), 5, "alice's own message.new")
        await asyncio.sleep(0.5)
        assert bob.of_type("message.new") == [] and bob.of_type("user.watching.start") == []
    finally:
        for peer in peers:
            await peer.close()
        for process in processes:
            await asyncio.to_thread(process.stop)
