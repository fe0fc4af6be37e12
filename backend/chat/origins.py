"""Which web pages may open a socket: browsers from ALLOWED_ORIGINS, and clients that are not browsers.

Channels' OriginValidator with two changes. A handshake without an `Origin` header passes: every
browser sends one, so its absence means a server, a native app or a script, which could send any
Origin it liked anyway. A refused browser is accepted and then closed with 4003, which the page
can read (a refused handshake looks like a network failure, and the shim would retry forever).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.security.websocket import OriginValidator
from django.conf import settings

from chat.frames import CloseCode

__all__ = ["OriginGate", "OriginRefused", "origin_allowed"]


class OriginRefused(AsyncWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    """Closes the socket of a page whose origin is not allowed, with 4003 and the origin named."""

    async def connect(self) -> None:
        origin = _origin_header(self.scope) or ""
        await self.accept()
        reason = f"origin {origin[:80]!r} is not allowed"
        await self.close(
            code=int(CloseCode.FORBIDDEN_ORIGIN), reason=reason.encode()[:123].decode(errors="ignore")
        )


class OriginGate(OriginValidator):  # type: ignore[misc]  # channels ships no type hints
    """Passes sockets without an Origin and from settings.ALLOWED_ORIGINS; closes the rest with 4003."""

    def __init__(self, application: Any) -> None:
        super().__init__(application, allowed_origins=[])

    @property  # read at each handshake, so a changed setting applies at once
    def allowed_origins(self) -> list[str]:
        origins: list[str] = settings.ALLOWED_ORIGINS
        return origins

    @allowed_origins.setter
    def allowed_origins(self, value: list[str]) -> None:
        pass  # OriginValidator.__init__ assigns it; the setting is the one source

    def _allows(self, origin: str) -> bool:
        try:
            allowed: bool = self.valid_origin(urlparse(origin))
        except ValueError:  # an unbalanced `[` in the host, a port that is not a number
            return False
        return allowed

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        header = _origin_header(scope)
        if header is None or self._allows(header):
            await self.application(scope, receive, send)
        else:
            await OriginRefused()(scope, receive, send)


def origin_allowed(origin: str) -> bool:
    """Whether a browser page from `origin` may use this server (the socket's rule, for HTTP too)."""
    gate: bool = OriginGate(None)._allows(origin)
    return gate


def _origin_header(scope: dict[str, Any]) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"origin":
            text: str = value.decode("latin-1")
            return text
    return None
