"""The conditions a chat operation refuses with, each carrying its stable wire code."""

from __future__ import annotations

from chat.frames import ErrorCode

__all__ = [
    "ChatError",
    "IdConflict",
    "InvalidFrame",
    "NotAllowed",
    "NotFound",
    "TokenRefused",
    "UnknownChannelType",
]


class ChatError(Exception):
    """Raised when a frame is refused; the transport answers it with an `error` frame."""

    code: ErrorCode = ErrorCode.internal_error

    def __init__(self, message: str, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidFrame(ChatError):
    """Raised when a frame is not valid against the schema (the code says which way)."""

    code = ErrorCode.invalid_frame


class UnknownChannelType(ChatError):
    """Raised when a cid names a channel type this server does not have."""

    code = ErrorCode.unknown_channel_type


class NotAllowed(ChatError):
    """Raised when the user may not act on the channel (not a member of a members-only channel)."""

    code = ErrorCode.not_allowed


class NotFound(ChatError):
    """Raised when a referenced message does not exist in the channel."""

    code = ErrorCode.not_found


class IdConflict(ChatError):
    """Raised when a client-chosen message id is already used by another user or channel."""

    code = ErrorCode.id_conflict


class TokenRefused(Exception):
    """Raised when a connect token is missing, malformed, expired, wrongly signed or for another audience."""
