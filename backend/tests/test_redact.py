"""No access token reaches a log: the servers' access logs and every Python log record are redacted."""

from __future__ import annotations

import asyncio
import json
import logging
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import websockets

from chat.auth import mint_token
from jatte.redact import REDACTED, redact

from .servers import BackendProcess

TOKEN = mint_token("alice", ttl_seconds=3600)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"GET /ws/chat/?token={TOKEN} 101", f"GET /ws/chat/?token={REDACTED} 101"),
        (f"/ws/chat/?a=1&token={TOKEN}&b=2", f"/ws/chat/?a=1&token={REDACTED}&b=2"),
        ("/connect?api_key=k&authorization=abc.def&x=1", f"/connect?api_key=k&authorization={REDACTED}&x=1"),
        ("/ws/chat/?token=not-even-a-jwt", f"/ws/chat/?token={REDACTED}"),
        (f"refused {TOKEN!r} for alice", f"refused '{REDACTED}' for alice"),
        ("GET /healthz 200", "GET /healthz 200"),
    ],
    ids=["query", "query-middle", "stream-authorization", "any-token-value", "bare-jwt", "nothing-secret"],
)
def test_redact_replaces_token_parameters_and_jwts(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_log_records_are_redacted_in_message_args_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("jatte.tests.redact")
    with caplog.at_level(logging.INFO, logger="jatte.tests.redact"):
        logger.info('%s - "WebSocket %s" [accepted]', "127.0.0.1:5", f"/ws/chat/?token={TOKEN}")
        logger.info(f"inline {TOKEN}")
        try:
            raise ValueError(f"bad url /ws/chat/?token={TOKEN}")
        except ValueError:
            logger.exception("failed")
    assert TOKEN not in caplog.text
    assert f'"WebSocket /ws/chat/?token={REDACTED}" [accepted]' in caplog.text
    assert f"ValueError: bad url /ws/chat/?token={REDACTED}" in caplog.text


@pytest.fixture(params=["daphne", "uvicorn"])
def logged_backend(tmp_path: Path, request: pytest.FixtureRequest) -> BackendProcess:
    backend = BackendProcess(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'chat.sqlite3'}"},
        tmp_path / "server.log",
        server=request.param,
    )
    return backend


async def test_server_logs_never_contain_the_token(logged_backend: BackendProcess) -> None:
    backend = logged_backend.start()
    try:
        socket = await websockets.connect(f"{backend.ws_url}?token={TOKEN}")
        assert json.loads(await socket.recv())["type"] == "health.check"
        await socket.close()
        forged = TOKEN[:-4] + "AAAA"
        refused = await websockets.connect(f"{backend.ws_url}?token={forged}")
        with pytest.raises(websockets.ConnectionClosed):
            await refused.recv()
        # A plain HTTP request to the socket's URL (a misconfigured proxy, a curious user) is logged too.
        with pytest.raises(urllib.error.HTTPError):
            await asyncio.to_thread(
                urllib.request.urlopen, f"http://127.0.0.1:{backend.port}/ws/chat/?token={TOKEN}", timeout=5
            )
    finally:
        backend.stop()
    log = backend.log.read_text()
    assert TOKEN not in log and forged not in log
    assert TOKEN.split(".")[2] not in log  # not even the signature alone
    assert f"/ws/chat/?token={REDACTED}" in log  # the request is logged, its token is not
    assert "/ws/chat/" in log
