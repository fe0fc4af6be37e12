"""Real backend processes for tests: migrate, serve on a free port, stop (gently or with SIGKILL)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Self

from jatte.processes import ChildServer, free_port, healthy

__all__ = ["BACKEND_DIR", "BackendProcess", "free_port"]

BACKEND_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


class BackendProcess(ChildServer):
    """`manage.py migrate` then `python -m jatte.serve` (daphne or uvicorn) on 127.0.0.1."""

    def __init__(
        self, env: dict[str, str], log: Path, server: str = "daphne", port: int | None = None
    ) -> None:
        super().__init__("backend", port or free_port(), log)
        self.env = {**os.environ, **env}
        self.server = server

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/chat/"

    def command(self) -> tuple[list[str], Path, dict[str, str]]:
        argv = [str(BIN / "python"), "-m", "jatte.serve", "--server", self.server, "--port", str(self.port)]
        return argv, BACKEND_DIR, self.env

    def ready(self) -> bool:
        return healthy(f"http://127.0.0.1:{self.port}/healthz")

    def migrate(self) -> None:
        subprocess.run(
            [str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v0"],
            cwd=BACKEND_DIR,
            env=self.env,
            check=True,
        )

    def start(self, timeout: float = 30) -> Self:
        self.migrate()
        return super().start(timeout)
