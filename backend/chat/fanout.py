"""How an event reaches every socket watching a channel, in this process or (with Redis) in any.

A socket joins a group (`ChannelRef.group`) and gets each published text through `deliver`, which
never blocks the publisher. One process: a dict of sets. Several processes (`REDIS_URL`): each
process joins a group once on channels-redis' pub/sub layer and hands what arrives to its local
sockets, so an event is serialised once and crosses Redis once per process, not once per socket.

`notify` reaches the sockets of many groups at once (the members of a channel, through their user
groups): one message to every process, each handing it once to each local socket in any of those
groups. Its `kind` lets the socket take part: `message_new` skips the sockets watching the channel
and has each other socket fill in its user's unread counts (`Subscriber.notice`), `evict` has the
socket stop watching a channel it may no longer read, `presence` lets it keep only the users it
follows. Groups a socket `follow`s exist in its process only: they are for `notify`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from django.conf import settings
from redis.exceptions import RedisError

from chat.cluster import COUNT_LIVE, new_process_id, ttl_ms

__all__ = [
    "NOTIFY_GROUP",
    "REDIS_TIMEOUT",
    "Hub",
    "LocalHub",
    "RedisHub",
    "RedisUnavailable",
    "Subscriber",
    "get_hub",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

REDIS_TIMEOUT = 2.0  # seconds any one Redis call may take before the hub counts Redis as down
WATCHDOG_INTERVAL = 0.5  # seconds between the checks that notice Redis leaving, restarting, returning
# A resync replays from this many seconds before the outage was noticed: it may be noticed up to
# REDIS_TIMEOUT + WATCHDOG_INTERVAL after it began.
REPLAY_MARGIN = 5.0
RESYNC_GROUP = "chat.resync"  # every process listens here for "catch your watchers up"
NOTIFY_GROUP = "chat.notify"  # every process listens here for `notify`

# Given fan-out groups and a wall-clock time, the serialised events that rebuild what changed in
# those groups since then, per group and in order (chat.catch_up.missed_events).
CatchUp = Callable[[list[str], float], Awaitable[dict[str, list[str]]]]


class RedisUnavailable(Exception):
    """Raised when a Redis call fails or outlasts REDIS_TIMEOUT."""


class Subscriber(Protocol):
    """A socket that can be handed a serialised frame."""

    connection_id: str

    def deliver(self, text: str) -> None:
        """Queues `text` for the socket; must not block."""


class Noticing(Subscriber, Protocol):
    """A subscriber that takes part in a `notify` of some kind (a socket; see the module's doc)."""

    def notice(self, kind: str, text: str, about: str | None) -> None:
        """Handles a notification of `kind` about the group or user `about`; must not block."""


class Hub(Protocol):
    async def join(self, group: str, subscriber: Subscriber) -> int:
        """Adds the subscriber to the group and returns the group's watcher count."""

    async def leave(self, group: str, subscriber: Subscriber) -> int:
        """Removes the subscriber from the group and returns the group's watcher count."""

    async def publish(self, group: str, text: str, exclude: str | None = None) -> None:
        """Delivers `text` to every subscriber of the group but the connection `exclude`."""

    async def watcher_count(self, group: str) -> int:
        """How many sockets watch the group, across processes."""

    async def watcher_counts(self, groups: list[str]) -> list[int]:
        """`watcher_count` of each group."""

    async def notify(
        self,
        groups: list[str],
        text: str,
        *,
        kind: str = "",
        about: str | None = None,
        exclude: str | None = None,
    ) -> None:
        """Delivers `text` once to each socket in any of the groups, on any process, but `exclude`
        (with `kind`, through the socket's `notice`; see the module's doc)."""

    def follow(self, group: str, subscriber: Subscriber) -> None:
        """Adds the subscriber to a group of this process only (for `notify`)."""

    def unfollow(self, group: str, subscriber: Subscriber) -> None:
        """Removes the subscriber from a group `follow` added it to."""


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

    async def watcher_counts(self, groups: list[str]) -> list[int]:
        return [len(self._groups.get(group, ())) for group in groups]

    async def notify(
        self,
        groups: list[str],
        text: str,
        *,
        kind: str = "",
        about: str | None = None,
        exclude: str | None = None,
    ) -> None:
        self._notify(groups, text, kind, about, exclude)

    def follow(self, group: str, subscriber: Subscriber) -> None:
        self._add(group, subscriber)

    def unfollow(self, group: str, subscriber: Subscriber) -> None:
        self._remove(group, subscriber)

    def _notify(
        self, groups: list[str], text: str, kind: str, about: str | None, exclude: str | None
    ) -> None:
        watching = self._groups.get(about, {}) if kind == "message_new" and about else {}
        seen: set[str] = set()
        for group in groups:
            for connection_id, subscriber in tuple(self._groups.get(group, {}).items()):
                if connection_id == exclude or connection_id in seen or connection_id in watching:
                    continue
                seen.add(connection_id)
                notice = getattr(subscriber, "notice", None) if kind else None
                if notice is not None:
                    notice(kind, text, about)
                else:
                    subscriber.deliver(text)

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
    """Fan-out across processes through channels-redis' pub/sub layer; watcher counts in a Redis hash.

    Every await on Redis is bounded (`REDIS_TIMEOUT`). When one fails, or the watchdog sees Redis
    gone or restarted, the hub is *down*: it stops waiting on Redis, delivers to this process's own
    sockets directly and counts watchers locally, so no send ever waits on a dead Redis. Once Redis
    answers again it subscribes afresh and broadcasts a resync: every process (this one included)
    hands its local watchers what the database stored or changed since shortly before the outage
    (`catch_up`), because pub/sub dropped whatever was published in the gap. Clients merge by id.
    """

    def __init__(self, url: str, catch_up: CatchUp | None = None, prefix: str | None = None) -> None:
        super().__init__()
        from channels_redis.pubsub import RedisPubSubChannelLayer
        from redis import asyncio as aioredis

        self._prefix = settings.JATTE_REDIS_PREFIX if prefix is None else prefix
        self._layer = RedisPubSubChannelLayer(hosts=[url], prefix=self._prefix)
        self._redis = aioredis.from_url(  # type: ignore[no-untyped-call]  # redis-py leaves from_url untyped
            url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
        )
        self._process = new_process_id()
        self._alive = f"{self._prefix}:alive:{self._process}"
        self._count_live = self._redis.register_script(COUNT_LIVE)
        self._channel: str | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Lock()
        self.down = False
        self._down_since = 0.0  # wall-clock time the outage was noticed
        self._run_id: str | None = None  # Redis' own id: it changes when the server restarts
        self._catch_up = catch_up
        self._resyncs: set[asyncio.Task[None]] = set()
        self._watchdog: asyncio.Task[None] | None = None

    async def _bounded(self, call: Awaitable[T]) -> T:
        """Awaits a Redis call for at most REDIS_TIMEOUT; a failure marks the hub down and raises."""
        try:
            return await asyncio.wait_for(call, REDIS_TIMEOUT)
        except (TimeoutError, OSError, RedisError) as failure:
            self._went_down(failure)
            raise RedisUnavailable(str(failure) or type(failure).__name__) from failure

    def _went_down(self, failure: BaseException) -> None:
        if not self.down:
            self._down_since = time.time()
            logger.error(
                "fan-out: Redis unavailable (%r); delivering in this process until it is back", failure
            )
        self.down = True

    def _watch(self) -> None:
        if self._watchdog is None or self._watchdog.done():
            self._watchdog = asyncio.create_task(self._watch_redis())

    async def _watch_redis(self) -> None:
        """Notices Redis going away or restarting, and recovers once it is back."""
        while True:
            await asyncio.sleep(WATCHDOG_INTERVAL)
            try:
                info: dict[str, Any] = await self._bounded(self._redis.info("server"))
                await self._bounded(self._redis.set(self._alive, 1, px=ttl_ms()))
            except RedisUnavailable:
                continue
            run_id = str(info.get("run_id"))
            if self._run_id is not None and run_id != self._run_id:
                self._went_down(RuntimeError(f"Redis restarted (run_id {self._run_id} → {run_id})"))
            self._run_id = run_id
            if self.down:
                with contextlib.suppress(RedisUnavailable):
                    await self._recover()

    async def _recover(self) -> None:
        """Subscribes every local group afresh, then has every process resend what was missed."""
        if self._reader is not None:
            self._reader.cancel()
        await self._bounded(self._layer.flush())
        self._channel = None
        inbox = await self._inbox()
        for group in list(self._groups):
            await self._bounded(self._layer.group_add(group, inbox))
            await self._store_count(group)
        since = self._down_since - REPLAY_MARGIN
        await self._bounded(self._layer.group_send(RESYNC_GROUP, {"type": "chat.resync", "since": since}))
        self.down = False
        logger.warning("fan-out: Redis is back; watchers catch up from %.3f", since)

    async def _resync(self, since: float) -> None:
        """Delivers to local watchers every event the database can rebuild from `since` on."""
        if self._catch_up is None or not self._groups:
            return
        try:
            missed = await self._catch_up(list(self._groups), since)
        except Exception:
            logger.exception("fan-out: catching up after a Redis outage failed")
            return
        for group, texts in missed.items():
            for text in texts:
                self._deliver(group, text, None)

    async def _inbox(self) -> str:
        async with self._ready:
            if self._channel is None:
                channel: str = await self._bounded(self._layer.new_channel())
                await self._bounded(self._layer.group_add(RESYNC_GROUP, channel))
                await self._bounded(self._layer.group_add(NOTIFY_GROUP, channel))
                self._channel = channel
                self._reader = asyncio.create_task(self._read(channel))
            return self._channel

    async def _read(self, channel: str) -> None:
        while True:
            try:
                message: dict[str, Any] = await self._layer.receive(channel)
                if message["type"] == "chat.resync":
                    task = asyncio.create_task(self._resync(float(message["since"])))
                    self._resyncs.add(task)
                    task.add_done_callback(self._resyncs.discard)
                    continue
                if message["type"] == "chat.notify":
                    self._notify(
                        list(message["groups"]),
                        message["text"],
                        message.get("kind") or "",
                        message.get("about"),
                        message.get("exclude"),
                    )
                    continue
                self._deliver(message["group"], message["text"], message.get("exclude"))
            except asyncio.CancelledError:
                raise
            except Exception:  # a broken message must not stop delivery for everyone else
                logger.exception("fan-out: dropping an unreadable message from Redis")

    def _counts(self, group: str) -> str:
        return f"{self._prefix}:watchers:{group}"

    async def _store_count(self, group: str) -> None:
        """Files this process's watcher count of the group, and says the process is alive."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.set(self._alive, 1, px=ttl_ms())
            pipe.hset(self._counts(group), self._process, len(self._groups[group]))
            await self._bounded(pipe.execute())

    async def join(self, group: str, subscriber: Subscriber) -> int:
        self._watch()
        first = self._add(group, subscriber)
        if not self.down:
            with contextlib.suppress(RedisUnavailable):
                if first:
                    await self._bounded(self._layer.group_add(group, await self._inbox()))
                await self._store_count(group)
        return await self.watcher_count(group)

    async def leave(self, group: str, subscriber: Subscriber) -> int:
        empty = self._remove(group, subscriber)
        if not self.down:
            with contextlib.suppress(RedisUnavailable):
                if empty:
                    await self._bounded(self._layer.group_discard(group, await self._inbox()))
                    await self._bounded(self._redis.hdel(self._counts(group), self._process))
                elif group in self._groups:
                    await self._store_count(group)
        return await self.watcher_count(group)

    async def publish(self, group: str, text: str, exclude: str | None = None) -> None:
        self._watch()
        if not self.down:
            message = {"type": "chat.fanout", "group": group, "text": text, "exclude": exclude}
            try:
                await self._bounded(self._layer.group_send(group, message))
                return
            except RedisUnavailable:
                pass
        # Down: this process's sockets get it now; the others catch up when Redis is back.
        self._deliver(group, text, exclude)

    async def notify(
        self,
        groups: list[str],
        text: str,
        *,
        kind: str = "",
        about: str | None = None,
        exclude: str | None = None,
    ) -> None:
        self._watch()
        if not self.down:
            message = {
                "type": "chat.notify",
                "groups": groups,
                "text": text,
                "kind": kind,
                "about": about,
                "exclude": exclude,
            }
            try:
                await self._inbox()  # this process hears its own notifications too
                await self._bounded(self._layer.group_send(NOTIFY_GROUP, message))
                return
            except RedisUnavailable:
                pass
        # Down: this process's sockets get it now; notifications are not replayed afterwards.
        self._notify(groups, text, kind, about, exclude)

    async def watcher_counts(self, groups: list[str]) -> list[int]:
        return list(await asyncio.gather(*(self.watcher_count(group) for group in groups)))

    async def watcher_count(self, group: str) -> int:
        local = len(self._groups.get(group, ()))
        if self.down:
            return local
        try:
            total = await self._bounded(
                self._count_live(keys=[self._counts(group)], args=[f"{self._prefix}:alive:"])
            )
        except RedisUnavailable:
            return local
        return int(total)

    async def close(self) -> None:
        """Forgets this process's watchers and closes its Redis connections."""
        for task in (self._reader, self._watchdog):
            if task is not None:
                task.cancel()
        for group in list(self._groups):
            with contextlib.suppress(RedisUnavailable):
                await self._bounded(self._redis.hdel(self._counts(group), self._process))
        self._groups.clear()
        with contextlib.suppress(RedisUnavailable):
            await self._bounded(self._layer.flush())
        await self._redis.aclose()


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub] = weakref.WeakKeyDictionary()


def get_hub() -> Hub:
    """The hub of the running event loop: Redis-backed when REDIS_URL is set, else in-process."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        if settings.REDIS_URL:
            from chat.catch_up import missed_events  # the database, only for the Redis hub

            hub = _hubs[loop] = RedisHub(settings.REDIS_URL, catch_up=missed_events)
        else:
            hub = _hubs[loop] = LocalHub()
    return hub
