"""The real shim in Node (libs/chat-shim/tests/live/recovery.live.ts) driven from a test.

Two clients, alice and bob, watch one channel and each send `per_client` messages without waiting
for acks; the test breaks something under them and then checks, with `assert_nothing_lost`, that
every send was acknowledged and both clients hold every stored message once, in the server's order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from chat.auth import mint_token

from .servers import BACKEND_DIR

__all__ = ["Driver", "assert_nothing_lost", "driving"]

REPO = BACKEND_DIR.parent
TSX = REPO / "node_modules" / ".bin" / "tsx"
DRIVER = REPO / "libs" / "chat-shim" / "tests" / "live" / "recovery.live.ts"


class Driver:
    """The Node driver as a subprocess, read one JSON line (one event) at a time."""

    def __init__(self, process: asyncio.subprocess.Process, tmp_path: Path) -> None:
        self.process = process
        self.stderr = tmp_path / "driver.stderr"
        self.report = tmp_path / "driver.jsonl"  # every event, for reading after a failure
        self.events: list[dict[str, Any]] = []

    @classmethod
    async def start(
        cls, ws_url: str, tmp_path: Path, cid: str, per_client: int, extra: dict[str, str] | None = None
    ) -> Driver:
        env = {
            **os.environ,
            "JATTE_WS_URL": ws_url,
            "ALICE_TOKEN": mint_token("alice", "alice"),
            "BOB_TOKEN": mint_token("bob", "bob"),
            "RECOVERY_CID": cid,
            "RECOVERY_COUNT": str(per_client),
            "RECOVERY_INTERVAL_MS": "15",
            "RECOVERY_RUN": uuid.uuid4().hex[:8],
            "RECOVERY_DEADLINE_MS": "40000",
            **(extra or {}),
        }
        with (tmp_path / "driver.stderr").open("wb") as err:
            process = await asyncio.create_subprocess_exec(
                str(TSX),
                str(DRIVER),
                cwd=REPO,
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=err,
                limit=1 << 24,  # the last line lists every id twice per client
            )
        return cls(process, tmp_path)

    async def until(self, wanted: Callable[[dict[str, Any]], bool], timeout: float = 30) -> dict[str, Any]:
        """Reads events until one is `wanted`; fails on a crash, an early exit or the timeout."""
        assert self.process.stdout is not None
        async with asyncio.timeout(timeout):
            while True:
                line = await self.process.stdout.readline()
                if not line:
                    await self.process.wait()
                    raise AssertionError(
                        f"driver exited with {self.process.returncode} before the awaited event;"
                        f" last events {self.events[-5:]}; stderr:\n{self.stderr.read_text()}"
                    )
                with self.report.open("ab") as report:
                    report.write(line)
                event: dict[str, Any] = json.loads(line)
                self.events.append(event)
                assert event["event"] != "crashed", event["error"]
                if wanted(event):
                    return event

    async def finish(self, timeout: float = 45) -> dict[str, Any]:
        """The driver's final report, once it has exited cleanly."""
        done = await self.until(lambda e: e["event"] == "done", timeout)
        assert await asyncio.wait_for(self.process.wait(), 10) == 0, self.stderr.read_text()
        clients: dict[str, Any] = done["clients"]
        return clients

    def stop(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


@contextlib.asynccontextmanager
async def driving(
    ws_url: str, tmp_path: Path, cid: str, per_client: int, extra: dict[str, str] | None = None
) -> AsyncIterator[Driver]:
    driver = await Driver.start(ws_url, tmp_path, cid, per_client, extra)
    try:
        await driver.until(lambda e: e["event"] == "ready")
        yield driver
    finally:
        driver.stop()
        await driver.process.wait()


def assert_nothing_lost(
    clients: dict[str, Any],
    stored: list[str],
    per_client: int,
    expect_resent: bool = True,
    expect_outage: bool = True,
    server_order: bool = True,
) -> None:
    """Every send acked under its id, stored once, and held once by both clients in each sender's
    order; with `server_order`, also in `stored` order (one process decides every timestamp)."""
    acked: list[str] = []
    for name, client in clients.items():
        assert client["failed"] == [], f"{name}: sends refused: {client['failed'][:5]}"
        unanswered = [sent for sent, ack in zip(client["sent"], client["acked"], strict=True) if ack != sent]
        assert unanswered == [], (
            f"{name}: {len(unanswered)} sends not acknowledged under their own id: {unanswered[:5]}"
        )
        assert len(client["sent"]) == per_client
        acked += client["sent"]
        if expect_outage:
            assert client["outages"] >= 1, f"{name} never lost its connection: the fault missed it"
        if expect_resent:
            assert client["resent"] >= 1, f"{name} had no send in flight at the fault: nothing was resent"
        assert client["online"] and client["recoveries"] >= client["outages"], (
            f"{name} did not re-watch after its last outage: {client}"
        )
    assert len(stored) == len(set(stored)), "the database holds a message twice"
    assert sorted(stored) == sorted(acked), (
        f"database vs acks: missing {sorted(set(acked) - set(stored))[:5]},"
        f" unacknowledged {sorted(set(stored) - set(acked))[:5]}"
    )
    for name, client in clients.items():
        held: list[str] = client["held"]
        holds = set(held)
        doubled = [message_id for message_id, n in Counter(held).items() if n > 1]
        assert doubled == [], f"{name} holds messages twice: {doubled[:5]}"
        missing = [message_id for message_id in stored if message_id not in holds]
        assert missing == [], f"{name} lost {len(missing)} acknowledged messages: {missing[:5]}"
        assert len(held) == len(stored), f"{name} holds messages nobody acknowledged"
        if server_order:
            out_of_order = [(n, a, b) for n, (a, b) in enumerate(zip(held, stored, strict=True)) if a != b]
            assert out_of_order == [], f"{name}'s order differs from the server's at {out_of_order[:3]}"
        for sender, sent in ((other, clients[other]["sent"]) for other in clients):
            as_held = [message_id for message_id in held if message_id in set(sent)]
            assert as_held == sent, f"{name} holds {sender}'s messages out of their send order"
    if server_order:
        assert clients["alice"]["held"] == clients["bob"]["held"]
