"""Who is online: a user is while any socket of theirs is open, on any process.

Without Redis the sockets are counted per process. With REDIS_URL each user's sockets are a Redis
hash {connection id: process id}, counted only for live processes (chat.cluster), so a user with
a socket on each of two processes stays online until both close. `arrive` and `leave` answer
whether the user's presence changed, decided atomically in Redis, so a change is announced once
per user, whichever process saw it, not once per socket. While Redis is unreachable each process
counts its own sockets. A process that crashes takes its sockets' presence with it once its alive
key lapses (JATTE_REDIS_TTL), but nobody announces that those users went offline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Iterable
from typing import TypeVar

from django.conf import settings
from redis.exceptions import RedisError

from chat.cluster import KeepAlive, new_process_id, ttl_ms

__all__ = ["PRESENCE_GROUP", "Presence", "RedisPresence", "get_presence"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

PRESENCE_GROUP = "chat.presence"  # sockets that follow someone's presence (chat.fanout.notify)
REDIS_PRESENCE_TIMEOUT = 0.5  # seconds a presence call may wait on Redis

# KEYS[1]: the user's sockets {connection id: process id}. ARGV: connection id, process id, the
# alive-key prefix, the alive key's lifetime (ms). Adds the socket; returns how many live sockets
# the user had before (0: the user just came online). Dead processes' entries are dropped.
ARRIVE = """
redis.call('SET', ARGV[3] .. ARGV[2], 1, 'PX', ARGV[4])
local entries = redis.call('HGETALL', KEYS[1])
local live = 0
for i = 1, #entries, 2 do
  if entries[i] ~= ARGV[1] then
    if redis.call('EXISTS', ARGV[3] .. entries[i + 1]) == 1 then
      live = live + 1
    else
      redis.call('HDEL', KEYS[1], entries[i])
    end
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return live
"""

# KEYS[1]: the user's sockets. ARGV: connection id, the alive-key prefix. Removes the socket;
# returns -1 when it was not there, else how many live sockets the user still has (0: offline).
LEAVE = """
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
if removed == 0 then
  return -1
end
local entries = redis.call('HGETALL', KEYS[1])
local live = 0
for i = 1, #entries, 2 do
  if redis.call('EXISTS', ARGV[2] .. entries[i + 1]) == 1 then
    live = live + 1
  else
    redis.call('HDEL', KEYS[1], entries[i])
  end
end
return live
"""

# KEYS: users' socket hashes. ARGV[1]: the alive-key prefix. For each user, 1 when online.
ONLINE = """
local result = {}
for k = 1, #KEYS do
  local entries = redis.call('HGETALL', KEYS[k])
  local online = 0
  for i = 1, #entries, 2 do
    if redis.call('EXISTS', ARGV[1] .. entries[i + 1]) == 1 then
      online = 1
      break
    end
  end
  result[k] = online
end
return result
"""


class Presence:
    """The open sockets of each user in this process."""

    def __init__(self) -> None:
        self._sockets: dict[str, set[str]] = {}

    def _arrive_here(self, user_id: str, connection_id: str) -> bool:
        sockets = self._sockets.setdefault(user_id, set())
        first = not sockets
        sockets.add(connection_id)
        return first

    def _leave_here(self, user_id: str, connection_id: str) -> bool:
        sockets = self._sockets.get(user_id)
        if sockets is None or connection_id not in sockets:
            return False
        sockets.discard(connection_id)
        if sockets:
            return False
        del self._sockets[user_id]
        return True

    async def arrive(self, user_id: str, connection_id: str) -> bool:
        """Counts an opened socket; True when it made the user online."""
        return self._arrive_here(user_id, connection_id)

    async def leave(self, user_id: str, connection_id: str) -> bool:
        """Forgets a closed socket; True when the user is offline now."""
        return self._leave_here(user_id, connection_id)

    async def online(self, user_ids: Iterable[str]) -> set[str]:
        """Which of the users are online."""
        return {u for u in user_ids if self._sockets.get(u)}


class RedisPresence(Presence):
    """The same, across every process on one Redis; per process while Redis is unreachable."""

    def __init__(self, url: str, *, prefix: str | None = None) -> None:
        super().__init__()
        from redis import asyncio as aioredis

        self._prefix = settings.JATTE_REDIS_PREFIX if prefix is None else prefix
        self._redis = aioredis.from_url(  # type: ignore[no-untyped-call]  # redis-py leaves from_url untyped
            url, socket_connect_timeout=REDIS_PRESENCE_TIMEOUT, socket_timeout=REDIS_PRESENCE_TIMEOUT
        )
        self._arrive = self._redis.register_script(ARRIVE)
        self._leave = self._redis.register_script(LEAVE)
        self._online = self._redis.register_script(ONLINE)
        self.process = new_process_id()
        self._alive_prefix = f"{self._prefix}:alive:"
        self._alive_keeper = KeepAlive(self._set_alive, lambda: bool(self._sockets))

    def _key(self, user_id: str) -> str:
        return f"{self._prefix}:presence:{user_id}"

    async def _call(self, call: Awaitable[T]) -> T:
        try:
            return await asyncio.wait_for(call, REDIS_PRESENCE_TIMEOUT)
        except (TimeoutError, OSError, RedisError) as failure:
            logger.error("presence: Redis unreachable (%r); counting this process's sockets", failure)
            raise _Unreachable from failure

    async def arrive(self, user_id: str, connection_id: str) -> bool:
        first_here = self._arrive_here(user_id, connection_id)
        self._alive_keeper.start()
        try:
            before = await self._call(
                self._arrive(
                    keys=[self._key(user_id)],
                    args=[connection_id, self.process, self._alive_prefix, ttl_ms()],
                )
            )
        except _Unreachable:
            return first_here
        return int(before) == 0

    async def leave(self, user_id: str, connection_id: str) -> bool:
        last_here = self._leave_here(user_id, connection_id)
        try:
            left = int(
                await self._call(
                    self._leave(keys=[self._key(user_id)], args=[connection_id, self._alive_prefix])
                )
            )
        except _Unreachable:
            return last_here
        return left == 0

    async def online(self, user_ids: Iterable[str]) -> set[str]:
        wanted = sorted(set(user_ids))
        if not wanted:
            return set()
        try:
            flags = await self._call(
                self._online(keys=[self._key(u) for u in wanted], args=[self._alive_prefix])
            )
        except _Unreachable:
            return await super().online(wanted)
        return {u for u, flag in zip(wanted, flags, strict=True) if int(flag)}

    async def _set_alive(self) -> None:
        """Says this process is alive (while it holds sockets), so their presence keeps counting."""
        with contextlib.suppress(_Unreachable):
            await self._call(self._redis.set(f"{self._alive_prefix}{self.process}", 1, px=ttl_ms()))


class _Unreachable(Exception):
    """Raised inside RedisPresence when a Redis call failed; the caller counts per process instead."""


_presences: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Presence] = weakref.WeakKeyDictionary()


def get_presence() -> Presence:
    """The presence of the running event loop: shared through Redis when REDIS_URL is set."""
    loop = asyncio.get_running_loop()
    presence = _presences.get(loop)
    if presence is None:
        presence = _presences[loop] = RedisPresence(settings.REDIS_URL) if settings.REDIS_URL else Presence()
    return presence
