"""The conditions a chat operation refuses with, each carrying its stable wire code."""

from __future__ import annotations

from chat.frames import ErrorCode

__all__ = [
    "ChatError",
    "FeatureDisabled",
    "IdConflict",
    "InvalidFrame",
    "InvalidParent",
    "InvalidQuote",
    "NotAllowed",
    "NotFound",
    "TokenExpired",
    "TokenRefused",
    "UnknownChannelType",
    "UserDeactivated",
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
    """Raised when the user lacks the capability: not a member, not a moderator, or banned."""

    code = ErrorCode.not_allowed


class NotFound(ChatError):
    """Raised when a referenced message, reaction or user does not exist."""

    code = ErrorCode.not_found


class InvalidParent(ChatError):
    """Raised when a reply's parent is itself a reply, or is in another channel."""

    code = ErrorCode.invalid_parent


class InvalidQuote(ChatError):
    """Raised when a quoted message is in another channel."""

    code = ErrorCode.invalid_quote


class FeatureDisabled(ChatError):
    """Raised when the channel type's config turns the feature off (reactions, replies, quotes, ...)."""

    code = ErrorCode.feature_disabled


class IdConflict(ChatError):
    """Raised when a client-chosen message id is already used by another user or channel."""

    code = ErrorCode.id_conflict


class TokenRefused(Exception):
    """Raised when a connect token is missing, malformed, expired, wrongly signed or for another audience."""


class TokenExpired(TokenRefused):
    """Raised when a token was valid but its `exp` has passed: a fresh token will do."""


class UserDeactivated(TokenRefused):
    """Raised when a token signs in a user an operator has deactivated."""
