"""Fan-out: every subscriber gets each event once, in order, in one process or across Redis."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest
import redis

from chat.fanout import LocalHub, RedisHub

from .conftest import require_service

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


class Socket:
    def __init__(self) -> None:
        self.connection_id = uuid.uuid4().hex
        self.received: list[str] = []

    def deliver(self, text: str) -> None:
        self.received.append(text)


async def test_local_hub_delivers_to_every_subscriber_but_the_excluded_one() -> None:
    hub = LocalHub()
    a, b, c = Socket(), Socket(), Socket()
    for socket in (a, b, c):
        await hub.join("g", socket)
    await hub.publish("g", "one")
    await hub.publish("g", "two", exclude=b.connection_id)
    assert a.received == ["one", "two"]
    assert b.received == ["one"]
    assert await hub.watcher_count("g") == 3
    assert await hub.leave("g", c) == 2
    await hub.publish("g", "three")
    assert c.received == ["one", "two"]


def _redis_reachable() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
async def two_processes() -> AsyncIterator[tuple[RedisHub, RedisHub]]:
    """Two hubs on one Redis, standing in for two backend processes."""
    require_service("Redis", _redis_reachable(), REDIS_URL)
    hubs = (RedisHub(REDIS_URL), RedisHub(REDIS_URL))
    yield hubs
    for hub in hubs:
        await hub.close()


async def test_redis_hub_delivers_across_processes_exactly_once_in_order(
    two_processes: tuple[RedisHub, RedisHub],
) -> None:
    first, second = two_processes
    group = f"chat.channel.test{uuid.uuid4().hex[:8]}"
    here, there = Socket(), Socket()
    await first.join(group, here)
    assert await second.join(group, there) == 2
    for n in range(300):
        await first.publish(group, f"m{n}")
    deadline = asyncio.get_running_loop().time() + 5
    while len(there.received) < 300 and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.1)  # anything extra would arrive now
    expected = [f"m{n}" for n in range(300)]
    assert here.received == expected
    assert there.received == expected
    assert await second.leave(group, there) == 1
