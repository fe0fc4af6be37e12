"""Stored rows as Stream's response shapes (the generated frame models).

Rows from the database are trusted: the models are built without validation (`model_construct`),
which was a tenth of a watch's time; the tests check what they serialise to against the schema.
"""

from __future__ import annotations

from chat import frames
from chat.models import Channel, ChatUser, Member, Message

__all__ = ["channel_shape", "member_shape", "message_shape", "user_shape"]


def user_shape(user: ChatUser) -> frames.User:
    return frames.User.model_construct(id=user.id, name=user.name or user.id, image=user.image or None)


def message_shape(message: Message, cid: str, user: ChatUser) -> frames.Message:
    return frames.Message.model_construct(
        id=message.message_id,
        cid=cid,
        text=message.text,
        html="",
        type=frames.MessageType(message.type),
        user=user_shape(user),
        created_at=message.created_at,
        updated_at=message.updated_at,
        deleted_at=message.deleted_at,
        parent_id=message.parent_id or None,
        reply_count=0,
        attachments=[],
        mentioned_users=[],
        latest_reactions=[],
        own_reactions=[],
        reaction_counts={},
        pinned=False,
        silent=False,
    )


def channel_shape(channel: Channel, member_count: int) -> frames.Channel:
    return frames.Channel.model_construct(
        id=channel.channel_id,
        type=channel.type,
        cid=channel.cid,
        name=channel.name,
        created_by=user_shape(channel.created_by),
        created_at=channel.created_at,
        updated_at=channel.updated_at,
        last_message_at=channel.last_message_at,
        member_count=member_count,
        frozen=False,
        disabled=False,
    )


def member_shape(member: Member) -> frames.Member:
    return frames.Member.model_construct(
        user_id=member.user_id,
        user=user_shape(member.user),
        role=frames.MemberRole.owner if member.is_owner else frames.MemberRole.member,
        channel_role=frames.ChannelRole.channel_member,
        created_at=member.created_at,
        updated_at=member.updated_at,
    )
