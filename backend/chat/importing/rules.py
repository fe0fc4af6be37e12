"""From what a file holds to records the writer can trust: the schema's models, then the rules the
schema cannot state, and Stream's channel export (v1) turned into the same records.

Every refusal is a `BadRecord` with the record's type and a reason a person can act on; the
report adds the line number.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from chat.importing import records as R
from chat.services.permissions import CHANNEL_TYPES
from chat.text import nul_escapes_replaced

__all__ = [
    "KINDS",
    "BadRecord",
    "ChannelExport",
    "Record",
    "check",
    "cid_of",
    "distinct_channel_id",
    "from_legacy",
    "from_line",
    "from_object",
    "user_id_of",
]

# Record types in the order Stream's importer wants them, which is also the order a batch is
# written in (every type may refer to the ones before it).
KINDS = ("user", "device", "future_channel_ban", "channel", "member", "message", "reaction")
_ALIASES = {"channel_member": "member"}
UNREADABLE = "(unreadable)"


class BadRecord(Exception):
    """Raised when a record cannot be imported; `kind` is its type as far as it could be read."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


@dataclass(slots=True)
class Record:
    """A valid record: its line in the file, its type (one of KINDS) and its data.

    `prepared` is what the writer would compute from the record alone, computed ahead by the
    reader thread (chat.importing.writer.prepare).
    """

    line: int
    kind: str
    data: Any
    prepared: Any = None


def _reason(error: ValidationError) -> tuple[str, str]:
    """(record type, reason) for the first thing wrong, in words."""
    first = error.errors(include_url=False)[0]
    kind, loc = UNREADABLE, first["loc"]
    if first["type"] == "json_invalid":
        return UNREADABLE, f"bad JSON: {first['ctx']['error']}"
    if first["type"] == "union_tag_invalid":
        tag = str(first["ctx"]["tag"])
        return tag, f"unknown type {tag!r} (expected one of {', '.join(KINDS)}, or channel_member)"
    if first["type"] == "union_tag_not_found":
        return UNREADABLE, "no `type` field"
    if loc and isinstance(loc[0], str):
        kind = _ALIASES.get(loc[0], loc[0])
        loc = loc[1:]
    where = ".".join(str(part) for part in loc) or "the record"
    if first["type"] == "missing":
        return kind, f"missing required field {where}"
    return kind, f"{where}: {first['msg']}"


_VALIDATE_LINE = R.ImportRecord.__pydantic_validator__.validate_json  # model_validate_json less its wrapper


def from_line(line_no: int, line: bytes) -> Record:
    """One line of the import format."""
    try:
        parsed = _VALIDATE_LINE(nul_escapes_replaced(line.rstrip(b"\r\n"))).root
    except ValidationError as error:
        raise BadRecord(*_reason(error)) from None
    kind = _ALIASES.get(parsed.type, parsed.type)
    record = Record(line_no, kind, parsed.data)
    check(record)
    return record


def from_object(line_no: int, value: Any) -> Record:
    """One import record already parsed from JSON (an element of an array of records)."""
    try:
        parsed = R.ImportRecord.model_validate(value).root
    except ValidationError as error:
        raise BadRecord(*_reason(error)) from None
    kind = _ALIASES.get(parsed.type, parsed.type)
    record = Record(line_no, kind, parsed.data)
    check(record)
    return record


def from_legacy(line_no: int, value: Any) -> Record:
    """One element of the legacy shape, `{"type", "item"}`."""
    try:
        legacy = R.LegacyRecord.model_validate(value)
    except ValidationError as error:
        kind = value.get("type", UNREADABLE) if isinstance(value, dict) else UNREADABLE
        raise BadRecord(str(kind), f"not a legacy record: {_reason(error)[1]}") from None
    return from_object(line_no, {"type": legacy.type, "data": legacy.item})


def user_id_of(ref: str | R.UserRef) -> str:
    return ref if isinstance(ref, str) else ref.id


