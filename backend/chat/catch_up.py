"""What watchers missed while the fan-out could not reach Redis, rebuilt from the database.

Pub/sub keeps nothing: an event published while Redis was away is gone. Messages are stored before
they are published, so the database can say what changed in a channel since a moment: each message
created since then becomes a `message.new` event again, and each one edited, deleted, reacted to,
pinned or replied to since then a `message.updated` (which carries its reactions, pin and reply
count). Clients merge messages by id, so what they already hold is not doubled. What leaves no
time behind (a reaction taken back, an unpin) reaches a client on its next watch.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from chat import frames
from chat.backlog import on_database
from chat.models import Channel, Message, Reaction
from chat.protocol import to_text
from chat.services.channels import message_rows
from chat.services.messages import shape_messages

__all__ = ["CHANNEL_GROUP_PREFIX", "MAX_REPLAYED", "missed_events"]

CHANNEL_GROUP_PREFIX = "chat.channel."  # services.ChannelRef.group
MAX_REPLAYED = 1000  # per channel; a client missing more re-watches on its next reconnect anyway


async def missed_events(groups: list[str], since: float) -> dict[str, list[str]]:
    """The serialised events that bring a watcher of each channel group up to date since `since`."""
    result: dict[str, list[str]] = await on_database(_missed_events)(groups, since)
    return result


def _missed_events(groups: list[str], since: float) -> dict[str, list[str]]:
    keys = {
        int(g.removeprefix(CHANNEL_GROUP_PREFIX)): g for g in groups if g.startswith(CHANNEL_GROUP_PREFIX)
    }
    moment = dt.datetime.fromtimestamp(since, tz=dt.UTC)
    now = timezone.now()
    missed: dict[str, list[str]] = {}
    for channel in Channel.objects.filter(pk__in=keys):
        replied_to = Message.objects.filter(channel=channel, created_at__gte=moment).exclude(parent_id="")
        changed = (
            Q(updated_at__gte=moment)
            | Q(pinned_at__gte=moment)
            | Q(message_id__in=replied_to.values("parent_id"))
            | Exists(Reaction.objects.filter(message=OuterRef("pk"), updated_at__gte=moment))
        )
        rows = list(message_rows().filter(changed, channel=channel).order_by("seq")[:MAX_REPLAYED])
        texts: list[str] = []
        for row, message in zip(rows, shape_messages(rows, channel.cid, None), strict=True):
            event_type = frames.MessageNewEvent if row.created_at >= moment else frames.MessageUpdatedEvent
            event = event_type(
                cid=channel.cid,
                channel_type=channel.type,
                channel_id=channel.channel_id,
                message_id=message.id,
                message=message,
                user=message.user,
                created_at=now,
            )
            texts.append(to_text(event))
        if texts:
            missed[keys[channel.pk]] = texts
    return missed
