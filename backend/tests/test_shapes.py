"""The response shapes are built without validation (chat.shapes.built): each must still name every
field of its model, or reading the field raises and the serialiser leaves it out unnoticed."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from pydantic import BaseModel

from chat import frames
from chat.auth import Actor
from chat.services import access_channel, channel_state, query_channels
from chat.shapes import built

from .chat_room import ROOM, Room, room, sockets

__all__ = ["room", "sockets"]  # the fixtures


def _unnamed_fields(shape: Any, where: str = "answer") -> list[str]:
    """Each model in `shape`, however deep, whose instance lacks one of its model's fields."""
    missing: list[str] = []
    if isinstance(shape, BaseModel):
        lacking = set(type(shape).model_fields) - set(shape.__dict__)
        missing.extend(f"{where} ({type(shape).__name__}).{name}" for name in sorted(lacking))
        for name, value in shape.__dict__.items():
            missing.extend(_unnamed_fields(value, f"{where}.{name}"))
    elif isinstance(shape, list | tuple):
        for n, item in enumerate(shape):
            missing.extend(_unnamed_fields(item, f"{where}[{n}]"))
    elif isinstance(shape, dict):
        for key, value in shape.items():
            missing.extend(_unnamed_fields(value, f"{where}[{key!r}]"))
    return missing


def test_built_is_model_construct_for_a_shape_that_names_every_field() -> None:
    values: dict[str, Any] = {"id": "ann", "name": "Ann", "image": None, "online": True, "last_active": None}
    made = built(frames.User, **values)
    assert made == frames.User.model_construct(**values)
    assert made.model_dump_json(exclude_none=True) == '{"id":"ann","name":"Ann","online":true}'
    made.online = False  # still an ordinary model: assignment records the field as set
    assert made.model_fields_set == set(values)


@pytest.mark.parametrize("presence", [False, True])
async def test_channel_list_and_watch_shapes_name_every_field(room: Room, presence: bool) -> None:
    """A page that shows every kind of part: reactions (latest and own), a quote, a pin, a reply
    shown in the channel with its participants, a mention, an attachment, members and reads."""
    await room.alice.say("first", id="m1", mentioned_users=["bob"])
    await room.bob.say("second", id="m2", quoted_message_id="m1")
    await room.bob.ask("reaction.send", message_id="m1", reaction={"type": "like"})
    await room.alice.ask("reaction.send", message_id="m1", reaction={"type": "love"})
    pinned = await room.bob.ask("message.pin", id="m2", pinned=True)
    assert pinned["type"] == "message.updated", pinned
    await room.bob.say("in the thread", id="r1", parent_id="m1", show_in_channel=True)
    await room.alice.say(
        "a link",
        id="m3",
        attachments=[{"type": "file", "asset_url": "https://example.com/a.pdf", "title": "a.pdf"}],
    )
    alice = Actor(id="alice", name="Alice")

    def shapes() -> tuple[frames.ChannelsState, frames.ChannelState]:
        listed = query_channels(alice, {"cid": ROOM}, presence=presence)
        watched = channel_state(access_channel(alice, ROOM), viewer=alice, presence=presence)
        return listed.answer, watched

    listed, watched = await database_sync_to_async(shapes)()
    [state] = listed.channels
    assert {m.id for m in state.messages} == {"m1", "m2", "r1", "m3"}
    assert [m.id for m in state.pinned_messages] == ["m2"]
    first = next(m for m in state.messages if m.id == "m1")
    assert first.own_reactions and first.latest_reactions and first.mentioned_users
    assert first.thread_participants and state.members and state.read
    assert _unnamed_fields(listed) == []
    assert _unnamed_fields(watched) == []