def distinct_channel_id(member_ids: list[R.Id]) -> str:
    """The id of the distinct channel of these members: the same members, the same id, in any order.

    Stream's own derivation is not documented; this one fits its id rules (64 characters of
    `[A-Za-z0-9!_-]`) and starts with `!members-` as Stream's do.
    """
    members = ",".join(sorted({m.root for m in member_ids}))
    digest = base64.urlsafe_b64encode(hashlib.sha256(members.encode()).digest()).decode().rstrip("=")
    return f"!members-{digest}"


def cid_of(channel_type: str, channel_id: str | None, member_ids: list[R.Id] | None) -> str:
    return f"{channel_type}:{channel_id if channel_id else distinct_channel_id(member_ids or [])}"


def _one_of(kind: str, a: str, a_value: object, b: str, b_value: object) -> None:
    if (a_value is None) == (b_value is None):
        raise BadRecord(kind, f"give exactly one of {a} and {b}")


def _known_type(kind: str, channel_type: str) -> None:
    if channel_type not in CHANNEL_TYPES:
        raise BadRecord(
            kind, f"channel type {channel_type!r} is not one Jatte has ({', '.join(CHANNEL_TYPES)})"
        )


def _user_id(kind: str, field: str, ref: str | R.UserRef) -> None:
    user_id = user_id_of(ref)
    if not user_id or len(user_id) > 255:
        raise BadRecord(kind, f"{field}: a user id has 1 to 255 characters")


def check(record: Record) -> None:
    """The rules of Stream's format that the schema cannot state."""
    kind, data = record.kind, record.data
    if kind == "channel":
        _one_of(kind, "id", data.id, "member_ids", data.member_ids)
        _known_type(kind, data.type)
        _user_id(kind, "created_by", data.created_by)
        for ban in data.bans or ():
            if ban.user_id is None:
                raise BadRecord(kind, "bans: each ban needs user_id")
    elif kind == "member":
        _one_of(kind, "channel_id", data.channel_id, "channel_member_ids", data.channel_member_ids)
        _known_type(kind, data.channel_type)
    elif kind == "message":
        _one_of(kind, "channel_id", data.channel_id, "channel_member_ids", data.channel_member_ids)
        _known_type(kind, data.channel_type)
        _user_id(kind, "user", data.user)
        if data.type == R.MessageType.reply and not data.parent_id:
            raise BadRecord(kind, "missing required field parent_id (a reply needs it)")
        if data.type == R.MessageType.deleted and data.deleted_at is None:
            raise BadRecord(kind, "missing required field deleted_at (a deleted message needs it)")
        if data.parent_id is not None and data.parent_id == data.id:
            raise BadRecord(kind, "parent_id: a message cannot reply to itself")
        if data.pinned_at is not None and data.pinned_by_id is None:
            raise BadRecord(kind, "missing required field pinned_by_id (pinned_at needs it)")


# Stream's channel export (v1): one {"channel", "members", "messages"} object per channel.

# Fields of Stream's user objects that describe a moment, not the user: not kept as custom data.
_VOLATILE_USER_FIELDS = frozenset(
    {"online", "last_active", "banned", "ban_expires", "shadow_banned", "total_unread_count", "unread_count"}
)


def _validate(model: type[BaseModel], kind: str, value: Any) -> Any:
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise BadRecord(kind, _reason(error)[1]) from None


