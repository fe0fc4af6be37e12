# GENERATED from schema/frames.schema.json by `tools/dev codegen`. DO NOT EDIT.

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, RootModel


class UserId(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="A user id as the token's `sub` carries it.",
            max_length=255,
            min_length=1,
            title="UserId",
        ),
    ]


class ErrorCode(StrEnum):
    invalid_json = "invalid_json"
    invalid_frame = "invalid_frame"
    unknown_type = "unknown_type"
    invalid_cid = "invalid_cid"
    invalid_field = "invalid_field"
    empty_text = "empty_text"
    message_too_long = "message_too_long"
    unknown_channel_type = "unknown_channel_type"
    not_allowed = "not_allowed"
    not_found = "not_found"
    id_conflict = "id_conflict"
    rate_limited = "rate_limited"
    storage_unavailable = "storage_unavailable"
    internal_error = "internal_error"


class CloseCode(IntEnum):
    NORMAL = 1000
    POLICY_VIOLATION = 1008
    MESSAGE_TOO_BIG = 1009
    INTERNAL_ERROR = 1011
    UNAUTHORIZED = 4001
    FORBIDDEN_ORIGIN = 4003
    TOO_MANY_CONNECTIONS = 4029


class User(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    id: Annotated[
        str,
        Field(
            description="A user id as the token's `sub` carries it.",
            max_length=255,
            min_length=1,
            title="UserId",
        ),
    ]
    name: str
    image: str | None = None


class OwnUser(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    id: Annotated[
        str,
        Field(
            description="A user id as the token's `sub` carries it.",
            max_length=255,
            min_length=1,
            title="UserId",
        ),
    ]
    name: str
    image: str | None = None
    role: str
    mutes: Annotated[list[dict[str, Any]], Field(max_length=0)]
    channel_mutes: Annotated[list[dict[str, Any]], Field(max_length=0)]
    unread_count: Annotated[int, Field(ge=0)]
    total_unread_count: Annotated[int, Field(ge=0)]
    unread_channels: Annotated[int, Field(ge=0)]
    unread_threads: Annotated[int, Field(ge=0)]
    devices: Annotated[list[dict[str, Any]], Field(max_length=0)]


class MessageType(StrEnum):
    regular = "regular"
    reply = "reply"
    deleted = "deleted"
    system = "system"
    error = "error"
    ephemeral = "ephemeral"


class Message(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    id: Annotated[
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    text: str
    html: str
    type: Annotated[MessageType, Field(title="MessageType")]
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]
    updated_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]
    deleted_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ] = None
    parent_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None
    reply_count: Annotated[int, Field(ge=0)]
    attachments: Annotated[list[dict[str, Any]], Field(max_length=0)]
    mentioned_users: Annotated[list[User], Field(max_length=0)]
    latest_reactions: Annotated[list[dict[str, Any]], Field(max_length=0)]
    own_reactions: Annotated[list[dict[str, Any]], Field(max_length=0)]
    reaction_counts: dict[str, int]
    pinned: bool
    silent: bool


class Channel(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    id: str
    type: str
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    name: str
    created_by: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]
    updated_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]
    last_message_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ] = None
    member_count: Annotated[int, Field(ge=0)]
    frozen: bool
    disabled: bool


class MemberRole(StrEnum):
    owner = "owner"
    member = "member"


class ChannelRole(StrEnum):
    channel_member = "channel_member"


class Member(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    user_id: Annotated[
        str,
        Field(
            description="A user id as the token's `sub` carries it.",
            max_length=255,
            min_length=1,
            title="UserId",
        ),
    ]
    user: User
    role: Annotated[MemberRole, Field(title="MemberRole")]
    channel_role: Annotated[ChannelRole, Field(title="ChannelRole")]
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]
    updated_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class Read(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    user: User
    last_read: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]
    last_read_message_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None
    unread_messages: Annotated[int, Field(ge=0)]


