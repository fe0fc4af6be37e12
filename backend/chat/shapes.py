"""Stored rows as Stream's response shapes (the generated frame models).

Rows from the database are trusted: the models are built without validation, by `built` (which
gives every field, so it skips even `model_construct`'s per-field defaults: a page of 30 channels
builds some 2,000 shapes, and constructing them was half its time); the tests check that each shape
names every field and what it serialises to against the schema.
What a message's shape needs beyond its own row (its mentioned users, its quote, its latest and
the viewer's reactions) is loaded in bulk by `chat.services.messages` and handed in as `Extras`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.utils import timezone
from pydantic import BaseModel

from chat import file_urls, frames
from chat.models import Channel, ChatUser, Member, Message, Mute, Reaction

__all__ = [
    "RESERVED_CHANNEL_FIELDS",
    "Extras",
    "attachment_shapes",
    "built",
    "channel_shape",
    "member_shape",
    "message_shape",
    "mute_shape",
    "reaction_shape",
    "user_of",
    "user_shape",
]


Shape = TypeVar("Shape", bound=BaseModel)
_set = object.__setattr__


def built(model: type[Shape], **values: Any) -> Shape:
    """`model.model_construct(**values)` for `values` that give every one of the model's fields (no
    alias, no extra): the same instance, at a third of the cost."""
    shape = model.__new__(model)
    _set(shape, "__dict__", values)
    _set(shape, "__pydantic_fields_set__", set(values))
    _set(shape, "__pydantic_extra__", None)
    _set(shape, "__pydantic_private__", None)
    return shape


# Enum members by value: a lookup, where calling the enum costs a microsecond a shape.
MESSAGE_TYPES = {kind.value: kind for kind in frames.MessageType}
CHANNEL_ROLES = {role.value: role for role in frames.ChannelRole}


def user_shape(user: ChatUser, presence: bool = False) -> frames.User:
    """Id, name and image; with `presence`, last_active and online (False: chat.presence sets it)."""
    return user_of(user.id, user.name, user.image, user.last_active if presence else None, presence)


def user_of(user_id: str, name: str, image: str, last_active: datetime | None, presence: bool) -> frames.User:
    """`user_shape` from a user row's columns, for callers that read them without an instance."""
    return built(
        frames.User,
        id=user_id,
        name=name or user_id,
        image=image or None,
        online=False if presence else None,
        last_active=last_active if presence else None,
    )


@dataclass(slots=True)
class Extras:
    """What a message's shape needs from other rows; empty for a message nobody touched yet."""

    mentioned: list[frames.User] = field(default_factory=list)
    latest_reactions: list[frames.Reaction] = field(default_factory=list)
    own_reactions: list[frames.Reaction] = field(default_factory=list)
    participants: list[frames.User] = field(default_factory=list)
    quoted: frames.Message | None = None
    pinned_by: frames.User | None = None


NO_EXTRAS = Extras()


def attachment_shapes(attachments: list[dict[str, Any]]) -> list[frames.Attachment]:
    # Validated, not constructed: the enum `type` must be an enum for the serialiser. Each file URL
    # is signed afresh here, so every answer that carries a message carries working URLs.
    return [frames.Attachment.model_validate(file_urls.signed_attachment(a)) for a in attachments]


def _groups(stored: dict[str, Any]) -> dict[str, frames.ReactionGroup]:
    return {
        kind: built(
            frames.ReactionGroup,
            count=group["count"],
            sum_scores=group["sum_scores"],
            first_reaction_at=datetime.fromisoformat(group["first_reaction_at"]),
            last_reaction_at=datetime.fromisoformat(group["last_reaction_at"]),
        )
        for kind, group in stored.items()
    }


def message_shape(
    message: Message, cid: str, user: frames.User, extras: Extras | None = None
) -> frames.Message:
    """`user` is the author's shape: a page shapes each of its users once, not once a message."""
    extras = extras or NO_EXTRAS
    groups = _groups(message.reaction_groups) if message.reaction_groups else {}
    pinned = message.pinned_at is not None and (
        message.pin_expires is None or message.pin_expires > timezone.now()
    )
    reply = bool(message.parent_id)
    return built(
        frames.Message,
        id=message.message_id,
        cid=cid,
        text=message.text,
        html="",
        type=MESSAGE_TYPES[message.type],
        user=user,
        created_at=message.created_at,
        updated_at=message.updated_at,
        deleted_at=message.deleted_at,
        parent_id=message.parent_id or None,
        show_in_channel=message.show_in_channel if reply else None,
        reply_count=message.reply_count,
        deleted_reply_count=None,
        thread_participants=extras.participants or None,
        quoted_message_id=extras.quoted.id if extras.quoted else None,
        quoted_message=extras.quoted,
        attachments=attachment_shapes(message.attachments) if message.attachments else [],
        mentioned_users=extras.mentioned,
        latest_reactions=extras.latest_reactions,
        own_reactions=extras.own_reactions,
        reaction_counts={kind: g.count for kind, g in groups.items()},
        reaction_scores={kind: g.sum_scores for kind, g in groups.items()},
        reaction_groups=groups,
        pinned=pinned,
        pinned_at=message.pinned_at if pinned else None,
        pinned_by=extras.pinned_by if pinned else None,
        pin_expires=message.pin_expires if pinned else None,
        silent=False,
        channel=None,
    )


def reaction_shape(reaction: Reaction, message_id: str, user: ChatUser) -> frames.Reaction:
    return frames.Reaction.model_construct(
        message_id=message_id,
        user_id=user.id,
        user=user_shape(user),
        type=reaction.type,
        score=reaction.score,
        created_at=reaction.created_at,
        updated_at=reaction.updated_at,
    )


# Fields of Stream's channel that custom data may not take (its own, or ones it computes).
RESERVED_CHANNEL_FIELDS = frozenset(frames.Channel.model_fields) | {
    "members",
    "config",
    "own_capabilities",
    "team",
    "hidden",
    "truncated_at",
    "deleted_at",
    "cooldown",
    "blocked",
}


def channel_shape(channel: Channel, member_count: int) -> frames.Channel:
    """Stream's ChannelResponse: the columns, and the custom fields beside them."""
    custom = {k: v for k, v in channel.custom.items() if k not in RESERVED_CHANNEL_FIELDS}
    return frames.Channel.model_construct(
        id=channel.channel_id,
        type=channel.type,
        cid=channel.cid,
        name=channel.name,
        image=channel.image or None,
        created_by=user_shape(channel.created_by),
        created_at=channel.created_at,
        updated_at=channel.updated_at,
        last_message_at=channel.last_message_at,
        member_count=member_count,
        frozen=False,
        disabled=False,
        **custom,
    )


def member_shape(
    member: Member, banned: bool = False, ban_expires: datetime | None = None, presence: bool = False
) -> frames.Member:
    return built(
        frames.Member,
        user_id=member.user_id,
        user=user_shape(member.user, presence),
        role=frames.MemberRole.owner if member.is_owner else frames.MemberRole.member,
        channel_role=CHANNEL_ROLES[member.channel_role],
        banned=banned,
        ban_expires=ban_expires if banned else None,
        created_at=member.created_at,
        updated_at=member.updated_at,
    )


def mute_shape(mute: Mute) -> frames.Mute:
    return frames.Mute.model_construct(
        user=user_shape(mute.user),
        target=user_shape(mute.target),
        created_at=mute.created_at,
        updated_at=mute.updated_at,
        expires=mute.expires,
    )
