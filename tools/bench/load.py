"""One load-generator process: many real WebSocket clients on one event loop, driven over stdin.

`run.py` starts several of these (Python clients are CPU-bound, so the load is spread over
processes) and talks to each with one JSON object per line:

    stdin  {"cmd": "setup", ...spec}   stdout {"event": "ready", ...}
    stdin  {"cmd": "go", "t0": T}      stdout {"event": "done", ...}     (clients role)
    stdin  {"cmd": "open", "count": N} stdout {"event": "opened", ...}   (idle role)
    stdin  {"cmd": "stop"}             the process closes its sockets and exits

Times are `time.monotonic()`, one clock for every process on the machine, so a watcher measures a
delivery from the moment the sender was *scheduled* to send it (written into the message text):
open-loop pacing, where a slow sender cannot hide the server's delay.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from array import array
from collections.abc import Awaitable
from typing import Any

import jwt
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

__all__ = ["main"]

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


def emit(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


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

    async def open(self, count: int) -> dict[str, Any]:
        spec = self.spec
        gate = asyncio.Semaphore(int(spec.get("concurrency", 100)))
        failures: list[str] = []
        first, self.next = self.next, self.next + count

        # Tokens are signed before the clock starts: signing is the client's cost, not the server's.
        tokens = {n: token(spec["secret"], spec["user"].format(n=n)) for n in range(first, first + count)}

        async def one(n: int) -> None:
            async with gate:
                try:
                    cid = spec["cid"].format(n=n) if spec.get("cid") else None
                    socket = await open_socket(spec["url"], tokens[n], cid)
                except Exception as exc:  # counted and reported, the rest go on
                    failures.append(f"{type(exc).__name__}: {exc}")
                    return
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


async def run_clients(spec: dict[str, Any], commands: asyncio.Queue[dict[str, Any]]) -> None:
    url, secret, tag, cid = spec["url"], spec["secret"], spec["tag"], spec["cid"]
    watchers = [
        Watcher(await open_socket(url, token(secret, user), cid), tag) for user in spec.get("watchers", [])
    ]
    senders = [
        Sender(await open_socket(url, token(secret, user), None), tag, user, cid)
        for user in spec.get("senders", [])
    ]
    clients: list[Watcher | Sender] = [*watchers, *senders]
    readers = [asyncio.create_task(c.read()) for c in clients]
    emit({"event": "ready", "watchers": len(watchers), "senders": len(senders)})

    go = await commands.get()
    t0, seconds = float(go["t0"]), float(spec["seconds"])
    for watcher in watchers:
        watcher.window_end = t0 + seconds

    async def window_cpu() -> float:
        """This process's CPU over the measured window, as a share of one core."""
        await asyncio.sleep(max(0.0, t0 - time.monotonic()))
        start = cpu_seconds()
        await asyncio.sleep(max(0.0, t0 + seconds - time.monotonic()))
        return (cpu_seconds() - start) / seconds

    cpu = asyncio.create_task(window_cpu())
    runs: list[Awaitable[None]]
    if spec.get("rate"):
        count = round(float(spec["rate"]) * seconds)
        runs = [s.paced(t0, float(spec["rate"]), count) for s in senders]
    else:
        runs = [s.windowed(t0, seconds, int(spec["window"])) for s in senders]
    await asyncio.gather(*runs)
    # Wait for the answers and deliveries still in flight: done when every sender is acknowledged
    # and every watcher has been quiet for `settle` seconds, or after `drain` seconds at most.
    deadline = max(time.monotonic(), t0 + seconds) + float(spec.get("drain", 5))
    settle = float(spec.get("settle", 1))
    while time.monotonic() < deadline:
        pending = sum(len(s.scheduled) for s in senders)
        quiet = all(time.monotonic() - w.last_frame > settle for w in watchers)
        if not pending and (quiet or not watchers):
            break
        await asyncio.sleep(0.05)
    client_cpu = await cpu
    for reader in readers:
        reader.cancel()
    emit(
        {
            "event": "done",
            "client_cpu": client_cpu,
            "watchers": [
                {
                    "latencies": [round(x, 3) for x in w.latencies],
                    "seen": {sender: len(seqs) for sender, seqs in w.seen.items()},
                    "out_of_order": w.out_of_order,
                    "duplicates": w.duplicates,
                    "foreign": w.foreign,
                    "in_window": w.in_window,
                    "closed": w.closed,
                    "seqs": {sender: sorted(seqs) for sender, seqs in w.seen.items()}
                    if spec.get("report_seqs")
                    else {},
                }
                for w in watchers
            ],
            "senders": [
                {
                    "name": s.prefix.split("-")[1],
                    "sent": s.sent,
                    "acked": sorted(s.acked),
                    "errors": s.errors[:5],
                    "error_count": len(s.errors),
                    "unanswered": len(s.scheduled),
                    "ack_latencies": [round(x, 3) for x in s.ack_latencies],
                    "lateness_max": max(s.lateness, default=0.0),
                    "lateness": sorted(s.lateness)[int(len(s.lateness) * 0.99)] if s.lateness else 0.0,
                    "closed": s.closed,
                }
                for s in senders
            ],
        }
    )
    await asyncio.gather(*(c.socket.close() for c in clients), return_exceptions=True)


async def run_history(spec: dict[str, Any]) -> None:
    """Watches one channel again and again, one watch at a time, timing each channel.state."""
    socket = await open_socket(spec["url"], token(spec["secret"], spec["user"]), None)
    limit, latencies, sizes = int(spec.get("limit", 50)), array("d"), set()
    for _ in range(int(spec.get("warmup", 5))):
        await watch(socket, spec["cid"], limit)
    deadline = time.monotonic() + float(spec.get("seconds", 30))
    for _ in range(int(spec["count"])):
        started = time.monotonic()
        state = await watch(socket, spec["cid"], limit)
        latencies.append((time.monotonic() - started) * 1000)
        sizes.add(len(state["messages"]))
        if time.monotonic() > deadline:
            break
    await socket.close()
    emit({"event": "done", "latencies": list(latencies), "sizes": sorted(sizes)})


async def run_idle(spec: dict[str, Any], commands: asyncio.Queue[dict[str, Any]]) -> None:
    idle = Idle(spec)
    emit({"event": "ready"})
    while True:
        command = await commands.get()
        if command["cmd"] == "open":
            emit(await idle.open(int(command["count"])))
        elif command["cmd"] == "stop":
            await idle.close()
            emit({"event": "closed", "frames": idle.frames})
            return


async def read_commands(commands: asyncio.Queue[dict[str, Any]]) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**24)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        await commands.put(json.loads(line))
    await commands.put({"cmd": "stop"})


async def amain() -> None:
    commands: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    listener = asyncio.create_task(read_commands(commands))
    setup = await commands.get()
    try:
        if setup["role"] == "idle":
            await run_idle(setup, commands)
        elif setup["role"] == "history":
            await run_history(setup)
        else:
            await run_clients(setup, commands)
    except Exception as exc:
        emit({"event": "failed", "error": f"{type(exc).__name__}: {exc}"})
        raise
    finally:
        listener.cancel()


def main() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        import uvloop
    except ImportError:
        asyncio.run(amain())
    else:
        uvloop.run(amain())


if __name__ == "__main__":
    main()
