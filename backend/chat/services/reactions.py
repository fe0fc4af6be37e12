"""Reactions: one per type per user per message, with Stream's per-type summary on the message."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.exceptions import NotAllowed
from chat.models import Message, Reaction
from chat.services.channels import message_rows
from chat.services.events import Outcome, reaction_event
from chat.services.messages import Located, locate_message, shape_messages
from chat.services.users import sign_in
from chat.shapes import reaction_shape

__all__ = ["delete_reaction", "send_reaction"]


def send_reaction(
    actor: Actor, message_id: str, reaction: frames.ReactionRequest, enforce_unique: bool = False
) -> Outcome:
    """Adds or rescores the actor's reaction of one type; `enforce_unique` removes their others.

    reaction.new for a new reaction, reaction.updated when a score changed or others were replaced.
    Sending the same reaction again changes nothing: the sender is answered, nobody else hears.
    """
    score = reaction.score or 1
    kind = reaction.type
    with transaction.atomic():
        located = locate_message(actor, message_id, lock=True)
        located.standing.require("send-reaction", "react")
        message = located.message
        if message.type == "deleted":
            raise NotAllowed(f"message {message_id!r} is deleted: it takes no reactions")
        user = sign_in(actor)
        mine = {r.type: r for r in Reaction.objects.filter(message=message, user=user)}
        replaced = [r for t, r in mine.items() if t != kind] if enforce_unique else []
        if replaced:
            Reaction.objects.filter(pk__in=[r.pk for r in replaced]).delete()
        now = timezone.now()
        row = mine.get(kind)
        event_type: type[frames.ReactionNewEvent] | type[frames.ReactionUpdatedEvent]
        if row is None:
            row = Reaction.objects.create(
                message=message, user=user, type=kind, score=score, created_at=now, updated_at=now
            )
            event_type = frames.ReactionUpdatedEvent if replaced else frames.ReactionNewEvent
            changed = True
        elif row.score != score:
            row.score, row.updated_at = score, now
            row.save(update_fields=["score", "updated_at"])
            event_type, changed = frames.ReactionUpdatedEvent, True
        else:
            event_type, changed = frames.ReactionNewEvent, bool(replaced)
            if replaced:
                event_type = frames.ReactionUpdatedEvent
        if changed:
            _summarise(message)
    return _outcome(event_type, located, actor, reaction_shape(row, message.message_id, user), changed)


def delete_reaction(actor: Actor, message_id: str, reaction_type: str) -> Outcome:
    """Removes the actor's reaction of that type. Removing one that is not there changes nothing."""
    with transaction.atomic():
        located = locate_message(actor, message_id, lock=True)
        message = located.message
        user = sign_in(actor)
        row = Reaction.objects.filter(message=message, user=user, type=reaction_type).first()
        if row is not None:
            row.delete()
            _summarise(message)
            shaped = reaction_shape(row, message.message_id, user)
        else:  # already gone: answer with what it would have been
            now = timezone.now()
            gone = Reaction(
                message=message, user=user, type=reaction_type, score=1, created_at=now, updated_at=now
            )
            shaped = reaction_shape(gone, message.message_id, user)
    return _outcome(frames.ReactionDeletedEvent, located, actor, shaped, row is not None)


def _summarise(message: Message) -> None:
    """Rewrites the message's reaction_groups from its reactions (in the reaction's transaction)."""
    groups = (
        Reaction.objects.filter(message=message)
        .values("type")
        .annotate(count=Count("pk"), sum_scores=Sum("score"), first=Min("created_at"), last=Max("updated_at"))
        .order_by("first", "type")
    )
    message.reaction_groups = {
        g["type"]: {
            "count": g["count"],
            "sum_scores": g["sum_scores"],
            "first_reaction_at": g["first"].isoformat(),
            "last_reaction_at": g["last"].isoformat(),
        }
        for g in groups
    }
    Message.objects.filter(seq=message.seq).update(reaction_groups=message.reaction_groups)


def _outcome(
    kind: type[frames.ReactionNewEvent]
    | type[frames.ReactionUpdatedEvent]
    | type[frames.ReactionDeletedEvent],
    located: Located,
    actor: Actor,
    reaction: frames.Reaction,
    changed: bool,
) -> Outcome:
    row = message_rows().get(seq=located.message.seq)
    shaped = shape_messages([row], located.ref.cid, actor.id)[0]
    fanned = shaped.model_copy(update={"own_reactions": []})
    return Outcome(
        located.ref.group, reaction_event(kind, located.ref, fanned, reaction), changed, shaped.own_reactions
    )
