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
    token_expired = "token_expired"
    invalid_parent = "invalid_parent"
    invalid_quote = "invalid_quote"
    feature_disabled = "feature_disabled"
    custom_data_too_large = "custom_data_too_large"
    invalid_attachment = "invalid_attachment"
    file_too_large = "file_too_large"
    file_type_not_allowed = "file_type_not_allowed"
    unauthenticated = "unauthenticated"
    origin_not_allowed = "origin_not_allowed"
    invalid_signature = "invalid_signature"
    signature_expired = "signature_expired"


class CloseCode(IntEnum):
    NORMAL = 1000
    POLICY_VIOLATION = 1008
    MESSAGE_TOO_BIG = 1009
    INTERNAL_ERROR = 1011
    UNAUTHORIZED = 4001
    TOKEN_EXPIRED = 4002
    FORBIDDEN_ORIGIN = 4003
    TRY_AGAIN_LATER = 4013
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
    online: Annotated[
        bool | None,
        Field(description="Whether any socket of the user is open, on any process."),
    ] = None
    last_active: Annotated[
        AwareDatetime | None,
        Field(
            description="When a socket of the user last opened or closed.",
            title="Timestamp",
        ),
    ] = None


class UserRole(StrEnum):
    user = "user"
    admin = "admin"


class MessageType(StrEnum):
    regular = "regular"
    reply = "reply"
    deleted = "deleted"
    system = "system"
    error = "error"
    ephemeral = "ephemeral"


class Channel(BaseModel):
    model_config = ConfigDict(
        extra="allow",
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
    image: str | None = None
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
    channel_moderator = "channel_moderator"


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
    banned: bool
    ban_expires: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ] = None
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
        extra="allow",
    )
    name: Annotated[str | None, Field(max_length=255)] = None
    image: Annotated[str | None, Field(max_length=1024)] = None
    members: Annotated[list[UserId] | None, Field(max_length=100)] = None


class ChannelFilter(
    RootModel[
        dict[
            Literal[
                "type",
                "cid",
                "id",
                "members",
                "last_message_at",
                "created_at",
                "updated_at",
                "member_count",
                "has_unread",
                "joined",
                "name",
                "$and",
                "$or",
                "$nor",
            ],
            Any,
        ]
    ]
):
    root: Annotated[
        dict[
            Literal[
                "type",
                "cid",
                "id",
                "members",
                "last_message_at",
                "created_at",
                "updated_at",
                "member_count",
                "has_unread",
                "joined",
                "name",
                "$and",
                "$or",
                "$nor",
            ],
            Any,
        ],
        Field(
            description="Stream's filter_conditions for channels: keys `type`, `cid`, `id` ($eq, $in), `members` ($in, $eq), `last_message_at`, `created_at`, `updated_at`, `member_count` ($eq, $gt, $gte, $lt, $lte), `has_unread` (true), `name` ($eq, $autocomplete), combined with `$and` / `$or` / `$nor` (arrays of filters); a bare value means $eq. An unknown key or operator is refused with invalid_field naming it. Whatever the filter, only channels the user may read are returned.",
            max_length=20,
            title="ChannelFilter",
        ),
    ]


class MemberFilter(
    RootModel[
        dict[
            Literal[
                "id",
                "user_id",
                "name",
                "channel_role",
                "banned",
                "created_at",
                "updated_at",
                "$and",
                "$or",
                "$nor",
            ],
            Any,
        ]
    ]
):
    root: Annotated[
        dict[
            Literal[
                "id",
                "user_id",
                "name",
                "channel_role",
                "banned",
                "created_at",
                "updated_at",
                "$and",
                "$or",
                "$nor",
            ],
            Any,
        ],
        Field(
            description="Stream's filter_conditions for a channel's members: `id` / `user_id` ($eq, $in), `name` ($eq, $autocomplete), `channel_role` ($eq, $in), `banned` ($eq), `created_at` ($gt, $gte, $lt, $lte), combined with `$and` / `$or` / `$nor`. An unknown key or operator is refused with invalid_field.",
            max_length=20,
            title="MemberFilter",
        ),
    ]


