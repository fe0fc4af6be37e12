"""The server's own health.check on every socket, every JATTE_HEARTBEAT_SECONDS (25 s).

A quiet channel sends nothing, so without it a client could not tell a quiet server from a dead one:
Stream's SDK, and the shim, reconnect after 35 s without any frame. One task per process walks
the sockets; a socket costs one set entry, not a timer of its own.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Protocol

from django.conf import settings

__all__ = ["Heartbeat", "get_heartbeat"]


class Beating(Protocol):
    def beat(self) -> None:
        """Queues a health.check for the socket."""


class Heartbeat:
    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._sockets: set[Beating] = set()
        self._task: asyncio.Task[None] | None = None

    def add(self, socket: Beating) -> None:
        self._sockets.add(socket)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    def discard(self, socket: Beating) -> None:
        self._sockets.discard(socket)

    async def _run(self) -> None:
        while self._sockets:
            await asyncio.sleep(self.interval)
            for socket in list(self._sockets):
                socket.beat()


_heartbeats: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Heartbeat] = weakref.WeakKeyDictionary()


def get_heartbeat() -> Heartbeat:
    """The heartbeat of the running event loop."""
    loop = asyncio.get_running_loop()
    heartbeat = _heartbeats.get(loop)
    if heartbeat is None:
        heartbeat = _heartbeats[loop] = Heartbeat(settings.JATTE_HEARTBEAT_SECONDS)
    return heartbeat
