"""The WebSocket transport, frame by frame, through Channels' WebsocketCommunicator."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings

from chat.frames import CloseCode
from chat.models import Message, Read
from chat.protocol import MAX_FRAME_BYTES
from jatte.asgi import application

from .conftest import Connect

DEMO = "messaging:demo"


async def _refused_close(token: str | None) -> dict[str, Any]:
    path = "/ws/chat/" if token is None else f"/ws/chat/?token={token}"
    communicator = WebsocketCommunicator(application, path)
    connected, _ = await communicator.connect(timeout=10)
    assert connected  # accepted so the close code reaches the browser
    output: dict[str, Any] = await communicator.receive_output(timeout=10)
    await communicator.wait()
    return output


# Connecting


async def test_connect_first_frame_is_health_check_with_me(transactional_db: None) -> None:
    communicator = WebsocketCommunicator(application, f"/ws/chat/?token={_token('alice', 'Alice')}")
    assert (await communicator.connect(timeout=10))[0]
    hello = json.loads(await communicator.receive_from(timeout=10))
    assert hello["type"] == "health.check"
    assert hello["cid"] == "*"
    assert hello["connection_id"]
    assert hello["me"]["id"] == "alice"
    assert hello["me"]["name"] == "Alice"
    assert hello["me"]["mutes"] == [] and hello["me"]["channel_mutes"] == []
    await communicator.disconnect()


def _token(user_id: str, name: str | None = None, **claims: object) -> str:
    body: dict[str, object] = {"sub": user_id, "aud": "authenticated", "exp": int(time.time()) + 3600}
    if name:
        body["user_metadata"] = {"name": name}
    body.update(claims)
    return jwt.encode(body, settings.SUPABASE_JWT_SECRET, "HS256")


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (None, "no token"),
        ("garbage", "malformed"),
        (_token("alice", aud="anon"), "audience"),
        (
            jwt.encode(
                {"sub": "a", "aud": "authenticated", "exp": int(time.time()) + 3600}, "y" * 64, "HS256"
            ),
            "signature",
        ),
    ],
    ids=["missing", "malformed", "wrong-audience", "forged"],
)
async def test_connect_refused_token_closes_4001_before_any_frame(
    transactional_db: None, token: str | None, reason: str
) -> None:
    output = await _refused_close(token)
    assert output["type"] == "websocket.close"
    assert output["code"] == CloseCode.UNAUTHORIZED
    assert reason in str(output["reason"])


async def test_connect_expired_token_closes_4002_after_a_token_expired_error(transactional_db: None) -> None:
    """An expired token is not a forged one: 4002 tells the client a fresh token will do."""
    communicator = WebsocketCommunicator(
        application, f"/ws/chat/?token={_token('alice', exp=int(time.time()) - 5)}"
    )
    connected, _ = await communicator.connect()
    assert connected
    error = json.loads(await communicator.receive_from())
    assert error["type"] == "error" and error["code"] == "token_expired"
    output = await communicator.receive_output()
    assert output["type"] == "websocket.close" and output["code"] == CloseCode.TOKEN_EXPIRED
    await communicator.wait()


# Health checks and request ids


async def test_health_check_is_answered_with_its_request_id_and_no_me(connect: Connect) -> None:
    """Only the first health.check carries `me` (Stream's way): its unread totals would be stale."""
    alice = await connect("alice")
    reply = await alice.request({"type": "health.check", "client_id": "c1"})
    assert reply["type"] == "health.check" and reply["connection_id"]
    assert "me" not in reply


# Watching


async def test_watch_creates_channel_with_creator_and_members(connect: Connect) -> None:
    alice = await connect("alice", "Alice")
    state = await alice.watch(DEMO, data={"members": ["bob"], "name": "Demo"})
    assert state["cid"] == DEMO
    assert state["channel"]["name"] == "Demo"
    assert state["channel"]["created_by"]["id"] == "alice"
    assert {m["user_id"] for m in state["members"]} == {"alice", "bob"}
    assert state["messages"] == []
    assert state["watcher_count"] == 1


async def test_watch_messaging_refuses_non_members_and_sends_them_no_events(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.watch(DEMO, data={"members": ["bob"]})
    mallory = await connect("mallory")
    refusal = await mallory.request({"type": "channel.watch", "cid": DEMO})
    assert refusal["type"] == "error"
    assert refusal["code"] == "not_allowed"
    await alice.request({"type": "message.new", "cid": DEMO, "text": "secret"})
    assert await mallory.nothing_more()


async def test_watch_livestream_is_open_to_every_signed_in_user(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.watch("livestream:town")
    carol = await connect("carol")
    state = await carol.watch("livestream:town")
    assert state["watcher_count"] == 2


async def test_watch_unknown_channel_type_is_refused(connect: Connect) -> None:
    alice = await connect("alice")
    refusal = await alice.request({"type": "channel.watch", "cid": "nosuch:room"})
    assert refusal["code"] == "unknown_channel_type"


async def test_watch_returns_latest_messages_oldest_first_with_limit_and_paging(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.watch(DEMO)
    for n in range(5):
        await alice.request({"type": "message.new", "cid": DEMO, "text": f"m{n}", "id": f"id{n}"})
    latest = await alice.watch(DEMO, messages={"limit": 3})
    assert [m["text"] for m in latest["messages"]] == ["m2", "m3", "m4"]
    older = await alice.watch(DEMO, messages={"limit": 3, "id_lt": "id2"})
    assert [m["text"] for m in older["messages"]] == ["m0", "m1"]
    missed = await alice.watch(DEMO, messages={"id_gt": "id2"})
    assert [m["text"] for m in missed["messages"]] == ["m3", "m4"]


async def test_watch_paging_by_unknown_message_is_not_found(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.watch(DEMO)
    refusal = await alice.request({"type": "channel.watch", "cid": DEMO, "messages": {"id_lt": "nope"}})
    assert refusal["code"] == "not_found"


async def test_one_socket_watches_many_channels(connect: Connect) -> None:
    alice = await connect("alice")
    bob = await connect("bob")
    for room in ("messaging:one", "messaging:two"):
        await alice.watch(room, data={"members": ["bob"]})
        await bob.watch(room)
    await bob.request({"type": "message.new", "cid": "messaging:two", "text": "in two"})
    event = await _next_of(alice, "message.new")
    assert event["cid"] == "messaging:two"


async def _next_of(client: object, kind: str) -> dict[str, Any]:
    from .conftest import Client

    assert isinstance(client, Client)
    while True:
        frame = await client.recv()
        if frame["type"] == kind:
            return frame


async def test_stop_watching_ends_events_and_lowers_watcher_count(connect: Connect) -> None:
    alice = await connect("alice")
    bob = await connect("bob")
    await alice.watch(DEMO, data={"members": ["bob"]})
    await bob.watch(DEMO)
    start = await _next_of(alice, "user.watching.start")
    assert start["watcher_count"] == 2
    assert (await bob.request({"type": "channel.stop_watching", "cid": DEMO}))["type"] == "ok"
    stop = await _next_of(alice, "user.watching.stop")
    assert stop["watcher_count"] == 1
    await alice.request({"type": "message.new", "cid": DEMO, "text": "anyone?"})
    # A member who is not watching hears of it only as a notification, never as the channel event.
    notice = await bob.recv()
    assert notice["type"] == "notification.message_new" and notice["message"]["text"] == "anyone?"
    assert await bob.nothing_more()


async def test_disconnect_drops_the_socket_from_watchers(connect: Connect) -> None:
    alice = await connect("alice")
    bob = await connect("bob")
    await alice.watch(DEMO, data={"members": ["bob"]})
    await bob.watch(DEMO)
    await bob.communicator.disconnect()
    stop = await _next_of(alice, "user.watching.stop")
    assert stop["watcher_count"] == 1
    assert (await alice.watch(DEMO))["watcher_count"] == 1


# Messages


async def test_message_new_is_stored_and_delivered_to_every_watcher_sender_included(connect: Connect) -> None:
    alice = await connect("alice", "Alice")
    bob = await connect("bob", "Bob")
    await alice.watch(DEMO, data={"members": ["bob"]})
    await bob.watch(DEMO)
    await alice.send({"type": "message.new", "cid": DEMO, "text": "hello world", "request_id": "q1"})
    own = await _next_of(alice, "message.new")
    sent = await _next_of(alice, "message.sent")
    theirs = await _next_of(bob, "message.new")
    assert own == theirs
    assert theirs["cid"] == DEMO and theirs["channel_type"] == "messaging" and theirs["channel_id"] == "demo"
    message = theirs["message"]
    assert isinstance(message, dict)
    assert message["text"] == "hello world"
    assert message["type"] == "regular"
    assert message["user"] == {"id": "alice", "name": "Alice"}
    assert theirs["message_id"] == message["id"]
    assert sent["request_id"] == "q1" and sent["duplicate"] is False and sent["message"] == message
    assert await Message.objects.filter(message_id=message["id"], text="hello world").acount() == 1


async def test_message_new_resent_with_same_id_stores_and_delivers_nothing_new(connect: Connect) -> None:
    alice = await connect("alice")
    bob = await connect("bob")
    await alice.watch(DEMO, data={"members": ["bob"]})
    await bob.watch(DEMO)
    first = await alice.request({"type": "message.new", "cid": DEMO, "text": "once", "id": "fixed-id"})
    again = await alice.request({"type": "message.new", "cid": DEMO, "text": "once", "id": "fixed-id"})
    assert first["duplicate"] is False
    assert again["duplicate"] is True
    assert again["message"] == first["message"]
    assert (await _next_of(bob, "message.new"))["message_id"] == "fixed-id"
    assert await bob.nothing_more()
    assert await Message.objects.filter(message_id="fixed-id").acount() == 1


async def test_message_new_with_another_users_id_is_an_id_conflict(connect: Connect) -> None:
    alice = await connect("alice")
    bob = await connect("bob")
    await alice.watch(DEMO, data={"members": ["bob"]})
    await alice.request({"type": "message.new", "cid": DEMO, "text": "mine", "id": "taken"})
    refusal = await bob.request({"type": "message.new", "cid": DEMO, "text": "theirs", "id": "taken"})
    assert refusal["code"] == "id_conflict"
    assert await Message.objects.filter(message_id="taken", text="mine").acount() == 1


async def test_message_new_from_non_member_is_refused_and_not_stored(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.watch(DEMO)
    mallory = await connect("mallory")
    refusal = await mallory.request({"type": "message.new", "cid": DEMO, "text": "let me in"})
    assert refusal["code"] == "not_allowed"
    assert await Message.objects.filter(text="let me in").acount() == 0


async def test_message_reply_needs_its_parent_in_the_channel(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.watch(DEMO)
    parent = await alice.request({"type": "message.new", "cid": DEMO, "text": "root", "id": "root"})
    reply = await alice.request({"type": "message.new", "cid": DEMO, "text": "re", "parent_id": "root"})
    assert parent["message"]["type"] == "regular"
    assert reply["message"]["type"] == "reply" and reply["message"]["parent_id"] == "root"
    orphan = await alice.request({"type": "message.new", "cid": DEMO, "text": "re", "parent_id": "nope"})
    assert orphan["code"] == "not_found"


async def test_message_text_renders_nothing_as_html(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.watch(DEMO)
    sent = await alice.request({"type": "message.new", "cid": DEMO, "text": "<b>bold</b>"})
    assert sent["message"]["text"] == "<b>bold</b>"
    assert sent["message"]["html"] == ""


# Typing and reading


@pytest.mark.parametrize("kind", ["typing.start", "typing.stop"])
async def test_typing_is_relayed_to_other_watchers_only(connect: Connect, kind: str) -> None:
    alice = await connect("alice", "Alice")
    bob = await connect("bob")
    await alice.watch(DEMO, data={"members": ["bob"]})
    await bob.watch(DEMO)
    assert (await alice.request({"type": kind, "cid": DEMO}))["type"] == "ok"
    event = await _next_of(bob, kind)
    assert event["user"] == {"id": "alice", "name": "Alice"}
    assert event["cid"] == DEMO
    assert await alice.nothing_more()


async def test_typing_stops_for_others_when_the_typist_disconnects(connect: Connect) -> None:
    alice = await connect("alice")
    bob = await connect("bob")
    await alice.watch(DEMO, data={"members": ["bob"]})
    await bob.watch(DEMO)
    await alice.request({"type": "typing.start", "cid": DEMO})
    await _next_of(bob, "typing.start")
    await alice.communicator.disconnect()
    stop = await _next_of(bob, "typing.stop")
    assert stop["user"]["id"] == "alice"


async def test_typing_from_non_member_is_refused(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.watch(DEMO)
    mallory = await connect("mallory")
    assert (await mallory.request({"type": "typing.start", "cid": DEMO}))["code"] == "not_allowed"
    assert await alice.nothing_more()


async def test_message_read_is_stored_relayed_and_shown_in_state(connect: Connect) -> None:
    alice = await connect("alice")
    bob = await connect("bob", "Bob")
    await alice.watch(DEMO, data={"members": ["bob"]})
    await bob.watch(DEMO)
    await alice.request({"type": "message.new", "cid": DEMO, "text": "one", "id": "one"})
    await alice.request({"type": "message.new", "cid": DEMO, "text": "two", "id": "two"})
    unread = {r["user"]["id"]: r for r in (await bob.watch(DEMO))["read"]}
    assert unread["bob"]["unread_messages"] == 2
    answer = await bob.request({"type": "message.read", "cid": DEMO, "message_id": "one"})
    assert answer["type"] == "message.read" and answer["last_read_message_id"] == "one"
    relayed = await _next_of(alice, "message.read")
    assert relayed["user"]["id"] == "bob"
    read = {r["user"]["id"]: r for r in (await alice.watch(DEMO))["read"]}
    assert read["bob"]["last_read_message_id"] == "one"
    assert read["bob"]["unread_messages"] == 1
    latest = await bob.request({"type": "message.read", "cid": DEMO})
    assert latest["last_read_message_id"] == "two"
    assert await Read.objects.filter(user_id="bob", last_read_message_id="two").acount() == 1


async def test_message_read_of_unknown_message_is_not_found(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.watch(DEMO)
    assert (await alice.request({"type": "message.read", "cid": DEMO, "message_id": "ghost"}))[
        "code"
    ] == "not_found"


async def test_message_read_from_non_member_is_refused(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.watch(DEMO)
    mallory = await connect("mallory")
    assert (await mallory.request({"type": "message.read", "cid": DEMO}))["code"] == "not_allowed"


# Bad input


BAD_FRAMES = [
    ("not json", "invalid_json"),
    ('["a list"]', "invalid_frame"),
    ('"a string"', "invalid_frame"),
    ("{}", "invalid_frame"),
    ('{"type": "no.such.frame", "request_id": "bad1"}', "unknown_type"),
    ('{"type": "message.new", "text": "x"}', "invalid_cid"),
    ('{"type": "message.new", "cid": "messaging", "text": "x"}', "invalid_cid"),
    ('{"type": "message.new", "cid": "messaging:a b", "text": "x"}', "invalid_cid"),
    ('{"type": "message.new", "cid": "messaging:../../etc", "text": "x"}', "invalid_cid"),
    ('{"type": "message.new", "cid": "chat.channel.1:x", "text": "x"}', "invalid_cid"),
    ('{"type": "message.new", "cid": 7, "text": "x"}', "invalid_cid"),
    ('{"type": "message.new", "cid": "messaging:demo", "text": 5}', "invalid_field"),
    ('{"type": "message.new", "cid": "messaging:demo", "text": ""}', "empty_text"),
    ('{"type": "message.new", "cid": "messaging:demo", "text": "   "}', "empty_text"),
    ('{"type": "message.new", "cid": "messaging:demo", "text": "' + "x" * 5001 + '"}', "message_too_long"),
    ('{"type": "message.new", "cid": "messaging:demo", "text": "x", "admin": true}', "invalid_field"),
    ('{"type": "channel.watch", "cid": "messaging:demo", "messages": {"limit": -1}}', "invalid_field"),
    ('{"type": "channel.watch", "cid": "messaging:demo", "messages": {"limit": 301}}', "invalid_field"),
    ('{"type": "message.new", "cid": "messaging:demo", "text": "x", "id": "bad id!"}', "invalid_field"),
]


@pytest.mark.parametrize(
    ("text", "code"), BAD_FRAMES, ids=[f"{code}-{n}" for n, (_, code) in enumerate(BAD_FRAMES)]
)
async def test_bad_frame_gets_a_coded_error_and_the_socket_stays_usable(
    connect: Connect, text: str, code: str
) -> None:
    alice = await connect("alice")
    await alice.watch(DEMO)
    await alice.send_text(text)
    error = await alice.recv()
    assert error["type"] == "error"
    assert error["code"] == code
    assert error["message"]
    after = await alice.request({"type": "message.new", "cid": DEMO, "text": "still here"})
    assert after["type"] == "message.sent"


async def test_bad_frame_error_carries_its_request_id(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.send_text('{"type": "message.new", "cid": "bad", "text": "x", "request_id": "mine"}')
    error = await alice.recv()
    assert (error["code"], error["request_id"]) == ("invalid_cid", "mine")


async def test_message_text_of_exactly_5000_characters_is_accepted(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.watch(DEMO)
    sent = await alice.request({"type": "message.new", "cid": DEMO, "text": "é" * 5000})
    assert len(sent["message"]["text"]) == 5000


async def test_binary_frame_gets_an_error(connect: Connect) -> None:
    alice = await connect("alice")
    await alice.communicator.send_to(bytes_data=b"\x00\x01")
    assert (await alice.recv())["code"] == "invalid_frame"
    assert (await alice.request({"type": "health.check"}))["type"] == "health.check"


async def test_frame_over_one_mib_closes_only_that_socket_with_1009(connect: Connect) -> None:
    alice = await connect("alice")
    bob = await connect("bob")
    await alice.watch(DEMO, data={"members": ["bob"]})
    await bob.watch(DEMO)
    await bob.send_text(
        '{"type": "message.new", "cid": "messaging:demo", "text": "' + "x" * MAX_FRAME_BYTES + '"}'
    )
    closing = await bob.communicator.receive_output(timeout=10)
    assert closing == {
        "type": "websocket.close",
        "code": CloseCode.MESSAGE_TOO_BIG,
        "reason": "frame over 1 MiB",
    }
    sent = await alice.request({"type": "message.new", "cid": DEMO, "text": "unaffected"})
    assert sent["type"] == "message.sent"


async def test_server_sends_a_health_check_on_a_quiet_socket(connect: Connect, settings: Any) -> None:
    settings.JATTE_HEARTBEAT_SECONDS = 0.2
    alice = await connect("alice")
    beats = [await alice.recv(timeout=2), await alice.recv(timeout=2)]
    assert [(b["type"], b.get("request_id")) for b in beats] == [("health.check", None)] * 2
    assert all("me" not in beat for beat in beats)  # `me` was the first one's (`connect` read it)
