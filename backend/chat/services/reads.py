"""Read state: how far each user has read, and what is unread for them.

A message is unread for a user when it is newer than their read mark, by someone else, shown in
the channel (a reply counts only with show_in_channel, as Stream's), not deleted, and not by a
user they mute (muted users' messages still arrive, Stream's behaviour, but add nothing here).

Each member's count is kept in their read row (`Read.unread_messages`), so a channel list or
`unread.get` reads one row per channel instead of counting messages: a stored batch raises the
counts (chat.services.messages, in its transaction), and every change that can move them counts
them again from the messages (a read mark moving either way, a deleted message, a mute). A mute
that ends by its timeout is counted again with the next of those changes.

Threads have their own read state (ThreadRead), for their participants: the parent's author and
each replier, who has read the thread up to their own reply. A thread's unread replies are counted
when asked for (`unread_threads`), never kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.exceptions import NotFound
from chat.models import Channel, ChatUser, Member, Message, Read, ThreadRead
from chat.services import queries
from chat.services.channels import ChannelRef, access_channel
from chat.shapes import user_shape

__all__ = [
    "MAX_READ_STATES",
    "UnreadSummary",
    "follow_threads",
    "mark_read",
    "mark_unread",
    "message_notice",
    "muted_by",
    "read_states",
    "recount",
    "start_reading",
    "unread_count",
    "unread_counts",
    "unread_summary",
    "unread_threads",
]

MAX_READ_STATES = 100  # read state listed per watch; Stream stops read events above 100 watchers


def muted_by(user_ids: set[str]) -> dict[str, set[str]]:
    """For each of the users, the users they mute (mutes in force only)."""
    return queries.mutes_of(user_ids, timezone.now())


def unread_count(channel_id: int, user_id: str, since_seq: int, muted: set[str]) -> int:
    """How many messages of the channel after `since_seq` are unread for the user, counted."""
    return queries.unread_count(channel_id, user_id, since_seq, muted)


def recount(
    channel_pks: list[int] | None = None,
    user_ids: list[str] | None = None,
    below_seq: int | None = None,
    posted_by: str | None = None,
) -> None:
    """Counts the kept unread counts again from the messages (see queries.recount_unread)."""
    queries.recount_unread(timezone.now(), channel_pks, user_ids, below_seq, posted_by)


def start_reading(channel_pk: int, user_ids: list[str]) -> None:
    """Gives new members their read row (nothing read yet) and its count."""
    queries.add_missing_reads([channel_pk], user_ids)
    recount([channel_pk], user_ids)


def read_states(channel: Channel, members: list[Member]) -> list[frames.Read]:
    """The read state of the channel's members (and of non-members who read an open channel)."""
    reads = {
        r.user_id: r for r in Read.objects.filter(channel=channel).select_related("user")[:MAX_READ_STATES]
    }
    listed = members[:MAX_READ_STATES]
    missing = {m.user_id for m in listed if m.user_id not in reads}
    muted = muted_by(missing) if missing else {}
    states: list[frames.Read] = []
    for member in listed:
        read = reads.pop(member.user_id, None)
        if read is None:  # a member added by hand (the admin): counted from the start
            count = unread_count(channel.pk, member.user_id, 0, muted.get(member.user_id, set()))
            states.append(
                frames.Read(user=user_shape(member.user), last_read=member.created_at, unread_messages=count)
            )
            continue
        states.append(_read_shape(read, member.user))
    for read in reads.values():  # readers of open channels who are not members
        states.append(_read_shape(read, read.user))
    return states


def _read_shape(read: Read, user: ChatUser) -> frames.Read:
    return frames.Read.model_construct(
        user=user_shape(user),
        last_read=read.last_read,
        last_read_message_id=read.last_read_message_id or None,
        unread_messages=read.unread_messages,
    )


