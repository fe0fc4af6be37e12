"""Presence and users.query through real sockets: online while any socket of the user is open,
announced once per change to the sockets that asked for presence; users.query's scope and filters."""

from __future__ import annotations

from typing import Any

import pytest

from .chat_room import ROOM, Checked, Opener, Room, room, sockets

__all__ = ["room", "sockets"]  # fixtures


async def _presence_of(client: Checked) -> list[tuple[str, bool]]:
    return [
        (f["user"]["id"], f["user"]["online"])
        for f in await client.drain()
        if f["type"] == "user.presence.changed"
    ]


async def test_watch_with_presence_shows_who_is_online(room: Room) -> None:
    state = await room.alice.watch(ROOM, presence=True)
    users = {m["user"]["id"]: m["user"] for m in state["members"]}
    assert users["bob"]["online"] is True and "last_active" in users["bob"]
    assert state["membership"]["user"]["online"] is True
    await room.alice.ask("channel.members.add", cid=ROOM, user_ids=["carol"])
    state = await room.alice.watch(ROOM, presence=True)
    carol = next(m["user"] for m in state["members"] if m["user_id"] == "carol")
    assert carol["online"] is False
    plain = await room.bob.watch(ROOM)
    assert all("online" not in m["user"] for m in plain["members"])


async def test_presence_is_announced_once_per_user_not_per_socket(room: Room) -> None:
    await room.alice.ask("channel.members.add", cid=ROOM, user_ids=["carol"])
    await room.alice.watch(ROOM, presence=True)
    await room.quiet()
    first = await room.open("carol")
    await room.open("carol")  # a second socket of an online user changes nothing
    assert await _presence_of(room.alice) == [("carol", True)]
    await first.communicator.disconnect()
    assert await _presence_of(room.alice) == []  # still online on the other socket


async def test_presence_goes_offline_when_the_last_socket_closes(room: Room) -> None:
    await room.alice.watch(ROOM, presence=True)
    second = await room.open("bob")
    await room.quiet()
    await room.bob.communicator.disconnect()
    assert await _presence_of(room.alice) == []
    await second.communicator.disconnect()
    [event] = [f for f in await room.alice.drain() if f["type"] == "user.presence.changed"]
    assert event["user"]["id"] == "bob" and event["user"]["online"] is False
    assert "last_active" in event["user"]
    state = await room.alice.watch(ROOM, presence=True)
    bob = next(m["user"] for m in state["members"] if m["user_id"] == "bob")
    assert bob["online"] is False and bob["last_active"] == event["user"]["last_active"]


async def test_presence_changes_reach_only_sockets_that_asked(room: Room) -> None:
    await room.alice.watch(ROOM, presence=True)
    await room.quiet()
    await room.open("carol")  # alice was not shown carol
    await room.open("mallory")
    assert await _presence_of(room.alice) == []
    assert await _presence_of(room.bob) == []


async def test_channels_query_with_presence_shows_and_follows_the_members(room: Room) -> None:
    answer = await room.bob.ask("channels.query", filter_conditions={"cid": ROOM}, presence=True)
    users = {m["user_id"]: m["user"] for m in answer["channels"][0]["members"]}
    assert {u: user["online"] for u, user in users.items()} == {"alice": True, "bob": True}
    assert all("last_active" in user for user in users.values())
    plain = await room.bob.ask("channels.query", filter_conditions={"cid": ROOM})
    assert all("online" not in m["user"] for m in plain["channels"][0]["members"])
    await room.quiet()
    await room.alice.communicator.disconnect()
    assert await _presence_of(room.bob) == [("alice", False)]


async def test_members_query_with_presence_shows_and_follows_the_members(room: Room) -> None:
    await room.alice.ask("channel.members.add", cid=ROOM, user_ids=["carol"])
    listed = await room.bob.ask("members.query", cid=ROOM, filter_conditions={}, presence=True)
    assert listed["type"] == "members.list", listed
    users = {m["user_id"]: m["user"] for m in listed["members"]}
    assert {u: user["online"] for u, user in users.items()} == {"alice": True, "bob": True, "carol": False}
    assert "last_active" in users["alice"] and "last_active" not in users["carol"]  # carol never came
    plain = await room.bob.ask("members.query", cid=ROOM, filter_conditions={})
    assert all("online" not in m["user"] for m in plain["members"])
    await room.quiet()
    await room.open("carol")
    assert await _presence_of(room.bob) == [("carol", True)]


# users.query


async def _users(client: Checked, **query: Any) -> list[str]:
    answer = await client.ask("users.query", **query)
    assert answer["type"] == "users.list", answer
    return [u["id"] for u in answer["users"]]


async def test_users_query_finds_only_users_sharing_a_channel(room: Room) -> None:
    assert await _users(room.alice, filter_conditions={}) == ["alice", "bob"]
    assert await _users(room.mallory, filter_conditions={}) == ["mallory"]
    assert await _users(room.mallory, filter_conditions={"id": "bob"}) == []


async def test_users_query_shows_an_admin_everyone(sockets: Opener, room: Room) -> None:
    root = await sockets("root", app_metadata={"role": "admin"})
    assert await _users(root, filter_conditions={}) == ["alice", "bob", "mallory", "root"]


async def test_users_query_autocompletes_ids_and_names(room: Room) -> None:
    await room.alice.ask("channel.members.add", cid=ROOM, user_ids=["bobby", "carol"])
    query = {"$or": [{"id": {"$autocomplete": "bo"}}, {"name": {"$autocomplete": "bo"}}]}
    assert await _users(room.alice, filter_conditions=query) == ["bob", "bobby"]
    assert await _users(room.alice, filter_conditions={"id": {"$in": ["carol", "alice"]}}) == [
        "alice",
        "carol",
    ]
    assert await _users(
        room.alice, filter_conditions={}, sort=[{"field": "id", "direction": -1}], limit=2
    ) == [
        "carol",
        "bobby",
    ]


async def test_users_query_never_shows_more_than_id_name_image_and_presence(room: Room) -> None:
    answer = await room.alice.ask("users.query", filter_conditions={"id": "bob"}, presence=True)
    [bob] = answer["users"]
    assert set(bob) == {"id", "name", "online", "last_active"}  # bob has no image
    assert bob["online"] is True


@pytest.mark.parametrize(
    "query",
    [
        {"filter_conditions": {"email": "bob@example.com"}},
        {"filter_conditions": {"role": "admin"}},
        {"filter_conditions": {"name": {"$gt": "a"}}},
        {"filter_conditions": {}, "limit": 101},
        {"filter_conditions": {}, "sort": [{"field": "email", "direction": 1}]},
    ],
)
async def test_users_query_refuses_unknown_fields(room: Room, query: dict[str, Any]) -> None:
    await room.alice.refused("users.query", "invalid_field", **query)