class ChannelExport:
    """Turns the parts of Stream's channel export into import records, one channel at a time.

    A message of the export carries its channel only by position (after its `channel`), its users
    as objects, and its reactions embedded: the users become user records (once each), the
    reactions reaction records. Members get a read state at the channel's last message, since the
    export has none (nothing starts unread).
    """

    def __init__(self) -> None:
        self.channel: R.ExportedChannel | None = None
        self._users: set[str] = set()
        self.fewer_reactions = 0  # messages whose reaction_counts exceed the reactions embedded

    def _user(self, line: int, ref: R.UserRef | None) -> list[Record]:
        if ref is None or ref.id in self._users:
            return []
        self._users.add(ref.id)
        extra = {k: v for k, v in (ref.model_extra or {}).items() if k not in _VOLATILE_USER_FIELDS}
        data = _validate(
            R.UserData,
            "user",
            {**extra, "id": ref.id, "name": ref.name, "image": ref.image, "role": ref.role},
        )
        return [Record(line, "user", data)]

    def _current(self, kind: str) -> R.ExportedChannel:
        if self.channel is None:
            raise BadRecord(kind, "the export's members and messages must come after its channel")
        return self.channel

    def on_channel(self, line: int, value: Any) -> list[Record]:
        channel = self.channel = None
        channel = _validate(R.ExportedChannel, "channel", value)
        if channel.created_by is None:
            raise BadRecord("channel", "missing required field created_by")
        fields = channel.model_dump(
            exclude_none=True, exclude={"cid", "member_count", "config", "created_by"}
        )
        data = _validate(R.ChannelData, "channel", {**fields, "created_by": channel.created_by.id})
        record = Record(line, "channel", data)
        check(record)
        self.channel = channel
        return [*self._user(line, channel.created_by), record]

    def on_member(self, line: int, value: Any) -> list[Record]:
        channel = self._current("member")
        member = _validate(R.ExportedMember, "member", value)
        user_id = member.user_id or (member.user.id if member.user else None)
        if user_id is None:
            raise BadRecord("member", "missing required field user_id")
        moderator = (
            member.channel_role == "channel_moderator" or member.is_moderator or member.role == "moderator"
        )
        data = R.MemberData.model_construct(
            user_id=user_id,
            channel_type=channel.type,
            channel_id=channel.id,
            channel_member_ids=None,
            channel_role="channel_moderator" if moderator else "channel_member",
            is_moderator=None,
            last_read=channel.last_message_at,
            last_read_message_id=None,
            banned=member.banned,
            ban_expires=member.ban_expires,
            created_at=member.created_at,
            updated_at=member.updated_at,
        )
        return [*self._user(line, member.user), Record(line, "member", data)]

    def on_message(self, line: int, value: Any) -> list[Record]:
        channel = self._current("message")
        message = _validate(R.ExportedMessage, "message", value)
        found: list[Record] = self._user(line, message.user)
        for user in message.mentioned_users or ():
            found += self._user(line, user)
        found += self._user(line, message.pinned_by)
        kind = message.type if message.type in {"regular", "reply", "deleted", "system"} else "regular"
        fields = message.model_dump(
            exclude_none=True,
            exclude={
                "user",
                "latest_reactions",
                "own_reactions",
                "reaction_counts",
                "reaction_scores",
                "reaction_groups",
                "reply_count",
                "mentioned_users",
                "pinned_by",
                "pinned",
                "cid",
                "thread_participants",
                "quoted_message",
                "deleted_reply_count",
                "i18n",
                "shadowed",
            },
        )
        data = _validate(
            R.MessageData,
            "message",
            {
                **fields,
                "type": kind,
                "channel_type": channel.type,
                "channel_id": channel.id,
                "user": message.user.id,
                "mentioned_users_ids": [u.id for u in message.mentioned_users or ()] or None,
                "pinned_by_id": message.pinned_by.id if message.pinned_by and message.pinned_at else None,
            },
        )
        record = Record(line, "message", data)
        check(record)
        found.append(record)
        seen: set[tuple[str, str]] = set()
        for reaction in [*(message.latest_reactions or ()), *(message.own_reactions or ())]:
            user_id = reaction.user_id or (reaction.user.id if reaction.user else None)
            if user_id is None or (user_id, reaction.type) in seen:
                continue
            seen.add((user_id, reaction.type))
            found += self._user(line, reaction.user)
            created = reaction.created_at or message.created_at
            if created is None:
                continue
            found.append(
                Record(
                    line,
                    "reaction",
                    R.ReactionData.model_construct(
                        message_id=message.id,
                        type=reaction.type,
                        user_id=user_id,
                        score=reaction.score,
                        created_at=created,
                        updated_at=reaction.updated_at,
                    ),
                )
            )
        counted = sum((message.reaction_counts or {}).values())
        if counted > len(seen):
            self.fewer_reactions += 1
        return found
