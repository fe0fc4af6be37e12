"""Reactions through real sockets: Stream's events and message fields, refusals, and resends."""

from __future__ import annotations

from typing import Any

import pytest

from chat.models import Message, Reaction
from chat.services import permissions

from .chat_room import ROOM, Room, room, sockets

__all__ = ["room", "sockets"]  # fixtures


def _like(**extra: Any) -> dict[str, Any]:
    return {"message_id": "m1", "reaction": {"type": "like", **extra}}


async def test_reaction_send_reaches_every_watcher_with_the_updated_message(room: Room) -> None:
    """The others get reaction.new without request_id and with own_reactions []; the sender once,
    with its request_id and its own reaction in own_reactions."""
    await room.alice.say("react to me", id="m1")
    await room.quiet()
    answer = await room.bob.ask("reaction.send", **_like())
    assert answer["type"] == "reaction.new"
    reaction = answer["reaction"]
    assert (reaction["type"], reaction["score"], reaction["user_id"], reaction["message_id"]) == (
        "like",
        1,
        "bob",
        "m1",
    )
    message = answer["message"]
    assert message["reaction_counts"] == {"like": 1} and message["reaction_scores"] == {"like": 1}
    assert message["reaction_groups"]["like"]["count"] == 1
    assert [r["user_id"] for r in message["latest_reactions"]] == ["bob"]
    assert [r["type"] for r in message["own_reactions"]] == ["like"]
    theirs = await room.alice.next_of("reaction.new")
    assert "request_id" not in theirs and theirs["user"]["id"] == "bob"
    assert theirs["message"]["own_reactions"] == [] and theirs["message"]["reaction_counts"] == {"like": 1}
    assert await room.bob.nothing_more()


async def test_reaction_send_counts_sum_scores_and_groups_per_type(room: Room) -> None:
    await room.alice.say("x", id="m1")
    await room.alice.ask("reaction.send", **_like())
    await room.bob.ask("reaction.send", **_like(score=3))
    last = await room.bob.ask("reaction.send", message_id="m1", reaction={"type": "love"})
    message = last["message"]
    assert message["reaction_counts"] == {"like": 2, "love": 1}
    assert message["reaction_scores"] == {"like": 4, "love": 1}
    assert message["reaction_groups"]["like"]["sum_scores"] == 4
    assert [(r["user_id"], r["type"]) for r in message["latest_reactions"]] == [
        ("bob", "love"),
        ("bob", "like"),
        ("alice", "like"),
    ]
    assert {r["type"] for r in message["own_reactions"]} == {"like", "love"}


async def test_reaction_send_resent_changes_nothing_twice(room: Room) -> None:
    """The same reaction again is answered as before and published to nobody."""
    await room.alice.say("x", id="m1")
    first = await room.bob.ask("reaction.send", **_like())
    await room.alice.next_of("reaction.new")
    again = await room.bob.ask("reaction.send", **_like())
    assert again["type"] == "reaction.new"
    assert again["message"]["reaction_counts"] == first["message"]["reaction_counts"] == {"like": 1}
    assert await room.alice.nothing_more()
    assert await Reaction.objects.filter(message__message_id="m1").acount() == 1


async def test_reaction_send_with_a_new_score_is_an_update(room: Room) -> None:
    await room.alice.say("x", id="m1")
    await room.bob.ask("reaction.send", **_like())
    answer = await room.bob.ask("reaction.send", **_like(score=5))
    assert answer["type"] == "reaction.updated" and answer["reaction"]["score"] == 5
    assert (await room.alice.next_of("reaction.updated"))["message"]["reaction_scores"] == {"like": 5}


async def test_reaction_send_enforce_unique_replaces_the_users_other_reactions(room: Room) -> None:
    await room.alice.say("x", id="m1")
    await room.bob.ask("reaction.send", **_like())
    await room.bob.ask("reaction.send", message_id="m1", reaction={"type": "wow"})
    answer = await room.bob.ask(
        "reaction.send", message_id="m1", reaction={"type": "sad"}, enforce_unique=True
    )
    assert answer["type"] == "reaction.updated"
    assert answer["message"]["reaction_counts"] == {"sad": 1}
    assert [r["type"] for r in answer["message"]["own_reactions"]] == ["sad"]


