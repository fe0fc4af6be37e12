"""messages.search: the full-text index on SQLite and PostgreSQL, privacy, deletes and edits."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from chat import search_index
from chat.models import Channel, ChatUser, Message

from .chat_room import ROOM, Opener, Room, room, sockets
from .peers import Peer, connect_peer, watch
from .servers import BackendProcess

__all__ = ["room", "sockets"]  # fixtures

MINE = {"members": {"$in": ["alice"]}}


def _texts(answer: dict[str, Any]) -> list[str]:
    assert answer["type"] == "search.results", answer
    return [hit["message"]["text"] for hit in answer["results"]]


async def _search(client: Any, query: str | None = None, **fields: Any) -> dict[str, Any]:
    fields.setdefault("filter_conditions", {"members": {"$in": [client.user]}})
    if query is not None:
        fields["query"] = query
    answer: dict[str, Any] = await client.ask("messages.search", **fields)
    return answer


async def test_search_finds_messages_by_their_words_ranked_by_relevance_then_newest(room: Room) -> None:
    await room.alice.say("the blue whale is the largest animal")
    await room.bob.say("a whale song")
    await room.alice.say("whale whale whale, all about the whale")
    await room.bob.say("nothing to see here")
    await room.alice.say("another whale")
    answer = await _search(room.bob, "whale")
    texts = _texts(answer)
    assert texts[0] == "whale whale whale, all about the whale"  # the most relevant first
    assert set(texts) == {
        "the blue whale is the largest animal",
        "a whale song",
        "whale whale whale, all about the whale",
        "another whale",
    }
    # Equally relevant: the newest first.
    assert texts.index("another whale") < texts.index("a whale song")
    hit = answer["results"][0]["message"]
    assert hit["cid"] == ROOM and hit["channel"]["cid"] == ROOM and hit["channel"]["member_count"] == 2
    assert hit["user"]["id"] == "alice"


async def test_search_needs_every_word_and_ignores_case_and_punctuation(room: Room) -> None:
    await room.alice.say("Lunch at NOON, tomorrow!")
    await room.alice.say("lunch is late")
    assert _texts(await _search(room.bob, "noon lunch")) == ["Lunch at NOON, tomorrow!"]
    assert _texts(await _search(room.bob, "LUNCH")) == ["lunch is late", "Lunch at NOON, tomorrow!"]
    assert _texts(await _search(room.bob, "lunch dinner")) == []


async def test_search_words_are_never_operators_of_the_index(room: Room) -> None:
    await room.alice.say('say NOT "this" OR that* NEAR(x y) -minus')
    for query in ['NOT "this"', "that*", "NEAR(x", "-minus", "OR"]:
        assert _texts(await _search(room.bob, query)) == ['say NOT "this" OR that* NEAR(x y) -minus'], query
    assert _texts(await _search(room.bob, "*** ---")) == []  # no word at all: nothing has it


async def test_search_never_finds_a_message_in_a_channel_the_user_cannot_read(room: Room) -> None:
    await room.alice.say("the secret word is walrus")
    await room.mallory.watch("messaging:mallory-own")
    await room.mallory.say("my own walrus", cid="messaging:mallory-own")
    everything = {"type": "messaging"}  # asks for every channel: still only the readable ones
    assert _texts(await _search(room.mallory, "walrus", filter_conditions=everything)) == ["my own walrus"]
    named = {"cid": ROOM}
    assert _texts(await _search(room.mallory, "walrus", filter_conditions=named)) == []
    assert _texts(await _search(room.bob, "walrus", filter_conditions=everything)) == [
        "the secret word is walrus"
    ]


async def test_search_takes_channel_filters_as_channels_query_does(room: Room) -> None:
    await room.alice.watch("messaging:other", data={"members": ["bob"], "name": "Other"})
    await room.alice.say("pelican here", cid="messaging:other")
    await room.alice.say("pelican there")
    assert set(_texts(await _search(room.bob, "pelican"))) == {"pelican here", "pelican there"}
    assert _texts(await _search(room.bob, "pelican", filter_conditions={"cid": "messaging:other"})) == [
        "pelican here"
    ]
    by_id = {"id": {"$in": ["room"]}}
    assert _texts(await _search(room.bob, "pelican", filter_conditions=by_id)) == ["pelican there"]
    message = await room.bob.refused(
        "messages.search", "invalid_field", filter_conditions={"colour": "red"}, query="pelican"
    )
    assert "colour" in message


async def test_search_never_finds_deleted_messages(room: Room) -> None:
    soft = await room.alice.say("the otter swims")
    hard = await room.alice.say("the otter sleeps")
    await room.alice.say("the otter eats")
    await room.alice.ask("message.delete", id=soft["id"])
    await room.alice.ask("message.delete", id=hard["id"], hard=True)
    assert _texts(await _search(room.bob, "otter")) == ["the otter eats"]
    assert _texts(await _search(room.bob, None, message_filter_conditions={"user.id": "alice"})) == [
        "the otter eats"
    ]


async def test_search_finds_an_edited_message_by_its_new_words_only(room: Room) -> None:
    sent = await room.alice.say("meet at the harbour")
    await room.alice.ask("message.update", message={"id": sent["id"], "text": "meet at the station"})
    assert _texts(await _search(room.bob, "harbour")) == []
    assert _texts(await _search(room.bob, "station")) == ["meet at the station"]


async def test_search_autocomplete_matches_the_start_of_words(room: Room) -> None:
    await room.alice.say("photosynthesis is neat")
    await room.alice.say("a photo of us")
    await room.alice.say("biophotons")
    found = await _search(room.bob, None, message_filter_conditions={"text": {"$autocomplete": "photo"}})
    assert set(_texts(found)) == {"photosynthesis is neat", "a photo of us"}
    exact = await _search(room.bob, None, message_filter_conditions={"text": {"$q": "photo"}})
    assert _texts(exact) == ["a photo of us"]


async def test_search_message_filters_narrow_by_author_thread_pins_time_and_attachments(room: Room) -> None:
    parent = await room.alice.say("heron parent")
    await room.bob.say("heron reply", parent_id=parent["id"])
    pinned = await room.bob.say("heron pinned")
    assert (await room.bob.ask("message.pin", id=pinned["id"], pinned=True))["type"] == "message.updated"
    link = {"type": "file", "asset_url": "https://example.com/heron.pdf", "title": "heron.pdf"}
    await room.alice.say("heron with a file", attachments=[link])

    async def found(conditions: dict[str, Any]) -> set[str]:
        return set(_texts(await _search(room.bob, None, message_filter_conditions=conditions)))

    heron = {"text": {"$q": "heron"}}
    assert await found({**heron, "user.id": "bob"}) == {"heron reply", "heron pinned"}
    assert await found({**heron, "user.id": {"$nin": ["bob"]}}) == {"heron parent", "heron with a file"}
    assert await found({**heron, "parent_id": parent["id"]}) == {"heron reply"}
    assert await found({**heron, "parent_id": {"$exists": False}}) == {
        "heron parent",
        "heron pinned",
        "heron with a file",
    }
    assert await found({**heron, "pinned": True}) == {"heron pinned"}
    assert await found({**heron, "attachments": {"$exists": True}}) == {"heron with a file"}
    assert await found({"created_at": {"$gte": pinned["created_at"]}}) == {
        "heron pinned",
        "heron with a file",
    }
    assert await found({"$or": [{"text": {"$q": "parent"}}, {"text": {"$q": "pinned"}}]}) == {
        "heron parent",
        "heron pinned",
    }


async def test_search_message_filter_refuses_what_it_does_not_know(room: Room) -> None:
    for conditions, named in [
        ({"colour": "red"}, "colour"),
        ({"text": {"$regex": "x"}}, "$regex"),
        ({"created_at": {"$gt": "yesterday"}}, "created_at"),
    ]:
        message = await room.bob.refused(
            "messages.search", "invalid_field", filter_conditions=MINE, message_filter_conditions=conditions
        )
        assert named in message, message


async def test_search_with_a_query_and_a_message_filter_needs_both_and_with_neither_finds_all(
    room: Room,
) -> None:
    await room.alice.say("egret one")
    await room.bob.say("egret two")
    await room.bob.say("no bird")
    both = await _search(room.alice, "egret", message_filter_conditions={"user.id": "bob"})
    assert _texts(both) == ["egret two"]
    assert _texts(await _search(room.alice)) == ["no bird", "egret two", "egret one"]  # the newest first
    relevance = [{"field": "relevance", "direction": -1}]  # without words, relevance sorts nothing
    assert _texts(await _search(room.alice, sort=relevance)) == ["no bird", "egret two", "egret one"]


async def test_search_pages_with_offset_and_next_without_repeating_a_hit(room: Room) -> None:
    for n in range(7):
        await room.alice.say(f"gannet number {n}")
    first = await _search(room.bob, "gannet", limit=3, sort=[{"field": "created_at", "direction": -1}])
    assert _texts(first) == ["gannet number 6", "gannet number 5", "gannet number 4"]
    second = await _search(
        room.bob, "gannet", limit=3, next=first["next"], sort=[{"field": "created_at", "direction": -1}]
    )
    assert _texts(second) == ["gannet number 3", "gannet number 2", "gannet number 1"]
    third = await _search(
        room.bob, "gannet", limit=3, next=second["next"], sort=[{"field": "created_at", "direction": -1}]
    )
    assert _texts(third) == ["gannet number 0"] and "next" not in third and "previous" in third
    by_offset = await _search(
        room.bob, "gannet", limit=2, offset=5, sort=[{"field": "created_at", "direction": 1}]
    )
    assert _texts(by_offset) == ["gannet number 5", "gannet number 6"]
    assert await room.bob.refused(
        "messages.search", "invalid_field", filter_conditions=MINE, query="gannet", next="nonsense"
    )


async def test_search_results_keep_link_attachments_as_they_are(room: Room) -> None:
    link = {"type": "image", "image_url": "https://example.com/puffin.png"}
    await room.alice.say("puffin picture", attachments=[link])
    (hit,) = (await _search(room.bob, "puffin"))["results"]
    assert hit["message"]["attachments"][0]["image_url"] == "https://example.com/puffin.png"


async def test_search_looks_in_at_most_500_channels(room: Room, sockets: Opener) -> None:
    alice = await ChatUser.objects.aget(id="alice")
    await Channel.objects.abulk_create(
        [
            Channel(cid=f"livestream:crowd-{n}", type="livestream", channel_id=f"crowd-{n}", created_by=alice)
            for n in range(501)
        ]
    )
    message = await room.bob.refused(
        "messages.search", "invalid_field", filter_conditions={"type": "livestream"}, query="x"
    )
    assert "500" in message
    assert _texts(await _search(room.bob, "x", filter_conditions={"cid": "livestream:crowd-1"})) == []


async def test_search_is_off_where_the_channel_type_turns_it_off(room: Room) -> None:
    from chat.services.permissions import CHANNEL_CONFIGS

    await room.alice.say("kestrel")
    CHANNEL_CONFIGS["messaging"]["search"] = False
    try:
        assert _texts(await _search(room.bob, "kestrel")) == []
    finally:
        CHANNEL_CONFIGS["messaging"]["search"] = True
    assert _texts(await _search(room.bob, "kestrel")) == ["kestrel"]


async def test_search_index_is_repaired_when_a_table_rebuild_dropped_its_triggers(room: Room) -> None:
    await room.alice.say("cormorant before")

    def rebuild_drops_triggers() -> bool:
        with connection.cursor() as cursor:
            for name in ("insert", "delete", "update"):
                cursor.execute(f"DROP TRIGGER {search_index.FTS_TABLE}_{name}")
        Message.objects.filter(text="cormorant before").update(text="cormorant after")
        return search_index.repair(connection)

    from asgiref.sync import sync_to_async

    assert await sync_to_async(rebuild_drops_triggers)()
    assert _texts(await _search(room.bob, "after")) == ["cormorant after"]
    assert _texts(await _search(room.bob, "before")) == []
    await room.alice.say("cormorant later")
    assert _texts(await _search(room.bob, "later")) == ["cormorant later"]


# The same behaviour on both databases, through a live server.


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BackendProcess]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'chat.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    server = BackendProcess({"DATABASE_URL": url}, tmp_path / "server.log", server="uvicorn").start()
    yield server
    server.stop()


async def _ask(peer: Peer, **frame: Any) -> dict[str, Any]:
    request_id = uuid.uuid4().hex[:10]
    await peer.socket.send(json.dumps({**frame, "request_id": request_id}))
    return await peer.answer(request_id)


async def test_search_on_each_database_ranks_hides_deleted_follows_edits_and_keeps_privacy(
    live: BackendProcess,
) -> None:
    alice, bob, eve = [await connect_peer(live, user) for user in ("alice", "bob", "eve")]
    try:
        await watch(alice, "messaging:pond", data={"members": ["alice", "bob"]})
        await watch(eve, "messaging:eve")
        texts = ["duck duck duck", "a duck", "a goose", "duck and goose", "the old pond"]
        sent = [await _ask(alice, type="message.new", cid="messaging:pond", text=t) for t in texts]
        await _ask(eve, type="message.new", cid="messaging:eve", text="eve's duck")
        everything = {"type": "messaging"}
        found = await _ask(bob, type="messages.search", filter_conditions=everything, query="duck")
        assert _texts(found)[0] == "duck duck duck"
        assert set(_texts(found)) == {"duck duck duck", "a duck", "duck and goose"}
        await _ask(alice, type="message.delete", id=sent[1]["message"]["id"])
        await _ask(alice, type="message.delete", id=sent[0]["message"]["id"], hard=True)
        edit = {"id": sent[4]["message"]["id"], "text": "the duck pond"}
        await _ask(alice, type="message.update", message=edit)
        found = await _ask(bob, type="messages.search", filter_conditions=everything, query="duck")
        assert set(_texts(found)) == {"duck and goose", "the duck pond"}
        old = await _ask(bob, type="messages.search", filter_conditions=everything, query="old")
        assert _texts(old) == []
        prefix = {"text": {"$autocomplete": "goo"}}
        found = await _ask(
            bob, type="messages.search", filter_conditions=everything, message_filter_conditions=prefix
        )
        assert set(_texts(found)) == {"a goose", "duck and goose"}
        found = await _ask(eve, type="messages.search", filter_conditions=everything, query="duck")
        assert _texts(found) == ["eve's duck"]
    finally:
        for peer in (alice, bob, eve):
            await peer.close()


async def test_search_by_relevance_ranks_a_common_words_newest_matches(
    room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past CANDIDATES matches only the newest are ranked; paging further reaches the older ones."""
    from chat.services import search

    monkeypatch.setattr(search, "CANDIDATES", 3)
    await room.alice.say("tern tern tern tern, the oldest and the most about terns")
    for n in range(4):
        await room.alice.say(f"a tern, number {n}")
    top = await _search(room.bob, "tern", limit=2)
    assert _texts(top) == ["a tern, number 3", "a tern, number 2"]  # the newest three are ranked
    deep = await _search(room.bob, "tern", limit=5)  # a page past them ranks as many as it needs
    assert _texts(deep)[0] == "tern tern tern tern, the oldest and the most about terns"
    by_time = await _search(room.bob, "tern", sort=[{"field": "created_at", "direction": 1}], limit=1)
    assert _texts(by_time) == ["tern tern tern tern, the oldest and the most about terns"]
