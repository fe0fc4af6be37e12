"""A fuzzer driven by the schema: frames made from `$defs/ClientFrame`, valid and broken, thrown at a consumer.

Hypothesis draws each frame from strategies built out of the schema itself (so a new field or
frame type is fuzzed without touching this file), then maybe breaks it: a field dropped or given
the wrong type, an extra field, huge strings, odd unicode (lone surrogates included, escaped as
JSON allows), deep nesting, NaN, duplicate keys, truncated JSON, JSON that is not an object,
binary frames. After every frame a probe proves the socket still answers. Throughout:

- every frame the server sends validates against `$defs/ServerFrame`;
- a frame with a usable request_id is answered exactly once; a valid frame is never refused as
  malformed; a frame over 1 MiB closes its socket with 1009 and nothing else does;
- no ERROR is logged (an unhandled exception in the consumer would be);
- two well-behaved users on other sockets keep exchanging messages, and see nothing else.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from chat.auth import mint_token
from chat.frames import CloseCode
from chat.protocol import MAX_FRAME_BYTES
from jatte.asgi import application

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schema" / "frames.schema.json").read_text())
DEFS: dict[str, Any] = SCHEMA["$defs"]


def _ecma_patterns(node: Any) -> Any:
    """The schema with each pattern's `$` as ECMA 262 reads it (end of text), not as Python's `re`
    does (also before a final newline)."""
    if isinstance(node, dict):
        return {
            key: (value[:-1] + r"\Z" if key == "pattern" and value.endswith("$") else _ecma_patterns(value))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_ecma_patterns(value) for value in node]
    return node


# jsonschema checks `date-time` only with rfc3339-validator installed; without it any string passes,
# and a broken client Timestamp (message.pin's pin_expires) would count as valid. RFC 3339 here.
FORMATS = FormatChecker()
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z")


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the type keyword says what else is wrong
    return bool(RFC3339.match(value)) and dt.datetime.fromisoformat(value.upper()) is not None


class FrameValidator:
    """Validates against a `oneOf` union of frames told apart by their `type` const.

    Equivalent to validating against the union (no other member can match a frame whose `type`
    is another's const) and far quicker than trying every member, which matters 30,000 times.
    """

    def __init__(self, union: str, defs: dict[str, Any]) -> None:
        self.by_type: dict[str, Draft202012Validator] = {}
        for option in defs[union]["oneOf"]:
            name = option["$ref"].rsplit("/", 1)[-1]
            kind = defs[name]["properties"]["type"]["const"]
            assert kind not in self.by_type, f"{union}: two frames of type {kind!r}"
            self.by_type[kind] = Draft202012Validator(
                {"$defs": defs, "$ref": f"#/$defs/{name}"}, format_checker=FORMATS
            )

    def errors(self, frame: Any) -> list[str]:
        kind = frame.get("type") if isinstance(frame, dict) else None
        validator = self.by_type.get(kind) if isinstance(kind, str) else None
        if validator is None:
            return [f"no frame has type {kind!r}"]
        return sorted(error.message for error in validator.iter_errors(frame))

    def is_valid(self, frame: Any) -> bool:
        return not self.errors(frame)


SERVER_FRAME = FrameValidator("ServerFrame", DEFS)
CLIENT_FRAME = FrameValidator("ClientFrame", _ecma_patterns(DEFS))

FRAMES = 10_000  # fuzz frames per run (each followed by a probe)
GOOD_EVERY = 250  # the well-behaved users exchange a message this often
FRESH_EVERY = 2_000  # the fuzzing socket is replaced this often (and after every 1009)
GOOD_CID = "messaging:good"

# Codes that say a frame is malformed: a frame valid against the schema must never get one.
MALFORMED = {
    "invalid_json",
    "invalid_frame",
    "unknown_type",
    "invalid_cid",
    "invalid_field",
    "message_too_long",
    "internal_error",
}


# Strategies from the schema. A few $defs are biased towards values the server knows (real channel
# types, ids that exist) so frames reach the services instead of stopping at "unknown channel type".


def _biased(name: str, node: dict[str, Any]) -> st.SearchStrategy[Any] | None:
    if name == "Cid":
        known = st.tuples(
            st.sampled_from(["messaging", "team", "livestream"]),
            st.sampled_from(["fuzz", "good", "open", "x"])
            | st.from_regex(r"[A-Za-z0-9!_-]{1,64}", fullmatch=True),
        ).map(":".join)
        return known | _plain(node)
    if name == "MessageId":
        return st.sampled_from(["m1", "m2", "m3", "good-0"]) | _plain(node)
    if name == "UserId":
        return st.sampled_from(["fuzzer", "bob", "carol"]) | _plain(node)
    if name == "Timestamp":
        # Without rfc3339-validator the format checker passes any string as a date-time, so only
        # real ones are drawn (message.pin's pin_expires is a client Timestamp).
        moments = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC))
        return moments.map(lambda moment: moment.isoformat().replace("+00:00", "Z"))
    return None


def from_schema(node: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A strategy for the JSON Schema subset the client frames use ($ref, oneOf, const, enum, object,
    string with length and pattern, integer with bounds, array with minItems and maxItems, boolean)."""
    ref = node.get("$ref")
    if ref is not None:
        name = ref.rsplit("/", 1)[-1]
        biased = _biased(name, DEFS[name])
        return biased if biased is not None else from_schema(DEFS[name])
    return _plain(node)


def _plain(node: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    options = node.get("oneOf") or node.get("anyOf")
    if options:
        return st.one_of(*(from_schema(option) for option in options))
    kind = node.get("type")
    if kind == "object":
        properties = node.get("properties", {})
        required = set(node.get("required", ()))
        return st.fixed_dictionaries(
            {key: from_schema(value) for key, value in properties.items() if key in required},
            optional={key: from_schema(value) for key, value in properties.items() if key not in required},
        )
    if kind == "string":
        low, high = node.get("minLength", 0), node.get("maxLength")
        if "pattern" in node:
            text = st.from_regex(node["pattern"], fullmatch=True)
            return text.filter(lambda s: low <= len(s) and (high is None or len(s) <= high))
        return st.text(min_size=low, max_size=min(high, 300) if high is not None else 300)
    if kind == "integer":
        return st.integers(node.get("minimum"), node.get("maximum"))
    if kind == "array":
        low = node.get("minItems", 0)
        return st.lists(
            from_schema(node.get("items", {})),
            min_size=low,
            max_size=max(low, min(node.get("maxItems", 5), 5)),
        )
    if kind == "boolean":
        return st.booleans()
    raise NotImplementedError(f"the fuzzer does not know {node!r}: teach from_schema()")


CLIENT_FRAMES: st.SearchStrategy[dict[str, Any]] = from_schema(DEFS["ClientFrame"])

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
ODD_TEXT = st.text(
    st.characters(categories=["Cc", "Cf", "Co", "Zs", "Zl", "Zp", "So", "Mn", "Lo"])
    | st.sampled_from("\u202e\u200d\ufeff\U0001f600"),
    max_size=40,
)
LONE_SURROGATES = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff", "\udc00\ud800"])


@dataclass(frozen=True, slots=True)
class Throw:
    """One frame for the server: what it is, and what the server must do with it."""

    how: str
    text: str | None = None
    data: bytes | None = None
    valid: bool = False

    @property
    def oversize(self) -> bool:
        return self.text is not None and len(self.text.encode("utf-8", "surrogatepass")) > MAX_FRAME_BYTES

    @property
    def request_id(self) -> str | None:
        """The request_id the answer must carry: what the client asked for, if usable."""
        if self.text is None:
            return None
        try:
            parsed = json.loads(self.text)
        except (ValueError, RecursionError):
            return None
        value = parsed.get("request_id") if isinstance(parsed, dict) else None
        if not (isinstance(value, str) and 0 < len(value) <= 64):
            return None
        return value if value.encode("utf-8", "replace") == value.encode("utf-8", "surrogatepass") else None


def _text(frame: Any, ascii_only: bool) -> str:
    return json.dumps(frame, ensure_ascii=ascii_only)


# What to do to a frame. Hypothesis leans towards the first entries, so the mutations come first.
HOW = [
    *("drop", "wrong_type", "extra", "huge", "unicode", "surrogate", "deep", "nan", "duplicate_key"),
    *("truncated", "not_object", "garbage", "binary", "empty", "wrong_type", "unicode"),
    *("valid",) * 8,
]


@st.composite
def throws(draw: st.DrawFn) -> Throw:
    frame: dict[str, Any] = draw(CLIENT_FRAMES)
    how = draw(st.sampled_from(HOW))
    ascii_only = draw(st.booleans())
    keys = sorted(frame)
    if how == "valid":
        return Throw(how, _text(frame, ascii_only), valid=True)
    if how == "drop":
        del frame[draw(st.sampled_from(keys))]
    elif how == "wrong_type":
        frame[draw(st.sampled_from(keys))] = draw(JSON_VALUES)
    elif how == "extra":
        frame[draw(st.text(min_size=1, max_size=12))] = draw(JSON_VALUES)
    elif how == "huge":
        size = draw(st.sampled_from([5_001, 65_536, 400_000, MAX_FRAME_BYTES + 1]))
        frame[draw(st.sampled_from([*keys, "text", "request_id", "padding"]))] = (
            draw(st.sampled_from(["x", "é", "\U0001f600", "\x00"])) * size
        )
    elif how == "unicode":
        frame[draw(st.sampled_from([*keys, "text", "request_id", "cid"]))] = draw(ODD_TEXT)
    elif how == "surrogate":  # JSON may escape a lone surrogate; only \\u escapes can carry one
        key = draw(st.sampled_from([*keys, "text", "request_id", "name"]))
        value = draw(st.text(max_size=10))
        at = draw(st.integers(0, len(value)))
        frame[key] = value[:at] + draw(LONE_SURROGATES) + value[at:]
        return Throw(how, _text(frame, ascii_only=True))
    elif how == "deep":
        depth = draw(st.sampled_from([32, 1_000, 100_000]))
        nest = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        inner = "1" if nest[0] == '{"a":' else ""
        deep = nest[0] * depth + inner + nest[1] * depth
        body = _text(frame, ascii_only)
        return Throw(how, f'{body[:-1]}, "deep": {deep}}}')
    elif how == "nan":
        frame[draw(st.sampled_from([*keys, "limit"]))] = draw(
            st.sampled_from([float("nan"), float("inf"), -float("inf")])
        )
    elif how == "duplicate_key":
        other = draw(st.sampled_from(["health.check", "message.new", "nope", 7]))
        return Throw(how, '{"type": ' + json.dumps(other) + ", " + _text(frame, ascii_only)[1:])
    elif how == "truncated":
        body = _text(frame, ascii_only)
        return Throw(how, body[: draw(st.integers(0, len(body) - 1))])
    elif how == "not_object":
        return Throw(how, json.dumps(draw(JSON_VALUES.filter(lambda v: not isinstance(v, dict)))))
    elif how == "garbage":
        return Throw(how, draw(st.text(max_size=200)))
    elif how == "binary":
        data = draw(st.binary(min_size=1, max_size=200) | st.just(_text(frame, ascii_only).encode()))
        return Throw(how, data=data)
    elif how == "empty":
        return Throw(how, "")
    return Throw(
        how, _text(frame, ascii_only), valid=CLIENT_FRAME.is_valid(frame)
    )  # a mutation may still be valid


# The run.


class ErrorLog(logging.Handler):
    """Collects every ERROR (or worse) record, wherever it is logged."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def error_log() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    loggers = [logging.getLogger(), logging.getLogger("chat"), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


class Socket:
    """A WebsocketCommunicator speaking JSON, checking every frame it receives against ServerFrame."""

    def __init__(self, user_id: str) -> None:
        self.user_id = user_id
        self.communicator = WebsocketCommunicator(application, f"/ws/chat/?token={mint_token(user_id)}")
        self.counter = 0
        self.received: Counter[str] = Counter()

    async def open(self) -> Socket:
        connected, _ = await self.communicator.connect(timeout=10)
        assert connected
        hello = await self.recv()
        assert hello["type"] == "health.check" and hello["me"]["id"] == self.user_id
        return self

    async def recv(self, timeout: float = 5) -> dict[str, Any]:
        output = await self.communicator.receive_output(timeout)
        assert output["type"] == "websocket.send", f"{self.user_id} got {output!r}"
        assert output.get("text") is not None, "the server sent a binary frame"
        frame: dict[str, Any] = json.loads(output["text"])
        errors = SERVER_FRAME.errors(frame)
        assert not errors, f"not a ServerFrame: {errors}\n{output['text'][:2000]}"
        self.received[frame["type"]] += 1
        return frame

    async def request(self, frame: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Sends with a fresh request_id; returns the answer and the frames that came before it."""
        self.counter += 1
        request_id = f"\u2603{self.user_id}-{self.counter}"  # no generated request_id starts with a snowman
        await self.communicator.send_to(text_data=json.dumps({**frame, "request_id": request_id}))
        before = []
        while (reply := await self.recv()).get("request_id") != request_id:
            before.append(reply)
        return reply, before

    async def drain(self) -> list[dict[str, Any]]:
        frames = []
        while not await self.communicator.receive_nothing(timeout=0.01):
            frames.append(await self.recv())
        return frames

    async def close(self) -> None:
        await self.communicator.disconnect()


@dataclass
class Tally:
    thrown: int = 0
    valid: int = 0
    oversize: int = 0
    fresh_sockets: int = 0
    exchanges: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)


def in_good_channel(frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The frames that are not about another channel. The fuzzer may rightly make a well-behaved
    user a member of its own channels (notification.added_to_channel, then notification.message_new,
    channel.deleted...); what it must never reach is their channel or their socket's answers."""
    return [frame for frame in frames if frame.get("cid", GOOD_CID) == GOOD_CID]


class Fuzz:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.tally = Tally()
        self.good_ids: list[str] = []

    async def start(self) -> None:
        self.bob = await Socket("bob").open()
        self.carol = await Socket("carol").open()
        state, _ = await self.bob.request(
            {"type": "channel.watch", "cid": GOOD_CID, "data": {"members": ["carol"]}}
        )
        assert state["type"] == "channel.state"
        state, _ = await self.carol.request({"type": "channel.watch", "cid": GOOD_CID})
        assert state["type"] == "channel.state"
        await self.bob.drain()
        self.fuzzer = await Socket("fuzzer").open()

    async def fresh_fuzzer(self) -> None:
        await self.fuzzer.close()
        self.fuzzer = await Socket("fuzzer").open()
        self.tally.fresh_sockets += 1

    async def throw(self, throw: Throw) -> None:
        self.tally.thrown += 1
        self.tally.kinds[throw.how] += 1
        communicator = self.fuzzer.communicator
        if throw.data is not None:
            await communicator.send_input({"type": "websocket.receive", "bytes": throw.data})
        else:  # send_input, not send_to: an empty text frame is a frame too
            await communicator.send_input({"type": "websocket.receive", "text": throw.text})
        if throw.oversize:
            closing = await communicator.receive_output(timeout=5)
            assert closing["type"] == "websocket.close" and closing["code"] == CloseCode.MESSAGE_TOO_BIG, (
                closing
            )
            self.tally.oversize += 1
            await self.fresh_fuzzer()
            if self.tally.thrown % GOOD_EVERY == 0:  # the exchange is due on an oversize throw too
                await self.exchange()
            return
        # The probe: answered means the socket is still usable, and everything before it is this frame's.
        probe, replies = await self.fuzzer.request({"type": "health.check"})
        assert probe["type"] == "health.check"
        errors = [reply for reply in replies if reply["type"] == "error"]
        assert len(errors) <= 1, f"{throw.how}: {len(errors)} errors for one frame: {errors}"
        for error in errors:
            self.tally.refusals[error["code"]] += 1
            assert error["code"] not in {"rate_limited", "internal_error"}, error
            if throw.valid:
                assert error["code"] not in MALFORMED, f"a valid frame was refused: {error}\n{throw.text}"
        if throw.valid:
            self.tally.valid += 1
        if throw.request_id is not None:
            answers = [reply for reply in replies if reply.get("request_id") == throw.request_id]
            assert len(answers) == 1, (
                f"{throw.how}: {len(answers)} answers to {throw.request_id!r}: {replies}"
            )
        if self.tally.thrown % GOOD_EVERY == 0:
            await self.exchange()
        if self.tally.thrown % FRESH_EVERY == 0:
            await self.fresh_fuzzer()

    async def exchange(self) -> None:
        """Bob sends a message to carol; both see exactly what a quiet channel would give them."""
        message_id = f"good-{len(self.good_ids)}"
        for user in (self.carol, self.bob):
            assert in_good_channel(await user.drain()) == [], "a well-behaved user saw fuzz"
        sent, before = await self.bob.request(
            {"type": "message.new", "cid": GOOD_CID, "text": "still here", "id": message_id}
        )
        assert sent["type"] == "message.sent" and sent["message"]["id"] == message_id, sent
        assert [frame["type"] for frame in before] == ["message.new"]
        delivered = await self.carol.recv()
        assert delivered["type"] == "message.new" and delivered["message_id"] == message_id, delivered
        self.good_ids.append(message_id)
        self.tally.exchanges += 1

    async def finish(self) -> None:
        await self.exchange()
        state, _ = await self.carol.request(
            {"type": "channel.watch", "cid": GOOD_CID, "messages": {"limit": 300}}
        )
        assert [message["id"] for message in state["messages"]] == self.good_ids

    async def close(self) -> None:
        for socket in (self.fuzzer, self.bob, self.carol):
            with contextlib.suppress(Exception):  # a failed run leaves sockets in any state
                await socket.close()


def test_fuzz_frames_from_the_schema_never_break_the_server(
    transactional_db: None, unlimited: None, error_log: ErrorLog
) -> None:
    loop = asyncio.new_event_loop()
    fuzz = Fuzz(loop)
    loop.run_until_complete(fuzz.start())

    @settings(
        max_examples=FRAMES,
        database=None,
        deadline=None,
        phases=[Phase.generate],  # one long-lived socket: a failure is reported as found, not shrunk
        suppress_health_check=list(HealthCheck),
    )
    @given(throws())
    def throw(frame: Throw) -> None:
        loop.run_until_complete(fuzz.throw(frame))

    try:
        throw()
        loop.run_until_complete(fuzz.finish())
    finally:
        loop.run_until_complete(fuzz.close())
        loop.close()
    tally = fuzz.tally
    print(f"\nfuzz: {tally}")
    assert tally.thrown >= FRAMES
    assert tally.oversize > 0 and tally.fresh_sockets > tally.oversize
    assert tally.valid > FRAMES / 5
    assert set(tally.kinds) >= {"surrogate", "deep", "binary", "huge", "not_object"}
    assert tally.exchanges >= FRAMES // GOOD_EVERY
    assert [record.getMessage() for record in error_log.records] == []


@pytest.fixture
def unlimited(settings: Any) -> None:
    """No rate limit in the way: the fuzzer sends 20,000 frames as one user in under a minute."""
    settings.JATTE_RATE_LIMIT_PER_MINUTE = 10**9
    settings.JATTE_RATE_LIMIT_BURST = 10**9


def test_schema_strategies_make_valid_client_frames() -> None:
    """The generator itself: what it calls valid is valid against the schema."""

    @settings(max_examples=300, database=None, deadline=None)
    @given(CLIENT_FRAMES)
    def check(frame: dict[str, Any]) -> None:
        assert CLIENT_FRAME.is_valid(frame), frame
        assert re.fullmatch(r"[a-z._]+", frame["type"])

    check()
