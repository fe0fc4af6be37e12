"""The reconnect storm, reduced (issue 12): 500 real shim clients, each watching 3 channels with
history and unread state, lose their server to SIGKILL; it restarts; every client comes back with
the shim's own backoff, re-watches and resends. Correctness only (the bench times the full storm):
every client back, nothing acknowledged lost, nothing stored or held twice."""

from __future__ import annotations

import asyncio
from pathlib import Path

from chat.auth import mint_token

from .servers import BackendProcess, free_port
from .storm import check, run_storm, seed, stored_messages

USERS = 500


async def test_storm_of_500_clients_brings_every_client_back_and_loses_or_doubles_nothing(
    tmp_path: Path,
) -> None:
    database = tmp_path / "chat.sqlite3"
    backend = BackendProcess(
        {"DATABASE_URL": f"sqlite:///{database}"}, tmp_path / "server.log", server="uvicorn", port=free_port()
    )
    await asyncio.to_thread(backend.migrate)
    await asyncio.to_thread(seed, backend.env, USERS, 20)
    await asyncio.to_thread(backend.start)
    try:
        result = await run_storm(
            backend,
            ws_url=backend.ws_url,
            users=USERS,
            mint=lambda user: mint_token(user, user),
            workdir=tmp_path,
            within=40,
        )
    finally:
        await asyncio.to_thread(backend.stop)
    stored = stored_messages(database)
    assert check(result["clients"], stored) == {}
    assert result["back"] == USERS, f"{USERS - result['back']} clients never came back"
    storm_messages = [m for ids in stored.values() for m in ids if m.startswith(("before-", "inflight-"))]
    assert len(storm_messages) == 2 * USERS  # each client's two sends, stored once each
    print({k: v for k, v in result.items() if k != "clients"})
