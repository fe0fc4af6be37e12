"""The WebSocket clients a load process runs: idle sockets, watchers that time deliveries, senders.

Each speaks just enough of Jatte's frames (a signed token, the first health.check, channel.watch,
message.new); load.py runs many of them on one event loop.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import resource
import time
from array import array
from typing import Any

import jwt
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

__all__ = ["Idle", "Sender", "Watcher", "cpu_seconds", "open_socket", "token", "watch"]

TRY_AGAIN_LATER = 4013  # chat.frames.CloseCode: the server is at capacity, "retry after N ms"
CONNECT_OPTIONS: dict[str, Any] = {
    "compression": None,  # see BENCHMARKS.md: browsers offer permessage-deflate, the bench does not
    "max_size": None,
    "max_queue": None,
    "ping_interval": None,  # the servers ping; the clients answer
    "open_timeout": 60,
    "close_timeout": 2,
}


def token(secret: str, user: str) -> str:
    now = int(time.time())
    claims = {"sub": user, "aud": "authenticated", "exp": now + 3600, "user_metadata": {"name": user}}
    return jwt.encode(claims, secret, algorithm="HS256")


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def open_socket(url: str, signed: str, cid: str | None, limit: int = 0) -> ClientConnection:
    """Connects with the token `signed`, waits for the first health.check and, with `cid`, watches it."""
    socket = await connect(f"{url}?token={signed}", **CONNECT_OPTIONS)
    hello = json.loads(await socket.recv())
    if hello.get("type") != "health.check":
        raise RuntimeError(f"first frame is {hello.get('type')!r}, not health.check: {hello}")
    if cid is not None:
        await watch(socket, cid, limit)
    return socket


def retry_after(closed: ConnectionClosed) -> float | None:
    """The seconds a 4013 close (server at capacity) says to wait; None for any other close."""
    found = re.search(r"retry after (\d+) ms", closed.rcvd.reason) if closed.rcvd else None
    if closed.rcvd is None or closed.rcvd.code != TRY_AGAIN_LATER or found is None:
        return None
    return int(found.group(1)) / 1000


async def watch(socket: ClientConnection, cid: str, limit: int = 0) -> dict[str, Any]:
    request = {"type": "channel.watch", "cid": cid, "request_id": "w", "messages": {"limit": limit}}
    await socket.send(json.dumps(request))
    while True:
        frame: dict[str, Any] = json.loads(await socket.recv())
        if frame.get("request_id") == "w":
            if frame.get("type") != "channel.state":
                raise RuntimeError(f"watch {cid}: {frame}")
            return frame


class Idle:
    """Sockets that connect, watch a channel each, and then only read (and answer pings)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.sockets: list[ClientConnection] = []
        self.readers: list[asyncio.Task[None]] = []
        self.next = int(spec.get("start", 0))
        self.frames = 0
        self.told_to_wait = 0  # 4013 closes: the socket waited as told, then connected again

    async def open(self, count: int) -> dict[str, Any]:
        spec = self.spec
        gate = asyncio.Semaphore(int(spec.get("concurrency", 100)))
        failures: list[str] = []
        first, self.next = self.next, self.next + count

        # Tokens are signed before the clock starts: signing is the client's cost, not the server's.
        tokens = {n: token(spec["secret"], spec["user"].format(n=n)) for n in range(first, first + count)}

        async def one(n: int) -> None:
            cid = spec["cid"].format(n=n) if spec.get("cid") else None
            while True:
                async with gate:
                    try:
                        socket = await open_socket(spec["url"], tokens[n], cid)
                        break
                    except ConnectionClosed as closed:  # 4013: come back later, as the shim does
                        wait = retry_after(closed)
                        if wait is None:
                            failures.append(f"{type(closed).__name__}: {closed}")
                            return
                        self.told_to_wait += 1
                    except Exception as exc:  # counted and reported, the rest go on
                        failures.append(f"{type(exc).__name__}: {exc}")
                        return
                await asyncio.sleep(wait * (1 + random.random()))  # outside the gate
            self.sockets.append(socket)
            self.readers.append(asyncio.create_task(self._drain(socket)))

        cpu, started = cpu_seconds(), time.monotonic()
        await asyncio.gather(*(one(n) for n in range(first, first + count)))
        seconds = time.monotonic() - started
        return {
            "event": "opened",
            "opened": count - len(failures),
            "failed": len(failures),
            "failures": failures[:3],
            "told_to_wait": self.told_to_wait,
            "seconds": seconds,
            "client_cpu": (cpu_seconds() - cpu) / seconds if seconds else 0.0,
            "total": len(self.sockets),
        }

    async def _drain(self, socket: ClientConnection) -> None:
        try:
            async for _ in socket:
                self.frames += 1
        except ConnectionClosed:
            pass

    async def close(self) -> None:
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*(s.close() for s in self.sockets), return_exceptions=True)


