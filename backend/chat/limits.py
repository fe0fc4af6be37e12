"""Limits that keep one client from hurting others: frame rates, sockets per user, the outbound buffer.

Without Redis they are counted per process (one event loop). With REDIS_URL, `RedisLimits` counts
rates and sockets in Redis, one round trip per check, so a user's allowance does not depend on how
many processes they reach; while Redis is unreachable it counts per process and says so once.
Transports call the async `check` / `admit` / `release`; the counting itself is in `wait` /
`open_socket` / `close_socket` (per process) and in the Lua scripts below (across processes).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from redis.exceptions import RedisError

from chat.backlog import backlog
from chat.cluster import KeepAlive, new_process_id, ttl_ms

__all__ = [
    "OUTBOX_FRAMES",
    "Admission",
    "Limits",
    "Outbox",
    "RedisLimits",
    "TokenBucket",
    "get_admission",
    "get_limits",
]

OUTBOX_FRAMES = 10_000  # frames queued for one socket, whatever their size
MAX_BUCKETS = 10_000  # buckets kept before the idle (refilled) ones are forgotten

_clock = time.monotonic  # the buckets' clock (tests move it forward)

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(slots=True)
class TokenBucket:
    """`capacity` requests at once, refilled at `rate` a second."""

    capacity: float
    rate: float
    tokens: float
    stamp: float

    def take(self, now: float) -> float:
        """Takes one token: 0 when granted, else the seconds until one is available."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return 0.0
        return (1 - self.tokens) / self.rate if self.rate > 0 else float("inf")

    def idle(self, now: float) -> bool:
        """Whether the bucket has refilled, so forgetting it changes nothing."""
        return self.tokens + (now - self.stamp) * self.rate >= self.capacity


class Limits:
    """The rate buckets and socket counts of one process, keyed by user."""

    def __init__(self, per_minute: int, burst: int, max_sockets: int) -> None:
        self.per_minute = per_minute
        self.burst = max(1, burst)
        self.max_sockets = max_sockets
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._sockets: dict[str, set[str]] = {}

    def wait(self, key: str, kind: str) -> float:
        """Counts one `kind` frame against `key`: 0 when allowed, else seconds until it would be."""
        now = _clock()
        bucket = self._buckets.get((key, kind))
        if bucket is None:
            if len(self._buckets) >= MAX_BUCKETS:
                self._forget_idle(now)
            bucket = self._buckets[(key, kind)] = TokenBucket(
                capacity=self.burst, rate=self.per_minute / 60, tokens=self.burst, stamp=now
            )
        return bucket.take(now)

    def _forget_idle(self, now: float) -> None:
        for key in [key for key, bucket in self._buckets.items() if bucket.idle(now)]:
            del self._buckets[key]

    @property
    def buckets(self) -> int:
        return len(self._buckets)

    def open_socket(self, user_id: str, connection_id: str) -> bool:
        """Counts a new socket of the user; False (and not counted) when the user is at the cap."""
        sockets = self._sockets.setdefault(user_id, set())
        if len(sockets) >= self.max_sockets:
            if not sockets:
                del self._sockets[user_id]
            return False
        sockets.add(connection_id)
        return True

    def close_socket(self, user_id: str, connection_id: str) -> None:
        """Forgets a socket counted by `open_socket`."""
        sockets = self._sockets.get(user_id)
        if sockets is not None:
            sockets.discard(connection_id)
            if not sockets:
                del self._sockets[user_id]

    def sockets_of(self, user_id: str) -> int:
        return len(self._sockets.get(user_id, ()))

    async def check(self, key: str, kind: str) -> float:
        """`wait`, as the transport calls it."""
        return self.wait(key, kind)

    async def admit(self, user_id: str, connection_id: str) -> bool:
        """`open_socket`, as the transport calls it."""
        return self.open_socket(user_id, connection_id)

    async def release(self, user_id: str, connection_id: str) -> None:
        """`close_socket`, as the transport calls it."""
        self.close_socket(user_id, connection_id)


# KEYS[1]: a bucket hash. ARGV: capacity, refill rate (tokens a second), the key's lifetime (ms).
# Takes one token by Redis' own clock; returns the seconds to wait ("0" when granted).
TAKE_TOKEN = """
local capacity, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp')
local tokens = tonumber(state[1]) or capacity
local stamp = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - stamp) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 elseif rate > 0 then wait = (1 - tokens) / rate else wait = -1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'stamp', tostring(now))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return tostring(wait)
"""

