"""Fixtures shared by the backend tests: tokens, connected sockets, and services that may be absent."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator

from chat.auth import mint_token
from chat.fanout import _hubs
from jatte.asgi import application

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def require_service(name: str, reachable: bool, where: str) -> None:
    """Skips loudly on a laptop without the service; in CI (CI=true) a missing service fails instead."""
    if reachable:
        return
    if IN_CI:
        pytest.fail(f"{name} at {where} is not reachable and CI=true")
    pytest.skip(
        f"{name} at {where} is not reachable: start it or point the TEST_* variable at one (CI=true makes this fail)"
    )


class Client:
    """A test socket speaking JSON frames."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.communicator = communicator
        self._counter = 0

    async def send(self, frame: dict[str, Any]) -> None:
        await self.communicator.send_to(text_data=json.dumps(frame))

    async def send_text(self, text: str) -> None:
        await self.communicator.send_to(text_data=text)

    async def recv(self, timeout: float = 10) -> dict[str, Any]:
        frame: dict[str, Any] = json.loads(await self.communicator.receive_from(timeout=timeout))
        return frame

    async def request(self, frame: dict[str, Any], timeout: float = 10) -> dict[str, Any]:
        """Sends with a fresh request_id and returns the one answer carrying it (skipping events)."""
        self._counter += 1
        request_id = f"r{self._counter}"
        await self.send({**frame, "request_id": request_id})
        while True:
            reply = await self.recv(timeout)
            if reply.get("request_id") == request_id:
                return reply

    async def watch(self, cid: str, **extra: Any) -> dict[str, Any]:
        state = await self.request({"type": "channel.watch", "cid": cid, **extra})
        assert state["type"] == "channel.state", state
        return state

    async def nothing_more(self, timeout: float = 0.2) -> bool:
        quiet: bool = await self.communicator.receive_nothing(timeout=timeout)
        return quiet


Connect = Callable[..., Any]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the TEST_POSTGRES_URL server, dropped afterwards."""
    from .services_for_tests import fresh_postgres  # it needs require_service, defined above

    with fresh_postgres() as url:
        yield url


@pytest.fixture(autouse=True)
def _fresh_hubs() -> None:
    _hubs.clear()


@pytest.fixture(autouse=True)
def _quiet_heartbeat(settings: Any) -> None:
    """Sockets in these tests see only what they ask for; the heartbeat has tests of its own."""
    settings.JATTE_HEARTBEAT_SECONDS = 3600


@pytest.fixture
async def connect(transactional_db: None) -> AsyncIterator[Connect]:
    """Opens signed-in sockets (`await connect("alice")`), closing them all at the end."""
    opened: list[WebsocketCommunicator] = []

    async def _connect(user_id: str, name: str | None = None, token: str | None = None) -> Client:
        communicator = WebsocketCommunicator(
            application, f"/ws/chat/?token={token or mint_token(user_id, name)}"
        )
        connected, _ = await communicator.connect(timeout=10)
        assert connected
        opened.append(communicator)
        client = Client(communicator)
        hello = await client.recv()
        assert hello["type"] == "health.check", hello
        return client

    yield _connect
    for communicator in opened:
        await communicator.disconnect()
