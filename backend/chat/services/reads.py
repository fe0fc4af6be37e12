"""Read state: how far each user has read, and what is unread for them.

A message is unread for a user when it is newer than their read mark, by someone else, shown in
the channel (a reply counts only with show_in_channel, as Stream's), not deleted, and not by a
user they mute (muted users' messages still arrive, Stream's behaviour, but add nothing here).
"""

from __future__ import annotations

from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.exceptions import NotFound
from chat.models import Channel, Member, Message, Read
from chat.services import queries
from chat.services.channels import ChannelRef, access_channel
from chat.shapes import user_shape

__all__ = ["MAX_READ_STATES", "mark_read", "muted_by", "read_states", "unread_by_channel", "unread_count"]

MAX_READ_STATES = 100  # read state listed per watch; Stream stops read events above 100 watchers


def muted_by(user_ids: set[str]) -> dict[str, set[str]]:
    """For each of the users, the users they mute (mutes in force only)."""
    return queries.mutes_of(user_ids, timezone.now())


def unread_count(channel_id: int, user_id: str, since_seq: int, muted: set[str]) -> int:
    """How many messages of the channel after `since_seq` are unread for the user."""
    return queries.unread_count(channel_id, user_id, since_seq, muted)


def read_states(channel: Channel, members: list[Member]) -> list[frames.Read]:
    """The read state of the channel's members (and of non-members who read an open channel)."""
    reads = {
        r.user_id: r for r in Read.objects.filter(channel=channel).select_related("user")[:MAX_READ_STATES]
    }
    listed = members[:MAX_READ_STATES]
    muted = muted_by({m.user_id for m in listed} | set(reads))
    states: list[frames.Read] = []
    for member in listed:
        read = reads.pop(member.user_id, None)
        since, last_id = (read.last_read_seq, read.last_read_message_id) if read else (0, "")
        states.append(
            frames.Read(
                user=user_shape(member.user),
                last_read=read.last_read if read else member.created_at,
                last_read_message_id=last_id or None,
                unread_messages=unread_count(
                    channel.pk, member.user_id, since, muted.get(member.user_id, set())
                ),
            )
        )
    for read in reads.values():  # readers of open channels who are not members
        states.append(
            frames.Read(
                user=user_shape(read.user),
                last_read=read.last_read,
                last_read_message_id=read.last_read_message_id or None,
                unread_messages=unread_count(
                    channel.pk, read.user_id, read.last_read_seq, muted.get(read.user_id, set())
                ),
            )
        )
    return states


def unread_by_channel(user_id: str) -> dict[int, int]:
    """The user's unread count in each channel they are a member of."""
    counts: dict[int, int] = {}
    reads = dict(Read.objects.filter(user_id=user_id).values_list("channel_id", "last_read_seq"))
    muted = muted_by({user_id}).get(user_id, set())
    for channel_id in Member.objects.filter(user_id=user_id).values_list("channel_id", flat=True):
        counts[channel_id] = unread_count(channel_id, user_id, reads.get(channel_id, 0), muted)
    return counts


def mark_read(
    actor: Actor, cid: str, message_id: str | None = None
) -> tuple[ChannelRef, frames.MessageReadEvent]:
    """Stores how far the actor has read (default: the newest message) and returns the event."""
    from chat.services.users import sign_in  # users imports this module for unread counts

    ref = access_channel(actor, cid)
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
    Read.objects.update_or_create(
        channel_id=ref.pk,
        user=user,
        defaults={"last_read": now, "last_read_seq": seq, "last_read_message_id": last_id},
    )
    event = frames.MessageReadEvent(
        cid=cid,
        channel_type=ref.type,
        channel_id=ref.id,
        last_read_message_id=last_id or None,
        user=user_shape(user),
        created_at=now,
    )
    return ref, event