# KEYS[1]: a user's sockets, a hash {connection id: process id}. ARGV: connection id, process id,
# the cap, the alive-key prefix, the alive key's lifetime (ms). Counts the sockets of live
# processes (forgetting the rest) and adds this one unless the cap is reached: 1 added, 0 refused.
ADMIT_SOCKET = """
redis.call('SET', ARGV[4] .. ARGV[2], 1, 'PX', ARGV[5])
local entries = redis.call('HGETALL', KEYS[1])
local live = 0
for i = 1, #entries, 2 do
  if redis.call('EXISTS', ARGV[4] .. entries[i + 1]) == 1 then
    live = live + 1
  else
    redis.call('HDEL', KEYS[1], entries[i])
  end
end
if live >= tonumber(ARGV[3]) then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""

REDIS_LIMITS_TIMEOUT = 0.5  # seconds a limit check may wait on Redis
REDIS_RETRY_AFTER = 5.0  # seconds of per-process counting after Redis failed, before trying again


class RedisLimits(Limits):
    """The same limits counted in Redis, shared by every process; per process while Redis is away.

    Sockets are also counted here, so falling back loses nothing; a socket closed while Redis was
    away is removed from Redis on the next call that reaches it.
    """

    def __init__(
        self, url: str, per_minute: int, burst: int, max_sockets: int, *, prefix: str | None = None
    ) -> None:
        super().__init__(per_minute, burst, max_sockets)
        from redis import asyncio as aioredis

        self._prefix = settings.JATTE_REDIS_PREFIX if prefix is None else prefix
        self._redis = aioredis.from_url(  # type: ignore[no-untyped-call]  # redis-py leaves from_url untyped
            url, socket_connect_timeout=REDIS_LIMITS_TIMEOUT, socket_timeout=REDIS_LIMITS_TIMEOUT
        )
        self._take = self._redis.register_script(TAKE_TOKEN)
        self._admit = self._redis.register_script(ADMIT_SOCKET)
        self.process = new_process_id()
        self._alive = f"{self._prefix}:alive:{self.process}"
        self._local_until = 0.0  # per-process counting until this time (after a Redis failure)
        self._unreleased: set[tuple[str, str]] = set()
        self._alive_keeper = KeepAlive(self._set_alive, lambda: bool(self._sockets))

    @property
    def shared(self) -> bool:
        """Whether checks go to Redis now (False while falling back after a failure)."""
        return _clock() >= self._local_until

    async def _call(self, call: Awaitable[T]) -> T:
        try:
            result = await asyncio.wait_for(call, REDIS_LIMITS_TIMEOUT)
        except (TimeoutError, OSError, RedisError) as failure:
            if self.shared:
                logger.error("limits: Redis unreachable (%r); counting per process for now", failure)
            self._local_until = _clock() + REDIS_RETRY_AFTER
            raise _Unreachable from failure
        if self._unreleased:  # sockets closed while Redis was away: forget them there now
            with contextlib.suppress(TimeoutError, OSError, RedisError):
                await asyncio.wait_for(self._flush_unreleased(), REDIS_LIMITS_TIMEOUT)
        return result

    async def check(self, key: str, kind: str) -> float:
        if kind == "health.check" or not self.shared:  # heartbeats are counted per socket anyway
            return self.wait(key, kind)
        lifetime_ms = max(1000, int(self.burst / max(self.per_minute / 60, 1e-9) * 1000))
        try:
            wait = float(
                await self._call(
                    self._take(
                        keys=[f"{self._prefix}:rate:{kind}:{key}"],
                        args=[self.burst, self.per_minute / 60, lifetime_ms],
                    )
                )
            )
        except _Unreachable:
            return self.wait(key, kind)
        return float("inf") if wait < 0 else wait

    async def admit(self, user_id: str, connection_id: str) -> bool:
        if not self.shared:
            return self.open_socket(user_id, connection_id)
        try:
            added = await self._call(
                self._admit(
                    keys=[self._sockets_key(user_id)],
                    args=[connection_id, self.process, self.max_sockets, f"{self._prefix}:alive:", ttl_ms()],
                )
            )
        except _Unreachable:
            return self.open_socket(user_id, connection_id)
        if not added:
            return False
        self._sockets.setdefault(user_id, set()).add(connection_id)
        self._alive_keeper.start()
        return True

    async def release(self, user_id: str, connection_id: str) -> None:
        self.close_socket(user_id, connection_id)
        self._unreleased.add((user_id, connection_id))
        if self.shared:
            with contextlib.suppress(_Unreachable):
                await self._call(self._flush_unreleased())

    async def _flush_unreleased(self) -> None:
        pending, self._unreleased = self._unreleased, set()
        async with self._redis.pipeline(transaction=False) as pipe:
            for user_id, connection_id in pending:
                pipe.hdel(self._sockets_key(user_id), connection_id)
            try:
                await pipe.execute()
            except BaseException:
                self._unreleased |= pending
                raise

    def _sockets_key(self, user_id: str) -> str:
        return f"{self._prefix}:sockets:{user_id}"

    async def _set_alive(self) -> None:
        """Says this process is alive (while it holds sockets), so they keep counting."""
        with contextlib.suppress(_Unreachable):
            await self._call(self._redis.set(self._alive, 1, px=ttl_ms()))


class _Unreachable(Exception):
    """Raised inside RedisLimits when a Redis call failed; the caller counts per process instead."""


_limits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Limits] = weakref.WeakKeyDictionary()


def get_limits() -> Limits:
    """The limits of the running event loop, from settings: shared through Redis when REDIS_URL is set."""
    loop = asyncio.get_running_loop()
    limits = _limits.get(loop)
    if limits is None:
        figures = (
            settings.JATTE_RATE_LIMIT_PER_MINUTE,
            settings.JATTE_RATE_LIMIT_BURST,
            settings.JATTE_MAX_SOCKETS_PER_USER,
        )
        limits = _limits[loop] = (
            RedisLimits(settings.REDIS_URL, *figures) if settings.REDIS_URL else Limits(*figures)
        )
    return limits


class Admission:
    """One process's capacity: the sockets it holds and the ones signing in at once.

    Capacity is the process's own (its CPU and memory), so it is counted here even with Redis. A
    socket past either bound, or arriving while the database thread's backlog is `max_backlog`
    calls or more (chat.backlog; 0: no such bound), is closed with 4013 (TRY_AGAIN_LATER) and a
    delay, so a reconnect storm queues in the clients' timers instead of in the server's memory and
    database thread.
    """

    def __init__(
        self,
        max_sockets: int,
        max_signing_in: int,
        retry_after_ms: int,
        max_backlog: int,
        backlog: Callable[[], int] = backlog,
    ) -> None:
        self.max_sockets = max_sockets
        self.max_signing_in = max_signing_in
        self.retry_after_ms = retry_after_ms
        self.max_backlog = max_backlog
        self._backlog = backlog
        self.sockets = 0  # admitted and not yet gone
        self.signing_in = 0  # admitted, and their first health.check not yet queued
        self.refused = 0

    def enter(self) -> int:
        """Admits a socket (0), or returns the milliseconds it should wait before trying again."""
        if (
            self.sockets >= self.max_sockets
            or self.signing_in >= self.max_signing_in
            or 0 < self.max_backlog <= self._backlog()
        ):
            self.refused += 1
            return max(1, self.retry_after_ms)
        self.sockets += 1
        self.signing_in += 1
        return 0

    def signed_in(self) -> None:
        """The socket admitted by `enter` is signed in (or refused): it no longer queues."""
        self.signing_in -= 1

    def leave(self) -> None:
        """The socket admitted by `enter` is gone."""
        self.sockets -= 1


_admissions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Admission] = weakref.WeakKeyDictionary()


def get_admission() -> Admission:
    """The running event loop's admission, from settings."""
    loop = asyncio.get_running_loop()
    admission = _admissions.get(loop)
    if admission is None:
        admission = _admissions[loop] = Admission(
            settings.JATTE_MAX_CONNECTIONS,
            settings.JATTE_MAX_CONNECTING,
            settings.JATTE_RETRY_AFTER_MS,
            settings.JATTE_MAX_DATABASE_BACKLOG,
        )
    return admission


class Outbox:
    """Serialised frames waiting for one socket, bounded in count and size.

    Once a bound is hit the outbox is `full` for good: what it held is dropped and it takes
    nothing more, because the socket it feeds is being closed as too slow.
    """

    def __init__(self, max_frames: int = OUTBOX_FRAMES, max_chars: int | None = None) -> None:
        self.max_frames = max_frames
        self.max_chars: int = settings.JATTE_OUTBOUND_BUFFER_BYTES if max_chars is None else max_chars
        self.chars = 0
        self.full = False
        self._frames: deque[str] = deque()

    def put(self, text: str) -> bool:
        """Queues `text`; False when that would pass a bound (the outbox is then full)."""
        if self.full:
            return False
        if len(self._frames) >= self.max_frames or self.chars + len(text) > self.max_chars:
            self.full = True
            self.chars = 0
            self._frames.clear()  # the reader is cut off; let the frames go
            return False
        self._frames.append(text)
        self.chars += len(text)
        return True

    def take(self) -> str | None:
        """The oldest frame, or None when nothing waits."""
        if not self._frames:
            return None
        text = self._frames.popleft()
        self.chars -= len(text)
        return text

    def __len__(self) -> int:
        return len(self._frames)
