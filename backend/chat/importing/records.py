# GENERATED from schema/import.schema.json by `tools/dev codegen`. DO NOT EDIT.

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, RootModel


class Id(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ]


class UserRef(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[
        str,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ]
    name: str | None = None
    image: str | None = None
    role: str | None = None


class Ban(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    user_id: Annotated[
        str | None,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ] = None
    created_by_id: Annotated[
        str | None,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ] = None
    reason: Annotated[str | None, Field(max_length=500)] = None
    created_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    expires: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None


class UserData(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[str, Field(max_length=255, min_length=1, pattern="^[@\\w-]*$")]
    name: str | None = None
    image: str | None = None
    role: str | None = None
    teams: list[str] | None = None
    language: str | None = None
    invisible: bool | None = None
    deactivated_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    deleted_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    created_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    updated_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    channel_mutes: list[str] | None = None
    user_mutes: list[Id] | None = None
    banned: Annotated[bool | None, Field(description="Stream's app-wide ban flag (with ban_expires).")] = None
    ban_expires: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    ban: Ban | None = None


class DeviceData(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[str, Field(min_length=1)]
    user_id: Annotated[
        str,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ]
    push_provider: str | None = None
    push_provider_type: str | None = None
    push_provider_name: str | None = None
    created_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None


class FutureChannelBanData(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    target_id: Annotated[
        str,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ]
    created_by: Annotated[
        str,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ]
    reason: Annotated[str | None, Field(max_length=500)] = None
    shadow: bool | None = None
    created_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None


class ChannelData(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    type: Annotated[
        str,
        Field(
            description="A channel type, e.g. messaging, team or livestream.",
            pattern="^[A-Za-z0-9_-]{1,64}$",
            title="ChannelType",
        ),
    ]
    id: Annotated[
        str | None,
        Field(
            description="A channel id within its type (Stream's characters, at most 64).",
            pattern="^[A-Za-z0-9!_-]{1,64}$",
            title="ChannelId",
        ),
    ] = None
    member_ids: Annotated[
        list[Id] | None,
        Field(
            description="The members that name a distinct channel (Stream's `member_ids`): the channel id is derived from them.",
            max_length=100,
            min_length=1,
            title="MemberIds",
        ),
    ] = None
    created_by: str | UserRef
    name: Annotated[str | None, Field(max_length=255)] = None
    image: Annotated[str | None, Field(max_length=1024)] = None
    frozen: bool | None = None
    disabled: bool | None = None
    truncated_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    created_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    updated_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    last_message_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    bans: list[Ban] | None = None


class MemberData(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    user_id: Annotated[
        str,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ]
    channel_type: Annotated[
        str,
        Field(
            description="A channel type, e.g. messaging, team or livestream.",
            pattern="^[A-Za-z0-9_-]{1,64}$",
            title="ChannelType",
        ),
    ]
    channel_id: Annotated[
        str | None,
        Field(
            description="A channel id within its type (Stream's characters, at most 64).",
            pattern="^[A-Za-z0-9!_-]{1,64}$",
            title="ChannelId",
        ),
    ] = None
    channel_member_ids: Annotated[
        list[Id] | None,
        Field(
            description="The members that name a distinct channel (Stream's `member_ids`): the channel id is derived from them.",
            max_length=100,
            min_length=1,
            title="MemberIds",
        ),
    ] = None
    channel_role: str | None = None
    is_moderator: Annotated[
        bool | None,
        Field(description="Stream's older spelling of channel_role channel_moderator."),
    ] = None
    last_read: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    last_read_message_id: Annotated[
        str | None,
        Field(
            description="Jatte: the last message read, when known.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ] = None
    banned: bool | None = None
    ban_expires: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    created_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    updated_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None


class MessageType(StrEnum):
    regular = "regular"
    reply = "reply"
    deleted = "deleted"
    system = "system"


class MessageData(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[
        str,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ]
    channel_type: Annotated[
        str,
        Field(
            description="A channel type, e.g. messaging, team or livestream.",
            pattern="^[A-Za-z0-9_-]{1,64}$",
            title="ChannelType",
        ),
    ]
    channel_id: Annotated[
        str | None,
        Field(
            description="A channel id within its type (Stream's characters, at most 64).",
            pattern="^[A-Za-z0-9!_-]{1,64}$",
            title="ChannelId",
        ),
    ] = None
    channel_member_ids: Annotated[
        list[Id] | None,
        Field(
            description="The members that name a distinct channel (Stream's `member_ids`): the channel id is derived from them.",
            max_length=100,
            min_length=1,
            title="MemberIds",
        ),
    ] = None
    user: str | UserRef
    text: str | None = None
    html: str | None = None
    type: MessageType | None = None
    attachments: Annotated[list[dict[str, Any]] | None, Field(max_length=30)] = None
    parent_id: Annotated[
        str | None,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ] = None
    show_in_channel: bool | None = None
    quoted_message_id: Annotated[
        str | None,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ] = None
    mentioned_users_ids: Annotated[list[Id] | None, Field(max_length=100)] = None
    pinned: bool | None = None
    pinned_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    pinned_by_id: Annotated[
        str | None,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ] = None
    pin_expires: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    silent: bool | None = None
    created_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    updated_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    deleted_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None


class ReactionData(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    message_id: Annotated[
        str,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ]
    type: Annotated[str, Field(max_length=30, min_length=1)]
    user_id: Annotated[
        str,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ]
    score: Annotated[int | None, Field(ge=0)] = None
    created_at: Annotated[
        AwareDatetime,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ]
    updated_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None


class UserRecord(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["user"] = "user"
    data: UserData


class DeviceRecord(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["device"] = "device"
    data: DeviceData


class FutureChannelBanRecord(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["future_channel_ban"] = "future_channel_ban"
    data: FutureChannelBanData


class ChannelRecord(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channel"] = "channel"
    data: ChannelData


class MemberRecord(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["member"] = "member"
    data: MemberData


class ChannelMemberRecord(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["channel_member"] = "channel_member"
    data: MemberData


class MessageRecord(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["message"] = "message"
    data: MessageData


class ReactionRecord(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: Literal["reaction"] = "reaction"
    data: ReactionData


class ImportRecord(
    RootModel[
        UserRecord
        | DeviceRecord
        | FutureChannelBanRecord
        | ChannelRecord
        | MemberRecord
        | ChannelMemberRecord
        | MessageRecord
        | ReactionRecord
    ]
):
    root: Annotated[
        UserRecord
        | DeviceRecord
        | FutureChannelBanRecord
        | ChannelRecord
        | MemberRecord
        | ChannelMemberRecord
        | MessageRecord
        | ReactionRecord,
        Field(
            description="One line of Stream's import format, discriminated by `type`.",
            discriminator="type",
            title="ImportRecord",
        ),
    ]


class LegacyRecord(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    type: str
    item: dict[str, Any]


class ExportedReaction(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    message_id: Annotated[
        str | None,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ] = None
    user_id: Annotated[
        str | None,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ] = None
    user: UserRef | None = None
    type: Annotated[str, Field(max_length=30, min_length=1)]
    score: Annotated[int | None, Field(ge=0)] = None
    created_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    updated_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None


class ExportedMessage(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    id: Annotated[
        str,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ]
    text: str | None = None
    html: str | None = None
    type: str | None = None
    user: UserRef
    attachments: Annotated[list[dict[str, Any]] | None, Field(max_length=30)] = None
    latest_reactions: list[ExportedReaction] | None = None
    own_reactions: list[ExportedReaction] | None = None
    reaction_counts: dict[str, int] | None = None
    reaction_scores: dict[str, int] | None = None
    reply_count: Annotated[int | None, Field(ge=0)] = None
    parent_id: Annotated[
        str | None,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ] = None
    show_in_channel: bool | None = None
    quoted_message_id: Annotated[
        str | None,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ] = None
    mentioned_users: list[UserRef] | None = None
    pinned: bool | None = None
    pinned_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    pinned_by: UserRef | None = None
    pin_expires: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    created_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    updated_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    deleted_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None


class ExportedMember(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    user_id: Annotated[
        str | None,
        Field(
            description="A user, message or device id: 1 to 255 characters.",
            max_length=255,
            min_length=1,
            title="Id",
        ),
    ] = None
    user: UserRef | None = None
    channel_role: str | None = None
    role: str | None = None
    is_moderator: bool | None = None
    banned: bool | None = None
    ban_expires: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    created_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    updated_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None


class ExportedChannel(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    cid: str | None = None
    id: Annotated[
        str,
        Field(
            description="A channel id within its type (Stream's characters, at most 64).",
            pattern="^[A-Za-z0-9!_-]{1,64}$",
            title="ChannelId",
        ),
    ]
    type: Annotated[
        str,
        Field(
            description="A channel type, e.g. messaging, team or livestream.",
            pattern="^[A-Za-z0-9_-]{1,64}$",
            title="ChannelType",
        ),
    ]
    created_by: UserRef | None = None
    name: Annotated[str | None, Field(max_length=255)] = None
    image: Annotated[str | None, Field(max_length=1024)] = None
    frozen: bool | None = None
    disabled: bool | None = None
    member_count: int | None = None
    config: dict[str, Any] | None = None
    created_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    updated_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None
    last_message_at: Annotated[
        AwareDatetime | None,
        Field(
            description="An ISO 8601 time with its offset, e.g. 2021-03-09T10:20:30.123456Z.",
            title="Timestamp",
        ),
    ] = None


class ExportedChannelFile(BaseModel):
    model_config = ConfigDict(
        extra="allow",
    )
    channel: ExportedChannel
    members: list[ExportedMember] | None = None
    messages: list[ExportedMessage] | None = None
    read: list[Any] | None = None
