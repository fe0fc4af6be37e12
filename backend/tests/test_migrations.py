"""Migrations that carry data: what a database from before them holds afterwards."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from chat.models import ThreadRead

BEFORE_THREAD_READS = [("chat", "0007_message_search")]


@pytest.mark.django_db(transaction=True)
def test_threads_stored_before_thread_reads_are_read_to_their_newest_reply_by_their_participants() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_THREAD_READS)
    old = executor.loader.project_state(BEFORE_THREAD_READS).apps
    user, channel, message = (old.get_model("chat", name) for name in ("ChatUser", "Channel", "Message"))
    alice, bob = (user.objects.create(id=name, name=name) for name in ("alice", "bob"))
    room = channel.objects.create(cid="messaging:room", type="messaging", channel_id="room", created_by=alice)
    now = timezone.now()

    def stored(message_id: str, author: object, parent: str = "", **fields: object) -> None:
        message.objects.create(
            message_id=message_id,
            channel=room,
            user=author,
            text=message_id,
            parent_id=parent,
            created_at=now,
            updated_at=now,
            **fields,
        )

    stored("parent", alice, reply_count=2, thread_participants=["bob"])
    stored("first", bob, "parent")
    stored("newest", bob, "parent")
    stored("alone", alice)  # no replies: no thread to follow

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    marks = ThreadRead.objects.values_list("user_id", "parent__message_id", "last_read_message_id")
    assert sorted(marks) == [("alice", "parent", "newest"), ("bob", "parent", "newest")]
