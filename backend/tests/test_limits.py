"""Limits that keep one client from hurting others: frame rates, sockets per user, slow readers."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import websockets
from channels.testing import WebsocketCommunicator

from chat import limits, services
from chat.auth import mint_token
from chat.backlog import backlog
from chat.frames import CloseCode
from chat.limits import Admission, Limits, Outbox, TokenBucket
from jatte.asgi import application

from .conftest import Client, Connect
from .servers import BackendProcess

ROOM = "messaging:room"


# Token buckets


def test_token_bucket_grants_the_burst_then_one_per_refill() -> None:
    bucket = TokenBucket(capacity=3, rate=1.0, tokens=3, stamp=0.0)
    assert [bucket.take(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.take(0.0) == pytest.approx(1.0)  # the next token in one second
    assert bucket.take(0.5) == pytest.approx(0.5)
    assert bucket.take(1.0) == 0.0
    assert bucket.take(100.0) == 0.0 and bucket.tokens == pytest.approx(2.0)  # refills to capacity, no more


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _sdk_day(limits_: Limits, clock: Clock, minutes: int) -> list[str]:
    """What stream-chat sends on a busy socket, second by second; the kinds that were refused."""
    refused: list[str] = []
    for second in range(minutes * 60):
        clock.now = float(second)
        due = []
        if second % 25 == 0:
            due.append("health.check")  # a heartbeat 25 s after the last server health.check
        if second % 2 == 0:
            due += ["typing.start", "message.new"]  # keystroke() at most every 2 s; a fast typist
        if second % 2 == 1:
            due += ["typing.stop", "message.read"]  # stopTyping() about 1 s after the last keystroke
        for kind in due:
            key = "socket-1" if kind == "health.check" else "alice"
            if limits_.wait(key, kind):
                refused.append(kind)
    return refused


def test_default_limits_never_refuse_what_the_sdk_sends_in_normal_use(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock()
    monkeypatch.setattr(limits, "_clock", clock)
    defaults = Limits(settings.JATTE_RATE_LIMIT_PER_MINUTE, settings.JATTE_RATE_LIMIT_BURST, 50)
    assert _sdk_day(defaults, clock, minutes=30) == []
    clock.now += 60
    assert all(defaults.wait("alice", "channel.watch") == 0 for _ in range(30))  # re-watch 30 channels


def test_default_limits_are_streams_60_a_minute(settings: Any) -> None:
    assert settings.JATTE_RATE_LIMIT_PER_MINUTE == 60
    assert settings.JATTE_RATE_LIMIT_BURST == 60
    assert settings.JATTE_MAX_SOCKETS_PER_USER == 50


def test_idle_buckets_are_forgotten_so_memory_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(limits, "_clock", clock)
    monkeypatch.setattr(limits, "MAX_BUCKETS", 100)
    many = Limits(per_minute=60, burst=5, max_sockets=50)
    for n in range(100):
        many.wait(f"user-{n}", "message.new")
    clock.now += 60  # every bucket has refilled: forgetting one changes nothing
    many.wait("newcomer", "message.new")
    assert many.buckets == 1


# Rate limits through the socket


async def _frames_until_refused(client: Client, frame: dict[str, Any], most: int) -> int:
    """Sends `frame` until it is refused with rate_limited; how many were answered first."""
    for n in range(most):
        reply = await client.request(frame)
        if reply["type"] == "error" and reply["code"] == "rate_limited":
            assert reply["request_id"] and "retry in" in reply["message"]
            return n
    raise AssertionError(f"{most} frames and none refused")


async def test_rate_limit_default_refuses_the_61st_frame_of_a_kind_with_rate_limited(
    connect: Connect,
) -> None:
    alice = await connect("alice")
    await alice.watch(ROOM)
    assert await _frames_until_refused(alice, {"type": "typing.start", "cid": ROOM}, most=100) == 60


async def test_rate_limit_is_per_kind_per_user_and_others_are_unaffected(
    connect: Connect, settings: Any
) -> None:
    settings.JATTE_RATE_LIMIT_BURST = 3
    alice = await connect("alice")
    bob = await connect("bob")
    await alice.watch(ROOM, data={"members": ["bob"]})
    await bob.watch(ROOM)
    assert await _frames_until_refused(alice, {"type": "typing.start", "cid": ROOM}, most=10) == 3
    sent = await alice.request({"type": "message.new", "cid": ROOM, "text": "another kind"})
    assert sent["type"] == "message.sent"
    assert (await bob.request({"type": "typing.start", "cid": ROOM}))["type"] == "ok"
    while (frame := await alice.recv())["type"] != "typing.start":  # alice still hears bob
        pass
    assert frame["user"]["id"] == "bob"


async def test_rate_limit_counts_all_of_a_users_sockets_together(connect: Connect, settings: Any) -> None:
    settings.JATTE_RATE_LIMIT_BURST = 4
    first = await connect("alice")
    second = await connect("alice")
    for socket_ in (first, second, second, first):  # four watches from two sockets: the burst
        assert (await socket_.request({"type": "channel.watch", "cid": ROOM}))["type"] == "channel.state"
    assert (await first.request({"type": "channel.watch", "cid": ROOM}))["code"] == "rate_limited"
    assert (await second.request({"type": "channel.watch", "cid": ROOM}))["code"] == "rate_limited"


async def test_rate_limit_counts_heartbeats_per_socket(connect: Connect, settings: Any) -> None:
    settings.JATTE_RATE_LIMIT_BURST = 2
    first = await connect("alice")
    second = await connect("alice")
    assert await _frames_until_refused(first, {"type": "health.check"}, most=5) == 2
    assert (await second.request({"type": "health.check"}))["type"] == "health.check"


async def test_rate_limit_refills_over_time(connect: Connect, settings: Any) -> None:
    settings.JATTE_RATE_LIMIT_BURST = 1
    settings.JATTE_RATE_LIMIT_PER_MINUTE = 600  # one every 0.1 s
    alice = await connect("alice")
    assert await _frames_until_refused(alice, {"type": "health.check"}, most=3) == 1
    await asyncio.sleep(0.15)
    assert (await alice.request({"type": "health.check"}))["type"] == "health.check"


async def test_rate_limit_covers_refused_and_binary_frames(connect: Connect, settings: Any) -> None:
    settings.JATTE_RATE_LIMIT_BURST = 2
    alice = await connect("alice")
    codes = []
    for _ in range(3):
        await alice.send_text('{"type": "no.such.frame", "request_id": "x"}')
        codes.append((await alice.recv())["code"])
    assert codes == ["unknown_type", "unknown_type", "rate_limited"]
    for _ in range(3):
        await alice.communicator.send_to(bytes_data=b"\x00")
        codes.append((await alice.recv())["code"])
    assert codes[3:] == ["invalid_frame", "invalid_frame", "rate_limited"]
    assert (await alice.request({"type": "health.check"}))["type"] == "health.check"


# Sockets per user


async def _open(user_id: str) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    communicator = WebsocketCommunicator(application, f"/ws/chat/?token={mint_token(user_id)}")
    assert (await communicator.connect(timeout=10))[0]
    output: dict[str, Any] = await communicator.receive_output(timeout=5)
    return communicator, output


async def test_socket_cap_default_closes_the_51st_socket_of_a_user_with_4029(transactional_db: None) -> None:
    opened = []
    for _ in range(50):
        communicator, hello = await _open("alice")
        assert json.loads(hello["text"])["type"] == "health.check"
        opened.append(communicator)
    _, refusal = await _open("alice")
    assert refusal == {
        "type": "websocket.close",
        "code": CloseCode.TOO_MANY_CONNECTIONS,
        "reason": "too many sockets: at most 50 per user",
    }
    other, hello = await _open("bob")  # another user is not affected
    assert json.loads(hello["text"])["type"] == "health.check"
    await opened.pop().disconnect()
    again, hello = await _open("alice")  # a closed socket frees its place
    assert json.loads(hello["text"])["type"] == "health.check"
    for communicator in [*opened, other, again]:
        await communicator.disconnect()


async def test_socket_cap_refused_sockets_do_not_take_a_place(transactional_db: None, settings: Any) -> None:
    settings.JATTE_MAX_SOCKETS_PER_USER = 1
    first, _ = await _open("alice")
    for _ in range(3):
        _, refusal = await _open("alice")
        assert refusal["code"] == CloseCode.TOO_MANY_CONNECTIONS
    await first.disconnect()
    second, hello = await _open("alice")
    assert json.loads(hello["text"])["type"] == "health.check"
    await second.disconnect()


# A process at capacity


def test_admission_refuses_past_either_bound_with_its_delay_and_frees_places() -> None:
    admission = Admission(max_sockets=3, max_signing_in=2, retry_after_ms=700, max_backlog=100)
    assert [admission.enter(), admission.enter()] == [0, 0]
    assert admission.enter() == 700  # two sockets signing in at once: the queue is full
    admission.signed_in()
    assert admission.enter() == 0
    admission.signed_in()
    admission.signed_in()
    assert admission.enter() == 700  # three held: the process is full
    admission.leave()
    assert admission.enter() == 0 and admission.refused == 2


def test_admission_refuses_while_the_database_backlog_is_at_its_bound() -> None:
    queued = [0]
    admission = Admission(
        max_sockets=100, max_signing_in=100, retry_after_ms=400, max_backlog=5, backlog=lambda: queued[0]
    )
    queued[0] = 4
    assert admission.enter() == 0  # under the bound
    queued[0] = 5
    assert admission.enter() == 400 and admission.refused == 1
    queued[0] = 0
    assert admission.enter() == 0 and admission.sockets == 2
    unbounded = Admission(
        max_sockets=100, max_signing_in=100, retry_after_ms=400, max_backlog=0, backlog=lambda: 10**6
    )
    assert unbounded.enter() == 0  # 0: no bound (the default)


async def test_socket_arriving_while_the_database_thread_is_backed_up_gets_4013_and_then_gets_in(
    transactional_db: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A socket's database calls count in chat.backlog while they wait or run; over the bound a new
    socket is told to come back later, and once the backlog drains it is let in."""
    settings.JATTE_MAX_DATABASE_BACKLOG = 1
    slow, release = threading.Event(), threading.Event()
    state_of = services.channel_state

    def slow_state(*args: Any, **kwargs: Any) -> Any:
        slow.set()
        release.wait(10)
        return state_of(*args, **kwargs)

    monkeypatch.setattr(services, "channel_state", slow_state)
    alice, hello = await _open("alice")
    assert json.loads(hello["text"])["type"] == "health.check"
    await alice.send_to(
        text_data=json.dumps({"type": "channel.watch", "cid": "messaging:slow", "request_id": "w"})
    )
    while not slow.is_set():
        await asyncio.sleep(0.01)
    assert backlog() == 1
    _, refusal = await _open("bob")
    assert refusal == {
        "type": "websocket.close",
        "code": CloseCode.TRY_AGAIN_LATER,
        "reason": "server at capacity: retry after 1000 ms",
    }
    release.set()
    while True:  # the watch is answered once the database call is done
        answer = json.loads((await alice.receive_output(timeout=10))["text"])
        if answer.get("request_id") == "w":
            break
    assert answer["type"] == "channel.state" and backlog() == 0
    again, hello = await _open("bob")
    assert json.loads(hello["text"])["type"] == "health.check"
    for communicator in (alice, again):
        await communicator.disconnect()


