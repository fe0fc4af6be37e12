"""The backend as shipped: real daphne processes, real sockets, a database on disk."""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets

from chat.auth import mint_token
from jatte import serve

from .servers import BackendProcess


async def _connect(backend: BackendProcess, user: str) -> Any:
    socket = await websockets.connect(f"{backend.ws_url}?token={mint_token(user, user.title())}")
    hello = json.loads(await socket.recv())
    assert hello["type"] == "health.check" and hello["me"]["id"] == user
    return socket


async def _until(socket: Any, kind: str) -> dict[str, Any]:
    while True:
        frame: dict[str, Any] = json.loads(await socket.recv())
        if frame["type"] == kind:
            return frame


async def _hello_world_survives_restart(backend: BackendProcess) -> None:
    alice = await _connect(backend, "alice")
    bob = await _connect(backend, "bob")
    await alice.send(
        json.dumps(
            {
                "type": "channel.watch",
                "cid": "messaging:demo",
                "data": {"members": ["bob"]},
                "request_id": "w",
            }
        )
    )
    await _until(alice, "channel.state")
    await bob.send(json.dumps({"type": "channel.watch", "cid": "messaging:demo", "request_id": "w"}))
    await _until(bob, "channel.state")
    await alice.send(
        json.dumps({"type": "message.new", "cid": "messaging:demo", "text": "hello world", "request_id": "m"})
    )
    sent = await _until(alice, "message.sent")
    delivered = await _until(bob, "message.new")
    assert delivered["message"] == sent["message"]
    assert delivered["message"]["text"] == "hello world"
    await alice.close()
    await bob.close()

    backend.stop()
    backend.start()
    bob = await _connect(backend, "bob")
    await bob.send(json.dumps({"type": "channel.watch", "cid": "messaging:demo", "request_id": "again"}))
    state = await _until(bob, "channel.state")
    assert [m["text"] for m in state["messages"]] == ["hello world"]
    assert state["messages"][0]["id"] == sent["message"]["id"]
    await bob.close()


@pytest.fixture(params=["daphne", "uvicorn"])
def sqlite_backend(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[BackendProcess]:
    """The backend on SQLite under each ASGI server it supports."""
    backend = BackendProcess(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'chat.sqlite3'}"},
        tmp_path / "server.log",
        server=request.param,
    )
    yield backend.start()
    backend.stop()


async def test_server_serves_hello_world_and_keeps_it_across_a_restart(
    sqlite_backend: BackendProcess,
) -> None:
    await _hello_world_survives_restart(sqlite_backend)


async def test_server_refuses_a_forged_token_with_4001(sqlite_backend: BackendProcess) -> None:
    forged = mint_token("alice")[:-4] + "AAAA"
    socket = await websockets.connect(f"{sqlite_backend.ws_url}?token={forged}")
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await socket.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4001
    assert "signature" in closed.value.rcvd.reason  # the reason reaches the client under both servers


async def test_server_closes_a_frame_over_one_mib_with_1009_and_keeps_serving(
    sqlite_backend: BackendProcess,
) -> None:
    big = await _connect(sqlite_backend, "alice")
    await big.send("x" * (1024 * 1024 + 1))
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await big.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
    other = await _connect(sqlite_backend, "bob")
    await other.send(json.dumps({"type": "health.check", "request_id": "h"}))
    assert (await _until(other, "health.check"))["request_id"] == "h"
    await other.close()


@pytest.fixture
def postgres_backend(tmp_path: Path, postgres_url: str) -> Iterator[BackendProcess]:
    backend = BackendProcess({"DATABASE_URL": postgres_url}, tmp_path / "daphne.log")
    yield backend.start()
    backend.stop()


async def test_daphne_on_postgresql_serves_hello_world_and_keeps_it_across_a_restart(
    postgres_backend: BackendProcess,
) -> None:
    await _hello_world_survives_restart(postgres_backend)


@pytest.fixture(params=["daphne", "uvicorn"])
def quick_ping_backend(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[BackendProcess]:
    """A backend that pings every second and gives up on a peer after two more."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.sqlite3'}",
        "JATTE_PING_INTERVAL": "1",
        "JATTE_PING_TIMEOUT": "2",
    }
    backend = BackendProcess(env, tmp_path / "server.log", server=request.param)
    yield backend.start()
    backend.stop()


async def test_server_drops_a_dead_peer_from_the_watchers(quick_ping_backend: BackendProcess) -> None:
    alice = await _connect(quick_ping_backend, "alice")
    await alice.send(json.dumps({"type": "channel.watch", "cid": "livestream:town", "request_id": "w"}))
    await _until(alice, "channel.state")
    ghost = await websockets.connect(
        f"{quick_ping_backend.ws_url}?token={mint_token('ghost')}", ping_interval=None
    )
    await ghost.recv()
    await ghost.send(json.dumps({"type": "channel.watch", "cid": "livestream:town", "request_id": "w"}))
    assert (await _until(alice, "user.watching.start"))["watcher_count"] == 2
    ghost.transport.pause_reading()  # the peer goes silent: no pongs, no reads, no close
    async with asyncio.timeout(15):
        stop = await _until(alice, "user.watching.stop")
    assert stop["user"]["id"] == "ghost"
    assert stop["watcher_count"] == 1
    await alice.close()
    ghost.transport.abort()


def test_serving_leaves_the_start_up_objects_out_of_collections_and_collects_young_ones_less_often() -> None:
    thresholds = gc.get_threshold()
    try:
        serve._settle_collector()
        assert gc.get_freeze_count() > 10_000  # Django, Channels and the chat modules, loaded first
        assert gc.get_threshold() == (serve.YOUNG_COLLECTION_AFTER, *thresholds[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
