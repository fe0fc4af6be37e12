"""HTTP endpoints beside the socket: a health probe, uploads and files, and, in development only,
demo tokens. Each is a thin transport: the work is in chat.services (uploads) and chat.file_urls.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.files import File
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_safe

from chat.auth import authenticate, mint_token
from chat.bodies import LimitedUpload, cors_headers
from chat.exceptions import ChatError, OriginNotAllowed, TokenExpired, TokenRefused
from chat.frames import ErrorCode
from chat.models import Upload
from chat.origins import origin_allowed
from chat.services import uploads

__all__ = ["HTTP_STATUS", "dev_token", "healthz", "serve_file", "upload_file", "upload_image"]

# The HTTP status of each refusal an HTTP endpoint answers (the body is {code, message}).
HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.invalid_field: 400,
    ErrorCode.invalid_cid: 400,
    ErrorCode.unauthenticated: 401,
    ErrorCode.token_expired: 401,
    ErrorCode.not_allowed: 403,
    ErrorCode.feature_disabled: 403,
    ErrorCode.origin_not_allowed: 403,
    ErrorCode.invalid_signature: 403,
    ErrorCode.signature_expired: 403,
    ErrorCode.not_found: 404,
    ErrorCode.unknown_channel_type: 404,
    ErrorCode.file_too_large: 413,
    ErrorCode.file_type_not_allowed: 415,
}
_CHANNEL_TYPE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CHANNEL_ID = re.compile(r"^[A-Za-z0-9!_-]{1,64}$")

_DEV_USER_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Answers a load balancer or a test waiting for the server."""
    return JsonResponse({"ok": True})


@require_GET
def dev_token(request: HttpRequest) -> HttpResponse:
    """Signs a token for a demo user. Routed only when DJANGO_DEBUG is on."""
    user_id = request.GET.get("user_id", "")
    if not _DEV_USER_ID.match(user_id):
        response: HttpResponse = JsonResponse({"error": "user_id must match [A-Za-z0-9_-]{1,64}"}, status=400)
    else:
        name = request.GET.get("name", "")[:255] or user_id
        response = JsonResponse({"token": mint_token(user_id, name), "user": {"id": user_id, "name": name}})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _refusal(error: ChatError) -> JsonResponse:
    return JsonResponse(
        {"code": error.code.value, "message": error.message}, status=HTTP_STATUS.get(error.code, 400)
    )


def _token(request: HttpRequest) -> str | None:
    """The token in `Authorization`: raw, as Stream's SDK sends it, or as `Bearer <jwt>`."""
    header = request.headers.get("Authorization", "").strip()
    if header[:7].lower() == "bearer ":
        header = header[7:].strip()
    return header or None


def _upload(request: HttpRequest, channel_type: str, channel_id: str, kind: str) -> HttpResponse:
    origin = request.headers.get("Origin")
    if origin is not None and not origin_allowed(origin):
        return _refusal(OriginNotAllowed(f"origin {origin[:80]!r} is not allowed (ALLOWED_ORIGINS)"))
    response: HttpResponse
    if request.method == "OPTIONS":  # the preflight of a cross-origin POST with Authorization
        response = HttpResponse(status=204)
    elif request.method != "POST":
        response = JsonResponse(
            {"code": ErrorCode.invalid_field.value, "message": "POST the file as multipart/form-data"},
            status=405,
        )
        response["Allow"] = "POST, OPTIONS"
    else:
        response = _store(request, channel_type, channel_id, kind)
    for name, value in cors_headers(origin).items():
        response[name] = value
    return response


def _store(request: HttpRequest, channel_type: str, channel_id: str, kind: str) -> HttpResponse:
    if not (_CHANNEL_TYPE.match(channel_type) and _CHANNEL_ID.match(channel_id)):
        return _refusal(ChatError("not a channel type and id", ErrorCode.invalid_cid))
    try:
        actor = authenticate(_token(request))
    except TokenExpired as refusal:
        return _refusal(ChatError(str(refusal), ErrorCode.token_expired))
    except TokenRefused as refusal:
        return _refusal(ChatError(str(refusal), ErrorCode.unauthenticated))

    def read() -> File[Any] | None:
        request.upload_handlers = [LimitedUpload(settings.JATTE_UPLOAD_MAX_BYTES, request)]
        file: File[Any] | None = request.FILES.get("file")
        return file

    base_url = settings.JATTE_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
    try:
        answer = uploads.upload(actor, f"{channel_type}:{channel_id}", kind, read, base_url)
    except ChatError as refusal:
        return _refusal(refusal)
    return JsonResponse(answer.model_dump(mode="json", exclude_none=True))


@csrf_exempt  # the token is a header, never a cookie: there is no session to forge a request with
def upload_image(request: HttpRequest, channel_type: str, channel_id: str) -> HttpResponse:
    """`POST /api/channels/{type}/{id}/image`: Stream's channel.sendImage."""
    return _upload(request, channel_type, channel_id, Upload.Kind.IMAGE)


@csrf_exempt
def upload_file(request: HttpRequest, channel_type: str, channel_id: str) -> HttpResponse:
    """`POST /api/channels/{type}/{id}/file`: Stream's channel.sendFile."""
    return _upload(request, channel_type, channel_id, Upload.Kind.FILE)


@require_safe
def serve_file(request: HttpRequest, upload_id: str, variant: str, name: str) -> HttpResponseBase:
    """`GET /api/files/{upload}/{variant}/{name}?expires=…&signature=…`: a file a message carries.

    Served with the type it was stored with and `nosniff`; anything but an allowed image is a
    download (`Content-Disposition: attachment`), and nothing served may run script here (CSP).
    """
    try:
        served = uploads.open_file(
            upload_id, variant, request.GET.get("expires"), request.GET.get("signature")
        )
    except ChatError as refusal:
        response: HttpResponseBase = _refusal(refusal)
    else:
        response = FileResponse(
            served.file,
            content_type=served.content_type,
            as_attachment=not served.inline,
            filename=served.filename,
        )
        response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