@pytest.fixture(params=["uvicorn", "daphne"])
def saturated_backend(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[BackendProcess]:
    """A backend whose capacity is two sockets."""
    backend = BackendProcess(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.sqlite3'}",
            "JATTE_MAX_CONNECTIONS": "2",
            "JATTE_RETRY_AFTER_MS": "1500",
        },
        tmp_path / "server.log",
        server=request.param,
    )
    yield backend.start()
    backend.stop()


async def test_saturated_server_closes_with_4013_and_the_delay_until_a_place_frees(
    saturated_backend: BackendProcess,
) -> None:
    async def hello(user: str) -> Any:
        socket = await websockets.connect(f"{saturated_backend.ws_url}?token={mint_token(user)}")
        try:
            frame = json.loads(await asyncio.wait_for(socket.recv(), 10))
        except websockets.ConnectionClosed:
            await socket.close()  # a refused socket is closed here, not left to the garbage collector
            raise
        assert frame["type"] == "health.check", frame
        return socket

    held = [await hello("alice"), await hello("bob")]
    late = await websockets.connect(f"{saturated_backend.ws_url}?token={mint_token('carol')}")
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await asyncio.wait_for(late.recv(), 10)
    await late.close()
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (
        CloseCode.TRY_AGAIN_LATER,
        "server at capacity: retry after 1500 ms",
    )
    await held.pop().close()
    for _ in range(50):  # the server hears the close a moment later
        try:
            held.append(await hello("carol"))
            break
        except websockets.ConnectionClosed:
            await asyncio.sleep(0.1)
    assert len(held) == 2, "a closed socket never gave its place back"
    for still_open in held:
        await still_open.close()


