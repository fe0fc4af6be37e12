"""Typing: relayed, never stored. A banned user may not start typing (stopping is always relayed)."""

from __future__ import annotations

from typing import Literal

from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.services import permissions
from chat.services.channels import ChannelRef, access_channel

__all__ = ["relay_typing", "typing_event"]


def relay_typing(
    actor: Actor, cid: str, kind: Literal["typing.start", "typing.stop"], parent_id: str | None = None
) -> tuple[ChannelRef, frames.TypingStartEvent | frames.TypingStopEvent]:
    """Checks the actor may type in the channel and returns the event to relay."""
    ref = access_channel(actor, cid)
    if kind == "typing.start":
        ban = permissions.ban_of(actor.id, ref.pk, ref.cid)
        permissions.require_reader_may(ref.type, ban, "send-typing-events")
    return ref, typing_event(actor, ref, kind, parent_id)


def typing_event(
    actor: Actor, ref: ChannelRef, kind: Literal["typing.start", "typing.stop"], parent_id: str | None = None
) -> frames.TypingStartEvent | frames.TypingStopEvent:
    """Stream's typing event for a channel the actor was already allowed into."""
    event_type = frames.TypingStartEvent if kind == "typing.start" else frames.TypingStopEvent
    return event_type(
        cid=ref.cid,
        channel_type=ref.type,
        channel_id=ref.id,
        parent_id=parent_id,
        user=frames.User(id=actor.id, name=actor.name, image=actor.image or None),
        created_at=timezone.now(),
    )
