"""Channel-list notifications and presence across two backend processes on Redis and PostgreSQL.

The same pair of processes as test_scale_out (A under daphne, B under uvicorn): a member whose
socket is on the other process hears of a message in a channel it does not watch, with the same
unread counts either process gives; a user is online while a socket is open on either process,
and each change is announced once.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest

from .peers import Peer, connect_peer, until, watch
from .test_scale_out import DELIVERY_TIMEOUT, Cluster, cluster

__all__ = ["cluster"]  # the fixture

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


async def _ask(peer: Peer, frame: dict[str, Any]) -> dict[str, Any]:
    request_id = f"{peer.user}-{uuid.uuid4().hex[:8]}"
    await peer.socket.send(json.dumps({**frame, "request_id": request_id}))
    answer = await peer.answer(request_id)
    assert answer["type"] != "error", answer
    return answer


def _names() -> tuple[str, str, str, str]:
    run = uuid.uuid4().hex[:6]  # users are keyed in the shared Redis: each run its own
    return f"messaging:list-{run}", f"alice{run}", f"bob{run}", f"dave{run}"


async def test_notification_message_new_reaches_a_member_on_the_other_process_with_agreeing_counts(
    cluster: Cluster,
) -> None:
    cid, alice_id, bob_id, _ = _names()
    alice = await connect_peer(cluster.a, alice_id)
    bob = await connect_peer(cluster.b, bob_id)
    peers = [alice, bob]
    try:
        await watch(alice, cid, data={"members": [bob_id]})
        await _ask(alice, {"type": "message.new", "cid": cid, "text": "one"})
        await _ask(alice, {"type": "message.new", "cid": cid, "text": "two"})
        await until(
            lambda: len(bob.of_type("notification.message_new")) >= 2,
            DELIVERY_TIMEOUT,
            "bob (process B) to hear of both messages",
        )
        await asyncio.sleep(0.3)  # a duplicate would arrive now
        notices = bob.of_type("notification.message_new")
        assert [n["message"]["text"] for n in notices] == ["one", "two"]
        counted = [n["unread_count"] for n in notices]  # as they stand when each arrives
        assert counted[0] in (1, 2) and counted[-1] == 2
        assert notices[-1]["total_unread_count"] == 2 and notices[-1]["unread_channels"] == 1
        assert not bob.of_type("message.new")  # bob does not watch: the notification only
        on_a = await connect_peer(cluster.a, bob_id)
        peers.append(on_a)
        for peer in (bob, on_a):
            counts = await _ask(peer, {"type": "unread.get"})
            assert counts["total_unread_count"] == 2, peer
            assert [(c["channel_id"], c["unread_count"]) for c in counts["channels"]] == [(cid, 2)]
        await _ask(on_a, {"type": "message.read", "cid": cid})
        await until(lambda: bool(bob.of_type("notification.mark_read")), DELIVERY_TIMEOUT, "mark_read on B")
        assert bob.of_type("notification.mark_read")[0]["total_unread_count"] == 0
        assert (await _ask(bob, {"type": "unread.get"}))["total_unread_count"] == 0
    finally:
        await asyncio.gather(*(p.close() for p in peers))


async def test_presence_spans_both_processes_and_changes_are_announced_once(cluster: Cluster) -> None:
    cid, _, bob_id, dave_id = _names()
    dave = await connect_peer(cluster.a, dave_id)
    bob_b = await connect_peer(cluster.b, bob_id)
    peers = [dave, bob_b]

    def changes() -> list[tuple[str, bool]]:
        return [
            (f["user"]["id"], f["user"]["online"])
            for f in dave.of_type("user.presence.changed")
            if f["user"]["id"] == bob_id
        ]

    try:
        state = await watch(dave, cid, data={"members": [bob_id]}, presence=True)
        assert {m["user_id"]: m["user"]["online"] for m in state["members"]} == {dave_id: True, bob_id: True}
        bob_a = await connect_peer(cluster.a, bob_id)  # online already, on B
        await bob_b.close()  # still online, on A
        await asyncio.sleep(1.0)
        assert changes() == []
        await bob_a.close()
        await until(lambda: changes() == [(bob_id, False)], DELIVERY_TIMEOUT, "bob to go offline once")
        back = await connect_peer(cluster.b, bob_id)
        peers.append(back)
        await until(lambda: len(changes()) == 2, DELIVERY_TIMEOUT, "bob to come back online")
        await asyncio.sleep(0.5)
        assert changes() == [(bob_id, False), (bob_id, True)]
        listed = await _ask(
            dave, {"type": "users.query", "filter_conditions": {"id": bob_id}, "presence": True}
        )
        assert [(u["id"], u["online"]) for u in listed["users"]] == [(bob_id, True)]
    finally:
        await asyncio.gather(*(p.close() for p in peers))
