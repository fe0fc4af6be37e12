"""Mutes and bans through real sockets: who hears of them, what they stop, when they end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chat.models import Ban, ChatUser, Member, Mute

from .chat_room import ROOM, Room, room, sockets

__all__ = ["room", "sockets"]  # fixtures


# user.mute / user.unmute


async def test_user_mute_answers_mutes_updated_on_every_socket_of_the_muter(room: Room) -> None:
    """The requester's copy carries its request_id; the muter's other socket gets it without."""
    second = await room.open("alice")
    answer = await room.alice.ask("user.mute", target_id="bob")
    assert answer["type"] == "notification.mutes_updated"
    assert [(m["user"]["id"], m["target"]["id"]) for m in answer["me"]["mutes"]] == [("alice", "bob")]
    assert "expires" not in answer["me"]["mutes"][0]
    other = await second.next_of("notification.mutes_updated")
    assert "request_id" not in other and other["me"]["mutes"] == answer["me"]["mutes"]
    assert await room.bob.nothing_more()  # the muted user is not told
    third = await room.open("alice")
    assert [m["target"]["id"] for m in third.hello["me"]["mutes"]] == ["bob"]


async def test_user_mute_with_a_timeout_ends_by_itself(room: Room) -> None:
    answer = await room.alice.ask("user.mute", target_id="bob", timeout=30)
    expires = datetime.fromisoformat(answer["me"]["mutes"][0]["expires"])
    assert timedelta(minutes=29) < expires - datetime.now(UTC) <= timedelta(minutes=30)
    assert [m["target"]["id"] for m in (await room.open("alice")).hello["me"]["mutes"]] == ["bob"]
    await Mute.objects.aupdate(expires=datetime.now(UTC) - timedelta(seconds=1))
    assert (await room.open("alice")).hello["me"]["mutes"] == []


async def test_user_muted_messages_arrive_but_add_nothing_to_unread(room: Room) -> None:
    await room.alice.ask("message.read", cid=ROOM)
    await room.alice.ask("user.mute", target_id="bob")
    await room.quiet()
    await room.bob.say("you cannot hear me")
    event = await room.alice.next_of("message.new")  # still delivered, as Stream does
    assert event["message"]["text"] == "you cannot hear me"
    reads = {r["user"]["id"]: r for r in (await room.alice.watch(ROOM))["read"]}
    assert reads["alice"]["unread_messages"] == 0
    assert (await room.open("alice")).hello["me"]["total_unread_count"] == 0
    await room.alice.ask("user.unmute", target_id="bob")
    assert (await room.open("alice")).hello["me"]["total_unread_count"] == 1


async def test_user_unmute_lifts_it_and_again_changes_nothing(room: Room) -> None:
    second = await room.open("alice")
    await room.alice.ask("user.mute", target_id="bob")
    await second.next_of("notification.mutes_updated")
    answer = await room.alice.ask("user.unmute", target_id="bob")
    assert answer["type"] == "notification.mutes_updated" and answer["me"]["mutes"] == []
    await second.next_of("notification.mutes_updated")
    again = await room.alice.ask("user.unmute", target_id="bob")
    assert again["me"]["mutes"] == []
    assert await second.nothing_more()
    assert not await Mute.objects.aexists()


async def test_user_mute_refuses_oneself_unknown_users_and_bad_timeouts(room: Room) -> None:
    await room.alice.refused("user.mute", "not_allowed", target_id="alice")
    await room.alice.refused("user.mute", "not_found", target_id="nobody")
    await room.alice.refused("user.mute", "invalid_field", target_id="bob", timeout=0)
    await room.alice.refused("user.mute", "invalid_field", target_id="bob", timeout=10**9)
    await room.alice.refused("user.unmute", "not_found", target_id="nobody")
    assert not await Mute.objects.aexists()


# user.ban / user.unban in a channel


async def _moderator(room: Room) -> None:
    await Member.objects.filter(channel__cid=ROOM, user_id="alice").aupdate(channel_role="channel_moderator")


async def test_user_ban_in_a_channel_reaches_its_watchers(room: Room) -> None:
    await _moderator(room)
    await room.quiet()
    answer = await room.alice.ask("user.ban", target_id="bob", cid=ROOM, timeout=60, reason="spam")
    assert answer["type"] == "user.banned"
    assert (answer["user"]["id"], answer["created_by"]["id"], answer["reason"]) == ("bob", "alice", "spam")
    assert answer["cid"] == ROOM and answer["shadow"] is False and answer["expiration"]
    theirs = await room.bob.next_of("user.banned")
    assert "request_id" not in theirs and theirs["user"]["id"] == "bob"
    assert await room.alice.nothing_more()
    members = {m["user_id"]: m for m in (await room.alice.watch(ROOM))["members"]}
    assert members["bob"]["banned"] is True and members["bob"]["ban_expires"]
    assert members["alice"]["banned"] is False


async def test_user_banned_cannot_send_react_reply_or_type_and_is_told_until_when(room: Room) -> None:
    await room.alice.say("root", id="p1")
    await _moderator(room)
    await room.alice.ask("user.ban", target_id="bob", cid=ROOM, timeout=60)
    ban = await Ban.objects.aget(user_id="bob")
    assert ban.expires is not None
    until = f"until {ban.expires.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("message.new", {"cid": ROOM, "text": "let me talk"}),
        ("message.new", {"cid": ROOM, "text": "in the thread", "parent_id": "p1"}),
        ("reaction.send", {"message_id": "p1", "reaction": {"type": "like"}}),
        ("typing.start", {"cid": ROOM}),
    ]
    for kind, fields in attempts:
        message = await room.bob.refused(kind, "not_allowed", **fields)
        assert message == f"you are banned from {ROOM} {until}", kind
    state = await room.bob.watch(ROOM)  # reading is still allowed
    assert "send-message" not in state["own_capabilities"] and "read-events" in state["own_capabilities"]
    assert (await room.bob.ask("message.read", cid=ROOM))["type"] == "message.read"


async def test_user_ban_without_an_end_says_so_and_lapses_only_when_lifted(room: Room) -> None:
    await _moderator(room)
    await room.alice.ask("user.ban", target_id="bob", cid=ROOM)
    message = await room.bob.refused("message.new", "not_allowed", cid=ROOM, text="hi")
    assert message == f"you are banned from {ROOM} (no end)"
    answer = await room.alice.ask("user.unban", target_id="bob", cid=ROOM)
    assert answer["type"] == "user.unbanned" and answer["user"]["id"] == "bob"
    await room.bob.next_of("user.unbanned")
    assert (await room.bob.say("back again"))["text"] == "back again"
    again = await room.alice.ask("user.unban", target_id="bob", cid=ROOM)
    assert again["type"] == "user.unbanned"
    assert await room.bob.nothing_more()


async def test_user_ban_that_has_expired_no_longer_applies(room: Room) -> None:
    await _moderator(room)
    await room.alice.ask("user.ban", target_id="bob", cid=ROOM, timeout=1)
    await Ban.objects.aupdate(expires=datetime.now(UTC) - timedelta(seconds=1))
    assert (await room.bob.say("free"))["text"] == "free"


async def test_user_ban_by_a_plain_member_is_not_allowed(room: Room) -> None:
    message = await room.bob.refused("user.ban", "not_allowed", target_id="alice", cid=ROOM)
    assert "ban-channel-members" in message and "moderators" in message
    await room.bob.refused("user.unban", "not_allowed", target_id="alice", cid=ROOM)
    await room.mallory.refused("user.ban", "not_allowed", target_id="bob", cid=ROOM)
    assert not await Ban.objects.aexists()


async def test_user_ban_refuses_oneself_unknown_users_and_bad_input(room: Room) -> None:
    await _moderator(room)
    await room.alice.refused("user.ban", "not_allowed", target_id="alice", cid=ROOM)
    await room.alice.refused("user.ban", "not_found", target_id="nobody", cid=ROOM)
    await room.alice.refused("user.ban", "invalid_field", target_id="bob", cid=ROOM, timeout=0)
    await room.alice.refused("user.ban", "invalid_field", target_id="bob", cid=ROOM, reason="x" * 501)
    await room.alice.refused("user.ban", "invalid_cid", target_id="bob", cid="nope")
    assert not await Ban.objects.aexists()


async def test_user_ban_resent_changes_nothing_twice(room: Room) -> None:
    await _moderator(room)
    await room.alice.ask("user.ban", target_id="bob", cid=ROOM, reason="spam")
    await room.bob.next_of("user.banned")
    again = await room.alice.ask("user.ban", target_id="bob", cid=ROOM, reason="spam")
    assert again["type"] == "user.banned"
    assert await room.bob.nothing_more()
    assert await Ban.objects.acount() == 1


# App-wide bans


async def test_user_ban_app_wide_by_an_admin_reaches_the_banned_users_sockets(room: Room) -> None:
    admin = await room.open("root", app_metadata={"role": "admin"})
    elsewhere = await room.open("bob")  # a socket watching nothing
    answer = await admin.ask("user.ban", target_id="bob", reason="abuse")
    assert answer["type"] == "user.banned" and "cid" not in answer
    for socket in (room.bob, elsewhere):
        event = await socket.next_of("user.banned")
        assert "request_id" not in event and event["reason"] == "abuse"
    assert await room.alice.nothing_more()
    message = await room.bob.refused("message.new", "not_allowed", cid=ROOM, text="hi")
    assert message == "you are banned from the app (no end)"
    await admin.ask("user.unban", target_id="bob")
    assert (await room.bob.next_of("user.unbanned"))["user"]["id"] == "bob"
    assert (await room.bob.say("hi"))["text"] == "hi"


async def test_user_ban_app_wide_needs_the_admin_role(room: Room) -> None:
    await Member.objects.filter(channel__cid=ROOM, user_id="alice").aupdate(channel_role="channel_moderator")
    message = await room.alice.refused("user.ban", "not_allowed", target_id="bob")
    assert "admin" in message


@pytest.mark.parametrize(
    "claims", [{"role": "admin"}, {"app_metadata": {"role": "admin"}}], ids=["role", "app_metadata"]
)
async def test_user_admin_role_comes_from_the_token(room: Room, claims: dict[str, object]) -> None:
    admin = await room.open("root", **claims)
    assert admin.hello["me"]["role"] == "admin"
    assert (await admin.ask("user.ban", target_id="bob"))["type"] == "user.banned"


async def test_user_admin_role_set_in_the_django_admin_counts(room: Room) -> None:
    await ChatUser.objects.filter(id="mallory").aupdate(role="admin")
    answer = await room.mallory.ask("user.ban", target_id="bob", cid=ROOM)
    assert answer["type"] == "user.banned"
    assert (await room.open("mallory")).hello["me"]["role"] == "admin"
