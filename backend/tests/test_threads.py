"""Threads: replies as message.new with parent_id, the parent's reply_count as message.updated, pages
of replies, and the refusals of replies that cannot be."""

from __future__ import annotations

import asyncio

import pytest

from chat import services
from chat.auth import Actor
from chat.models import Message
from chat.services import PostRequest
from chat.writer import MessageWriter

from .chat_room import ROOM, Room, room, sockets

__all__ = ["room", "sockets"]  # fixtures


async def test_thread_reply_reaches_watchers_then_its_parents_new_reply_count(room: Room) -> None:
    await room.alice.say("question", id="p1")
    await room.quiet()
    sent = await room.bob.say("answer", id="r1", parent_id="p1")
    assert sent["type"] == "reply" and sent["parent_id"] == "p1"
    reply = await room.alice.next_of("message.new")
    assert reply["message"]["id"] == "r1" and reply["message"]["parent_id"] == "p1"
    parent = await room.alice.recv()  # right after the reply
    assert parent["type"] == "message.updated" and parent["message_id"] == "p1"
    assert parent["message"]["reply_count"] == 1
    assert parent["message"]["thread_participants"] == [{"id": "bob", "name": "Bob"}]
    await room.alice.say("me too", id="r2", parent_id="p1")
    await room.bob.next_of("message.new")
    again = await room.bob.recv()
    assert again["message"]["reply_count"] == 2
    assert [u["id"] for u in again["message"]["thread_participants"]] == ["bob", "alice"]


async def test_thread_replies_stay_out_of_the_channel_unless_shown_in_it(room: Room) -> None:
    await room.alice.say("root", id="p1")
    await room.bob.say("in the thread", id="r1", parent_id="p1")
    shown = await room.bob.say("also in the channel", id="r2", parent_id="p1", show_in_channel=True)
    assert shown["type"] == "regular" and shown["show_in_channel"] is True
    state = await room.alice.watch(ROOM)
    assert [m["id"] for m in state["messages"]] == ["p1", "r2"]
    assert state["messages"][0]["reply_count"] == 2


async def test_thread_replies_count_as_unread_only_when_shown_in_the_channel(room: Room) -> None:
    await room.alice.say("root", id="p1")
    await room.alice.ask("message.read", cid=ROOM)
    await room.bob.say("thread only", parent_id="p1")
    await room.bob.say("shown", parent_id="p1", show_in_channel=True)
    reads = {r["user"]["id"]: r for r in (await room.alice.watch(ROOM))["read"]}
    assert reads["alice"]["unread_messages"] == 1


async def test_thread_get_replies_pages_oldest_first(room: Room) -> None:
    await room.alice.say("root", id="p1")
    for n in range(5):
        await room.bob.say(f"reply {n}", id=f"r{n}", parent_id="p1")
    latest = await room.alice.ask("message.get_replies", parent_id="p1", limit=3)
    assert latest["type"] == "message.replies" and latest["parent_id"] == "p1"
    assert [m["id"] for m in latest["messages"]] == ["r2", "r3", "r4"]
    older = await room.alice.ask("message.get_replies", parent_id="p1", id_lt="r2")
    assert [m["id"] for m in older["messages"]] == ["r0", "r1"]
    newer = await room.alice.ask("message.get_replies", parent_id="p1", id_gt="r2", limit=1)
    assert [m["id"] for m in newer["messages"]] == ["r3"]
    everything = await room.alice.ask("message.get_replies", parent_id="p1")
    assert len(everything["messages"]) == 5


async def test_thread_get_replies_carries_the_askers_own_reactions(room: Room) -> None:
    await room.alice.say("root", id="p1")
    await room.bob.say("reply", id="r1", parent_id="p1")
    await room.alice.ask("reaction.send", message_id="r1", reaction={"type": "like"})
    mine = (await room.alice.ask("message.get_replies", parent_id="p1"))["messages"][0]
    theirs = (await room.bob.ask("message.get_replies", parent_id="p1"))["messages"][0]
    assert [r["type"] for r in mine["own_reactions"]] == ["like"] and theirs["own_reactions"] == []


