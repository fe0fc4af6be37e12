"""Upload bodies held to JATTE_UPLOAD_MAX_BYTES while they stream in, never after.

Django's ASGI handler reads a request's whole body (into a temporary file) before any view runs,
so a limit checked in the view would come after a body of any size had been received. Two guards
(and under daphne, whose Twisted reads a whole body before the app starts, a third in jatte.serve):

- `UploadBodyLimit`, around the ASGI app: on the upload endpoints it answers 413 at once when the
  declared Content-Length is over the limit, and otherwise counts the bytes as they arrive and
  answers 413 as soon as they pass it (a chunked body declares no length), reading no further.
- `LimitedUpload`, the view's upload handler: Django's temporary-file handler (to disk, never in
  memory) that stops at the file's own limit, whatever the multipart around it weighs.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from chat.exceptions import FileTooLarge
from chat.frames import ErrorCode
from chat.origins import origin_allowed

__all__ = [
    "MULTIPART_SLACK",
    "UPLOAD_PATH",
    "LimitedUpload",
    "UploadBodyLimit",
    "allowance",
    "cors_headers",
    "too_large",
]

UPLOAD_PATH = re.compile(r"^/api/channels/[^/]+/[^/]+/(image|file)/?$")
MULTIPART_SLACK = 64 * 1024  # what a multipart body may weigh beyond its file (boundaries, headers)


def cors_headers(origin: str | None) -> dict[str, str]:
    """The CORS headers that let a page from `origin` read the answer: only an allowed origin."""
    if origin is None or not origin_allowed(origin):
        return {"Vary": "Origin"}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "POST, OPTIONS",
        "Access-Control-Allow-Headers": "Authorization, Content-Type, Stream-Auth-Type, X-Stream-Client",
        "Access-Control-Max-Age": "600",
        "Vary": "Origin",
    }


class _Overflow(Exception):
    """Raised inside the app when the body has passed the limit."""


class UploadBodyLimit:
    """Answers 413 for an upload body over the limit, without reading more of it than the limit."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        allowed = allowance(scope.get("method", ""), scope["path"]) if scope["type"] == "http" else None
        if allowed is None:
            await self.app(scope, receive, send)
            return
        headers = {name.lower(): value for name, value in scope.get("headers", [])}
        declared = headers.get(b"content-length", b"").decode("latin-1").strip()
        if declared.isdigit() and int(declared) > allowed:
            await _too_large(send, headers)
            return
        received = 0

        async def counted() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > allowed:
                    raise _Overflow
            return message

        try:
            await self.app(scope, counted, send)
        except _Overflow:  # raised while Django read the body: nothing was sent yet
            await _too_large(send, headers)


def allowance(method: str, path: str) -> int | None:
    """The bytes a request body may have when it is an upload, else None (no limit here)."""
    if method != "POST" or not UPLOAD_PATH.match(path):
        return None
    limit: int = settings.JATTE_UPLOAD_MAX_BYTES
    return limit + MULTIPART_SLACK


def too_large(origin: str | None) -> tuple[list[tuple[bytes, bytes]], bytes]:
    """The headers and body of the 413 answer (readable by a page from an allowed origin)."""
    limit: int = settings.JATTE_UPLOAD_MAX_BYTES
    body = json.dumps(
        {"code": ErrorCode.file_too_large.value, "message": f"the upload is over the {limit}-byte limit"}
    ).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *((k.lower().encode(), v.encode()) for k, v in cors_headers(origin).items()),
    ]
    return headers, body


async def _too_large(send: Any, headers: dict[bytes, bytes]) -> None:
    origin = headers[b"origin"].decode("latin-1") if b"origin" in headers else None
    response_headers, body = too_large(origin)
    await send({"type": "http.response.start", "status": 413, "headers": response_headers})
    await send({"type": "http.response.body", "body": body})


class LimitedUpload(TemporaryFileUploadHandler):
    """Django's temporary-file upload handler, stopping with FileTooLarge past `limit` bytes."""

    def __init__(self, limit: int, request: Any = None) -> None:
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > self.limit:
            self.file.close()
            raise FileTooLarge(f"the file is over the {self.limit}-byte limit")
        result: bytes | None = super().receive_data_chunk(raw_data, start)
        return result
