"""What watchers missed while the fan-out could not reach Redis, rebuilt from the database.

Pub/sub keeps nothing: an event published while Redis was away is gone. Messages are stored before
they are published, so the database can say what a channel gained since a moment: each message
created since then becomes a `message.new` event again. Clients merge messages by id, so what
they already hold is not doubled.
"""

from __future__ import annotations

import datetime as dt

from channels.db import database_sync_to_async
from django.utils import timezone

from chat import frames
from chat.models import Channel, Message
from chat.protocol import to_text
from chat.shapes import message_shape

__all__ = ["CHANNEL_GROUP_PREFIX", "MAX_REPLAYED", "missed_events"]

CHANNEL_GROUP_PREFIX = "chat.channel."  # services.ChannelRef.group
MAX_REPLAYED = 1000  # per channel; a client missing more re-watches on its next reconnect anyway


async def missed_events(groups: list[str], since: float) -> dict[str, list[str]]:
    """The serialised events that bring a watcher of each channel group up to date since `since`."""
    result: dict[str, list[str]] = await database_sync_to_async(_missed_events)(groups, since)
    return result


def _missed_events(groups: list[str], since: float) -> dict[str, list[str]]:
    keys = {
        int(g.removeprefix(CHANNEL_GROUP_PREFIX)): g for g in groups if g.startswith(CHANNEL_GROUP_PREFIX)
    }
    moment = dt.datetime.fromtimestamp(since, tz=dt.UTC)
    now = timezone.now()
    missed: dict[str, list[str]] = {}
    for channel in Channel.objects.filter(pk__in=keys):
        rows = (
            Message.objects.filter(channel=channel, created_at__gte=moment)
            .select_related("user")
            .order_by("seq")[:MAX_REPLAYED]
        )
        texts: list[str] = []
        for row in rows:
            message = message_shape(row, channel.cid, row.user)
            texts.append(
                to_text(
                    frames.MessageNewEvent(
                        cid=channel.cid,
                        channel_type=channel.type,
                        channel_id=channel.channel_id,
                        message_id=message.id,
                        message=message,
                        user=message.user,
                        created_at=now,
                    )
                )
            )
        if texts:
            missed[keys[channel.pk]] = texts
    return missed
