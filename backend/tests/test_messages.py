"""Editing, deleting, quoting, mentioning, attaching, pinning and flagging messages, through real sockets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client as HttpClient

from chat.models import Flag, Member, Message

from .chat_room import ROOM, Room, room, sockets

__all__ = ["room", "sockets"]  # fixtures

OTHER = "messaging:other"


async def _moderate(user: str, cid: str = ROOM) -> None:
    await Member.objects.filter(channel__cid=cid, user_id=user).aupdate(channel_role="channel_moderator")


# message.update


async def test_message_update_changes_the_text_for_every_watcher(room: Room) -> None:
    """The author's edit reaches the others without request_id and the author once with it."""
    sent = await room.alice.say("helo", id="m1")
    await room.quiet()
    answer = await room.alice.ask("message.update", message={"id": "m1", "text": "hello"})
    assert answer["type"] == "message.updated" and answer["message"]["text"] == "hello"
    assert answer["message"]["updated_at"] > sent["updated_at"]
    theirs = await room.bob.next_of("message.updated")
    assert "request_id" not in theirs
    assert theirs["message_id"] == "m1" and theirs["message"]["text"] == "hello"
    assert theirs["user"]["id"] == "alice"
    assert await room.alice.nothing_more()
    assert (await Message.objects.aget(message_id="m1")).text == "hello"


async def test_message_update_of_another_users_message_is_not_allowed(room: Room) -> None:
    """A member edits only their own messages; the refusal names the missing capability."""
    await room.alice.say("mine", id="m1")
    message = await room.bob.refused("message.update", "not_allowed", message={"id": "m1", "text": "ha"})
    assert "another user's message" in message and "update-any-message" in message
    assert (await Message.objects.aget(message_id="m1")).text == "mine"


async def test_message_update_by_a_moderator_edits_anyones(room: Room) -> None:
    """A channel_moderator holds update-any-message."""
    await room.alice.say("typo", id="m1")
    await _moderate("bob")
    answer = await room.bob.ask("message.update", message={"id": "m1", "text": "fixed"})
    assert answer["type"] == "message.updated" and answer["message"]["text"] == "fixed"
    assert answer["message"]["user"]["id"] == "alice" and answer["user"]["id"] == "bob"


async def test_message_update_of_an_unknown_message_is_not_found(room: Room) -> None:
    await room.alice.refused("message.update", "not_found", message={"id": "ghost", "text": "x"})


async def test_message_update_from_outside_the_channel_is_not_allowed(room: Room) -> None:
    await room.alice.say("inside", id="m1")
    message = await room.mallory.refused("message.update", "not_allowed", message={"id": "m1", "text": "x"})
    assert "cannot read channel" in message


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"id": "m1", "text": ""}, "empty_text"),
        ({"id": "m1", "text": "   "}, "empty_text"),
        ({"id": "m1"}, "invalid_field"),
        ({"id": "m1", "text": "x", "user_id": "bob"}, "invalid_field"),
        ({"id": "m1", "text": "x" * 5001}, "message_too_long"),
    ],
    ids=["empty", "blank", "no-text", "extra-field", "too-long"],
)
async def test_message_update_bad_input_is_refused_and_changes_nothing(
    room: Room, fields: dict[str, str], code: str
) -> None:
    await room.alice.say("original", id="m1")
    await room.alice.refused("message.update", code, message=fields)
    assert (await Message.objects.aget(message_id="m1")).text == "original"


async def test_message_update_resent_changes_nothing_twice(room: Room) -> None:
    """The same edit again is answered with the same state and reaches nobody else."""
    await room.alice.say("a", id="m1")
    first = await room.alice.ask("message.update", message={"id": "m1", "text": "b"})
    await room.bob.next_of("message.updated")
    again = await room.alice.ask("message.update", message={"id": "m1", "text": "b"})
    assert again["message"] == first["message"]
    assert await room.bob.nothing_more()


async def test_message_update_of_a_deleted_message_is_not_allowed(room: Room) -> None:
    await room.alice.say("gone soon", id="m1")
    await room.alice.ask("message.delete", id="m1")
    await room.alice.refused("message.update", "not_allowed", message={"id": "m1", "text": "back"})


# message.delete


