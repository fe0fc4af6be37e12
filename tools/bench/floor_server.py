"""The floor: a bare `websockets` broadcast server speaking just enough of Jatte's frames.

It checks the token's signature, answers `channel.watch` with `channel.state` (the channel's latest
messages, kept in memory), and answers `message.new` by broadcasting Stream's `message.new` event to
every socket watching the channel (serialised once) and replying `message.sent`. Nothing is stored
on disk and nothing is validated beyond what the frames need: it is what one Python process on this
machine can do at best, the yardstick the other servers are measured against.

Usage: python tools/bench/floor_server.py --port 8765 [--secret S]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import uuid
from collections import deque
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from websockets.asyncio.server import ServerConnection, broadcast, serve

__all__ = ["main"]

DEV_JWT_SECRET = "jatte-dev-secret-change-me-0123456789abcdef-0123456789abcdef-0123"
HISTORY = 50  # messages kept per channel for channel.state


class Floor:
    """Channels as sets of sockets, history as bounded deques."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.watchers: dict[str, set[ServerConnection]] = {}
        self.history: dict[str, deque[dict[str, Any]]] = {}

    async def handle(self, socket: ServerConnection) -> None:
        query = parse_qs(urlsplit(socket.request.path if socket.request else "").query)
        try:
            claims = jwt.decode(
                query.get("token", [""])[0], self.secret, algorithms=["HS256"], audience="authenticated"
            )
        except jwt.PyJWTError as refusal:
            await socket.close(4001, str(refusal)[:120])
            return
        user = {"id": claims["sub"], "name": (claims.get("user_metadata") or {}).get("name") or claims["sub"]}
        watching: set[str] = set()
        await socket.send(
            json.dumps(
                {
                    "type": "health.check",
                    "connection_id": uuid.uuid4().hex,
                    "cid": "*",
                    "me": {**user, "role": "user", "mutes": [], "channel_mutes": [], "unread_count": 0},
                    "created_at": _now(),
                }
            )
        )
        try:
            async for text in socket:
                frame = json.loads(text)
                kind = frame.get("type")
                if kind == "channel.watch":
                    cid = frame["cid"]
                    self.watchers.setdefault(cid, set()).add(socket)
                    watching.add(cid)
                    await socket.send(json.dumps(self._state(cid, frame.get("request_id"))))
                elif kind == "message.new":
                    await self._message_new(socket, user, frame)
                elif kind == "health.check":
                    await socket.send(
                        json.dumps({"type": "health.check", "request_id": frame.get("request_id")})
                    )
        finally:
            for cid in watching:
                self.watchers[cid].discard(socket)

    def _state(self, cid: str, request_id: str | None) -> dict[str, Any]:
        kind, _, channel_id = cid.partition(":")
        return {
            "type": "channel.state",
            "request_id": request_id,
            "cid": cid,
            "channel": {"id": channel_id, "type": kind, "cid": cid},
            "messages": list(self.history.get(cid, ())),
            "pinned_messages": [],
            "members": [],
            "read": [],
            "watcher_count": len(self.watchers.get(cid, ())),
        }

    async def _message_new(
        self, socket: ServerConnection, user: dict[str, str], frame: dict[str, Any]
    ) -> None:
        cid, now = frame["cid"], _now()
        kind, _, channel_id = cid.partition(":")
        message = {
            "id": frame.get("id") or uuid.uuid4().hex,
            "text": frame["text"],
            "type": "regular",
            "user": user,
            "cid": cid,
            "created_at": now,
            "updated_at": now,
        }
        self.history.setdefault(cid, deque(maxlen=HISTORY)).append(message)
        event = {
            "type": "message.new",
            "cid": cid,
            "channel_type": kind,
            "channel_id": channel_id,
            "message_id": message["id"],
            "message": message,
            "user": user,
            "created_at": now,
        }
        broadcast(self.watchers.get(cid, ()), json.dumps(event))
        if frame.get("request_id") is not None:
            sent = {"type": "message.sent", "request_id": frame["request_id"], "cid": cid, "message": message}
            await socket.send(json.dumps({**sent, "duplicate": False}))


def _now() -> str:
    return datetime.now(UTC).isoformat()


async def _serve(host: str, port: int, secret: str) -> None:
    floor = Floor(secret)
    # No compression, no size games: the minimum a Python WebSocket server does per frame.
    async with serve(floor.handle, host, port, compression=None, max_size=1024 * 1024, max_queue=None):
        await asyncio.Future()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--secret", default=os.environ.get("SUPABASE_JWT_SECRET", DEV_JWT_SECRET))
    args = parser.parse_args()
    try:
        import uvloop  # the fastest event loop Python has here; uvicorn runs on it too
    except ImportError:
        asyncio.run(_serve(args.host, args.port, args.secret))
    else:
        uvloop.run(_serve(args.host, args.port, args.secret))


if __name__ == "__main__":
    main()