# The outbound buffer


def test_outbox_refuses_past_its_frame_or_size_bound_and_then_stays_full() -> None:
    by_count = Outbox(max_frames=2, max_chars=1000)
    assert by_count.put("a") and by_count.put("b")
    assert not by_count.put("c")
    assert by_count.full and len(by_count) == 0 and not by_count.put("d")
    by_size = Outbox(max_frames=100, max_chars=10)
    assert by_size.put("x" * 6)
    assert not by_size.put("x" * 5)
    assert by_size.full


def test_outbox_counts_what_the_writer_took() -> None:
    outbox = Outbox(max_frames=100, max_chars=10)
    assert outbox.put("x" * 8)
    assert outbox.take() == "x" * 8
    assert outbox.take() is None
    assert outbox.put("y" * 10) and outbox.chars == 10


async def test_outbox_overflow_leaves_every_channel_and_closes_1008(
    connect: Connect, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """The consumer's own bound: one frame over it stands in for a backlog (the real-server test
    below builds one)."""
    alice = await connect("alice")
    settings.JATTE_OUTBOUND_BUFFER_BYTES = 4000  # bob's outbox holds less than one 5,000-character message
    bob = await connect("bob")
    await alice.watch(ROOM, data={"members": ["bob"]})
    await bob.watch(ROOM)
    await alice.request({"type": "message.new", "cid": ROOM, "text": "x" * 5000})
    while (frame := await alice.recv())["type"] != "user.watching.stop":
        pass
    assert frame["watcher_count"] == 1 and frame["user"]["id"] == "bob"
    closing = await bob.communicator.receive_output(timeout=10)
    while closing["type"] != "websocket.close":
        closing = await bob.communicator.receive_output(timeout=10)
    assert (closing["code"], closing["reason"]) == (
        CloseCode.POLICY_VIOLATION,
        "too slow: outbound buffer full",
    )
    assert (await alice.watch(ROOM))["watcher_count"] == 1
    assert "4000 characters unread" in caplog.text


# Slow readers against the real servers


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.fixture(params=["daphne", "uvicorn"])
def flood_backend(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[BackendProcess]:
    """The backend with a 1 MiB outbound buffer and no rate limit in the way."""
    backend = BackendProcess(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'chat.sqlite3'}",
            "JATTE_OUTBOUND_BUFFER_BYTES": str(1024 * 1024),
            "JATTE_RATE_LIMIT_PER_MINUTE": "1000000",
            "JATTE_RATE_LIMIT_BURST": "1000000",
        },
        tmp_path / "server.log",
        server=request.param,
    )
    yield backend.start()
    backend.stop()