async def test_message_delete_soft_keeps_the_id_and_place_without_text_or_attachments(room: Room) -> None:
    """A soft delete is type `deleted` with text and attachments gone, in every answer after it."""
    await room.alice.say("before", id="m0")
    await room.alice.say("secret", id="m1", attachments=[{"type": "file", "asset_url": "/f/1", "title": "a"}])
    await room.alice.say("after", id="m2")
    await room.quiet()
    answer = await room.alice.ask("message.delete", id="m1")
    assert answer["type"] == "message.deleted" and "hard_delete" not in answer
    assert answer["message"]["type"] == "deleted" and answer["message"]["deleted_at"]
    assert (answer["message"]["text"], answer["message"]["attachments"]) == ("", [])
    theirs = await room.bob.next_of("message.deleted")
    assert theirs["message_id"] == "m1" and "request_id" not in theirs
    state = await room.bob.watch(ROOM)
    assert [(m["id"], m["type"], m["text"]) for m in state["messages"]] == [
        ("m0", "regular", "before"),
        ("m1", "deleted", ""),
        ("m2", "regular", "after"),
    ]


async def test_message_delete_hard_removes_the_row(room: Room) -> None:
    await room.alice.say("oops", id="m1")
    await room.quiet()
    answer = await room.alice.ask("message.delete", id="m1", hard=True)
    assert answer["type"] == "message.deleted" and answer["hard_delete"] is True
    theirs = await room.bob.next_of("message.deleted")
    assert theirs["hard_delete"] is True and theirs["message_id"] == "m1"
    assert not await Message.objects.filter(message_id="m1").aexists()
    assert (await room.bob.watch(ROOM))["messages"] == []
    await room.alice.refused("message.delete", "not_found", id="m1", hard=True)


async def test_message_delete_resent_changes_nothing_twice(room: Room) -> None:
    """A second soft delete is answered with the same state and reaches nobody else."""
    await room.alice.say("x", id="m1")
    first = await room.alice.ask("message.delete", id="m1")
    await room.bob.next_of("message.deleted")
    again = await room.alice.ask("message.delete", id="m1")
    assert again["type"] == "message.deleted" and again["message"] == first["message"]
    assert await room.bob.nothing_more()


async def test_message_delete_of_another_users_message_is_not_allowed(room: Room) -> None:
    await room.alice.say("mine", id="m1")
    message = await room.bob.refused("message.delete", "not_allowed", id="m1")
    assert "delete-any-message" in message
    assert (await Message.objects.aget(message_id="m1")).type == "regular"


async def test_message_delete_by_a_moderator_deletes_anyones(room: Room) -> None:
    await room.alice.say("rude", id="m1")
    await _moderate("bob")
    answer = await room.bob.ask("message.delete", id="m1")
    assert answer["message"]["type"] == "deleted"


async def test_message_delete_by_an_admin_who_is_not_a_member(room: Room) -> None:
    """An admin (token claim) acts in any channel."""
    await room.alice.say("spam", id="m1")
    admin = await room.open("root", app_metadata={"role": "admin"})
    answer = await admin.ask("message.delete", id="m1", hard=True)
    assert answer["type"] == "message.deleted" and answer["hard_delete"] is True


async def test_message_delete_of_an_unknown_message_is_not_found(room: Room) -> None:
    await room.alice.refused("message.delete", "not_found", id="ghost")


async def test_message_delete_bad_input_is_refused(room: Room) -> None:
    await room.alice.refused("message.delete", "invalid_field", id="bad id!")
    await room.alice.refused("message.delete", "invalid_field", id="m1", hard=[])


# Quotes, mentions, attachments


async def test_message_quote_carries_the_quoted_message_without_its_own_quote(room: Room) -> None:
    await room.alice.say("first", id="q1")
    await room.bob.say("second", id="q2", quoted_message_id="q1")
    third = await room.alice.say("third", id="q3", quoted_message_id="q2")
    assert third["quoted_message_id"] == "q2"
    assert third["quoted_message"]["id"] == "q2" and third["quoted_message"]["text"] == "second"
    assert "quoted_message" not in third["quoted_message"]
    state = await room.bob.watch(ROOM)
    assert state["messages"][2]["quoted_message"]["id"] == "q2"


