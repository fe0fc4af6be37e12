"""Parsing client frames at the boundary: text in, a generated ClientFrame model or a coded refusal out."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from chat import frames
from chat.exceptions import InvalidFrame
from chat.frames import ErrorCode
from chat.text import nul_replaced

__all__ = [
    "MAX_FRAME_BYTES",
    "ClientFrameModel",
    "parse_client_frame",
    "request_id_of",
    "to_text",
]

MAX_FRAME_BYTES = 1024 * 1024  # a larger frame closes the socket with 1009 (CloseCode.MESSAGE_TOO_BIG)

ClientFrameModel = (
    frames.ClientHealthCheck
    | frames.ChannelWatch
    | frames.ChannelStopWatching
    | frames.ClientMessageNew
    | frames.ClientTypingStart
    | frames.ClientTypingStop
    | frames.ClientMessageRead
    | frames.MessageUpdate
    | frames.MessageDelete
    | frames.ReactionSend
    | frames.ReactionDelete
    | frames.MessageGetReplies
    | frames.MessagePin
    | frames.MessageFlag
    | frames.UserMute
    | frames.UserUnmute
    | frames.UserBan
    | frames.UserUnban
    | frames.ChannelsQuery
    | frames.UnreadGet
    | frames.ChannelUpdate
    | frames.ChannelDelete
    | frames.ChannelMembersAdd
    | frames.ChannelMembersRemove
    | frames.ChannelModeratorsAdd
    | frames.MessageUnread
    | frames.MembersQuery
    | frames.UsersQuery
    | frames.MessagesSearch
)


def parse_client_frame(text: str) -> ClientFrameModel:
    """Validates one client frame against the schema's ClientFrame union (U+0000 in its strings
    taken as U+FFFD: chat.text)."""
    try:
        return frames.ClientFrame.model_validate_json(_nul_replaced(text)).root
    except ValidationError as exc:
        raise _refusal(exc) from None


def _nul_replaced(text: str) -> str:
    """The frame with U+FFFD for U+0000 in its strings but its request_id, which its answer carries
    back as it came (chat.text: no database stores U+0000)."""
    if "\\u0000" not in text:
        return text
    try:
        value = json.loads(text)
        cleaned = nul_replaced(value) if isinstance(value, dict) else None
    except (ValueError, RecursionError):
        return text  # the parse refuses it (invalid JSON, nested too deep)
    if cleaned is None:
        return text
    if "request_id" in value:
        cleaned["request_id"] = value["request_id"]
    return json.dumps(cleaned)


def _refusal(exc: ValidationError) -> InvalidFrame:
    error = exc.errors(include_url=False)[0]
    kind, loc = error["type"], tuple(str(part) for part in error["loc"])
    field = loc[-1] if loc else ""
    if kind == "json_invalid":
        return InvalidFrame(f"frame is not valid JSON: {error['msg']}", ErrorCode.invalid_json)
    if not loc and kind in {"model_attributes_type", "model_type", "dict_type"}:
        return InvalidFrame("frame must be a JSON object", ErrorCode.invalid_frame)
    if kind == "union_tag_not_found":
        return InvalidFrame("frame has no string `type`", ErrorCode.invalid_frame)
    if kind == "union_tag_invalid":
        tag = error.get("ctx", {}).get("tag", "")
        return InvalidFrame(f"unknown frame type {tag!r}", ErrorCode.unknown_type)
    # loc is (tag, field, ...): name the field without the tag
    where = ".".join(loc[1:]) or "frame"
    if kind == "extra_forbidden":  # before the cid rule: a frame without a cid may be sent one
        return InvalidFrame(f"field `{where}` is not allowed here", ErrorCode.invalid_field)
    if field == "cid":
        return InvalidFrame(
            "cid must be `type:id` with type [A-Za-z0-9_-] and id [A-Za-z0-9!_-], at most 64 characters each",
            ErrorCode.invalid_cid,
        )
    if loc and loc[0] in {"reaction.send", "reaction.delete"} and field in {"type", "reaction_type"}:
        if kind == "string_too_long":
            return InvalidFrame("reaction type is over 30 characters", ErrorCode.invalid_frame)
    if field == "text" and kind == "string_too_short":
        return InvalidFrame("message text is empty", ErrorCode.empty_text)
    if field == "text" and kind == "string_too_long":
        return InvalidFrame("message text is over 5,000 characters", ErrorCode.message_too_long)
    if kind == "missing":
        return InvalidFrame(f"field `{where}` is required", ErrorCode.invalid_field)
    return InvalidFrame(f"field `{where}`: {error['msg']}", ErrorCode.invalid_field)


def request_id_of(text: str) -> str | None:
    """The request_id of a refused frame, when it has a usable one (only ever called on errors)."""
    try:
        data: Any = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python's parser goes
        return None
    value = data.get("request_id") if isinstance(data, dict) else None
    if not (isinstance(value, str) and 0 < len(value) <= 64):
        return None
    try:
        value.encode()
    except UnicodeEncodeError:  # a lone surrogate: JSON can escape one, but no reply can carry it
        return None
    return value


def to_text(frame: frames.ServerFrame | Any) -> str:
    """Serialises a server frame once, leaving out absent optional fields."""
    text: str = frame.model_dump_json(exclude_none=True)
    return text