class WatchData(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    name: Annotated[str | None, Field(max_length=255)] = None
    members: Annotated[list[UserId] | None, Field(max_length=100)] = None


class MessagePagination(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    limit: Annotated[int | None, Field(ge=0, le=300)] = None
    id_lt: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None
    id_gt: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None


class ClientHealthCheck(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["health.check"] = "health.check"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    client_id: Annotated[str | None, Field(max_length=255)] = None


class ChannelWatch(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channel.watch"] = "channel.watch"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    data: WatchData | None = None
    messages: MessagePagination | None = None


class ChannelStopWatching(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channel.stop_watching"] = "channel.stop_watching"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]


class ClientMessageNew(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.new"] = "message.new"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    text: Annotated[
        str,
        Field(
            description="Message text: 1 to 5,000 characters (Stream's default max_message_length).",
            max_length=5000,
            min_length=1,
            title="MessageText",
        ),
    ]
    id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None
    parent_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None


class ClientTypingStart(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["typing.start"] = "typing.start"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    parent_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None


class ClientTypingStop(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["typing.stop"] = "typing.stop"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    parent_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None


class ClientMessageRead(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.read"] = "message.read"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    message_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None


class HealthCheckEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["health.check"] = "health.check"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    connection_id: str
    cid: Literal["*"] = "*"
    me: OwnUser
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class ChannelState(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channel.state"] = "channel.state"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    channel: Channel
    messages: list[Message]
    pinned_messages: Annotated[list[Message], Field(max_length=0)]
    members: list[Member]
    read: list[Read]
    watcher_count: Annotated[int, Field(ge=0)]


class MessageSent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.sent"] = "message.sent"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    message: Message
    duplicate: bool


class Ok(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["ok"] = "ok"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None


class ErrorFrame(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["error"] = "error"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    code: ErrorCode
    message: str


class MessageNewEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.new"] = "message.new"
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    channel_type: str
    channel_id: str
    message_id: Annotated[
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]
    message: Message
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class TypingStartEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["typing.start"] = "typing.start"
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    channel_type: str
    channel_id: str
    parent_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class TypingStopEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["typing.stop"] = "typing.stop"
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    channel_type: str
    channel_id: str
    parent_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class MessageReadEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.read"] = "message.read"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    channel_type: str
    channel_id: str
    last_read_message_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class UserWatchingStartEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["user.watching.start"] = "user.watching.start"
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    channel_type: str
    channel_id: str
    user: User
    watcher_count: Annotated[int, Field(ge=0)]
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class UserWatchingStopEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["user.watching.stop"] = "user.watching.stop"
    cid: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    channel_type: str
    channel_id: str
    user: User
    watcher_count: Annotated[int, Field(ge=0)]
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class ClientFrame(
    RootModel[
        ClientHealthCheck
        | ChannelWatch
        | ChannelStopWatching
        | ClientMessageNew
        | ClientTypingStart
        | ClientTypingStop
        | ClientMessageRead
    ]
):
    root: Annotated[
        ClientHealthCheck
        | ChannelWatch
        | ChannelStopWatching
        | ClientMessageNew
        | ClientTypingStart
        | ClientTypingStop
        | ClientMessageRead,
        Field(
            description="A frame the client sends.",
            discriminator="type",
            title="ClientFrame",
        ),
    ]


class ServerFrame(
    RootModel[
        HealthCheckEvent
        | ChannelState
        | MessageSent
        | Ok
        | ErrorFrame
        | MessageNewEvent
        | TypingStartEvent
        | TypingStopEvent
        | MessageReadEvent
        | UserWatchingStartEvent
        | UserWatchingStopEvent
    ]
):
    root: Annotated[
        HealthCheckEvent
        | ChannelState
        | MessageSent
        | Ok
        | ErrorFrame
        | MessageNewEvent
        | TypingStartEvent
        | TypingStopEvent
        | MessageReadEvent
        | UserWatchingStartEvent
        | UserWatchingStopEvent,
        Field(
            description="A frame the server sends: a reply to a request (carrying its request_id) or a channel event.",
            discriminator="type",
            title="ServerFrame",
        ),
    ]
