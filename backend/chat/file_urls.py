"""Signed file URLs: the only way to fetch an uploaded file (SECURITY.md, "Files").

A file's URL is `<base>/api/files/<upload id>/<variant>/<name>`; it is served only with
`?expires=<UNIX time>&signature=<HMAC>`, the HMAC-SHA256 (keyed from SECRET_KEY) of the upload id,
the variant and the expiry. Messages store their attachments' URLs unsigned; every answer that
carries a message signs them afresh (chat.shapes), so only those who can read the message get a
URL that works, and only for JATTE_FILE_URL_TTL seconds. Expiries are rounded up to the hour, so a
message's URLs stay the same for an hour and a browser may cache what it fetched.
"""

from __future__ import annotations

import hmac
import math
import re
import time
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.utils.crypto import salted_hmac

from chat.exceptions import BadSignature, SignatureExpired

__all__ = [
    "ROUNDING",
    "URL_FIELDS",
    "VARIANTS",
    "file_path",
    "parse",
    "sign",
    "signed_attachment",
    "unsigned",
    "verify",
]

URL_FIELDS = ("image_url", "asset_url", "thumb_url")  # the attachment fields that may name a file
VARIANTS = ("original", "thumb")
ROUNDING = 3600  # seconds expiries are rounded up to
_PATH = re.compile(r"^/api/files/(?P<id>[0-9a-f]{32})/(?P<variant>original|thumb)/[^/]+$")
_SALT = "jatte.files"


def file_path(upload_id: str, variant: str, name: str) -> str:
    """The path a file is served at (unsigned)."""
    return f"/api/files/{upload_id}/{variant}/{name}"


def parse(url: str) -> tuple[str, str] | None:
    """The (upload id, variant) a URL names, or None when it names no file of this server's."""
    found = _PATH.match(urlsplit(url).path)
    return (found["id"], found["variant"]) if found else None


def _signature(upload_id: str, variant: str, expires: int) -> str:
    return salted_hmac(_SALT, f"{upload_id}/{variant}/{expires}", algorithm="sha256").hexdigest()


def unsigned(url: str) -> str:
    """The URL without its query (what a message stores)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def sign(url: str, now: float | None = None) -> str:
    """The URL with a fresh expiry and signature; a URL that names no file comes back as it was."""
    named = parse(url)
    if named is None:
        return url
    ttl: int = settings.JATTE_FILE_URL_TTL
    expires = math.ceil(((now if now is not None else time.time()) + ttl) / ROUNDING) * ROUNDING
    query = urlencode({"expires": expires, "signature": _signature(*named, expires)})
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def verify(upload_id: str, variant: str, expires: str | None, signature: str | None) -> None:
    """Refuses a request for a file unless its signature is this server's and has not expired."""
    if not expires or not signature:
        raise BadSignature("this file URL is not signed: use the URL a message carries")
    try:
        when = int(expires)
    except ValueError:
        raise BadSignature("this file URL's expiry is not a number") from None
    if not hmac.compare_digest(_signature(upload_id, variant, when), signature):
        raise BadSignature("this file URL's signature does not match it")
    if when < time.time():
        raise SignatureExpired("this file URL has expired: fetch the message again for a fresh one")


def signed_attachment(attachment: dict[str, Any], now: float | None = None) -> dict[str, Any]:
    """The stored attachment with each file URL signed afresh."""
    if not any(isinstance(attachment.get(f), str) and "/api/files/" in attachment[f] for f in URL_FIELDS):
        return attachment
    copy = dict(attachment)
    for field in URL_FIELDS:
        value = copy.get(field)
        if isinstance(value, str):
            copy[field] = sign(value, now)
    return copy
