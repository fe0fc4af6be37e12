"""A database that is locked or drops its connections delays or refuses a send, never loses it."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import websockets

from chat.auth import mint_token

from .servers import BackendProcess
from .services_for_tests import psycopg_url

DEMO = "messaging:demo"


async def _alice(backend: BackendProcess) -> Any:
    socket = await websockets.connect(f"{backend.ws_url}?token={mint_token('alice', 'Alice')}")
    assert json.loads(await socket.recv())["type"] == "health.check"
    await socket.send(json.dumps({"type": "channel.watch", "cid": DEMO, "request_id": "w"}))
    await _answer(socket, "w")
    return socket


async def _answer(socket: Any, request_id: str, timeout: float = 15) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            frame: dict[str, Any] = json.loads(await socket.recv())
            if frame.get("request_id") == request_id:
                return frame


async def _send(socket: Any, text: str, message_id: str, request_id: str) -> None:
    frame = {"type": "message.new", "cid": DEMO, "text": text, "id": message_id, "request_id": request_id}
    await socket.send(json.dumps(frame))


def _hold_write_lock(path: Path, seconds: float, held: threading.Event) -> None:
    conn = sqlite3.connect(path, timeout=5, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    held.set()
    threading.Event().wait(seconds)
    conn.execute("ROLLBACK")
    conn.close()


def _lock_for(path: Path, seconds: float) -> threading.Thread:
    """Another process's writer: holds the database's write lock for `seconds`, from now."""
    held = threading.Event()
    locker = threading.Thread(target=_hold_write_lock, args=(path, seconds, held))
    locker.start()
    assert held.wait(5)
    return locker


def _stored(path: Path, message_id: str) -> int:
    with sqlite3.connect(path) as conn:
        count: int = conn.execute(
            "SELECT COUNT(*) FROM chat_message WHERE message_id = ?", (message_id,)
        ).fetchone()[0]
        return count


def _sqlite_backend(tmp_path: Path, lock_timeout: str) -> Iterator[tuple[BackendProcess, Path]]:
    path = tmp_path / "chat.sqlite3"
    backend = BackendProcess(
        {"DATABASE_URL": f"sqlite:///{path}", "JATTE_SQLITE_TIMEOUT": lock_timeout}, tmp_path / "server.log"
    )
    yield backend.start(), path
    backend.stop()


@pytest.fixture
def patient_sqlite(tmp_path: Path) -> Iterator[tuple[BackendProcess, Path]]:
    yield from _sqlite_backend(tmp_path, "20")


@pytest.fixture
def impatient_sqlite(tmp_path: Path) -> Iterator[tuple[BackendProcess, Path]]:
    yield from _sqlite_backend(tmp_path, "0.2")


async def test_sqlite_write_lock_held_by_another_process_delays_the_send_then_stores_it(
    patient_sqlite: tuple[BackendProcess, Path],
) -> None:
    backend, path = patient_sqlite
    alice = await _alice(backend)
    locker = _lock_for(path, 1.5)
    await _send(alice, "waited for the lock", "locked-1", "m1")
    sent = await _answer(alice, "m1")
    locker.join()
    assert sent["type"] == "message.sent" and sent["duplicate"] is False
    assert _stored(path, "locked-1") == 1
    await alice.close()


async def test_sqlite_locked_past_every_retry_answers_storage_unavailable_and_a_resend_stores_once(
    impatient_sqlite: tuple[BackendProcess, Path],
) -> None:
    backend, path = impatient_sqlite
    alice = await _alice(backend)
    locker = _lock_for(path, 4.0)
    await _send(alice, "try me", "locked-2", "m1")
    refused = await _answer(alice, "m1")
    assert refused["type"] == "error" and refused["code"] == "storage_unavailable"
    assert _stored(path, "locked-2") == 0
    locker.join()
    await _send(alice, "try me", "locked-2", "m2")
    sent = await _answer(alice, "m2")
    assert sent["type"] == "message.sent" and sent["message"]["id"] == "locked-2"
    assert _stored(path, "locked-2") == 1
    await alice.close()


@pytest.fixture
def postgres_backend(tmp_path: Path, postgres_url: str) -> Iterator[tuple[BackendProcess, str]]:
    backend = BackendProcess({"DATABASE_URL": postgres_url}, tmp_path / "server.log")
    yield backend.start(), postgres_url
    backend.stop()


async def test_postgres_connections_killed_under_the_backend_are_reopened_and_the_send_stored(
    postgres_backend: tuple[BackendProcess, str],
) -> None:
    backend, url = postgres_backend
    alice = await _alice(backend)
    await _send(alice, "before", "pg-1", "m1")
    assert (await _answer(alice, "m1"))["type"] == "message.sent"
    database = url.rsplit("/", 1)[1]
    with psycopg.connect(psycopg_url(url.rsplit("/", 1)[0] + "/postgres"), autocommit=True) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchone()
    assert killed is not None and killed[0] >= 1  # the backend's connection was there, and is gone
    await _send(alice, "after", "pg-2", "m2")
    sent = await _answer(alice, "m2")
    assert sent["type"] == "message.sent" and sent["duplicate"] is False
    with psycopg.connect(psycopg_url(url)) as conn:
        rows = conn.execute("SELECT message_id FROM chat_message ORDER BY seq").fetchall()
    assert [r[0] for r in rows] == ["pg-1", "pg-2"]
    await alice.close()
