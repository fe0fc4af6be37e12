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

from clients import Idle, Sender, Watcher, cpu_seconds, open_socket, token, watch

__all__ = ["main"]


def emit(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


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


async def run_lists(spec: dict[str, Any]) -> None:
    """One user's channel list, again and again: each of spec["requests"] ([label, frame, answer
    type]) `count` times in turn, one request at a time, timing each answer (the lists scenario)."""
    socket = await open_socket(spec["url"], token(spec["secret"], spec["user"]), None)
    warmup, count = int(spec.get("warmup", 5)), int(spec["count"])
    timings: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    for label, frame, expected in spec["requests"]:
        timing, parsed = array("d"), array("d")
        for n in range(warmup + count):
            started = time.monotonic()
            await socket.send(json.dumps({**frame, "request_id": f"{label}-{n}"}))
            # Timed to the answer's arrival, found by its request_id before it is parsed: parsing a
            # 460 KB answer is the client's cost, reported beside it.
            marker = f'"request_id":"{label}-{n}"'
            while True:
                reply = await socket.recv()
                arrived = time.monotonic()
                if marker in reply:
                    break
            answer: dict[str, Any] = json.loads(reply)
            if answer.get("type") != expected or answer.get("request_id") != f"{label}-{n}":
                raise RuntimeError(f"{label}: {answer}")
            if n >= warmup:
                timing.append((arrived - started) * 1000)
                parsed.append((time.monotonic() - started) * 1000)
        timings[label] = list(timing)
        timings[f"{label}, parsed"] = list(parsed)
        sizes[label] = len(reply)
        if expected == "channels.state":
            sizes[f"{label} channels"] = len(answer["channels"])
    await socket.close()
    emit({"event": "done", "latencies": timings, "sizes": sizes})


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
        elif setup["role"] == "lists":
            await run_lists(setup)
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
