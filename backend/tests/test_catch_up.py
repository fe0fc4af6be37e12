"""The catch-up after a Redis outage (chat.catch_up): what changed in a channel since a moment,
rebuilt from the database as the events its watchers missed."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from channels.db import database_sync_to_async

from chat.catch_up import CHANNEL_GROUP_PREFIX, missed_events
from chat.models import Channel

from .chat_room import ROOM, Room, room, sockets

__all__ = ["room", "sockets"]  # fixtures


async def _missed(since: float) -> list[dict[str, Any]]:
    pk = await database_sync_to_async(lambda: Channel.objects.get(cid=ROOM).pk)()
    group = f"{CHANNEL_GROUP_PREFIX}{pk}"
    found = await missed_events([group], since)
    return [json.loads(text) for text in found.get(group, [])]


async def test_catch_up_replays_new_edited_reacted_pinned_and_replied_to_messages_only(room: Room) -> None:
    for n in range(1, 6):
        await room.alice.say(f"message {n}", id=f"m{n}")
    await room.quiet()
    since = time.time()
    await asyncio.sleep(0.01)  # the changes below are strictly after `since`
    await room.alice.ask("message.update", message={"id": "m1", "text": "message 1, edited"})
    await room.bob.ask("reaction.send", message_id="m2", reaction={"type": "like"})
    await room.alice.ask("message.pin", id="m3", pinned=True)
    await room.bob.say("a reply", id="r1", parent_id="m4")
    await room.quiet()

    events = await _missed(since)
    by_id = {event["message"]["id"]: event for event in events}
    assert sorted(by_id) == ["m1", "m2", "m3", "m4", "r1"]  # m5 did not change
    assert len(events) == len(by_id)  # each once
    assert by_id["r1"]["type"] == "message.new"
    assert all(by_id[m]["type"] == "message.updated" for m in ("m1", "m2", "m3", "m4"))
    assert by_id["m1"]["message"]["text"] == "message 1, edited"
    assert by_id["m2"]["message"]["reaction_counts"] == {"like": 1}
    assert by_id["m3"]["message"]["pinned"] is True
    assert by_id["m4"]["message"]["reply_count"] == 1

    assert await _missed(time.time() + 1) == []  # nothing changed after that