class UserFilter(RootModel[dict[Literal["id", "name", "$and", "$or", "$nor"], Any]]):
    root: Annotated[
        dict[Literal["id", "name", "$and", "$or", "$nor"], Any],
        Field(
            description="Stream's filter_conditions for users: `id` ($eq, $in, $autocomplete), `name` ($eq, $autocomplete), combined with `$and` / `$or`. Only users who share a channel with the asker are found (every user, for an admin). An unknown key or operator is refused with invalid_field.",
            max_length=20,
            title="UserFilter",
        ),
    ]


class SortDirection(IntEnum):
    ASCENDING = 1
    DESCENDING = -1


class ChannelSortField(StrEnum):
    last_message_at = "last_message_at"
    last_updated = "last_updated"
    created_at = "created_at"
    updated_at = "updated_at"
    unread_count = "unread_count"
    member_count = "member_count"


class ChannelSort(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    field: Annotated[ChannelSortField, Field(title="ChannelSortField")]
    direction: SortDirection


class MemberSortField(StrEnum):
    created_at = "created_at"
    updated_at = "updated_at"
    user_id = "user_id"
    name = "name"


class MemberSort(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    field: Annotated[MemberSortField, Field(title="MemberSortField")]
    direction: SortDirection


class UserSortField(StrEnum):
    id = "id"
    name = "name"
    created_at = "created_at"
    updated_at = "updated_at"
    last_active = "last_active"


class UserSort(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    field: Annotated[UserSortField, Field(title="UserSortField")]
    direction: SortDirection


class UnreadChannel(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    channel_id: Annotated[
        str,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ]
    last_read: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]
    unread_count: Annotated[int, Field(ge=0)]


class UnreadChannelType(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    channel_type: str
    channel_count: Annotated[int, Field(ge=0)]
    unread_count: Annotated[int, Field(ge=0)]


class UnreadThread(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    parent_message_id: Annotated[
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]
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
    unread_count: Annotated[int, Field(ge=0)]


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


class AttachmentType(StrEnum):
    image = "image"
    file = "file"
    video = "video"
    audio = "audio"


class Attachment(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Annotated[AttachmentType | None, Field(title="AttachmentType")] = None
    asset_url: Annotated[str | None, Field(max_length=2048)] = None
    image_url: Annotated[str | None, Field(max_length=2048)] = None
    thumb_url: Annotated[str | None, Field(max_length=2048)] = None
    title: Annotated[str | None, Field(max_length=1024)] = None
    title_link: Annotated[str | None, Field(max_length=2048)] = None
    text: Annotated[str | None, Field(max_length=5000)] = None
    file_size: Annotated[int | None, Field(ge=0)] = None
    mime_type: Annotated[str | None, Field(max_length=255)] = None
    original_width: Annotated[int | None, Field(ge=0)] = None
    original_height: Annotated[int | None, Field(ge=0)] = None


class UploadResponse(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    file: str
    thumb_url: str | None = None
    duration: str | None = None


class Reaction(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    message_id: Annotated[
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]
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
    type: Annotated[
        str,
        Field(
            description="A reaction's type, e.g. `like`: 1 to 30 characters.",
            max_length=30,
            min_length=1,
            title="ReactionType",
        ),
    ]
    score: Annotated[int, Field(ge=1)]
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


class ReactionGroup(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    count: Annotated[int, Field(ge=0)]
    sum_scores: Annotated[int, Field(ge=0)]
    first_reaction_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]
    last_reaction_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class Mute(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    user: User
    target: User
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
    expires: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ] = None


class ChannelConfig(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    typing_events: bool
    read_events: bool
    connect_events: bool
    search: bool
    reactions: bool
    replies: bool
    quotes: bool
    mutes: bool
    uploads: bool
    url_enrichment: bool
    custom_events: bool
    max_message_length: Annotated[int, Field(ge=1)]
    automod: str
    commands: list[dict[str, Any]]


class Capability(StrEnum):
    ban_channel_members = "ban-channel-members"
    cast_poll_vote = "cast-poll-vote"
    connect_events = "connect-events"
    create_attachment = "create-attachment"
    create_mention = "create-mention"
    delete_any_message = "delete-any-message"
    delete_channel = "delete-channel"
    delete_own_message = "delete-own-message"
    delivery_events = "delivery-events"
    flag_message = "flag-message"
    freeze_channel = "freeze-channel"
    join_channel = "join-channel"
    leave_channel = "leave-channel"
    mute_channel = "mute-channel"
    notify_channel = "notify-channel"
    pin_message = "pin-message"
    query_poll_votes = "query-poll-votes"
    quote_message = "quote-message"
    read_events = "read-events"
    search_messages = "search-messages"
    send_custom_events = "send-custom-events"
    send_links = "send-links"
    send_message = "send-message"
    send_poll = "send-poll"
    send_reaction = "send-reaction"
    send_reply = "send-reply"
    send_typing_events = "send-typing-events"
    set_channel_cooldown = "set-channel-cooldown"
    skip_slow_mode = "skip-slow-mode"
    slow_mode = "slow-mode"
    typing_events = "typing-events"
    update_any_message = "update-any-message"
    update_channel = "update-channel"
    update_channel_members = "update-channel-members"
    update_own_message = "update-own-message"
    update_thread = "update-thread"
    upload_file = "upload-file"


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
        str | None,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ] = None
    channel_type: Annotated[
        str | None,
        Field(
            description="A channel type: messaging, team or livestream.",
            pattern="^[A-Za-z0-9_-]{1,64}$",
            title="ChannelType",
        ),
    ] = None
    data: WatchData | None = None
    messages: MessagePagination | None = None
    presence: bool | None = None


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
        str | None,
        Field(
            description="Message text: at most 5,000 characters (Stream's default max_message_length); empty (or blank) only in a message with attachments, as Stream has it (else `empty_text`).",
            max_length=5000,
            title="MessageText",
        ),
    ] = None
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
    show_in_channel: bool | None = None
    quoted_message_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None
    mentioned_users: Annotated[list[UserId] | None, Field(max_length=25)] = None
    attachments: Annotated[list[Attachment] | None, Field(max_length=30)] = None


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
    thread_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None


class UpdatedMessage(BaseModel):
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
    text: Annotated[
        str,
        Field(
            description="Message text: at most 5,000 characters (Stream's default max_message_length); empty (or blank) only in a message with attachments, as Stream has it (else `empty_text`).",
            max_length=5000,
            title="MessageText",
        ),
    ]
    attachments: Annotated[list[Attachment] | None, Field(max_length=30)] = None
    mentioned_users: Annotated[list[UserId] | None, Field(max_length=25)] = None
    quoted_message_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None


class MessageUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.update"] = "message.update"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    message: Annotated[UpdatedMessage, Field(title="UpdatedMessage")]


class MessageDelete(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.delete"] = "message.delete"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    id: Annotated[
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]
    hard: bool | None = None


class ReactionRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Annotated[
        str,
        Field(
            description="A reaction's type, e.g. `like`: 1 to 30 characters.",
            max_length=30,
            min_length=1,
            title="ReactionType",
        ),
    ]
    score: Annotated[int | None, Field(ge=1, le=2147483647)] = None


class ReactionSend(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["reaction.send"] = "reaction.send"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    message_id: Annotated[
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]
    reaction: Annotated[ReactionRequest, Field(title="ReactionRequest")]
    enforce_unique: bool | None = None


class ReactionDelete(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["reaction.delete"] = "reaction.delete"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    message_id: Annotated[
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]
    reaction_type: Annotated[
        str,
        Field(
            description="A reaction's type, e.g. `like`: 1 to 30 characters.",
            max_length=30,
            min_length=1,
            title="ReactionType",
        ),
    ]


class MessageGetReplies(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.get_replies"] = "message.get_replies"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    parent_id: Annotated[
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]
    limit: Annotated[int | None, Field(ge=1, le=300)] = None
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


class MessagePin(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.pin"] = "message.pin"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    id: Annotated[
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]
    pinned: bool
    pin_expires: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ] = None


class MessageFlag(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.flag"] = "message.flag"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    id: Annotated[
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]
    reason: Annotated[str | None, Field(max_length=500)] = None


class UserMute(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["user.mute"] = "user.mute"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    target_id: Annotated[
        str,
        Field(
            description="A user id as the token's `sub` carries it.",
            max_length=255,
            min_length=1,
            title="UserId",
        ),
    ]
    timeout: Annotated[
        int | None,
        Field(
            description="How long a mute or ban lasts, in minutes (at most 100 years; leave it out for no end).",
            ge=1,
            le=52560000,
            title="TimeoutMinutes",
        ),
    ] = None


class UserUnmute(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["user.unmute"] = "user.unmute"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    target_id: Annotated[
        str,
        Field(
            description="A user id as the token's `sub` carries it.",
            max_length=255,
            min_length=1,
            title="UserId",
        ),
    ]


class UserBan(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["user.ban"] = "user.ban"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    target_id: Annotated[
        str,
        Field(
            description="A user id as the token's `sub` carries it.",
            max_length=255,
            min_length=1,
            title="UserId",
        ),
    ]
    cid: Annotated[
        str | None,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ] = None
    timeout: Annotated[
        int | None,
        Field(
            description="How long a mute or ban lasts, in minutes (at most 100 years; leave it out for no end).",
            ge=1,
            le=52560000,
            title="TimeoutMinutes",
        ),
    ] = None
    reason: Annotated[str | None, Field(max_length=500)] = None


class UserUnban(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["user.unban"] = "user.unban"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    target_id: Annotated[
        str,
        Field(
            description="A user id as the token's `sub` carries it.",
            max_length=255,
            min_length=1,
            title="UserId",
        ),
    ]
    cid: Annotated[
        str | None,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ] = None


class ChannelsQuery(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channels.query"] = "channels.query"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    filter_conditions: ChannelFilter
    sort: Annotated[list[ChannelSort] | None, Field(max_length=5)] = None
    limit: Annotated[int | None, Field(ge=1, le=30)] = None
    offset: Annotated[
        int | None,
        Field(
            description="How many results to skip: at most 1,000 (Stream's cap).",
            ge=0,
            le=1000,
            title="QueryOffset",
        ),
    ] = None
    watch: bool | None = None
    state: bool | None = None
    presence: bool | None = None
    message_limit: Annotated[int | None, Field(ge=0, le=300)] = None
    member_limit: Annotated[int | None, Field(ge=0, le=100)] = None


class UnreadGet(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["unread.get"] = "unread.get"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None


class UnsetItem(RootModel[str]):
    root: Annotated[str, Field(max_length=255, min_length=1)]


class ChannelUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channel.update"] = "channel.update"
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
        str | None,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ] = None
    channel_type: Annotated[
        str | None,
        Field(
            description="A channel type: messaging, team or livestream.",
            pattern="^[A-Za-z0-9_-]{1,64}$",
            title="ChannelType",
        ),
    ] = None
    data: WatchData | None = None
    set: WatchData | None = None
    unset: Annotated[list[UnsetItem] | None, Field(max_length=50)] = None
    get_or_create: Annotated[
        bool | None,
        Field(
            description="Only create (channel.create()): a channel that exists is answered as it is, whatever `data`, `set` and `unset` say."
        ),
    ] = None


class ChannelDelete(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channel.delete"] = "channel.delete"
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


class ChannelMembersAdd(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channel.members.add"] = "channel.members.add"
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
    user_ids: Annotated[
        list[UserId],
        Field(
            description="The users a member change is about: 1 to 100 ids.",
            max_length=100,
            min_length=1,
            title="UserIds",
        ),
    ]


class ChannelMembersRemove(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channel.members.remove"] = "channel.members.remove"
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
    user_ids: Annotated[
        list[UserId],
        Field(
            description="The users a member change is about: 1 to 100 ids.",
            max_length=100,
            min_length=1,
            title="UserIds",
        ),
    ]


class ChannelModeratorsAdd(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channel.moderators.add"] = "channel.moderators.add"
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
    user_ids: Annotated[
        list[UserId],
        Field(
            description="The users a member change is about: 1 to 100 ids.",
            max_length=100,
            min_length=1,
            title="UserIds",
        ),
    ]


class MessageUnread(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.unread"] = "message.unread"
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
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]


class MembersQuery(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["members.query"] = "members.query"
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
    filter_conditions: MemberFilter
    sort: Annotated[list[MemberSort] | None, Field(max_length=5)] = None
    limit: Annotated[int | None, Field(ge=1, le=100)] = None
    offset: Annotated[
        int | None,
        Field(
            description="How many results to skip: at most 1,000 (Stream's cap).",
            ge=0,
            le=1000,
            title="QueryOffset",
        ),
    ] = None
    presence: bool | None = None


class UsersQuery(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["users.query"] = "users.query"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    filter_conditions: UserFilter
    sort: Annotated[list[UserSort] | None, Field(max_length=5)] = None
    limit: Annotated[int | None, Field(ge=1, le=100)] = None
    offset: Annotated[
        int | None,
        Field(
            description="How many results to skip: at most 1,000 (Stream's cap).",
            ge=0,
            le=1000,
            title="QueryOffset",
        ),
    ] = None
    presence: bool | None = None


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
    thread_id: Annotated[
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


class UserBannedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["user.banned"] = "user.banned"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    user: User
    created_by: User | None = None
    reason: str | None = None
    expiration: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ] = None
    shadow: bool
    cid: Annotated[
        str | None,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ] = None
    channel_type: str | None = None
    channel_id: str | None = None
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class UserUnbannedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["user.unbanned"] = "user.unbanned"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    user: User
    created_by: User | None = None
    reason: str | None = None
    expiration: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ] = None
    shadow: bool
    cid: Annotated[
        str | None,
        Field(
            description="A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.",
            pattern="^[A-Za-z0-9_-]{1,64}:[A-Za-z0-9!_-]{1,64}$",
            title="Cid",
        ),
    ] = None
    channel_type: str | None = None
    channel_id: str | None = None
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class UnreadCounts(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["unread.counts"] = "unread.counts"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    total_unread_count: Annotated[int, Field(ge=0)]
    total_unread_threads_count: Annotated[int, Field(ge=0)]
    channels: list[UnreadChannel]
    channel_type: list[UnreadChannelType]
    threads: list[UnreadThread]


class ChannelUpdatedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channel.updated"] = "channel.updated"
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
    channel: Channel
    members: list[Member] | None = None
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class ChannelDeletedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channel.deleted"] = "channel.deleted"
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
    channel: Channel
    user: User | None = None
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class MemberAddedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["member.added"] = "member.added"
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
    member: Member
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class MemberRemovedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["member.removed"] = "member.removed"
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
    member: Member
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class MemberUpdatedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["member.updated"] = "member.updated"
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
    member: Member
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class NotificationAddedToChannelEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["notification.added_to_channel"] = "notification.added_to_channel"
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
    channel: Channel
    member: Member
    user: User | None = None
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class NotificationRemovedFromChannelEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["notification.removed_from_channel"] = "notification.removed_from_channel"
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
    channel: Channel | None = None
    member: Member | None = None
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class NotificationMarkUnreadEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["notification.mark_unread"] = "notification.mark_unread"
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
    user: User
    first_unread_message_id: Annotated[
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]
    last_read_at: Annotated[
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
    unread_count: Annotated[int, Field(ge=0)]
    total_unread_count: Annotated[int, Field(ge=0)]
    unread_channels: Annotated[int, Field(ge=0)]
    unread_threads: Annotated[int, Field(ge=0)]
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class MembersList(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["members.list"] = "members.list"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    members: Annotated[list[Member], Field(max_length=100)]


class UsersList(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["users.list"] = "users.list"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    users: Annotated[list[User], Field(max_length=100)]


class NotificationMarkReadEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["notification.mark_read"] = "notification.mark_read"
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
    last_read_message_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None
    thread_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None
    unread_count: Annotated[int, Field(ge=0)]
    total_unread_count: Annotated[int, Field(ge=0)]
    unread_channels: Annotated[int, Field(ge=0)]
    unread_threads: Annotated[int, Field(ge=0)]
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class UserPresenceChangedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["user.presence.changed"] = "user.presence.changed"
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class MessageFilter(
    RootModel[
        dict[
            Literal[
                "text",
                "id",
                "user.id",
                "type",
                "parent_id",
                "reply_count",
                "created_at",
                "updated_at",
                "attachments",
                "mentioned_users.id",
                "pinned",
                "$and",
                "$or",
                "$nor",
            ],
            Any,
        ]
    ]
):
    root: Annotated[
        dict[
            Literal[
                "text",
                "id",
                "user.id",
                "type",
                "parent_id",
                "reply_count",
                "created_at",
                "updated_at",
                "attachments",
                "mentioned_users.id",
                "pinned",
                "$and",
                "$or",
                "$nor",
            ],
            Any,
        ],
        Field(
            description="Stream's message_filter_conditions for search: `text` ($q: every word, $autocomplete: every word as the start of one), `id`, `user.id`, `type` ($eq, $ne, $in, $nin), `parent_id` ($eq, $exists), `reply_count`, `created_at`, `updated_at` ($eq, $ne, $gt, $gte, $lt, $lte), `attachments` ($exists), `mentioned_users.id` ($contains), `pinned` ($eq), combined with `$and` / `$or` / `$nor`. An unknown key or operator is refused with invalid_field.",
            max_length=20,
            title="MessageFilter",
        ),
    ]


class SearchSortField(StrEnum):
    relevance = "relevance"
    created_at = "created_at"
    updated_at = "updated_at"
    reply_count = "reply_count"


class SearchSort(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    field: Annotated[SearchSortField, Field(title="SearchSortField")]
    direction: SortDirection


class MessagesSearch(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["messages.search"] = "messages.search"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    filter_conditions: ChannelFilter
    query: Annotated[str | None, Field(max_length=500, min_length=1)] = None
    message_filter_conditions: MessageFilter | None = None
    limit: Annotated[int | None, Field(ge=1, le=100)] = None
    offset: Annotated[
        int | None,
        Field(
            description="How many results to skip: at most 1,000 (Stream's cap).",
            ge=0,
            le=1000,
            title="QueryOffset",
        ),
    ] = None
    sort: Annotated[list[SearchSort] | None, Field(max_length=3)] = None
    next: Annotated[
        str | None,
        Field(
            description="The `next` of an earlier answer: the page after it (it takes the place of `offset`).",
            pattern="^o[0-9]{1,4}$",
        ),
    ] = None


class ClientFrame(
    RootModel[
        ClientHealthCheck
        | ChannelWatch
        | ChannelStopWatching
        | ClientMessageNew
        | ClientTypingStart
        | ClientTypingStop
        | ClientMessageRead
        | MessageUpdate
        | MessageDelete
        | ReactionSend
        | ReactionDelete
        | MessageGetReplies
        | MessagePin
        | MessageFlag
        | UserMute
        | UserUnmute
        | UserBan
        | UserUnban
        | ChannelsQuery
        | UnreadGet
        | ChannelUpdate
        | ChannelDelete
        | ChannelMembersAdd
        | ChannelMembersRemove
        | ChannelModeratorsAdd
        | MessageUnread
        | MembersQuery
        | UsersQuery
        | MessagesSearch
    ]
):
    root: Annotated[
        ClientHealthCheck
        | ChannelWatch
        | ChannelStopWatching
        | ClientMessageNew
        | ClientTypingStart
        | ClientTypingStop
        | ClientMessageRead
        | MessageUpdate
        | MessageDelete
        | ReactionSend
        | ReactionDelete
        | MessageGetReplies
        | MessagePin
        | MessageFlag
        | UserMute
        | UserUnmute
        | UserBan
        | UserUnban
        | ChannelsQuery
        | UnreadGet
        | ChannelUpdate
        | ChannelDelete
        | ChannelMembersAdd
        | ChannelMembersRemove
        | ChannelModeratorsAdd
        | MessageUnread
        | MembersQuery
        | UsersQuery
        | MessagesSearch,
        Field(
            description="A frame the client sends.",
            discriminator="type",
            title="ClientFrame",
        ),
    ]


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
    role: Annotated[UserRole, Field(title="UserRole")]
    mutes: list[Mute]
    channel_mutes: Annotated[list[dict[str, Any]], Field(max_length=0)]
    unread_count: Annotated[int, Field(ge=0)]
    total_unread_count: Annotated[int, Field(ge=0)]
    unread_channels: Annotated[int, Field(ge=0)]
    unread_threads: Annotated[int, Field(ge=0)]
    devices: Annotated[list[dict[str, Any]], Field(max_length=0)]


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
    show_in_channel: bool | None = None
    reply_count: Annotated[int, Field(ge=0)]
    deleted_reply_count: Annotated[int | None, Field(ge=0)] = None
    thread_participants: list[User] | None = None
    quoted_message_id: Annotated[
        str | None,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ] = None
    quoted_message: Annotated[
        Message | None, Field(description="The quoted message, without its own quote.")
    ] = None
    attachments: Annotated[list[Attachment], Field(max_length=30)]
    mentioned_users: Annotated[list[User], Field(max_length=25)]
    latest_reactions: list[Reaction]
    own_reactions: list[Reaction]
    reaction_counts: dict[str, int]
    reaction_scores: dict[str, int]
    reaction_groups: dict[str, ReactionGroup]
    pinned: bool
    pinned_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ] = None
    pinned_by: User | None = None
    pin_expires: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ] = None
    silent: bool
    channel: Annotated[
        Channel | None,
        Field(
            description="In search results only: the channel the message is in (Stream's SearchResultMessage)."
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
    me: OwnUser | None = None
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
    pinned_messages: list[Message]
    members: list[Member]
    read: list[Read]
    membership: Annotated[
        Member | None,
        Field(description="The asking user's own membership, when they are a member."),
    ] = None
    watcher_count: Annotated[int, Field(ge=0)]
    own_capabilities: list[Capability]
    config: ChannelConfig


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


class MessageUpdatedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.updated"] = "message.updated"
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


class MessageDeletedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.deleted"] = "message.deleted"
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
    hard_delete: bool | None = None
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class ReactionNewEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["reaction.new"] = "reaction.new"
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
    message: Message
    reaction: Reaction
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class ReactionUpdatedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["reaction.updated"] = "reaction.updated"
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
    message: Message
    reaction: Reaction
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class ReactionDeletedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["reaction.deleted"] = "reaction.deleted"
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
    message: Message
    reaction: Reaction
    user: User
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class MessageReplies(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message.replies"] = "message.replies"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    parent_id: Annotated[
        str,
        Field(
            description="A message id. Client-chosen ids are idempotency keys.",
            pattern="^[A-Za-z0-9_-]{1,255}$",
            title="MessageId",
        ),
    ]
    messages: list[Message]


class NotificationMutesUpdatedEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["notification.mutes_updated"] = "notification.mutes_updated"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    me: OwnUser
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class ChannelsState(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channels.state"] = "channels.state"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    channels: Annotated[list[ChannelState], Field(max_length=30)]


class NotificationMessageNewEvent(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["notification.message_new"] = "notification.message_new"
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
    channel: Channel
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
    unread_count: Annotated[int, Field(ge=0)]
    total_unread_count: Annotated[int, Field(ge=0)]
    unread_channels: Annotated[int, Field(ge=0)]
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.",
            title="Timestamp",
        ),
    ]


class SearchResult(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    message: Message


class SearchResults(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["search.results"] = "search.results"
    request_id: Annotated[
        str | None,
        Field(
            description="Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.",
            max_length=64,
            min_length=1,
            title="RequestId",
        ),
    ] = None
    results: Annotated[list[SearchResult], Field(max_length=100)]
    next: str | None = None
    previous: str | None = None


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
        | MessageUpdatedEvent
        | MessageDeletedEvent
        | ReactionNewEvent
        | ReactionUpdatedEvent
        | ReactionDeletedEvent
        | MessageReplies
        | NotificationMutesUpdatedEvent
        | UserBannedEvent
        | UserUnbannedEvent
        | ChannelsState
        | UnreadCounts
        | ChannelUpdatedEvent
        | ChannelDeletedEvent
        | MemberAddedEvent
        | MemberRemovedEvent
        | MemberUpdatedEvent
        | NotificationAddedToChannelEvent
        | NotificationRemovedFromChannelEvent
        | NotificationMarkUnreadEvent
        | MembersList
        | UsersList
        | NotificationMessageNewEvent
        | NotificationMarkReadEvent
        | UserPresenceChangedEvent
        | SearchResults
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
        | UserWatchingStopEvent
        | MessageUpdatedEvent
        | MessageDeletedEvent
        | ReactionNewEvent
        | ReactionUpdatedEvent
        | ReactionDeletedEvent
        | MessageReplies
        | NotificationMutesUpdatedEvent
        | UserBannedEvent
        | UserUnbannedEvent
        | ChannelsState
        | UnreadCounts
        | ChannelUpdatedEvent
        | ChannelDeletedEvent
        | MemberAddedEvent
        | MemberRemovedEvent
        | MemberUpdatedEvent
        | NotificationAddedToChannelEvent
        | NotificationRemovedFromChannelEvent
        | NotificationMarkUnreadEvent
        | MembersList
        | UsersList
        | NotificationMessageNewEvent
        | NotificationMarkReadEvent
        | UserPresenceChangedEvent
        | SearchResults,
        Field(
            description="A frame the server sends: a reply to a request (carrying its request_id) or a channel event.",
            discriminator="type",
            title="ServerFrame",
        ),
    ]


Message.model_rebuild()
