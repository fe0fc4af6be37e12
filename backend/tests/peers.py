"""Test sockets on real backend processes: a user's socket that records every frame it receives."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import websockets
from websockets.asyncio.client import ClientConnection

from chat.auth import mint_token

from .servers import BackendProcess

__all__ = ["Peer", "connect_peer", "until", "watch"]


@dataclass
class Peer:
    """A user's socket on one process, recording every frame it receives."""

    user: str
    socket: ClientConnection
    frames: list[dict[str, Any]] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    async def _read(self) -> None:
        async for text in self.socket:
            self.frames.append(json.loads(text))

    def start(self) -> Peer:
        self.reader = asyncio.create_task(self._read())
        return self

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
        await self.socket.close()

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [frame for frame in self.frames if frame["type"] == kind]

    def texts_from(self, sender: str, cid: str) -> list[str]:
        return [
            frame["message"]["text"]
            for frame in self.of_type("message.new")
            if frame["cid"] == cid and frame["user"]["id"] == sender
        ]

    async def answer(self, request_id: str) -> dict[str, Any]:
        """The frame answering `request_id` (waits for it)."""
        for _ in range(200):
            for frame in self.frames:
                if frame.get("request_id") == request_id:
                    return frame
            await asyncio.sleep(0.025)
        raise AssertionError(f"{self.user}: no answer to {request_id!r}; got {self.frames[-3:]}")


async def connect_peer(backend: BackendProcess, user: str, token: str | None = None) -> Peer:
    socket = await websockets.connect(
        f"{backend.ws_url}?token={token or mint_token(user, user.title())}", max_size=None
    )
    hello = json.loads(await socket.recv())
    assert hello["type"] == "health.check" and hello["me"]["id"] == user, hello
    return Peer(user, socket).start()


async def watch(peer: Peer, cid: str, **extra: Any) -> dict[str, Any]:
    request_id = f"watch-{uuid.uuid4().hex[:6]}"
    await peer.socket.send(
        json.dumps({"type": "channel.watch", "cid": cid, "request_id": request_id, **extra})
    )
    state = await peer.answer(request_id)
    assert state["type"] == "channel.state", state
    return state


async def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.05)
