"""Edits, deletes, reactions, replies and bans across two backend processes on Redis and PostgreSQL.

The same pair of processes as test_scale_out (A under daphne, B under uvicorn): every watcher, on
either process, sees each event of a conversation once and in the order it happened.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import psycopg
import pytest

from .peers import Peer, connect_peer, until, watch
from .test_scale_out import DELIVERY_TIMEOUT, Cluster, cluster

__all__ = ["cluster"]  # the fixture

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


async def _ask(peer: Peer, frame: dict[str, Any]) -> dict[str, Any]:
    """Sends one request and waits for its answer, so steps from different processes keep an order."""
    request_id = f"{peer.user}-{uuid.uuid4().hex[:8]}"
    await peer.socket.send(json.dumps({**frame, "request_id": request_id}))
    answer = await peer.answer(request_id)
    assert answer["type"] != "error", answer
    return answer


MODERATION_EVENTS = {
    "message.new",
    "message.updated",
    "message.deleted",
    "reaction.new",
    "reaction.deleted",
    "user.banned",
}


async def test_edits_deletes_reactions_replies_and_bans_reach_the_other_process_once_in_order(
    cluster: Cluster,
) -> None:
    """alice (A, a moderator) and bob (B) act in turn; every watcher on either process sees each
    event once, in the order the actions happened, its own copies included."""
    cid = f"messaging:moderated-{uuid.uuid4().hex[:8]}"
    alice = await connect_peer(cluster.a, "alice")
    bob = await connect_peer(cluster.b, "bob")
    carol = await connect_peer(cluster.a, "carol")
    dave = await connect_peer(cluster.b, "dave")
    peers = [alice, bob, carol, dave]
    try:
        await watch(alice, cid, data={"members": ["bob", "carol", "dave"]})
        for peer in peers[1:]:
            await watch(peer, cid)
        with psycopg.connect(cluster.database_url.replace("postgres://", "postgresql://", 1)) as conn:
            conn.execute(
                "UPDATE chat_member SET channel_role = 'channel_moderator' FROM chat_channel c"
                " WHERE chat_member.channel_id = c.id AND c.cid = %s AND chat_member.user_id = 'alice'",
                [cid],
            )
        await _ask(alice, {"type": "message.new", "cid": cid, "text": "helo", "id": f"{cid[-8:]}-m1"})
        m1 = f"{cid[-8:]}-m1"
        await _ask(alice, {"type": "message.update", "message": {"id": m1, "text": "hello"}})
        await _ask(bob, {"type": "reaction.send", "message_id": m1, "reaction": {"type": "like"}})
        await _ask(bob, {"type": "message.new", "cid": cid, "text": "re", "id": f"{m1}-r1", "parent_id": m1})
        await _ask(bob, {"type": "reaction.delete", "message_id": m1, "reaction_type": "like"})
        await _ask(alice, {"type": "message.delete", "id": f"{m1}-r1", "hard": True})
        await _ask(alice, {"type": "message.delete", "id": m1})
        banned = await _ask(alice, {"type": "user.ban", "target_id": "dave", "cid": cid, "reason": "test"})
        assert banned["type"] == "user.banned"
        expected = [
            ("message.new", m1),
            ("message.updated", m1),
            ("reaction.new", m1),
            ("message.new", f"{m1}-r1"),
            ("message.updated", m1),  # the parent's reply_count 1
            ("reaction.deleted", m1),
            ("message.deleted", f"{m1}-r1"),
            ("message.updated", m1),  # the parent's reply_count 0
            ("message.deleted", m1),
            ("user.banned", "dave"),
        ]

        def seen(peer: Peer) -> list[tuple[str, str]]:
            return [
                (f["type"], f["user"]["id"] if f["type"] == "user.banned" else f["message"]["id"])
                for f in peer.frames
                if f["type"] in MODERATION_EVENTS and f.get("cid") == cid
            ]

        await until(
            lambda: all(len(seen(p)) >= len(expected) for p in peers),
            DELIVERY_TIMEOUT,
            "every watcher to get every event",
        )
        await asyncio.sleep(0.3)  # a duplicate would arrive now
        for peer in peers:
            assert seen(peer) == expected, f"{peer.user} saw {seen(peer)}"
        updated = [f for f in dave.frames if f["type"] == "message.updated"]
        assert [f["message"]["reply_count"] for f in updated] == [0, 1, 0]
        assert updated[0]["message"]["text"] == "hello"
        refused = await connect_peer(cluster.b, "dave")
        peers.append(refused)
        await refused.socket.send(
            json.dumps({"type": "message.new", "cid": cid, "text": "x", "request_id": "x"})
        )
        answer = await refused.answer("x")
        assert answer["code"] == "not_allowed" and "banned" in answer["message"]
    finally:
        await asyncio.gather(*(p.close() for p in peers))


async def test_a_message_with_nul_characters_is_stored_on_postgresql_with_the_replacement_character(
    cluster: Cluster,
) -> None:
    """PostgreSQL keeps no U+0000 in text or jsonb: the server takes it as U+FFFD in the frame's
    strings, where the whole statement used to fail with internal_error."""
    cid = f"messaging:nul-{uuid.uuid4().hex[:8]}"
    alice = await connect_peer(cluster.a, "alice")
    bob = await connect_peer(cluster.b, "bob")
    try:
        await watch(alice, cid, data={"members": ["bob"]})
        await watch(bob, cid)
        attachment = {"type": "file", "title": "a\x00b", "asset_url": "https://example.com/f"}
        frame: dict[str, Any] = {
            "type": "message.new",
            "cid": cid,
            "text": "nul\x00 here",
            "id": f"{cid[-8:]}-n1",
        }
        frame["attachments"] = [attachment]
        sent = await _ask(alice, frame)
        message = sent["message"]
        assert (message["text"], message["attachments"][0]["title"]) == ("nul\ufffd here", "a\ufffdb")
        await until(
            lambda: any(f["type"] == "message.new" and f.get("cid") == cid for f in bob.frames),
            DELIVERY_TIMEOUT,
            "bob to get the message on the other process",
        )
        delivered = next(f for f in bob.frames if f["type"] == "message.new" and f.get("cid") == cid)
        assert delivered["message"]["text"] == "nul\ufffd here"
    finally:
        await asyncio.gather(alice.close(), bob.close())