@dataclass(slots=True)
class UnreadSummary:
    """A user's unread messages: per member channel with any (by channel pk), and the totals."""

    # By channel pk: its cid and type, the last read, the unread count.
    channels: dict[int, tuple[str, str, datetime, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(n for *_, n in self.channels.values())

    @property
    def unread_channels(self) -> int:
        return sum(1 for *_, n in self.channels.values() if n)

    def of(self, channel_pk: int) -> int:
        entry = self.channels.get(channel_pk)
        return entry[3] if entry else 0


def unread_summary(user_id: str) -> UnreadSummary:
    """The user's unread counts in the channels they are a member of: one statement (and a count
    for a member without a read row, which only a hand-made membership lacks)."""
    summary = UnreadSummary()
    rows = queries.unread_rows(user_id)
    muted: set[str] | None = None
    for pk, cid, kind, last_read, count in rows:
        if count is None:
            if muted is None:
                muted = muted_by({user_id}).get(user_id, set())
            count = unread_count(pk, user_id, 0, muted)
        if count:
            summary.channels[pk] = (cid, kind, last_read, count)
    return summary


def unread_threads(user_id: str) -> list[queries.UnreadThreadRow]:
    """The threads with replies unread for the user: by parent message id, with the mark's time
    and message and the count (see the module's docstring)."""
    return queries.unread_thread_rows(user_id, timezone.now())


def follow_threads(replies: list[tuple[Message, Message]]) -> None:
    """Read state for the participants of threads that just got these (parent, reply) pairs, in
    the replies' transaction. The parent's author and everyone who had replied before follow the
    thread from just before its first reply here, when it is new to them: the first reply of a
    thread, or one of a thread Jatte took in with its history (an import brings no thread read
    state), whose earlier replies count as read rather than as the whole thread unread. Each
    replier has read up to their latest reply."""
    now = timezone.now()
    first: dict[int, tuple[Message, int]] = {}
    for parent, reply in replies:
        if parent.seq not in first or reply.seq < first[parent.seq][1]:
            first[parent.seq] = (parent, reply.seq)
    following = {seq: dict.fromkeys([p.user_id, *p.thread_participants]) for seq, (p, _) in first.items()}
    # A participant whose user is gone (their only reply deleted for good, then the user) follows nothing.
    known = set(
        ChatUser.objects.filter(id__in={u for users in following.values() for u in users}).values_list(
            "id", flat=True
        )
    )
    ThreadRead.objects.bulk_create(
        [
            ThreadRead(parent_id=seq, user_id=user_id, last_read=parent.created_at, last_read_seq=before - 1)
            for seq, (parent, before) in first.items()
            for user_id in following[seq]
            if user_id in known
        ],
        ignore_conflicts=True,
    )
    latest = {(reply.user_id, parent.seq): reply for parent, reply in replies}  # the last one wins
    ThreadRead.objects.bulk_create(
        [
            ThreadRead(
                parent_id=parent_seq,
                user_id=user_id,
                last_read=now,
                last_read_seq=reply.seq,
                last_read_message_id=reply.message_id,
            )
            for (user_id, parent_seq), reply in sorted(latest.items())
        ],
        update_conflicts=True,
        unique_fields=["user", "parent"],
        update_fields=["last_read", "last_read_seq", "last_read_message_id"],
    )


def unread_counts(actor: Actor) -> frames.UnreadCounts:
    """Stream's getUnreadCount(): per channel with unread messages, per channel type, in total;
    and per thread with unread replies."""
    summary = unread_summary(actor.id)
    threads = unread_threads(actor.id)
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    listed: list[dict[str, Any]] = []
    for cid, kind, last_read, count in sorted(summary.channels.values()):
        listed.append({"channel_id": cid, "last_read": last_read, "unread_count": count})
        by_type[kind][0] += 1
        by_type[kind][1] += count
    # Validated whole from plain values, which pydantic does faster than constructing a model per
    # channel (a user in 1,000 channels: 3.6 ms against 4.6).
    return frames.UnreadCounts.model_validate(
        {
            "type": "unread.counts",
            "total_unread_count": summary.total,
            "total_unread_threads_count": len(threads),
            "channels": listed,
            "channel_type": [
                {"channel_type": kind, "channel_count": n, "unread_count": total}
                for kind, (n, total) in sorted(by_type.items())
            ],
            "threads": [
                {
                    "parent_message_id": parent_id,
                    "last_read": last_read,
                    "last_read_message_id": last_id or None,
                    "unread_count": count,
                }
                for parent_id, last_read, last_id, count in threads
            ],
        }
    )


@dataclass(frozen=True, slots=True)
class ReadMark:
    """A moved read mark: the message.read event for the channel's watchers, and the
    notification.mark_read for the reader's other sockets."""

    ref: ChannelRef
    event: frames.MessageReadEvent
    notice: frames.NotificationMarkReadEvent


def mark_read(
    actor: Actor, cid: str, message_id: str | None = None, thread_id: str | None = None
) -> ReadMark:
    """Stores how far the actor has read (default: the newest message), or with `thread_id` that
    thread (to its newest reply), and returns the events."""
    from chat.services.users import sign_in  # users imports this module for unread counts

    ref = access_channel(actor, cid)
    if thread_id is not None:
        return _mark_thread_read(ref, sign_in(actor), thread_id, message_id)
    messages = Message.objects.filter(channel_id=ref.pk)
    if message_id:
        target = messages.filter(message_id=message_id).values_list("seq", "message_id").first()
        if target is None:
            raise NotFound(f"message {message_id!r} is not in channel {cid!r}")
    else:
        target = messages.order_by("-seq").values_list("seq", "message_id").first()
    seq, last_id = target or (0, "")
    user = sign_in(actor)
    now = timezone.now()
    with transaction.atomic():
        # The row is locked first, so a batch of messages being stored is either counted below or
        # raises the count after it (chat.services.queries.raise_unread), never lost between.
        Read.objects.update_or_create(
            channel_id=ref.pk,
            user=user,
            defaults={"last_read": now, "last_read_seq": seq, "last_read_message_id": last_id},
        )
        recount([ref.pk], [user.id])
    return _read_mark(ref, user, last_id, now)


def _mark_thread_read(
    ref: ChannelRef, user: ChatUser, thread_id: str, message_id: str | None = None
) -> ReadMark:
    """Stream's markRead({thread_id}): the user has read the thread of that parent message up to
    its newest reply (or to its reply `message_id`); the channel's read state stays as it was."""
    parent = (
        Message.objects.filter(channel_id=ref.pk, message_id=thread_id, parent_id="")
        .values_list("seq", flat=True)
        .first()
    )
    if parent is None:
        raise NotFound(f"message {thread_id!r} is not a thread's parent in channel {ref.cid!r}")
    replies = Message.objects.filter(parent_id=thread_id)
    if message_id is not None:
        replies = replies.filter(message_id=message_id)
    target = replies.order_by("-seq").values_list("seq", "message_id").first()
    if target is None and message_id is not None:
        raise NotFound(f"message {message_id!r} is not a reply in thread {thread_id!r}")
    seq, last_id = target or (parent, "")
    now = timezone.now()
    ThreadRead.objects.update_or_create(
        parent_id=parent,
        user=user,
        defaults={"last_read": now, "last_read_seq": seq, "last_read_message_id": last_id},
    )
    return _read_mark(ref, user, last_id, now, thread_id)


def _read_mark(
    ref: ChannelRef, user: ChatUser, last_id: str, now: datetime, thread_id: str | None = None
) -> ReadMark:
    """The events of a moved mark (the channel's, or with `thread_id` that thread's), with the
    user's new counts."""
    summary = unread_summary(user.id)
    shaped = user_shape(user)
    event = frames.MessageReadEvent(
        cid=ref.cid,
        channel_type=ref.type,
        channel_id=ref.id,
        last_read_message_id=last_id or None,
        thread_id=thread_id,
        user=shaped,
        created_at=now,
    )
    notice = frames.NotificationMarkReadEvent.model_construct(
        cid=ref.cid,
        channel_type=ref.type,
        channel_id=ref.id,
        user=shaped,
        last_read_message_id=last_id or None,
        thread_id=thread_id,
        unread_count=summary.of(ref.pk),
        total_unread_count=summary.total,
        unread_channels=summary.unread_channels,
        unread_threads=len(unread_threads(user.id)),
        created_at=now,
    )
    return ReadMark(ref, event, notice)


def mark_unread(
    actor: Actor, cid: str, message_id: str
) -> tuple[ChannelRef, frames.NotificationMarkUnreadEvent]:
    """Stream's markUnread: the message and every later one count as unread again."""
    from chat.services.users import sign_in

    ref = access_channel(actor, cid)
    messages = Message.objects.filter(channel_id=ref.pk)
    target = messages.filter(message_id=message_id).values_list("seq", "created_at").first()
    if target is None:
        raise NotFound(f"message {message_id!r} is not in channel {cid!r}")
    seq, created_at = target
    before = messages.filter(seq__lt=seq).order_by("-seq").values_list("message_id", "created_at").first()
    last_id, last_read = before if before else ("", created_at - timedelta(microseconds=1))
    user = sign_in(actor)
    with transaction.atomic():
        Read.objects.update_or_create(
            channel_id=ref.pk,
            user=user,
            defaults={"last_read": last_read, "last_read_seq": seq - 1, "last_read_message_id": last_id},
        )
        recount([ref.pk], [user.id])
    summary = unread_summary(user.id)
    unread = summary.of(ref.pk)
    event = frames.NotificationMarkUnreadEvent.model_construct(
        cid=cid,
        channel_type=ref.type,
        channel_id=ref.id,
        user=user_shape(user),
        first_unread_message_id=message_id,
        last_read_at=last_read,
        last_read_message_id=last_id or None,
        unread_messages=unread,
        unread_count=unread,
        total_unread_count=summary.total,
        unread_channels=summary.unread_channels,
        unread_threads=len(unread_threads(user.id)),
        created_at=timezone.now(),
    )
    return ref, event


def message_notice(user_id: str, channel_pk: int) -> tuple[frames.Channel, int, UnreadSummary] | None:
    """What a notification.message_new to the user about a new message of the channel carries
    besides the message: the channel, its unread count for the user, the user's totals. None when
    the user is no longer a member."""
    from chat.shapes import channel_shape

    if not Member.objects.filter(channel_id=channel_pk, user_id=user_id).exists():
        return None
    channel = Channel.objects.select_related("created_by").filter(pk=channel_pk).first()
    if channel is None:
        return None
    summary = unread_summary(user_id)
    count = Member.objects.filter(channel_id=channel_pk).count()
    return channel_shape(channel, count), summary.of(channel_pk), summary