async def test_message_quote_from_another_channel_is_an_invalid_quote(room: Room) -> None:
    await room.alice.watch(OTHER)
    await room.alice.say("elsewhere", cid=OTHER, id="far")
    await room.alice.refused("message.new", "invalid_quote", cid=ROOM, text="x", quoted_message_id="far")
    await room.alice.refused("message.new", "not_found", cid=ROOM, text="x", quoted_message_id="ghost")
    assert not await Message.objects.filter(channel__cid=ROOM).aexists()


async def test_message_quote_in_an_edit_is_checked_too(room: Room) -> None:
    await room.alice.watch(OTHER)
    await room.alice.say("elsewhere", cid=OTHER, id="far")
    await room.alice.say("here", id="m1")
    await room.alice.say("quote me", id="m0")
    await room.alice.refused(
        "message.update", "invalid_quote", message={"id": "m1", "text": "x", "quoted_message_id": "far"}
    )
    answer = await room.alice.ask(
        "message.update", message={"id": "m1", "text": "x", "quoted_message_id": "m0"}
    )
    assert answer["message"]["quoted_message"]["text"] == "quote me"


async def test_message_mentions_are_users_not_ids(room: Room) -> None:
    sent = await room.alice.say("hi @bob", id="m1", mentioned_users=["bob", "bob"])
    assert sent["mentioned_users"] == [{"id": "bob", "name": "Bob"}]
    event = await room.bob.next_of("message.new")
    assert event["message"]["mentioned_users"] == [{"id": "bob", "name": "Bob"}]
    state = await room.bob.watch(ROOM)
    assert state["messages"][0]["mentioned_users"] == [{"id": "bob", "name": "Bob"}]
    edited = await room.alice.ask(
        "message.update", message={"id": "m1", "text": "hi all", "mentioned_users": []}
    )
    assert edited["message"]["mentioned_users"] == []


async def test_message_mention_of_an_unknown_user_is_not_found(room: Room) -> None:
    message = await room.alice.refused(
        "message.new", "not_found", cid=ROOM, text="hi", mentioned_users=["nobody"]
    )
    assert "nobody" in message


async def test_message_over_25_mentions_or_30_attachments_is_invalid(room: Room) -> None:
    await room.alice.refused("message.new", "invalid_field", cid=ROOM, text="x", mentioned_users=["bob"] * 26)
    await room.alice.refused(
        "message.new", "invalid_field", cid=ROOM, text="x", attachments=[{"type": "file"}] * 31
    )
    await room.alice.refused(
        "message.new", "invalid_field", cid=ROOM, text="x", attachments=[{"kind": "file"}]
    )


async def test_message_attachments_are_stored_and_replaced_by_an_edit(room: Room) -> None:
    image = {"type": "image", "image_url": "/img/1.png", "original_width": 640, "original_height": 480}
    sent = await room.alice.say("look", id="m1", attachments=[image])
    assert sent["attachments"] == [image]
    assert (await room.bob.watch(ROOM))["messages"][0]["attachments"] == [image]
    kept = await room.alice.ask("message.update", message={"id": "m1", "text": "look!"})
    assert kept["message"]["attachments"] == [image]
    cleared = await room.alice.ask(
        "message.update", message={"id": "m1", "text": "never mind", "attachments": []}
    )
    assert cleared["message"]["attachments"] == []


# message.pin


async def test_message_pin_shows_in_the_message_and_in_pinned_messages(room: Room) -> None:
    await room.alice.say("rules", id="m1")
    await room.quiet()
    answer = await room.alice.ask("message.pin", id="m1", pinned=True)
    assert answer["type"] == "message.updated"
    assert answer["message"]["pinned"] is True and answer["message"]["pinned_by"]["id"] == "alice"
    assert answer["message"]["pinned_at"]
    theirs = await room.bob.next_of("message.updated")
    assert theirs["message"]["pinned"] is True
    state = await room.bob.watch(ROOM)
    assert [m["id"] for m in state["pinned_messages"]] == ["m1"]
    unpinned = await room.alice.ask("message.pin", id="m1", pinned=False)
    assert unpinned["message"]["pinned"] is False and "pinned_at" not in unpinned["message"]
    assert (await room.bob.watch(ROOM))["pinned_messages"] == []


