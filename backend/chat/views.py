"""HTTP endpoints beside the socket: a health probe and, in development only, demo tokens."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from chat.auth import mint_token

__all__ = ["dev_token", "healthz"]

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
