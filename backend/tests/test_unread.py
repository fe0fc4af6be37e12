"""Unread counts and the notifications that carry them, through real sockets: unread.get,
notification.message_new, notification.mark_read, message.unread, and the first health.check."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat import frames, services
from chat.auth import Actor
from chat.models import ChatUser, Member, Read, ThreadRead
from chat.services.reads import unread_threads

from .chat_room import ROOM, Checked, Room, room, sockets

__all__ = ["room", "sockets"]  # fixtures

OTHER = "messaging:other"


async def _counts(client: Checked) -> dict[str, Any]:
    answer = await client.ask("unread.get")
    assert answer["type"] == "unread.counts", answer
    return answer


async def _unread(client: Checked) -> dict[str, int]:
    return {c["channel_id"]: c["unread_count"] for c in (await _counts(client))["channels"]}


async def test_unread_get_counts_others_messages_since_the_last_read(room: Room) -> None:
    await room.bob.ask("message.read", cid=ROOM)
    for text in ("one", "two", "three"):
        await room.alice.say(text)
    await room.bob.say("mine do not count")
    counts = await _counts(room.bob)
    assert counts["total_unread_count"] == 3 and counts["total_unread_threads_count"] == 0
    assert [(c["channel_id"], c["unread_count"]) for c in counts["channels"]] == [(ROOM, 3)]
    assert counts["channel_type"] == [{"channel_type": "messaging", "channel_count": 1, "unread_count": 3}]
    assert counts["threads"] == []
    assert (await _counts(room.alice))["total_unread_count"] == 1


async def test_unread_counts_clear_on_read_and_count_again_after(room: Room) -> None:
    await room.alice.say("one")
    await room.alice.say("two")
    assert await _unread(room.bob) == {ROOM: 2}
    await room.bob.ask("message.read", cid=ROOM)
    assert await _unread(room.bob) == {}
    await room.alice.say("three")
    assert await _unread(room.bob) == {ROOM: 1}


async def test_unread_counts_reading_up_to_a_message_leaves_the_later_ones(room: Room) -> None:
    first = await room.alice.say("one")
    await room.alice.say("two")
    await room.alice.say("three")
    await room.bob.ask("message.read", cid=ROOM, message_id=first["id"])
    assert await _unread(room.bob) == {ROOM: 2}


async def test_message_unread_marks_from_that_message_on(room: Room) -> None:
    await room.alice.say("one")
    second = await room.alice.say("two")
    await room.alice.say("three")
    await room.bob.ask("message.read", cid=ROOM)
    other = await room.open("bob")
    answer = await room.bob.ask("message.unread", cid=ROOM, message_id=second["id"])
    assert answer["type"] == "notification.mark_unread"
    assert answer["first_unread_message_id"] == second["id"]
    assert answer["unread_messages"] == 2 and answer["total_unread_count"] == 2
    assert answer["unread_channels"] == 1 and answer["unread_threads"] == 0
    assert await _unread(room.bob) == {ROOM: 2}
    heard = await other.next_of("notification.mark_unread")
    assert "request_id" not in heard and heard["unread_messages"] == 2
    reads = {r["user"]["id"]: r for r in (await room.bob.watch(ROOM))["read"]}
    assert reads["bob"]["unread_messages"] == 2


async def test_message_unread_refuses_a_message_of_another_channel_and_outsiders(room: Room) -> None:
    await room.mallory.watch(OTHER)
    elsewhere = await room.mallory.say("not here", cid=OTHER)
    await room.bob.refused("message.unread", "not_found", cid=ROOM, message_id=elsewhere["id"])
    mine = await room.alice.say("hi")
    await room.mallory.refused("message.unread", "not_allowed", cid=ROOM, message_id=mine["id"])
    await room.bob.refused("message.unread", "invalid_field", cid=ROOM)


async def test_unread_counts_leave_out_muted_users_and_count_them_again_once_unmuted(room: Room) -> None:
    await room.bob.ask("message.read", cid=ROOM)
    await room.bob.ask("user.mute", target_id="alice")
    await room.alice.say("muted one")
    assert await _unread(room.bob) == {}
    await room.bob.ask("user.unmute", target_id="alice")
    assert await _unread(room.bob) == {ROOM: 1}
    await room.bob.ask("user.mute", target_id="alice")  # muting again takes it away again
    assert await _unread(room.bob) == {}


async def test_unread_counts_replies_only_when_shown_in_the_channel(room: Room) -> None:
    parent = await room.alice.say("parent")
    await room.bob.ask("message.read", cid=ROOM)
    await room.alice.say("in the thread only", parent_id=parent["id"])
    assert await _unread(room.bob) == {}
    await room.alice.say("shown too", parent_id=parent["id"], show_in_channel=True)
    assert await _unread(room.bob) == {ROOM: 1}


async def test_unread_counts_drop_a_deleted_message(room: Room) -> None:
    await room.alice.say("one")
    doomed = await room.alice.say("two")
    assert await _unread(room.bob) == {ROOM: 2}
    await room.alice.ask("message.delete", id=doomed["id"])
    assert await _unread(room.bob) == {ROOM: 1}


async def test_first_health_check_carries_the_true_totals(room: Room) -> None:
    await room.alice.watch(OTHER, data={"members": ["bob"]})
    await room.alice.say("one")
    await room.alice.say("two")
    await room.alice.say("three", cid=OTHER)
    me = (await room.open("bob")).hello["me"]
    assert me["total_unread_count"] == 3 and me["unread_count"] == 3 and me["unread_channels"] == 2


async def test_a_member_without_a_read_row_is_counted_from_the_start(room: Room) -> None:
    """A membership made by hand (the admin) has no read row; its count is worked out instead."""
    await room.alice.say("one")
    await Read.objects.filter(user_id="bob").adelete()
    assert await _unread(room.bob) == {ROOM: 1}
    assert await Member.objects.filter(user_id="bob").aexists()


# notification.message_new


async def test_notification_message_new_reaches_members_not_watching_with_their_counts(room: Room) -> None:
    await room.alice.watch(OTHER, data={"members": ["bob"]})
    await room.quiet()
    await room.alice.say("a", cid=OTHER)
    await room.alice.say("hello elsewhere", cid=OTHER)
    notices = [f for f in await room.bob.drain() if f["type"] == "notification.message_new"]
    assert [n["message"]["text"] for n in notices] == ["a", "hello elsewhere"]
    last = notices[-1]
    assert last["cid"] == OTHER and last["channel"]["cid"] == OTHER and last["channel"]["member_count"] == 2
    assert last["user"]["id"] == "alice" and last["message_id"] == last["message"]["id"]
    assert last["unread_count"] == 2 and last["total_unread_count"] == 2 and last["unread_channels"] == 1


async def test_notification_message_new_skips_watchers_the_sender_and_outsiders(room: Room) -> None:
    await room.quiet()
    await room.alice.say("in the room")
    assert [f["type"] for f in await room.bob.drain()] == ["message.new"]  # bob watches: the event only
    assert all(f["type"] != "notification.message_new" for f in await room.alice.drain())
    assert await room.mallory.nothing_more()


async def test_notification_message_new_reaches_each_socket_of_a_member_that_does_not_watch(
    room: Room,
) -> None:
    idle = await room.open("bob")
    await room.quiet()
    await room.alice.say("where are you")
    notice = await idle.next_of("notification.message_new")
    assert notice["message"]["text"] == "where are you" and notice["unread_count"] == 1
    assert all(f["type"] != "notification.message_new" for f in await room.bob.drain())


# notification.mark_read


async def test_notification_mark_read_reaches_the_readers_other_sockets(room: Room) -> None:
    other = await room.open("bob")
    await room.alice.say("one")
    await room.alice.say("two")
    await room.quiet()
    await other.drain(0.05)
    read = await room.bob.ask("message.read", cid=ROOM)
    assert read["type"] == "message.read"
    notice = await other.next_of("notification.mark_read")
    assert notice["cid"] == ROOM and notice["user"]["id"] == "bob"
    assert (
        notice["unread_count"] == 0 and notice["total_unread_count"] == 0 and notice["unread_channels"] == 0
    )
    assert all(f["type"] != "notification.mark_read" for f in await room.bob.drain())
    assert all(f["type"] != "notification.mark_read" for f in await room.alice.drain())


# Thread read state (Stream's per-thread unread: getUnreadCount's threads, markRead({thread_id}))


async def _threads(client: Checked) -> dict[str, int]:
    counts = await _counts(client)
    threads = {t["parent_message_id"]: t["unread_count"] for t in counts["threads"]}
    assert counts["total_unread_threads_count"] == len(threads)
    return threads


async def test_thread_replies_are_unread_for_the_parents_author_until_they_read_the_thread(
    room: Room,
) -> None:
    parent = await room.alice.say("parent")
    first = await room.bob.say("one", parent_id=parent["id"])
    second = await room.bob.say("two", parent_id=parent["id"])
    counts = await _counts(room.alice)
    assert counts["total_unread_threads_count"] == 1
    (thread,) = counts["threads"]
    assert thread["parent_message_id"] == parent["id"] and thread["unread_count"] == 2
    assert "last_read_message_id" not in thread  # nothing of the thread read yet
    assert await _threads(room.bob) == {}  # his own replies: he has read up to them
    read = await room.alice.ask("message.read", cid=ROOM, thread_id=parent["id"])
    assert read["type"] == "message.read" and read["thread_id"] == parent["id"]
    assert read["last_read_message_id"] == second["id"]
    assert await _threads(room.alice) == {}
    up_to = await room.alice.ask("message.read", cid=ROOM, thread_id=parent["id"], message_id=first["id"])
    assert up_to["last_read_message_id"] == first["id"]  # back to the first reply: one unread
    assert await _threads(room.alice) == {parent["id"]: 1}
    await room.alice.ask("message.read", cid=ROOM, thread_id=parent["id"])
    third = await room.bob.say("three", parent_id=parent["id"])
    (thread,) = (await _counts(room.alice))["threads"]
    assert thread["unread_count"] == 1 and thread["last_read_message_id"] == second["id"]
    assert third["parent_id"] == parent["id"]


async def test_a_replier_follows_the_thread_and_a_member_who_never_took_part_does_not(room: Room) -> None:
    carol = await room.open("carol")
    await room.alice.ask("channel.members.add", cid=ROOM, user_ids=["carol"])
    parent = await room.alice.say("parent")
    await room.bob.say("mine", parent_id=parent["id"])
    await room.alice.say("yours", parent_id=parent["id"])
    await room.alice.say("and another", parent_id=parent["id"])
    assert await _threads(room.bob) == {parent["id"]: 2}
    assert await _threads(room.alice) == {}  # her reply came after bob's: she has read up to it
    assert await _threads(carol) == {}


async def test_a_thread_read_leaves_the_channel_read_state_and_tells_the_readers_other_sockets(
    room: Room,
) -> None:
    other = await room.open("bob")
    parent = await room.bob.say("parent")
    await room.alice.say("in the channel")
    await room.alice.say("in the thread", parent_id=parent["id"])
    await room.quiet()
    await other.drain(0.05)
    read = await room.bob.ask("message.read", cid=ROOM, thread_id=parent["id"])
    assert read["thread_id"] == parent["id"]
    notice = await other.next_of("notification.mark_read")
    assert notice["thread_id"] == parent["id"] and notice["unread_threads"] == 0
    assert notice["unread_count"] == 1 and notice["total_unread_count"] == 1  # the channel's, kept
    assert await _unread(room.bob) == {ROOM: 1}
    reads = {r["user"]["id"]: r for r in (await room.bob.watch(ROOM))["read"]}
    assert reads["bob"]["unread_messages"] == 1


async def test_thread_unread_leaves_out_deleted_replies_and_muted_users(room: Room) -> None:
    parent = await room.alice.say("parent")
    doomed = await room.bob.say("soon gone", parent_id=parent["id"])
    assert await _threads(room.alice) == {parent["id"]: 1}
    await room.bob.ask("message.delete", id=doomed["id"])
    assert await _threads(room.alice) == {}
    await room.bob.say("again", parent_id=parent["id"])
    assert await _threads(room.alice) == {parent["id"]: 1}
    await room.alice.ask("user.mute", target_id="bob")
    assert await _threads(room.alice) == {}
    await room.alice.ask("user.unmute", target_id="bob")
    assert await _threads(room.alice) == {parent["id"]: 1}


async def test_thread_unread_ends_with_the_membership(room: Room) -> None:
    parent = await room.bob.say("parent")
    await room.alice.say("a reply", parent_id=parent["id"])
    assert await _threads(room.bob) == {parent["id"]: 1}
    await room.alice.ask("channel.members.remove", cid=ROOM, user_ids=["bob"])
    assert await _threads(room.bob) == {}


async def test_first_health_check_and_mark_unread_carry_the_unread_threads(room: Room) -> None:
    first = await room.alice.say("first")
    for parent_text in ("one", "two"):
        parent = await room.alice.say(parent_text)
        await room.bob.say("reply", parent_id=parent["id"])
    assert (await room.open("alice")).hello["me"]["unread_threads"] == 2
    marked = await room.alice.ask("message.unread", cid=ROOM, message_id=first["id"])
    assert marked["unread_threads"] == 2


async def test_message_read_of_a_thread_refuses_a_reply_an_unknown_id_a_message_not_in_it_and_outsiders(
    room: Room,
) -> None:
    parent = await room.alice.say("parent")
    reply = await room.bob.say("reply", parent_id=parent["id"])
    await room.alice.refused("message.read", "not_found", cid=ROOM, thread_id=reply["id"])
    await room.alice.refused("message.read", "not_found", cid=ROOM, thread_id="no-such-message")
    await room.alice.refused(
        "message.read", "not_found", cid=ROOM, thread_id=parent["id"], message_id=parent["id"]
    )  # not a reply of that thread
    await room.mallory.refused("message.read", "not_allowed", cid=ROOM, thread_id=parent["id"])
    assert await _threads(room.alice) == {parent["id"]: 1}  # nothing was marked by any of them


@pytest.mark.django_db
def test_thread_unread_is_counted_from_the_users_thread_reads_by_the_replies_index() -> None:
    """Both databases' statistics rate `message_replies` useless (nearly every row has parent_id
    ''); the statements must still start from the user's thread reads and count on that index,
    never scan the messages (a joined count did, at 3 s a call on 10,000,000 messages)."""
    alice, bob = Actor(id="alice", name="Alice"), Actor(id="bob", name="Bob")
    services.prepare_watch(alice, ROOM, frames.WatchData(members=["bob"]))
    services.post_message(alice, ROOM, "parent", "parent")
    services.post_message(bob, ROOM, "a reply", "reply", parent_id="parent")
    with connection.cursor() as cursor:  # the statistics of that database (tools/bench/seed_lists.py)
        cursor.execute("ANALYZE")
        cursor.executemany(
            "INSERT OR REPLACE INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)",
            [
                ("chat_message", "message_replies", "10000000 10000000 1"),
                ("chat_message", "message_latest_in_channel", "10000000 10000 1"),
                ("chat_message", "chat_message_channel_id_62858528", "10000000 10000"),
                ("chat_message", "sqlite_autoindex_chat_message_1", "10000000 1"),
                ("chat_member", "member_channels_of_user", "10000 1000 1"),
                ("chat_member", "sqlite_autoindex_chat_member_1", "10000 10 1"),
                ("chat_threadread", "sqlite_autoindex_chat_threadread_1", "100000 10 1"),
                ("chat_threadread", "chat_threadread_user_id_48093e37", "100000 10"),
            ],
        )
        cursor.execute("ANALYZE sqlite_schema")  # reloads them
    with CaptureQueriesContext(connection) as captured:
        assert [(parent, count) for parent, _, _, count in unread_threads("alice")] == [("parent", 1)]
    marks, replies = [q["sql"] for q in captured.captured_queries]
    plans = []
    for statement in (marks, replies):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {statement}")
            plans.append([row[-1] for row in cursor.fetchall()])
    assert plans[0][0].startswith("SEARCH t USING"), plans[0]
    assert any("USING INDEX message_replies" in step for step in plans[1]), plans[1]
    assert not any(step.startswith("SCAN") for plan in plans for step in plan), plans


@pytest.mark.django_db
def test_a_reply_to_a_thread_whose_earlier_replier_is_gone_is_stored_and_followed_by_the_rest() -> None:
    """A participant whose only reply was deleted for good, and whose user then was, stays in the
    parent's thread_participants; the next reply must still be stored, the others following."""
    alice, bob, carol = (Actor(id=u, name=u.title()) for u in ("alice", "bob", "carol"))
    services.prepare_watch(alice, ROOM, frames.WatchData(members=["bob", "carol"]))
    services.post_message(alice, ROOM, "parent", "parent")
    services.post_message(carol, ROOM, "a reply", "carols", parent_id="parent")
    services.delete_message(carol, "carols", hard=True)
    ThreadRead.objects.filter(user_id="carol").delete()  # as an import leaves a thread: no marks
    ThreadRead.objects.filter(user_id="alice").delete()
    Member.objects.filter(user_id="carol").delete()
    ChatUser.objects.filter(id="carol").delete()
    services.post_message(bob, ROOM, "still here", "bobs", parent_id="parent")
    assert [(p, n) for p, _, _, n in unread_threads("alice")] == [("parent", 1)]
    assert set(ThreadRead.objects.values_list("user_id", flat=True)) == {"alice", "bob"}
