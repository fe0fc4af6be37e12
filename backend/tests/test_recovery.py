"""No lost messages (issue 5): the real shim in Node against real backend processes, under faults.

Two clients (alice and bob, libs/chat-shim/tests/live/recovery.live.ts) send 250 messages each
into one channel without waiting for acks while the backend is killed with SIGKILL and restarted,
or while a proxy between them and the backend cuts every connection with a reset. Afterwards
every send is acknowledged, both clients hold every acknowledged message exactly once and in the
server's order, and the database holds exactly that set.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sqlite3
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .live_shim import assert_nothing_lost, driving
from .servers import BackendProcess, free_port

CID = "messaging:chaos"
PER_CLIENT = 250
FAULT_AFTER_ACKS = 200  # of 500: the fault lands in the middle of the run
OUTAGE = 1.0  # seconds without a server (or without a network)
# Before the fault the server freezes (or its answers stop arriving) for this long, so each client
# has sends in flight when its connection drops: ~13 at one send per 15 ms.
STALL = 0.2
# The test is about recovery, not about limits: let 500 sends in 4 s through.
UNLIMITED = {"JATTE_RATE_LIMIT_PER_MINUTE": "1000000", "JATTE_RATE_LIMIT_BURST": "1000000"}


@dataclass
class Proxy:
    """A TCP proxy in front of the backend that can cut every connection and refuse new ones."""

    upstream: int
    port: int = field(default_factory=free_port)
    server: asyncio.Server | None = None
    links: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = field(default_factory=set)
    cut_links: int = 0
    stalled: bool = False  # the server's answers stop reaching the clients; their frames still go through

    async def open(self) -> None:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", self.port, reuse_address=True)

    async def _link(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            server_r, server_w = await asyncio.open_connection("127.0.0.1", self.upstream)
        except OSError:
            client_w.transport.abort()
            return
        link = (client_w, server_w)
        self.links.add(link)
        try:
            await asyncio.gather(
                _pipe(client_r, server_w, lambda: False), _pipe(server_r, client_w, lambda: self.stalled)
            )
        finally:
            self.links.discard(link)
            for writer in link:
                writer.transport.abort()

    async def cut(self) -> None:
        """Stops listening (connects are refused) and resets every open connection, both ways."""
        assert self.server is not None
        self.server.close()
        self.cut_links = len(self.links)
        for link in list(self.links):
            for writer in link:
                sock = writer.transport.get_extra_info("socket")
                if sock is not None:  # linger 0: close() sends RST, as a dropped network would look
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()
        await self.server.wait_closed()
        self.server = None

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
        for link in list(self.links):
            for writer in link:
                writer.transport.abort()


async def _pipe(
    source: asyncio.StreamReader, sink: asyncio.StreamWriter, stalled: Callable[[], bool]
) -> None:
    with contextlib.suppress(OSError):
        while data := await source.read(65536):
            if not stalled():  # a stalled link loses what crosses it
                sink.write(data)
                await sink.drain()
    sink.transport.abort()


def _stored_ids(database: Path) -> list[str]:
    """The channel's message ids as the database holds them, in the server's order (seq)."""
    with contextlib.closing(sqlite3.connect(database)) as db:
        rows = db.execute(
            "SELECT m.message_id FROM chat_message m JOIN chat_channel c ON c.id = m.channel_id"
            " WHERE c.cid = ? ORDER BY m.seq",
            (CID,),
        ).fetchall()
    return [row[0] for row in rows]


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "chat.sqlite3"


@pytest.fixture
def backend(tmp_path: Path, database: Path) -> BackendProcess:
    """A daphne process on a fixed port (a restart listens where the clients reconnect)."""
    return BackendProcess(
        {"DATABASE_URL": f"sqlite:///{database}", **UNLIMITED}, tmp_path / "server.log", port=free_port()
    )


async def test_recovery_after_sigkill_loses_and_doubles_no_message(
    backend: BackendProcess, database: Path, tmp_path: Path
) -> None:
    """A SIGKILLed and restarted backend: each send is acked once stored, each client holds it once."""
    await asyncio.to_thread(backend.start)
    try:
        async with driving(backend.ws_url, tmp_path, CID, PER_CLIENT) as driver:
            await driver.until(lambda e: e["event"] == "acked" and e["n"] >= FAULT_AFTER_ACKS)
            assert backend.process is not None
            backend.process.send_signal(signal.SIGSTOP)
            await asyncio.sleep(STALL)
            await asyncio.to_thread(backend.stop, kill=True)
            await asyncio.sleep(OUTAGE)
            await asyncio.to_thread(backend.start)
            clients = await driver.finish()
    finally:
        await asyncio.to_thread(backend.stop)
    assert_nothing_lost(clients, _stored_ids(database), PER_CLIENT)


async def test_recovery_after_network_cut_loses_and_doubles_no_message(
    backend: BackendProcess, database: Path, tmp_path: Path
) -> None:
    """Every connection reset mid-run, new ones refused for a second: nothing lost, nothing doubled."""
    await asyncio.to_thread(backend.start)
    proxy = Proxy(upstream=backend.port)
    await proxy.open()
    try:
        async with driving(f"ws://127.0.0.1:{proxy.port}/ws/chat/", tmp_path, CID, PER_CLIENT) as driver:
            await driver.until(lambda e: e["event"] == "acked" and e["n"] >= FAULT_AFTER_ACKS)
            proxy.stalled = True
            await asyncio.sleep(STALL)
            await proxy.cut()
            proxy.stalled = False
            await asyncio.sleep(OUTAGE)
            await proxy.open()
            clients = await driver.finish()
    finally:
        await proxy.close()
        await asyncio.to_thread(backend.stop)
    assert proxy.cut_links == 2, "the cut did not find both clients' connections"
    for name, client in clients.items():
        # Sends the server stored while its answers were lost came back as duplicates, not twice;
        # the other client's messages from the stall reached this one only through the re-watch.
        assert client["duplicates"] >= 1, f"{name}: no resend was answered as a duplicate"
        assert client["recovered"] >= 1, f"{name}: the re-watch brought nothing it had missed"
    assert_nothing_lost(clients, _stored_ids(database), PER_CLIENT)