async def test_reaction_delete_removes_it_for_everyone_and_again_changes_nothing(room: Room) -> None:
    await room.alice.say("x", id="m1")
    await room.bob.ask("reaction.send", **_like())
    await room.quiet()
    answer = await room.bob.ask("reaction.delete", message_id="m1", reaction_type="like")
    assert answer["type"] == "reaction.deleted" and answer["reaction"]["type"] == "like"
    assert answer["message"]["reaction_counts"] == {} and answer["message"]["own_reactions"] == []
    theirs = await room.alice.next_of("reaction.deleted")
    assert theirs["message"]["latest_reactions"] == []
    again = await room.bob.ask("reaction.delete", message_id="m1", reaction_type="like")
    assert again["type"] == "reaction.deleted" and again["message"]["reaction_counts"] == {}
    assert await room.alice.nothing_more()


async def test_reaction_own_reactions_in_channel_state_are_the_askers(room: Room) -> None:
    await room.alice.say("x", id="m1")
    await room.alice.ask("reaction.send", **_like())
    await room.bob.ask("reaction.send", message_id="m1", reaction={"type": "love"})
    alices = (await room.alice.watch(ROOM))["messages"][0]
    bobs = (await room.bob.watch(ROOM))["messages"][0]
    assert [r["type"] for r in alices["own_reactions"]] == ["like"]
    assert [r["type"] for r in bobs["own_reactions"]] == ["love"]
    assert alices["reaction_counts"] == bobs["reaction_counts"] == {"like": 1, "love": 1}


async def test_reaction_type_over_30_characters_is_an_invalid_frame(room: Room) -> None:
    await room.alice.say("x", id="m1")
    message = await room.bob.refused(
        "reaction.send", "invalid_frame", message_id="m1", reaction={"type": "x" * 31}
    )
    assert "30 characters" in message
    await room.bob.refused("reaction.delete", "invalid_frame", message_id="m1", reaction_type="x" * 31)
    assert (await room.bob.ask("reaction.send", message_id="m1", reaction={"type": "x" * 30}))[
        "type"
    ] == "reaction.new"


@pytest.mark.parametrize(
    "fields",
    [
        {"message_id": "m1"},
        {"message_id": "m1", "reaction": {"type": ""}},
        {"message_id": "m1", "reaction": {"type": "like", "score": 0}},
        {"message_id": "m1", "reaction": {"type": "like", "user_id": "alice"}},
        {"message_id": "m1", "reaction": {"type": "like", "score": 2**40}},
    ],
    ids=["no-reaction", "empty-type", "score-0", "extra-field", "huge-score"],
)
async def test_reaction_send_bad_input_is_refused(room: Room, fields: dict[str, Any]) -> None:
    await room.alice.say("x", id="m1")
    await room.bob.refused("reaction.send", "invalid_field", **fields)
    assert not await Reaction.objects.aexists()


async def test_reaction_to_a_message_in_a_channel_you_cannot_read_is_not_allowed(room: Room) -> None:
    await room.alice.say("members only", id="m1")
    message = await room.mallory.refused("reaction.send", "not_allowed", **_like())
    assert "cannot read channel" in message
    await room.mallory.refused("reaction.delete", "not_allowed", message_id="m1", reaction_type="like")
    assert not await Reaction.objects.aexists()


async def test_reaction_to_an_unknown_or_deleted_message_is_refused(room: Room) -> None:
    await room.bob.refused("reaction.send", "not_found", message_id="ghost", reaction={"type": "like"})
    await room.alice.say("x", id="m1")
    await room.alice.ask("message.delete", id="m1")
    await room.bob.refused("reaction.send", "not_allowed", **_like())


async def test_reaction_when_the_channel_type_turns_reactions_off_is_feature_disabled(
    room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    await room.alice.say("x", id="m1")
    monkeypatch.setitem(permissions.CHANNEL_CONFIGS["messaging"], "reactions", False)
    message = await room.bob.refused("reaction.send", "feature_disabled", **_like())
    assert "reactions" in message
    state = await room.bob.watch(ROOM)
    assert state["config"]["reactions"] is False and "send-reaction" not in state["own_capabilities"]


async def test_reaction_in_a_livestream_is_open_to_any_user(room: Room) -> None:
    await room.alice.watch("livestream:town")
    await room.alice.say("show", cid="livestream:town", id="m1")
    assert (await room.mallory.ask("reaction.send", **_like()))["type"] == "reaction.new"


async def test_reaction_hard_delete_of_the_message_removes_its_reactions(room: Room) -> None:
    await room.alice.say("x", id="m1")
    await room.bob.ask("reaction.send", **_like())
    await room.alice.ask("message.delete", id="m1", hard=True)
    assert not await Reaction.objects.aexists() and not await Message.objects.aexists()
