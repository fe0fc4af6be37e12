"""A channel's data through real sockets: channel.update (create, replace, set / unset, custom
fields and their limit, who may), distinct channels found again, and channel.delete."""

from __future__ import annotations

from chat.models import Channel, Message

from .chat_room import ROOM, Room, room, sockets

__all__ = ["room", "sockets"]  # fixtures


async def test_channel_update_replaces_the_data_and_tells_watchers(room: Room) -> None:
    await room.quiet()
    answer = await room.alice.ask(
        "channel.update",
        cid=ROOM,
        data={"name": "Room", "image": "https://example.com/r.png", "color": "teal"},
    )
    assert answer["type"] == "channel.updated" and answer["user"]["id"] == "alice"
    channel = answer["channel"]
    assert (channel["name"], channel["image"], channel["color"]) == (
        "Room",
        "https://example.com/r.png",
        "teal",
    )
    heard = await room.bob.next_of("channel.updated")
    assert "request_id" not in heard and heard["channel"]["color"] == "teal"
    replaced = (await room.alice.ask("channel.update", cid=ROOM, data={"name": "Room 2"}))["channel"]
    assert replaced["name"] == "Room 2" and "color" not in replaced and "image" not in replaced
    watched = await room.bob.watch(ROOM)
    assert watched["channel"]["name"] == "Room 2"


async def test_channel_update_partial_sets_and_unsets_only_the_named_fields(room: Room) -> None:
    await room.alice.ask("channel.update", cid=ROOM, data={"name": "Room", "color": "teal", "topic": "x"})
    answer = await room.alice.ask(
        "channel.update", cid=ROOM, set={"color": "red", "size": 3}, unset=["topic"]
    )
    channel = answer["channel"]
    assert (channel["name"], channel["color"], channel["size"]) == ("Room", "red", 3)
    assert "topic" not in channel
    cleared = (await room.alice.ask("channel.update", cid=ROOM, unset=["name"]))["channel"]
    assert cleared["name"] == "" and cleared["color"] == "red"


async def test_channel_update_that_changes_nothing_is_answered_but_not_told(room: Room) -> None:
    await room.alice.ask("channel.update", cid=ROOM, set={"color": "teal"})
    await room.quiet()
    answer = await room.alice.ask("channel.update", cid=ROOM, set={"color": "teal"})
    assert answer["channel"]["color"] == "teal"
    assert await room.bob.nothing_more()


async def test_channel_update_needs_the_update_channel_capability(room: Room) -> None:
    message = await room.bob.refused("channel.update", "not_allowed", cid=ROOM, set={"name": "mine now"})
    assert "update-channel" in message
    await room.mallory.refused("channel.update", "not_allowed", cid=ROOM, set={"name": "mine now"})
    await room.alice.ask("channel.moderators.add", cid=ROOM, user_ids=["bob"])
    assert (await room.bob.ask("channel.update", cid=ROOM, set={"name": "ours"}))["channel"]["name"] == "ours"


async def test_channel_update_refuses_custom_data_over_5_kib_and_reserved_fields(room: Room) -> None:
    message = await room.alice.refused(
        "channel.update", "custom_data_too_large", cid=ROOM, set={"blob": "x" * 5200}
    )
    assert "5,120" in message
    await room.alice.refused("channel.update", "invalid_field", cid=ROOM, set={"member_count": 9})
    await room.alice.refused("channel.update", "not_allowed", cid=ROOM, unset=["cid"])
    assert (await room.alice.ask("channel.update", cid=ROOM, set={"blob": "x" * 5000}))[
        "type"
    ] == "channel.updated"
    stored = await Channel.objects.aget(cid=ROOM)
    assert stored.custom == {"blob": "x" * 5000}


async def test_channel_update_creates_a_channel_that_does_not_exist(room: Room) -> None:
    cid = "messaging:fresh"
    answer = await room.alice.ask(
        "channel.update", cid=cid, data={"name": "Fresh", "members": ["bob"], "color": "blue"}
    )
    assert answer["channel"]["name"] == "Fresh" and answer["channel"]["member_count"] == 2
    state = await room.bob.watch(cid)
    assert state["channel"]["color"] == "blue"
    assert {m["user_id"] for m in state["members"]} == {"alice", "bob"}
    await room.alice.refused("channel.update", "not_found", cid="messaging:nowhere", set={"name": "x"})