async def _until(socket_: Any, kind: str) -> dict[str, Any]:
    while True:
        frame: dict[str, Any] = json.loads(await socket_.recv())
        if frame["type"] == kind:
            return frame


FLOOD = 400  # messages of 5,000 control characters: about 30 KB each on the wire, 12 MB in all
FLOOD_TEXT = "\x01" * 5000  # JSON escapes each as \u0001
WARM_UP = 100


async def _flood(alice: Any, cid: str, count: int) -> None:
    """Alice sends `count` flood messages in rounds of 10 and reads her own answers."""
    for start in range(0, count, 10):
        for n in range(start, start + 10):
            text = json.dumps({"type": "message.new", "cid": cid, "text": FLOOD_TEXT, "request_id": f"w{n}"})
            await alice.send(text)
        for _ in range(10):
            await _until(alice, "message.sent")


async def test_slow_reader_is_cut_off_instead_of_buffered(flood_backend: BackendProcess) -> None:
    cid = "livestream:flood"
    options: dict[str, Any] = {"compression": None, "max_size": None}
    alice = await websockets.connect(f"{flood_backend.ws_url}?token={mint_token('alice')}", **options)
    await _until(alice, "health.check")
    await alice.send(json.dumps({"type": "channel.watch", "cid": cid, "request_id": "w"}))
    await _until(alice, "channel.state")
    # A first flood with alice alone warms what any flood grows (the database's page cache, the
    # allocator's arenas), so that the growth measured below is what the slow reader would cost.
    await _flood(alice, cid, WARM_UP)
    # The slow reader: a tiny receive buffer, and once it has watched it reads nothing more.
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.connect(("127.0.0.1", flood_backend.port))
    slow = await websockets.connect(
        f"{flood_backend.ws_url}?token={mint_token('slow')}",
        sock=raw,
        max_queue=1,
        ping_interval=None,
        **options,
    )
    await _until(slow, "health.check")
    await slow.send(json.dumps({"type": "channel.watch", "cid": cid, "request_id": "w"}))
    await _until(slow, "channel.state")
    assert (await _until(alice, "user.watching.start"))["watcher_count"] == 2
    assert flood_backend.process is not None
    rss_before = _rss_mib(flood_backend.process.pid)

    sent = 0
    left_at: int | None = None
    while sent < FLOOD:  # in rounds of 10, so alice's own backlog stays under her 1 MiB buffer
        for n in range(sent, sent + 10):
            await alice.send(
                json.dumps({"type": "message.new", "cid": cid, "text": FLOOD_TEXT, "request_id": f"m{n}"})
            )
        goal = sent + 10
        while sent < goal:
            frame = json.loads(await asyncio.wait_for(alice.recv(), 30))
            if frame["type"] == "message.sent":
                sent += 1
            elif frame["type"] == "user.watching.stop":
                assert frame["user"]["id"] == "slow" and frame["watcher_count"] == 1
                left_at = sent
    assert left_at is not None and left_at < FLOOD / 2, f"the slow reader was kept for {left_at} messages"
    growth = _rss_mib(flood_backend.process.pid) - rss_before
    assert growth < FLOOD * 30 / 1024 / 2, f"the server grew by {growth:.1f} MiB"

    received = 0
    with pytest.raises(websockets.ConnectionClosed) as closed:
        while True:  # what the kernel had already taken, then the cut
            await asyncio.wait_for(slow.recv(), 10)
            received += 1
    assert closed.value.rcvd is None, "the connection was cut, not closed politely behind the backlog"
    assert received < FLOOD / 2
    log = flood_backend.log.read_text()
    assert "bytes unsent" in log or "characters unread" in log
    await alice.send(json.dumps({"type": "health.check", "request_id": "still"}))
    assert (await _until(alice, "health.check"))["request_id"] == "still"
    await alice.close()


# Shared through Redis (the cross-process behaviour is in test_cluster.py)


async def test_redis_limits_fall_back_to_per_process_counting_and_log_it_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With Redis unreachable every frame is still counted, here, and the outage is logged once."""
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    shared = limits.RedisLimits(f"redis://127.0.0.1:{port}/0", per_minute=60, burst=3, max_sockets=2)
    with caplog.at_level("ERROR", logger="chat.limits"):
        waits = [await shared.check("alice", "message.new") for _ in range(4)]
        assert await shared.admit("alice", "s1") and await shared.admit("alice", "s2")
        assert not await shared.admit("alice", "s3")  # the cap, counted in this process
        await shared.release("alice", "s1")
        assert await shared.admit("alice", "s3")
    assert waits[:3] == [0.0, 0.0, 0.0] and waits[3] > 0  # the burst of 3, then refused
    assert not shared.shared
    outages = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(outages) == 1, [r.getMessage() for r in caplog.records]
