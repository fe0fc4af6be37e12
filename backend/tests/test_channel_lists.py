"""channels.query through real sockets: Stream's filters and sorts over a seeded set of channels,
the privacy rule whatever the filter, watch / state / limits, and refused input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat.auth import Actor
from chat.models import Channel
from chat.services import query_channels, readable_channels

from .chat_room import Checked, Opener, sockets

__all__ = ["sockets"]  # the fixture

T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def _seed(sockets: Opener) -> tuple[Checked, Checked, Checked]:
    """Six channels, their last messages a day apart in this order:

    messaging:m1 (alice, bob)  messaging:m2 (alice, bob, carol)  messaging:m3 (alice)
    team:t1 (alice, carol)     messaging:secret (bob, carol)     livestream:live (carol)
    """
    alice, bob, carol = await sockets("alice"), await sockets("bob"), await sockets("carol")
    made = [
        (alice, "messaging:m1", ["bob"], "Marketing"),
        (alice, "messaging:m2", ["bob", "carol"], "Money matters"),
        (alice, "messaging:m3", [], "Alone"),
        (alice, "team:t1", ["carol"], "Team one"),
        (bob, "messaging:secret", ["carol"], "Secret plans"),
        (carol, "livestream:live", [], "Live show"),
    ]
    for n, (owner, cid, members, name) in enumerate(made):
        await owner.watch(cid, data={"members": members, "name": name})
        await owner.say(f"hello {cid}", cid=cid)
        await Channel.objects.filter(cid=cid).aupdate(
            last_message_at=T0 + timedelta(days=n), created_at=T0 - timedelta(days=n)
        )
    for client in (alice, bob, carol):
        await client.drain(0.05)
    return alice, bob, carol


async def _cids(client: Checked, **query: Any) -> list[str]:
    answer = await client.ask("channels.query", **query)
    assert answer["type"] == "channels.state", answer
    return [state["cid"] for state in answer["channels"]]


async def test_channels_query_lists_the_users_channels_newest_first_by_default(sockets: Opener) -> None:
    alice, _, _ = await _seed(sockets)
    assert await _cids(alice, filter_conditions={"members": {"$in": ["alice"]}}) == [
        "team:t1",
        "messaging:m3",
        "messaging:m2",
        "messaging:m1",
    ]


async def test_channels_query_never_shows_a_messaging_channel_the_user_is_not_in(sockets: Opener) -> None:
    alice, _, _ = await _seed(sockets)
    everything = await _cids(alice, filter_conditions={}, limit=30)
    assert "messaging:secret" not in everything
    assert set(everything) == {"messaging:m1", "messaging:m2", "messaging:m3", "team:t1", "livestream:live"}
    for tricky in (
        {"cid": "messaging:secret"},
        {"members": {"$in": ["bob", "carol"]}},
        {"$or": [{"id": "secret"}, {"name": {"$autocomplete": "Secret"}}]},
        {"type": "messaging", "joined": False},
    ):
        assert "messaging:secret" not in await _cids(alice, filter_conditions=tricky), tricky


async def test_channels_query_filters_by_type_cid_id_and_members(sockets: Opener) -> None:
    alice, bob, _ = await _seed(sockets)
    assert await _cids(alice, filter_conditions={"type": "team"}) == ["team:t1"]
    assert await _cids(alice, filter_conditions={"type": {"$in": ["team", "livestream"]}}) == [
        "livestream:live",
        "team:t1",
    ]
    assert await _cids(alice, filter_conditions={"cid": {"$in": ["messaging:m1", "messaging:m3"]}}) == [
        "messaging:m3",
        "messaging:m1",
    ]
    assert await _cids(alice, filter_conditions={"id": "m2"}) == ["messaging:m2"]
    assert await _cids(bob, filter_conditions={"members": {"$in": ["carol"]}}) == [
        "livestream:live",
        "messaging:secret",
        "messaging:m2",
    ]


async def test_channels_query_filters_by_times_name_and_combinations(sockets: Opener) -> None:
    alice, _, _ = await _seed(sockets)
    after = (T0 + timedelta(days=1, hours=12)).isoformat()
    assert await _cids(alice, filter_conditions={"type": "messaging", "last_message_at": {"$gt": after}}) == [
        "messaging:m3"
    ]
    assert await _cids(
        alice, filter_conditions={"created_at": {"$gte": (T0 - timedelta(days=1)).isoformat()}}
    ) == ["messaging:m2", "messaging:m1"]
    assert await _cids(alice, filter_conditions={"name": {"$autocomplete": "mat"}}) == ["messaging:m2"]
    assert await _cids(alice, filter_conditions={"name": {"$autocomplete": "m"}}) == [
        "messaging:m2",
        "messaging:m1",
    ]
    either = {"$or": [{"type": "team"}, {"$and": [{"id": "m1"}, {"members": {"$in": ["bob"]}}]}]}
    assert await _cids(alice, filter_conditions=either) == ["team:t1", "messaging:m1"]
    assert await _cids(alice, filter_conditions={"member_count": {"$gte": 3}}) == ["messaging:m2"]
    day_two = (T0 + timedelta(days=1)).isoformat()
    assert await _cids(alice, filter_conditions={"last_message_at": {"$lt": day_two}}) == ["messaging:m1"]
    assert await _cids(alice, filter_conditions={"last_message_at": {"$lte": day_two}}) == [
        "messaging:m2",
        "messaging:m1",
    ]
    made_before = (T0 - timedelta(days=2)).isoformat()
    assert await _cids(alice, filter_conditions={"created_at": {"$lt": made_before}}) == [
        "livestream:live",
        "team:t1",
    ]
    assert await _cids(alice, filter_conditions={"created_at": {"$lte": made_before}}) == [
        "livestream:live",
        "team:t1",
        "messaging:m3",
    ]


async def test_channels_query_has_unread_follows_reads_and_new_messages(sockets: Opener) -> None:
    alice, bob, _ = await _seed(sockets)
    assert await _cids(bob, filter_conditions={"has_unread": True}) == ["messaging:m2", "messaging:m1"]
    await bob.ask("message.read", cid="messaging:m2")
    assert await _cids(bob, filter_conditions={"has_unread": True}) == ["messaging:m1"]
    await alice.say("again", cid="messaging:m2")
    assert await _cids(bob, filter_conditions={"has_unread": True}) == ["messaging:m2", "messaging:m1"]


async def test_channels_query_sorts_by_each_field_both_ways(sockets: Opener) -> None:
    alice, _, _ = await _seed(sockets)
    mine = {"members": {"$in": ["alice"]}}

    async def by(field: str, direction: int) -> list[str]:
        return await _cids(alice, filter_conditions=mine, sort=[{"field": field, "direction": direction}])

    newest_first = ["team:t1", "messaging:m3", "messaging:m2", "messaging:m1"]
    assert await by("last_message_at", -1) == newest_first
    assert await by("last_message_at", 1) == newest_first[::-1]
    assert await by("created_at", -1) == newest_first[::-1]
    assert await by("created_at", 1) == newest_first
    assert (await by("member_count", -1))[0] == "messaging:m2"
    assert (await by("member_count", 1))[0] == "messaging:m3"
    await alice.ask("channel.update", cid="messaging:m1", set={"topic": "moved"})
    assert (await by("updated_at", -1))[0] == "messaging:m1"
    assert (await by("updated_at", 1))[-1] == "messaging:m1"
    assert (await by("last_updated", -1))[0] == "messaging:m1"
    carol = await sockets("carol")
    await carol.say("one", cid="team:t1")
    await carol.say("two", cid="team:t1")
    bob = await sockets("bob")
    await bob.say("three", cid="messaging:m1")
    assert (await by("unread_count", -1))[:2] == ["team:t1", "messaging:m1"]
    assert (await by("unread_count", 1))[-2:] == ["messaging:m1", "team:t1"]


async def test_channels_query_pages_with_limit_and_offset(sockets: Opener) -> None:
    alice, _, _ = await _seed(sockets)
    mine = {"members": {"$in": ["alice"]}}
    assert await _cids(alice, filter_conditions=mine, limit=2) == ["team:t1", "messaging:m3"]
    assert await _cids(alice, filter_conditions=mine, limit=2, offset=2) == ["messaging:m2", "messaging:m1"]
    assert await _cids(alice, filter_conditions=mine, limit=2, offset=4) == []


async def test_channels_query_answers_each_channel_as_a_watch_would(sockets: Opener) -> None:
    alice, _, _ = await _seed(sockets)
    await alice.ask(
        "channel.update", cid="messaging:m2", set={"image": "https://example.com/m2.png", "color": "teal"}
    )
    answer = await alice.ask("channels.query", filter_conditions={"cid": "messaging:m2"}, message_limit=1)
    [state] = answer["channels"]
    watched = await alice.watch("messaging:m2", messages={"limit": 1})
    for key in ("cid", "messages", "pinned_messages", "members", "read", "own_capabilities", "config"):
        assert state[key] == watched[key], key
    assert state["channel"]["color"] == "teal" and state["channel"]["image"] == "https://example.com/m2.png"
    assert state["channel"]["member_count"] == 3 and state["channel"]["name"] == "Money matters"
    assert state["membership"]["user_id"] == "alice"
    assert [m["text"] for m in state["messages"]] == ["hello messaging:m2"]


async def test_channels_query_state_false_and_limits_trim_each_channel(sockets: Opener) -> None:
    alice, _, _ = await _seed(sockets)
    bare = (await alice.ask("channels.query", filter_conditions={"id": "m2"}, state=False))["channels"][0]
    assert bare["messages"] == [] and bare["members"] == [] and bare["read"] == []
    assert bare["channel"]["member_count"] == 3 and "send-message" in bare["own_capabilities"]
    trimmed = (
        await alice.ask("channels.query", filter_conditions={"id": "m2"}, member_limit=2, message_limit=0)
    )["channels"][0]
    assert len(trimmed["members"]) == 2 and trimmed["messages"] == []


async def test_channels_query_with_watch_delivers_the_channels_events(sockets: Opener) -> None:
    alice, bob, _ = await _seed(sockets)
    await bob.ask("channels.query", filter_conditions={"id": {"$in": ["m1", "m2"]}}, watch=True)
    await alice.next_of("user.watching.start")
    await alice.say("watched?", cid="messaging:m1")
    event = await bob.next_of("message.new")
    assert event["cid"] == "messaging:m1" and event["message"]["text"] == "watched?"


async def test_channels_query_without_watch_leaves_the_socket_unsubscribed(sockets: Opener) -> None:
    alice, bob, _ = await _seed(sockets)
    await bob.ask("channels.query", filter_conditions={"id": "m1"})
    await alice.say("not watched", cid="messaging:m1")
    frames = await bob.drain()
    assert [f["type"] for f in frames] == ["notification.message_new"]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"filter_conditions": {"colour": "red"}}, "colour"),
        ({"filter_conditions": {"type": {"$regex": "m.*"}}}, "$regex"),
        ({"filter_conditions": {"members": {"$in": "alice"}}}, "must be a list"),
        ({"filter_conditions": {"$or": {"type": "team"}}}, "$or"),
        ({"filter_conditions": {"created_at": {"$gt": "yesterday"}}}, "ISO 8601"),
        ({"filter_conditions": {"has_unread": "yes"}}, "true or false"),
        ({"filter_conditions": {"type": {"team": 1}}}, "operator"),
        ({"filter_conditions": {}, "sort": [{"field": "colour", "direction": 1}]}, "sort"),
        ({"filter_conditions": {}, "limit": 31}, "limit"),
        ({"filter_conditions": {}, "offset": 1001}, "offset"),
        ({"filter_conditions": {}, "message_limit": 301}, "message_limit"),
        ({"filter_conditions": {}, "member_limit": 101}, "member_limit"),
        ({}, "filter_conditions"),
    ],
)
async def test_channels_query_refuses_bad_input_naming_it(
    sockets: Opener, query: dict[str, Any], named: str
) -> None:
    alice = await sockets("alice")
    message = await alice.refused("channels.query", "invalid_field", **query)
    assert named in message
    assert (await alice.ask("health.check"))["type"] == "health.check"  # the socket carries on


async def test_channels_query_builds_any_page_in_a_fixed_number_of_queries(sockets: Opener) -> None:
    """No query per channel: two channels or five cost the same."""
    await _seed(sockets)
    actor = Actor(id="alice", name="Alice")

    def count(limit: int) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            listed = query_channels(actor, {}, limit=limit, presence=True)
        return len(listed.answer.channels), len(queries.captured_queries)

    few = await database_sync_to_async(count)(2)
    many = await database_sync_to_async(count)(30)
    assert few[0] == 2 and many[0] == 5
    assert few[1] == many[1], (few, many)


async def test_readable_channels_is_the_privacy_rule_for_any_caller(sockets: Opener) -> None:
    """What search builds on: the same rule outside channels.query, admins reading everything."""
    await _seed(sockets)

    def cids(actor: Actor, conditions: dict[str, Any]) -> set[str]:
        return set(readable_channels(actor, conditions).values_list("cid", flat=True))

    alice = Actor(id="alice", name="Alice")
    admin = Actor(id="root", name="Root", role="admin")
    assert "messaging:secret" not in await database_sync_to_async(cids)(alice, {})
    assert "messaging:secret" in await database_sync_to_async(cids)(admin, {})
    assert await database_sync_to_async(cids)(alice, {"type": "livestream"}) == {"livestream:live"}


def test_schema_lists_exactly_the_filter_keys_the_server_knows() -> None:
    """The schema refuses an unknown key before the server sees it: both must name the same keys."""
    import json
    from pathlib import Path

    from chat.services.channel_filters import channel_fields
    from chat.services.members import _member_fields
    from chat.services.users import USER_FIELDS

    defs = json.loads((Path(__file__).resolve().parents[2] / "schema" / "frames.schema.json").read_text())[
        "$defs"
    ]
    logical = {"$and", "$or", "$nor"}

    def keys(name: str) -> set[str]:
        return set(defs[name]["propertyNames"]["enum"]) - logical

    actor = Actor(id="alice", name="Alice")
    assert keys("ChannelFilter") == set(channel_fields(actor))
    assert keys("UserFilter") == set(USER_FIELDS)
    assert keys("MemberFilter") == set(_member_fields(None))  # type: ignore[arg-type]  # not evaluated
