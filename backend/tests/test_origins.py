"""Origins: browsers from ALLOWED_ORIGINS and clients without an Origin header connect; other pages hear 4003."""

from __future__ import annotations

import json
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator

from chat.auth import mint_token
from chat.frames import CloseCode
from jatte.asgi import application


async def _open(origin: str | None) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    """Connects as alice from `origin` and returns the first thing the server says."""
    headers = [(b"origin", origin.encode("latin-1"))] if origin is not None else []
    communicator = WebsocketCommunicator(
        application, f"/ws/chat/?token={mint_token('alice')}", headers=headers
    )
    connected, _ = await communicator.connect()
    assert connected  # accepted either way, so a refused page can read the close code
    output: dict[str, Any] = await communicator.receive_output(timeout=2)
    return communicator, output


async def _connects(origin: str | None) -> bool:
    communicator, output = await _open(origin)
    if output["type"] == "websocket.close":
        assert output["code"] == CloseCode.FORBIDDEN_ORIGIN, output
        assert "is not allowed" in output["reason"]
        return False
    assert json.loads(output["text"])["type"] == "health.check"
    await communicator.disconnect()
    return True


async def test_origin_absent_connects_because_only_browsers_send_one(transactional_db: None) -> None:
    assert await _connects(None)


@pytest.mark.parametrize(
    "origin",
    ["http://localhost:3000", "http://127.0.0.1:3000", "http://127.0.0.1:54321", "http://[::1]:3000"],
)
async def test_origin_default_admits_pages_served_from_this_machine(
    transactional_db: None, origin: str
) -> None:
    assert await _connects(origin)


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "http://localhost.evil.example:3000",
        "http://127.0.0.1.nip.io:3000",
        "null",
        "http://[::1",
        "",
    ],
)
async def test_origin_default_refuses_other_pages_with_4003_before_any_frame(
    transactional_db: None, origin: str
) -> None:
    communicator, output = await _open(origin)
    assert output["type"] == "websocket.close"
    assert output["code"] == CloseCode.FORBIDDEN_ORIGIN
    await communicator.wait()


async def test_origin_refusal_names_the_origin(transactional_db: None) -> None:
    _, output = await _open("https://evil.example")
    assert output["reason"] == "origin 'https://evil.example' is not allowed"


async def test_origin_configured_list_admits_exactly_its_origins(
    transactional_db: None, settings: Any
) -> None:
    settings.ALLOWED_ORIGINS = ["https://chat.example.com", ".example.org"]
    assert await _connects("https://chat.example.com")
    assert await _connects("https://app.example.org")
    assert await _connects(None)
    assert not await _connects("http://chat.example.com")  # another scheme is another origin
    assert not await _connects("https://chat.example.com:8443")
    assert not await _connects("http://localhost:3000")


async def test_origin_star_admits_every_page(transactional_db: None, settings: Any) -> None:
    settings.ALLOWED_ORIGINS = ["*"]
    assert await _connects("https://anywhere.example")
    assert await _connects("null")
