"""Real backend processes for tests: migrate, serve on a free port, stop (gently or with SIGKILL)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

__all__ = ["BACKEND_DIR", "BackendProcess", "free_port"]

BACKEND_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class BackendProcess:
    """`manage.py migrate` then `python -m jatte.serve` (daphne or uvicorn) on 127.0.0.1."""

    def __init__(
        self, env: dict[str, str], log: Path, server: str = "daphne", port: int | None = None
    ) -> None:
        self.env = {**os.environ, **env}
        self.log = log
        self.server = server
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/chat/"

    def migrate(self) -> None:
        subprocess.run(
            [str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v0"],
            cwd=BACKEND_DIR,
            env=self.env,
            check=True,
        )

    def start(self) -> BackendProcess:
        self.migrate()
        command = [
            str(BIN / "python"),
            "-m",
            "jatte.serve",
            "--server",
            self.server,
            "--port",
            str(self.port),
        ]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                command, cwd=BACKEND_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"backend exited with {self.process.returncode}; log:\n{self.log.read_text()}"
                )
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=1) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"backend not ready after {timeout}s; log:\n{self.log.read_text()}")

    def stop(self, kill: bool = False) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
