"""Limits that keep one client from hurting others: frame rates, sockets per user, the outbound buffer.

Counted per process (one event loop): with several processes behind a load balancer each enforces
its own figures, so a user's effective allowance is the figure times the processes they reach.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import deque
from dataclasses import dataclass

from django.conf import settings

__all__ = ["OUTBOX_FRAMES", "Limits", "Outbox", "TokenBucket", "get_limits"]

OUTBOX_FRAMES = 10_000  # frames queued for one socket, whatever their size
MAX_BUCKETS = 10_000  # buckets kept before the idle (refilled) ones are forgotten

_clock = time.monotonic  # the buckets' clock (tests move it forward)


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


_limits: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Limits] = weakref.WeakKeyDictionary()


def get_limits() -> Limits:
    """The limits of the running event loop (one per process in production), from settings."""
    loop = asyncio.get_running_loop()
    limits = _limits.get(loop)
    if limits is None:
        limits = _limits[loop] = Limits(
            per_minute=settings.JATTE_RATE_LIMIT_PER_MINUTE,
            burst=settings.JATTE_RATE_LIMIT_BURST,
            max_sockets=settings.JATTE_MAX_SOCKETS_PER_USER,
        )
    return limits


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