async def test_message_pin_with_an_end_lapses_by_itself(room: Room) -> None:
    await room.alice.say("for now", id="m1")
    soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    answer = await room.alice.ask("message.pin", id="m1", pinned=True, pin_expires=soon)
    assert answer["message"]["pin_expires"]
    await Message.objects.filter(message_id="m1").aupdate(
        pin_expires=datetime.now(UTC) - timedelta(seconds=1)
    )
    state = await room.alice.watch(ROOM)
    assert state["pinned_messages"] == [] and state["messages"][0]["pinned"] is False


async def test_message_pin_of_another_users_message_needs_a_moderator(room: Room) -> None:
    await room.alice.say("not bob's", id="m1")
    message = await room.bob.refused("message.pin", "not_allowed", id="m1", pinned=True)
    assert "pin another user's message" in message
    await _moderate("bob")
    assert (await room.bob.ask("message.pin", id="m1", pinned=True))["message"]["pinned"] is True


async def test_message_pin_resent_changes_nothing_twice(room: Room) -> None:
    await room.alice.say("once", id="m1")
    first = await room.alice.ask("message.pin", id="m1", pinned=True)
    await room.bob.next_of("message.updated")
    again = await room.alice.ask("message.pin", id="m1", pinned=True)
    assert again["message"]["pinned_at"] == first["message"]["pinned_at"]
    assert await room.bob.nothing_more()


async def test_message_pin_in_a_livestream_is_not_for_users(room: Room) -> None:
    """livestream users act on their own messages only: no pins."""
    await room.alice.watch("livestream:town")
    await room.alice.say("on stage", cid="livestream:town", id="m1")
    message = await room.alice.refused("message.pin", "not_allowed", id="m1", pinned=True)
    assert "pin-message" in message


async def test_message_pin_bad_input_is_refused(room: Room) -> None:
    await room.alice.say("x", id="m1")
    await room.alice.refused("message.pin", "invalid_field", id="m1")
    await room.alice.refused("message.pin", "invalid_field", id="m1", pinned=True, pin_expires="tomorrow")
    await room.alice.refused("message.pin", "not_found", id="ghost", pinned=True)


# message.flag


async def test_message_flag_is_answered_ok_and_listed_in_the_admin(room: Room) -> None:
    await room.alice.say("buy cheap watches", id="m1")
    answer = await room.bob.ask("message.flag", id="m1", reason="spam")
    assert answer == {"type": "ok", "request_id": answer["request_id"]}
    again = await room.bob.ask("message.flag", id="m1", reason="spam!")
    assert again["type"] == "ok"
    flags = [f async for f in Flag.objects.all()]
    assert [(f.message_key, f.user_id, f.reason, f.message_text) for f in flags] == [
        ("m1", "bob", "spam", "buy cheap watches")
    ]
    assert await room.alice.nothing_more()  # a flag is for the moderators, not the channel


@pytest.mark.django_db(transaction=True)
def test_message_flag_admin_finds_flags_by_text_and_reason() -> None:
    """The Django admin lists flags and searches them by message text, reason and user."""
    from chat import services
    from chat.auth import Actor

    alice, bob = Actor("alice", "Alice"), Actor("bob", "Bob")
    services.prepare_watch(alice, ROOM, None)
    services.post_message(alice, ROOM, "buy cheap watches", "m1")
    services.post_message(alice, ROOM, "hello", "m2")
    services.sign_in(bob)
    services.flag_message(alice, "m1", "spam")
    services.flag_message(alice, "m2", "rude")
    operator = HttpClient()
    operator.force_login(User.objects.create_superuser("op", "op@example.com", "pw"))
    found = operator.get("/admin/chat/flag/", {"q": "watches"})
    assert found.status_code == 200
    assert b"buy cheap watches" in found.content and b"rude" not in found.content
    by_reason = operator.get("/admin/chat/flag/", {"q": "rude"})
    assert b"hello" in by_reason.content


async def test_message_flag_refuses_outsiders_unknown_ids_and_long_reasons(room: Room) -> None:
    await room.alice.say("x", id="m1")
    await room.mallory.refused("message.flag", "not_allowed", id="m1")
    await room.bob.refused("message.flag", "not_found", id="ghost")
    await room.bob.refused("message.flag", "invalid_field", id="m1", reason="x" * 501)