async def test_channel_create_of_a_channel_that_exists_leaves_its_data_and_needs_only_reading(
    room: Room,
) -> None:
    await room.alice.ask("channel.update", cid=ROOM, data={"name": "Room", "color": "teal"})
    await room.quiet()
    # bob may not change the channel (no update-channel), but may open it as channel.create() does
    answer = await room.bob.ask("channel.update", cid=ROOM, get_or_create=True, data={"name": "Bob's"})
    assert answer["type"] == "channel.updated"
    assert (answer["channel"]["name"], answer["channel"]["color"]) == ("Room", "teal")
    assert await room.alice.nothing_more()  # nothing changed, so nothing is told
    watched = await room.alice.watch(ROOM)
    assert (watched["channel"]["name"], watched["channel"]["color"]) == ("Room", "teal")
    made = await room.bob.ask("channel.update", cid="messaging:bobs", get_or_create=True, data={"name": "B"})
    assert made["channel"]["name"] == "B" and made["channel"]["created_by"]["id"] == "bob"
    await room.mallory.refused("channel.update", "not_allowed", cid=ROOM, get_or_create=True)
    kept = await room.alice.ask(
        "channel.update", cid=ROOM, get_or_create=True, set={"name": "x"}, unset=["color"]
    )
    assert (kept["channel"]["name"], kept["channel"]["color"]) == ("Room", "teal")  # only creates


async def test_channel_watch_refuses_custom_data_over_the_limit_at_creation(room: Room) -> None:
    await room.alice.refused(
        "channel.watch", "custom_data_too_large", cid="messaging:big", data={"b": "x" * 6000}
    )
    assert not await Channel.objects.filter(cid="messaging:big").aexists()


# Distinct channels


async def test_distinct_channel_is_found_again_by_the_same_members(room: Room) -> None:
    first = await room.alice.ask("channel.watch", channel_type="messaging", data={"members": ["bob"]})
    assert first["type"] == "channel.state"
    cid = first["cid"]
    assert cid.startswith("messaging:!members-")
    again = await room.bob.ask("channel.watch", channel_type="messaging", data={"members": ["alice", "bob"]})
    assert again["cid"] == cid
    assert await Channel.objects.filter(cid__startswith="messaging:!members-").acount() == 1
    other = await room.alice.ask(
        "channel.watch", channel_type="messaging", data={"members": ["bob", "mallory"]}
    )
    assert other["cid"] != cid
    await room.mallory.refused("channel.watch", "not_allowed", cid=cid)


async def test_distinct_channel_by_channel_update_is_the_same_channel(room: Room) -> None:
    made = await room.alice.ask(
        "channel.update", channel_type="messaging", data={"members": ["bob"], "name": "Us"}
    )
    watched = await room.bob.ask("channel.watch", channel_type="messaging", data={"members": ["alice"]})
    assert watched["cid"] == made["cid"] and watched["channel"]["name"] == "Us"


async def test_a_watch_without_cid_or_members_is_refused(room: Room) -> None:
    await room.alice.refused("channel.watch", "not_found")
    await room.alice.refused("channel.watch", "not_found", channel_type="messaging", data={"name": "x"})
    await room.alice.refused(
        "channel.watch", "unknown_channel_type", channel_type="nope", data={"members": ["bob"]}
    )


# channel.delete


async def test_channel_delete_tells_every_member_and_ends_the_watches(room: Room) -> None:
    await room.alice.say("soon gone")
    idle = await room.open("bob")  # a member's socket that does not watch hears of it too
    await room.quiet()
    answer = await room.alice.ask("channel.delete", cid=ROOM)
    assert answer["type"] == "channel.deleted" and answer["cid"] == ROOM
    assert (await room.bob.next_of("channel.deleted"))["cid"] == ROOM
    assert (await idle.next_of("channel.deleted"))["cid"] == ROOM
    assert await room.mallory.nothing_more()
    assert not await Channel.objects.filter(cid=ROOM).aexists()
    assert not await Message.objects.filter(text="soon gone").aexists()
    await room.bob.drain()
    recreated = await room.mallory.watch(ROOM)  # the cid is free again: a new, empty channel
    assert recreated["messages"] == [] and [m["user_id"] for m in recreated["members"]] == ["mallory"]
    assert await room.bob.nothing_more()  # bob's old watch ended with the old channel


async def test_channel_delete_needs_the_delete_channel_capability(room: Room) -> None:
    assert "delete-channel" in await room.bob.refused("channel.delete", "not_allowed", cid=ROOM)
    await room.mallory.refused("channel.delete", "not_allowed", cid=ROOM)
    assert await Channel.objects.filter(cid=ROOM).aexists()
