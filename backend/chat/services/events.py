"""What a mutation hands its transport: the Stream event it caused, where it goes, and whether it is new."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from chat import frames
from chat.services.channels import ChannelRef

__all__ = ["Outcome", "message_event", "reaction_event"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A mutation's event, for the fan-out group `group`.

    `changed` is False when the request changed nothing (a resend): the requester is answered with
    the current state and nobody else hears of it. `own_reactions` goes into the requester's copy of
    the event's message (a fanned-out copy, serialised once for everybody, carries []). `after` are
    events every watcher gets next (a reply's parent, with its new reply_count).
    """

    group: str
    event: Any
    changed: bool = True
    own_reactions: list[frames.Reaction] | None = None
    after: tuple[Any, ...] = field(default_factory=tuple)


MessageEventType = type[frames.MessageUpdatedEvent] | type[frames.MessageDeletedEvent]


def message_event(
    kind: MessageEventType,
    ref: ChannelRef,
    message: frames.Message,
    user: frames.User,
    **extra: Any,
) -> Any:
    """Stream's message.updated / message.deleted for `message`, caused by `user`."""
    return kind.model_construct(
        cid=ref.cid,
        channel_type=ref.type,
        channel_id=ref.id,
        message_id=message.id,
        message=message,
        user=user,
        created_at=timezone.now(),
        **extra,
    )


ReactionEventType = (
    type[frames.ReactionNewEvent] | type[frames.ReactionUpdatedEvent] | type[frames.ReactionDeletedEvent]
)


def reaction_event(
    kind: ReactionEventType, ref: ChannelRef, message: frames.Message, reaction: frames.Reaction
) -> Any:
    """Stream's reaction.new / reaction.updated / reaction.deleted, with the full updated message."""
    return kind.model_construct(
        cid=ref.cid,
        channel_type=ref.type,
        channel_id=ref.id,
        message=message,
        reaction=reaction,
        user=reaction.user,
        created_at=timezone.now(),
    )
