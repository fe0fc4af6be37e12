"""What processes sharing one Redis agree on: key names under a prefix, and which of them are alive.

Every key starts with JATTE_REDIS_PREFIX, so two deployments on one Redis never meet. What a
process counts in Redis (its watchers of a channel, its sockets of a user) is filed under its id,
and counted only while `<prefix>:alive:<id>` exists: the process refreshes that key, which expires
JATTE_REDIS_TTL after its last refresh, so a crashed process inflates nothing for longer.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import Awaitable, Callable

from django.conf import settings

__all__ = ["COUNT_LIVE", "KeepAlive", "new_process_id", "ttl_ms"]


def new_process_id() -> str:
    """An id unique among all processes on a Redis, restarts included."""
    return f"{socket.gethostname()}.{os.getpid()}.{uuid.uuid4().hex[:8]}"


# KEYS[1]: a hash {process id: count}. ARGV[1]: the prefix of alive keys (`<prefix>:alive:`).
# The sum over live processes; the dead ones' fields are removed. One round trip.
COUNT_LIVE = """
local entries = redis.call('HGETALL', KEYS[1])
local total = 0
for i = 1, #entries, 2 do
  if redis.call('EXISTS', ARGV[1] .. entries[i]) == 1 then
    total = total + tonumber(entries[i + 1])
  else
    redis.call('HDEL', KEYS[1], entries[i])
  end
end
return total
"""


def ttl_ms() -> int:
    """An alive key's lifetime in milliseconds (JATTE_REDIS_TTL)."""
    return max(1, int(settings.JATTE_REDIS_TTL * 1000))


class KeepAlive:
    """Calls `refresh` (which sets the process's alive key) every third of JATTE_REDIS_TTL while
    `holding()` says the process holds sockets; `start` again once a socket arrives after it
    stopped. `refresh` handles its own failures: the next round tries again."""

    def __init__(self, refresh: Callable[[], Awaitable[None]], holding: Callable[[], bool]) -> None:
        self._refresh = refresh
        self._holding = holding
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while self._holding():
            await asyncio.sleep(settings.JATTE_REDIS_TTL / 3)
            await self._refresh()