class Watcher:
    """A socket that records each `message.new` of the run: which, in what order, how late."""

    def __init__(self, socket: ClientConnection, tag: str) -> None:
        self.socket = socket
        self.tag = tag
        self.latencies = array("d")
        self.seen: dict[str, set[int]] = {}
        self.last: dict[str, int] = {}
        self.out_of_order = 0
        self.duplicates = 0
        self.foreign = 0
        self.in_window = 0
        self.window_end = float("inf")
        self.last_frame = time.monotonic()
        self.closed: str | None = None

    async def read(self) -> None:
        try:
            async for text in self.socket:
                now = time.monotonic()
                self.last_frame = now
                frame = json.loads(text)
                if frame.get("type") != "message.new":
                    continue
                message = frame["message"]
                tag, _, rest = message["id"].partition("-")
                if tag != self.tag:
                    self.foreign += 1  # another run's traffic on a shared Redis: reported, not counted
                    continue
                sender, _, seq_text = rest.partition("-")
                seq = int(seq_text)
                seen = self.seen.setdefault(sender, set())
                if seq in seen:
                    self.duplicates += 1
                    continue
                seen.add(seq)
                if seq < self.last.get(sender, -1):
                    self.out_of_order += 1
                self.last[sender] = max(seq, self.last.get(sender, -1))
                if now <= self.window_end:
                    self.in_window += 1
                scheduled = float(message["text"].rpartition("@")[2])
                self.latencies.append((now - scheduled) * 1000)
        except ConnectionClosed as closed:
            self.closed = str(closed)


class Sender:
    """A socket that posts `message.new` frames, paced (open loop) or with a window of unacknowledged ones."""

    def __init__(self, socket: ClientConnection, tag: str, name: str, cid: str) -> None:
        self.socket = socket
        self.prefix = f"{tag}-{name}-"  # message ids allow [A-Za-z0-9_-]
        self.cid = cid
        self.sent = 0
        self.acked: list[int] = []
        self.errors: list[str] = []
        self.ack_latencies = array("d")
        self.lateness = array("d")  # how far behind its schedule this client sent (client-bound check)
        self.scheduled: dict[int, float] = {}
        self.window: asyncio.Semaphore | None = None
        self.closed: str | None = None

    def frame(self, seq: int, scheduled: float) -> str:
        text = f"bench message {seq} @{scheduled:.6f}"
        return json.dumps(
            {
                "type": "message.new",
                "cid": self.cid,
                "id": f"{self.prefix}{seq}",
                "text": text,
                "request_id": str(seq),
            }
        )

    async def read(self) -> None:
        try:
            async for text in self.socket:
                frame = json.loads(text)
                kind = frame.get("type")
                if kind == "message.sent":
                    seq = int(frame["request_id"])
                    self.acked.append(seq)
                    self.ack_latencies.append((time.monotonic() - self.scheduled.pop(seq)) * 1000)
                    if self.window is not None:
                        self.window.release()
                elif kind == "error":
                    self.errors.append(f"{frame.get('code')}: {frame.get('message')}")
                    if self.window is not None:
                        self.window.release()
        except ConnectionClosed as closed:
            self.closed = str(closed)

    async def paced(self, t0: float, rate: float, count: int) -> None:
        for seq in range(count):
            scheduled = t0 + seq / rate
            delay = scheduled - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self.lateness.append((time.monotonic() - scheduled) * 1000)
            self.scheduled[seq] = scheduled
            await self.socket.send(self.frame(seq, scheduled))
            self.sent += 1

    async def windowed(self, t0: float, seconds: float, window: int) -> None:
        self.window = asyncio.Semaphore(window)
        delay = t0 - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        seq, end = 0, t0 + seconds
        while True:
            await self.window.acquire()
            now = time.monotonic()
            if now >= end:
                break
            self.scheduled[seq] = now
            await self.socket.send(self.frame(seq, now))
            self.sent += 1
            seq += 1
