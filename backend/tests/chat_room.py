"""Helpers for the message, reaction, thread and moderation tests: sockets whose every frame is checked
against the schema, tokens with roles, and a room with two members and an outsider."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from jsonschema import Draft202012Validator

from jatte.asgi import application

from .conftest import Client

__all__ = ["ROOM", "Checked", "Opener", "Room", "open_socket", "room", "sockets", "token"]

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schema" / "frames.schema.json").read_text())
_VALIDATORS: dict[str, Draft202012Validator] = {}
ROOM = "messaging:room"


def _validator(kind: str) -> Draft202012Validator:
    if not _VALIDATORS:
        for option in SCHEMA["$defs"]["ServerFrame"]["oneOf"]:
            name = option["$ref"].rsplit("/", 1)[-1]
            const = SCHEMA["$defs"][name]["properties"]["type"]["const"]
            _VALIDATORS[const] = Draft202012Validator(
                {"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{name}"},
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
    return _VALIDATORS[kind]


def token(user_id: str, **claims: object) -> str:
    """A signed token; `app_metadata={"role": "admin"}` or `role="admin"` make an admin."""
    body: dict[str, object] = {
        "sub": user_id,
        "aud": "authenticated",
        "role": "authenticated",
        "exp": int(time.time()) + 3600,
        "user_metadata": {"name": user_id.title()},
    }
    body.update(claims)
    return jwt.encode(body, settings.SUPABASE_JWT_SECRET, "HS256")


class Checked(Client):
    """A test socket that checks every frame it receives against the schema's ServerFrame."""

    def __init__(self, communicator: WebsocketCommunicator, user: str) -> None:
        super().__init__(communicator)
        self.user = user
        self.hello: dict[str, Any] = {}  # the first health.check

    async def recv(self, timeout: float = 10) -> dict[str, Any]:
        frame = await super().recv(timeout)
        errors = sorted(e.message for e in _validator(frame["type"]).iter_errors(frame))
        assert not errors, f"{frame['type']} does not match the schema: {errors}\n{frame}"
        return frame

    async def next_of(self, kind: str, timeout: float = 10) -> dict[str, Any]:
        """The next frame of type `kind`, skipping others."""
        while True:
            frame = await self.recv(timeout)
            if frame["type"] == kind:
                return frame

    async def ask(self, kind: str, **fields: Any) -> dict[str, Any]:
        """`request` with the frame's fields as keywords."""
        return await self.request({"type": kind, **fields})

    async def refused(self, kind: str, code: str, **fields: Any) -> str:
        """Asks, checks the answer is an error with `code`, returns its message."""
        answer = await self.ask(kind, **fields)
        assert answer["type"] == "error" and answer["code"] == code, answer
        message: str = answer["message"]
        return message

    async def say(self, text: str, cid: str = ROOM, **fields: Any) -> dict[str, Any]:
        """Sends a message and returns the stored message (from message.sent)."""
        sent = await self.ask("message.new", cid=cid, text=text, **fields)
        assert sent["type"] == "message.sent", sent
        message: dict[str, Any] = sent["message"]
        return message

    async def drain(self, timeout: float = 0.2) -> list[dict[str, Any]]:
        """Every frame that arrives before `timeout` seconds of quiet."""
        frames: list[dict[str, Any]] = []
        while not await self.communicator.receive_nothing(timeout=timeout):
            frames.append(await self.recv())
        return frames


Opener = Any


async def open_socket(opened: list[WebsocketCommunicator], user: str, **claims: object) -> Checked:
    communicator = WebsocketCommunicator(application, f"/ws/chat/?token={token(user, **claims)}")
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    opened.append(communicator)
    client = Checked(communicator, user)
    hello = await client.recv()
    assert hello["type"] == "health.check", hello
    client.hello = hello
    return client


@pytest.fixture
async def sockets(transactional_db: None) -> AsyncIterator[Opener]:
    """Opens checked sockets (`await sockets("alice", app_metadata={"role": "admin"})`)."""
    opened: list[WebsocketCommunicator] = []

    async def _open(user: str, **claims: object) -> Checked:
        return await open_socket(opened, user, **claims)

    yield _open
    for communicator in opened:
        await communicator.disconnect()


@dataclass
class Room:
    """messaging:room, created by alice with bob as a member, both watching; mallory is outside."""

    alice: Checked
    bob: Checked
    mallory: Checked
    open: Opener

    async def quiet(self) -> None:
        """Drops whatever the sockets have not read yet."""
        for client in (self.alice, self.bob, self.mallory):
            await client.drain(0.05)


@pytest.fixture
async def room(sockets: Opener) -> Room:
    alice = await sockets("alice")
    bob = await sockets("bob")
    mallory = await sockets("mallory")
    await alice.watch(ROOM, data={"members": ["bob"]})
    await bob.watch(ROOM)
    await alice.next_of("user.watching.start")
    return Room(alice, bob, mallory, sockets)
