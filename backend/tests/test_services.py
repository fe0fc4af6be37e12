"""The chat operations without a socket: batched, idempotent stores and access rules."""

from __future__ import annotations

import asyncio

import pytest

from chat import services
from chat.auth import Actor
from chat.exceptions import ChatError, IdConflict, NotAllowed
from chat.frames import ErrorCode
from chat.models import Message
from chat.services import PostRequest
from chat.writer import MessageWriter

ALICE = Actor("alice", "Alice")
BOB = Actor("bob", "Bob")
MALLORY = Actor("mallory", "Mallory")


@pytest.fixture
def demo(transactional_db: None) -> services.ChannelRef:
    return services.prepare_watch(ALICE, "messaging:demo", None)


def test_post_messages_answers_each_request_in_order_and_stores_the_good_ones(
    demo: services.ChannelRef,
) -> None:
    results = services.post_messages(
        [
            PostRequest(ALICE, "messaging:demo", "one", "m1"),
            PostRequest(MALLORY, "messaging:demo", "intruder", "m2"),
            PostRequest(ALICE, "messaging:demo", "  ", "m3"),
            PostRequest(ALICE, "messaging:demo", "two", "m4"),
            PostRequest(ALICE, "messaging:demo", "one again", "m1"),
        ]
    )
    assert [type(r).__name__ for r in results] == ["Posted", "NotAllowed", "ChatError", "Posted", "Posted"]
    first, _, empty, second, repeat = results
    assert isinstance(first, services.Posted) and not first.duplicate
    assert isinstance(empty, ChatError) and empty.code == ErrorCode.empty_text
    assert isinstance(repeat, services.Posted) and repeat.duplicate and repeat.message.text == "one"
    stored = list(
        Message.objects.filter(channel_id=demo.pk).order_by("seq").values_list("message_id", "text")
    )
    assert stored == [("m1", "one"), ("m4", "two")]
    assert isinstance(second, services.Posted) and second.event.message_id == "m4"


def test_post_message_refuses_an_id_owned_by_another_user(demo: services.ChannelRef) -> None:
    services.prepare_watch(BOB, "messaging:other", None)
    services.post_message(BOB, "messaging:other", "bob's", "shared")
    with pytest.raises(IdConflict):
        services.post_message(ALICE, "messaging:demo", "mine", "shared")


def test_access_channel_hides_members_only_channels(transactional_db: None) -> None:
    with pytest.raises(NotAllowed):
        services.access_channel(MALLORY, "messaging:nowhere")


async def test_message_writer_stores_concurrent_posts_once_each_in_sender_order(
    demo: services.ChannelRef,
) -> None:
    writer = MessageWriter()

    async def sender(actor: Actor, prefix: str) -> list[str]:
        ids = []
        for n in range(40):
            posted = await writer.post(PostRequest(actor, "messaging:demo", f"{prefix}{n}", f"{prefix}{n}"))
            ids.append(posted.message.id)
        return ids

    a, b = await asyncio.gather(sender(ALICE, "a"), sender(ALICE, "b"))
    rows = await asyncio.to_thread(
        lambda: list(
            Message.objects.filter(channel_id=demo.pk).order_by("seq").values_list("message_id", flat=True)
        )
    )
    assert len(rows) == 80 and len(set(rows)) == 80
    assert [r for r in rows if r.startswith("a")] == a
    assert [r for r in rows if r.startswith("b")] == b