async def test_thread_reply_to_a_reply_is_an_invalid_parent(room: Room) -> None:
    await room.alice.say("root", id="p1")
    await room.bob.say("reply", id="r1", parent_id="p1")
    message = await room.alice.refused(
        "message.new", "invalid_parent", cid=ROOM, text="deeper", parent_id="r1"
    )
    assert "'p1'" in message  # names the parent to reply to instead
    assert not await Message.objects.filter(text="deeper").aexists()


async def test_thread_reply_to_a_message_of_another_channel_is_an_invalid_parent(room: Room) -> None:
    await room.alice.watch("messaging:other")
    await room.alice.say("elsewhere", cid="messaging:other", id="far")
    await room.alice.refused("message.new", "invalid_parent", cid=ROOM, text="x", parent_id="far")
    await room.alice.refused("message.new", "not_found", cid=ROOM, text="x", parent_id="ghost")


async def test_thread_get_replies_refuses_unknown_ids_outsiders_and_bad_limits(room: Room) -> None:
    await room.alice.say("root", id="p1")
    await room.alice.refused("message.get_replies", "not_found", parent_id="ghost")
    await room.mallory.refused("message.get_replies", "not_allowed", parent_id="p1")
    await room.alice.refused("message.get_replies", "not_found", parent_id="p1", id_lt="ghost")
    await room.alice.refused("message.get_replies", "invalid_field", parent_id="p1", limit=0)
    await room.alice.refused("message.get_replies", "invalid_field", parent_id="p1", limit=301)


async def test_thread_hard_delete_of_a_reply_lowers_the_parents_count(room: Room) -> None:
    await room.alice.say("root", id="p1")
    await room.bob.say("reply", id="r1", parent_id="p1")
    await room.quiet()
    await room.bob.ask("message.delete", id="r1", hard=True)
    deleted = await room.alice.next_of("message.deleted")
    assert deleted["message_id"] == "r1"
    parent = await room.alice.recv()
    assert parent["type"] == "message.updated" and parent["message"]["reply_count"] == 0


async def test_thread_reply_resent_with_its_id_counts_once(room: Room) -> None:
    await room.alice.say("root", id="p1")
    await room.bob.say("reply", id="r1", parent_id="p1")
    await room.quiet()
    again = await room.bob.ask("message.new", cid=ROOM, text="reply", id="r1", parent_id="p1")
    assert again["duplicate"] is True
    assert await room.alice.nothing_more()
    assert (await Message.objects.aget(message_id="p1")).reply_count == 1


@pytest.mark.django_db(transaction=True)
async def test_thread_replies_batched_together_count_each_one() -> None:
    """Replies stored in one batch of the writer each raise the parent's count in that transaction,
    and each carries the count it made (its parent event), in order."""
    alice, bob = Actor("alice", "Alice"), Actor("bob", "Bob")
    await asyncio.to_thread(services.prepare_watch, alice, ROOM, None)
    await asyncio.to_thread(services.prepare_watch, bob, "livestream:open", None)
    await asyncio.to_thread(services.post_message, alice, ROOM, "root", "p1")
    writer = MessageWriter()
    requests = [PostRequest(alice, ROOM, f"r{n}", f"r{n}", "p1") for n in range(20)]
    requests.insert(10, PostRequest(alice, ROOM, "parent in the batch", "p2"))
    requests.append(PostRequest(alice, ROOM, "child of p2", "c1", "p2"))
    posted = await asyncio.gather(*(writer.post(r) for r in requests))
    counts = [
        p.parent_event.message.reply_count
        for p in posted
        if p.parent_event and p.parent_event.message_id == "p1"
    ]
    assert counts == list(range(1, 21))
    assert posted[-1].parent_event is not None and posted[-1].parent_event.message.reply_count == 1
    parents = await asyncio.to_thread(
        lambda: dict(
            Message.objects.filter(message_id__in=["p1", "p2"]).values_list("message_id", "reply_count")
        )
    )
    assert parents == {"p1": 20, "p2": 1}


async def test_thread_reply_when_the_channel_type_turns_replies_off_is_feature_disabled(
    room: Room, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chat.services import permissions

    await room.alice.say("root", id="p1")
    monkeypatch.setitem(permissions.CHANNEL_CONFIGS["messaging"], "replies", False)
    await room.bob.refused("message.new", "feature_disabled", cid=ROOM, text="x", parent_id="p1")
