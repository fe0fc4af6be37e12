"""The conditions a chat operation refuses with, each carrying its stable wire code."""

from __future__ import annotations

from chat.frames import ErrorCode

__all__ = [
    "BadSignature",
    "ChatError",
    "FeatureDisabled",
    "FileTooLarge",
    "FileTypeRefused",
    "IdConflict",
    "InvalidAttachment",
    "InvalidFrame",
    "InvalidParent",
    "InvalidQuote",
    "NotAllowed",
    "NotFound",
    "OriginNotAllowed",
    "SignatureExpired",
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


class InvalidField(ChatError):
    """Raised when a filter, sort or data field is unknown, reserved, or has a value it cannot take."""

    code = ErrorCode.invalid_field


class CustomDataTooLarge(ChatError):
    """Raised when a channel's custom fields are over 5 KiB as JSON (Stream's limit)."""

    code = ErrorCode.custom_data_too_large


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


class InvalidAttachment(ChatError):
    """Raised when an attachment names an upload of another channel or user, or one already attached."""

    code = ErrorCode.invalid_attachment


class FileTooLarge(ChatError):
    """Raised when an upload is larger than JATTE_UPLOAD_MAX_BYTES (HTTP 413)."""

    code = ErrorCode.file_too_large


class FileTypeRefused(ChatError):
    """Raised when an upload is not an allowed image, or has a blocked extension (HTTP 415)."""

    code = ErrorCode.file_type_not_allowed


class OriginNotAllowed(ChatError):
    """Raised when a browser's request comes from an origin ALLOWED_ORIGINS does not list (HTTP 403)."""

    code = ErrorCode.origin_not_allowed


class BadSignature(ChatError):
    """Raised when a file URL is unsigned or its signature does not match it (HTTP 403)."""

    code = ErrorCode.invalid_signature


class SignatureExpired(ChatError):
    """Raised when a file URL's signature is right but its expiry has passed (HTTP 403)."""

    code = ErrorCode.signature_expired


class TokenRefused(Exception):
    """Raised when a connect token is missing, malformed, expired, wrongly signed or for another audience."""


class TokenExpired(TokenRefused):
    """Raised when a token was valid but its `exp` has passed: a fresh token will do."""


class UserDeactivated(TokenRefused):
    """Raised when a token signs in a user an operator has deactivated."""
