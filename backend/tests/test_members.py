"""Members through real sockets: channel.members.add / remove, channel.moderators.add and their
events, and members.query's filters, sorts and refusals."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async

from chat.models import Channel, Member, Read

from .chat_room import ROOM, Room, room, sockets

__all__ = ["room", "sockets"]  # fixtures


async def test_members_add_answers_the_members_and_tells_watchers_and_the_new_member(room: Room) -> None:
    carol = await room.open("carol")
    answer = await room.alice.ask("channel.members.add", cid=ROOM, user_ids=["carol"])
    assert answer["type"] == "channel.updated"
    assert [m["user_id"] for m in answer["members"]] == ["alice", "bob", "carol"]
    assert answer["channel"]["member_count"] == 3
    added = await room.bob.next_of("member.added")
    assert added["member"]["user_id"] == "carol" and added["user"]["id"] == "carol" and added["cid"] == ROOM
    notice = await carol.next_of("notification.added_to_channel")
    assert notice["cid"] == ROOM and notice["member"]["user_id"] == "carol"
    assert notice["channel"]["member_count"] == 3
    assert (await carol.watch(ROOM))["cid"] == ROOM  # a member now: the watch is granted
    assert await Read.objects.filter(user_id="carol", channel__cid=ROOM).aexists()


async def test_members_add_again_changes_nothing(room: Room) -> None:
    await room.alice.ask("channel.members.add", cid=ROOM, user_ids=["carol"])
    await room.quiet()
    answer = await room.alice.ask("channel.members.add", cid=ROOM, user_ids=["carol", "bob"])
    assert [m["user_id"] for m in answer["members"]] == ["alice", "bob", "carol"]
    assert all(f["type"] != "member.added" for f in await room.bob.drain())


async def test_a_new_member_is_counted_unread_from_the_channels_start(room: Room) -> None:
    await room.alice.say("before carol")
    carol = await room.open("carol")
    await room.alice.ask("channel.members.add", cid=ROOM, user_ids=["carol"])
    assert (await carol.ask("unread.get"))["total_unread_count"] == 1
    await room.alice.say("after carol")
    assert (await carol.ask("unread.get"))["total_unread_count"] == 2


async def test_members_add_is_refused_to_a_plain_member_and_an_outsider(room: Room) -> None:
    message = await room.bob.refused("channel.members.add", "not_allowed", cid=ROOM, user_ids=["carol"])
    assert "update-channel-members" in message
    await room.mallory.refused("channel.members.add", "not_allowed", cid=ROOM, user_ids=["mallory"])
    assert not await Member.objects.filter(user_id__in=["carol", "mallory"]).aexists()


async def test_members_remove_tells_watchers_and_stops_the_removed_users_watch(room: Room) -> None:
    await room.alice.ask("channel.members.add", cid=ROOM, user_ids=["carol"])
    carol = await room.open("carol")
    await carol.watch(ROOM)
    await room.quiet()
    answer = await room.alice.ask("channel.members.remove", cid=ROOM, user_ids=["bob"])
    assert [m["user_id"] for m in answer["members"]] == ["alice", "carol"]
    removed = await carol.next_of("member.removed")
    assert removed["member"]["user_id"] == "bob"
    notice = await room.bob.next_of("notification.removed_from_channel")
    assert notice["cid"] == ROOM and notice["user"]["id"] == "bob"
    await room.bob.drain()
    await room.alice.say("bob cannot read this")
    assert all(f["type"] not in {"message.new", "notification.message_new"} for f in await room.bob.drain())
    await room.bob.refused("channel.watch", "not_allowed", cid=ROOM)
    await room.bob.refused("message.new", "not_allowed", cid=ROOM, text="still here?")
    assert not await Read.objects.filter(user_id="bob", channel__cid=ROOM).aexists()


async def test_a_member_may_remove_themselves_but_not_others(room: Room) -> None:
    await room.alice.ask("channel.members.add", cid=ROOM, user_ids=["carol"])
    await room.bob.refused("channel.members.remove", "not_allowed", cid=ROOM, user_ids=["carol"])
    answer = await room.bob.ask("channel.members.remove", cid=ROOM, user_ids=["bob"])
    assert [m["user_id"] for m in answer["members"]] == ["alice", "carol"]


async def test_moderators_add_promotes_a_member_and_tells_watchers(room: Room) -> None:
    await room.quiet()
    # a plain member may not promote anyone, themselves included; an outsider still less
    await room.bob.refused("channel.moderators.add", "not_allowed", cid=ROOM, user_ids=["bob"])
    await room.mallory.refused("channel.moderators.add", "not_allowed", cid=ROOM, user_ids=["mallory"])
    answer = await room.alice.ask("channel.moderators.add", cid=ROOM, user_ids=["bob"])
    roles = {m["user_id"]: m["channel_role"] for m in answer["members"]}
    assert roles == {"alice": "channel_member", "bob": "channel_moderator"}
    updated = await room.bob.next_of("member.updated")
    assert updated["member"]["channel_role"] == "channel_moderator"
    state = await room.bob.watch(ROOM)
    assert "ban-channel-members" in state["own_capabilities"]
    await room.alice.refused("channel.moderators.add", "not_found", cid=ROOM, user_ids=["mallory"])


async def _members(room: Room, **query: Any) -> list[str]:
    answer = await room.alice.ask("members.query", cid=ROOM, **query)
    assert answer["type"] == "members.list", answer
    return [m["user_id"] for m in answer["members"]]


async def test_members_query_filters_and_sorts(room: Room) -> None:
    await room.alice.ask("channel.members.add", cid=ROOM, user_ids=["carol", "bobby"])
    assert await _members(room, filter_conditions={}) == ["alice", "bob", "carol", "bobby"]
    assert await _members(room, filter_conditions={"name": {"$autocomplete": "bo"}}) == ["bob", "bobby"]
    assert await _members(room, filter_conditions={"id": {"$in": ["carol", "alice"]}}) == ["alice", "carol"]
    await room.alice.ask("channel.moderators.add", cid=ROOM, user_ids=["carol"])
    assert await _members(room, filter_conditions={"channel_role": "channel_moderator"}) == ["carol"]
    by_name = await _members(room, filter_conditions={}, sort=[{"field": "name", "direction": -1}])
    assert by_name == ["carol", "bobby", "bob", "alice"]
    assert await _members(room, filter_conditions={}, limit=2, offset=1) == ["bob", "carol"]


async def test_members_query_filters_banned_members(room: Room) -> None:
    await room.alice.ask("channel.moderators.add", cid=ROOM, user_ids=["alice"])
    await room.alice.ask("user.ban", target_id="bob", cid=ROOM)
    assert await _members(room, filter_conditions={"banned": True}) == ["bob"]
    answer = await room.alice.ask("members.query", cid=ROOM, filter_conditions={"banned": False})
    assert [(m["user_id"], m["banned"]) for m in answer["members"]] == [("alice", False)]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"filter_conditions": {"email": "x"}}, "invalid_field"),
        ({"filter_conditions": {"name": {"$gt": "a"}}}, "invalid_field"),
        ({"filter_conditions": {}, "limit": 101}, "invalid_field"),
        ({"filter_conditions": {}, "sort": [{"field": "role", "direction": 1}]}, "invalid_field"),
    ],
)
async def test_members_query_refuses_bad_input(room: Room, query: dict[str, Any], code: str) -> None:
    await room.alice.refused("members.query", code, cid=ROOM, **query)


async def test_members_query_is_refused_to_outsiders(room: Room) -> None:
    await room.mallory.refused("members.query", "not_allowed", cid=ROOM, filter_conditions={})


@pytest.mark.parametrize(
    ("kind", "fields", "code", "named"),
    [
        ("channel.members.add", {"cid": ROOM}, "invalid_field", "user_ids"),
        ("channel.members.add", {"cid": ROOM, "user_ids": []}, "invalid_field", "user_ids"),
        ("channel.members.add", {"cid": ROOM, "user_ids": "carol"}, "invalid_field", "user_ids"),
        (
            "channel.members.add",
            {"cid": ROOM, "user_ids": [f"u{n}" for n in range(101)]},
            "invalid_field",
            "user_ids",
        ),
        ("channel.members.add", {"cid": "no cid", "user_ids": ["carol"]}, "invalid_cid", "cid"),
        ("channel.members.remove", {"cid": ROOM, "user_ids": [""]}, "invalid_field", "user_ids"),
        ("channel.moderators.add", {"user_ids": ["bob"]}, "invalid_cid", "cid"),
        ("channel.delete", {}, "invalid_cid", "cid"),
        ("channel.delete", {"cid": ROOM, "hard": True}, "invalid_field", "hard"),
        ("unread.get", {"cid": ROOM}, "invalid_field", "`cid` is not allowed"),
        ("message.unread", {"cid": ROOM}, "invalid_field", "message_id"),
        ("channel.update", {"cid": ROOM, "data": {"name": 5}}, "invalid_field", "name"),
        ("channel.update", {"cid": ROOM, "get_or_create": "maybe"}, "invalid_field", "get_or_create"),
    ],
)
async def test_channel_frames_refuse_bad_input_naming_it_and_change_nothing(
    room: Room, kind: str, fields: dict[str, Any], code: str, named: str
) -> None:
    def members() -> list[str]:
        return sorted(Member.objects.filter(channel__cid=ROOM).values_list("user_id", flat=True))

    before = await database_sync_to_async(members)()
    message = await room.alice.refused(kind, code, **fields)
    assert named in message
    assert await database_sync_to_async(members)() == before == ["alice", "bob"]
    assert await Channel.objects.filter(cid=ROOM, name="").aexists()  # nor the channel's data
    assert (await room.alice.ask("health.check"))["type"] == "health.check"  # the socket carries on
