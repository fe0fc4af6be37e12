"""How an event reaches every socket watching a channel, in this process or (with Redis) in any.

A socket joins a group (`ChannelRef.group`) and gets each published text through `deliver`, which
never blocks the publisher. One process: a dict of sets. Several processes (`REDIS_URL`): each
process joins a group once on channels-redis' pub/sub layer and hands what arrives to its local
sockets, so an event is serialised once and crosses Redis once per process, not once per socket.
"""

from __future__ import annotations

import asyncio
import logging
import os
import weakref
from typing import Any, Protocol

from django.conf import settings

__all__ = ["Hub", "LocalHub", "RedisHub", "Subscriber", "get_hub"]

logger = logging.getLogger(__name__)


class Subscriber(Protocol):
    """A socket that can be handed a serialised frame."""

    connection_id: str

    def deliver(self, text: str) -> None:
        """Queues `text` for the socket; must not block."""


class Hub(Protocol):
    async def join(self, group: str, subscriber: Subscriber) -> int:
        """Adds the subscriber to the group and returns the group's watcher count."""

    async def leave(self, group: str, subscriber: Subscriber) -> int:
        """Removes the subscriber from the group and returns the group's watcher count."""

    async def publish(self, group: str, text: str, exclude: str | None = None) -> None:
        """Delivers `text` to every subscriber of the group but the connection `exclude`."""

    async def watcher_count(self, group: str) -> int:
        """How many sockets watch the group, across processes."""


class LocalHub:
    """Fan-out within one process."""

    def __init__(self) -> None:
        self._groups: dict[str, dict[str, Subscriber]] = {}

    async def join(self, group: str, subscriber: Subscriber) -> int:
        self._add(group, subscriber)
        return len(self._groups[group])

    async def leave(self, group: str, subscriber: Subscriber) -> int:
        self._remove(group, subscriber)
        return len(self._groups.get(group, ()))

    async def publish(self, group: str, text: str, exclude: str | None = None) -> None:
        self._deliver(group, text, exclude)

    async def watcher_count(self, group: str) -> int:
        return len(self._groups.get(group, ()))

    def _add(self, group: str, subscriber: Subscriber) -> bool:
        """Adds; True when the group was empty in this process."""
        members = self._groups.setdefault(group, {})
        members[subscriber.connection_id] = subscriber
        return len(members) == 1

    def _remove(self, group: str, subscriber: Subscriber) -> bool:
        """Removes; True when the group is now empty in this process."""
        members = self._groups.get(group)
        if members is None or members.pop(subscriber.connection_id, None) is None:
            return False
        if not members:
            del self._groups[group]
            return True
        return False

    def _deliver(self, group: str, text: str, exclude: str | None) -> None:
        for connection_id, subscriber in tuple(self._groups.get(group, {}).items()):
            if connection_id != exclude:
                subscriber.deliver(text)


class RedisHub(LocalHub):
    """Fan-out across processes through channels-redis' pub/sub layer; watcher counts in a Redis hash."""

    def __init__(self, url: str) -> None:
        super().__init__()
        from channels_redis.pubsub import RedisPubSubChannelLayer
        from redis import asyncio as aioredis

        self._layer = RedisPubSubChannelLayer(hosts=[url], prefix="jatte")
        self._redis = aioredis.from_url(url)  # type: ignore[no-untyped-call]  # redis-py leaves from_url untyped
        self._process = f"{os.getpid()}.{id(self):x}"
        self._channel: str | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Lock()

    async def _inbox(self) -> str:
        async with self._ready:
            if self._channel is None:
                self._channel = await self._layer.new_channel()
                self._reader = asyncio.create_task(self._read(self._channel))
        return self._channel

    async def _read(self, channel: str) -> None:
        while True:
            try:
                message: dict[str, Any] = await self._layer.receive(channel)
                self._deliver(message["group"], message["text"], message.get("exclude"))
            except asyncio.CancelledError:
                raise
            except Exception:  # a broken message must not stop delivery for everyone else
                logger.exception("fan-out: dropping an unreadable message from Redis")

    def _counts(self, group: str) -> str:
        return f"jatte:watchers:{group}"

    async def join(self, group: str, subscriber: Subscriber) -> int:
        if self._add(group, subscriber):
            await self._layer.group_add(group, await self._inbox())
        await self._redis.hset(self._counts(group), self._process, len(self._groups[group]))
        return await self.watcher_count(group)

    async def leave(self, group: str, subscriber: Subscriber) -> int:
        if self._remove(group, subscriber):
            await self._layer.group_discard(group, await self._inbox())
            await self._redis.hdel(self._counts(group), self._process)
        elif group in self._groups:
            await self._redis.hset(self._counts(group), self._process, len(self._groups[group]))
        return await self.watcher_count(group)

    async def publish(self, group: str, text: str, exclude: str | None = None) -> None:
        message = {"type": "chat.fanout", "group": group, "text": text, "exclude": exclude}
        await self._layer.group_send(group, message)

    async def watcher_count(self, group: str) -> int:
        values = await self._redis.hvals(self._counts(group))
        return sum(int(value) for value in values)

    async def close(self) -> None:
        """Forgets this process's watchers and closes its Redis connections."""
        if self._reader is not None:
            self._reader.cancel()
        for group in list(self._groups):
            await self._redis.hdel(self._counts(group), self._process)
        self._groups.clear()
        await self._layer.flush()
        await self._redis.aclose()


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def get_hub() -> Hub:
    """The hub of the running event loop: Redis-backed when REDIS_URL is set, else in-process."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = RedisHub(settings.REDIS_URL) if settings.REDIS_URL else LocalHub()
    return hub
