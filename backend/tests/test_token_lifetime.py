"""A socket lives no longer than its token (issue 14), on a real uvicorn process.

When the token's `exp` passes, the server sends `error {code: "token_expired"}` and closes with
4002 on its own, without waiting for a frame; a token already expired at connect gets the same
answer, so a client with a token provider knows to fetch a new one (4001 means: do not retry).
With the real shim and a provider, the socket is renewed mid-run and no acknowledged message is lost.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
import websockets

from chat.auth import mint_token

from .live_shim import assert_nothing_lost, driving
from .servers import BackendProcess

UNLIMITED = {"JATTE_RATE_LIMIT_PER_MINUTE": "1000000", "JATTE_RATE_LIMIT_BURST": "1000000"}


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    folder = tmp_path_factory.mktemp("token_lifetime")
    process = BackendProcess(
        {"DATABASE_URL": f"sqlite:///{folder / 'chat.sqlite3'}", **UNLIMITED},
        folder / "server.log",
        server="uvicorn",
    )
    process.start()
    yield process
    process.stop()


async def _frames_until_closed(url: str, timeout: float) -> tuple[list[dict[str, object]], int | None, float]:
    """Every frame the server sends on a socket it closes itself, the close code and the close time."""
    frames: list[dict[str, object]] = []
    async with websockets.connect(url) as socket:
        try:
            async with asyncio.timeout(timeout):
                async for text in socket:
                    frames.append(json.loads(text))
        except websockets.ConnectionClosed:
            pass
        closed_at = time.time()
        return frames, socket.close_code, closed_at


async def test_socket_is_closed_with_4002_within_a_second_after_its_token_expires(
    backend: BackendProcess,
) -> None:
    token = mint_token("erin", "Erin", ttl_seconds=3)
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    frames, code, closed_at = await _frames_until_closed(f"{backend.ws_url}?token={token}", 15)
    assert frames[0]["type"] == "health.check"
    assert frames[-1]["type"] == "error" and frames[-1]["code"] == "token_expired", frames[-1]
    assert code == 4002
    assert expires - 0.05 <= closed_at <= expires + 1.0, f"closed {closed_at - expires:+.2f} s after exp"


async def test_token_expired_before_connecting_is_answered_token_expired_and_4002(
    backend: BackendProcess,
) -> None:
    token = mint_token("erin", "Erin", ttl_seconds=-30)
    frames, code, _ = await _frames_until_closed(f"{backend.ws_url}?token={token}", 10)
    assert [frame["type"] for frame in frames] == ["error"]
    assert frames[0]["code"] == "token_expired"
    assert code == 4002


async def test_forged_token_is_still_refused_with_4001(backend: BackendProcess) -> None:
    token = mint_token("erin", "Erin")[:-4] + "AAAA"
    frames, code, _ = await _frames_until_closed(f"{backend.ws_url}?token={token}", 10)
    assert frames == []
    assert code == 4001


async def test_shim_with_a_token_provider_renews_an_expiring_socket_and_loses_nothing(
    backend: BackendProcess, tmp_path: Path
) -> None:
    """Alice's first token expires mid-run; her provider hands the shim a second one."""
    cid, per_client = "messaging:renewal", 150
    tokens = [mint_token("alice", "alice", ttl_seconds=2), mint_token("alice", "alice")]
    extra = {"ALICE_TOKENS": ",".join(tokens)}
    async with driving(backend.ws_url, tmp_path, cid, per_client, extra) as driver:
        clients = await driver.finish()
    alice = clients["alice"]
    assert alice["tokens_used"] == 2, "the provider was not asked for a fresh token"
    assert alice["outages"] >= 1
    assert clients["bob"]["outages"] == 0
    database = Path(backend.env["DATABASE_URL"].removeprefix("sqlite:///"))
    with sqlite3.connect(database) as db:
        stored = [
            row[0]
            for row in db.execute(
                "SELECT m.message_id FROM chat_message m JOIN chat_channel c ON c.id = m.channel_id"
                " WHERE c.cid = ? ORDER BY m.seq",
                (cid,),
            )
        ]
    assert_nothing_lost(clients, stored, per_client, expect_resent=False, expect_outage=False)
