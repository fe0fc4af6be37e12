"""Server child processes for the tests and the benchmark: a free port, a log, ready or a clear failure.

Standard library only, so the benchmark (tools/bench) imports it without Django or pytest.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Self

__all__ = ["ChildServer", "ServerNotReady", "free_port", "healthy", "listening"]


class ServerNotReady(RuntimeError):
    """Raised when a child server exits, or does not answer, before its start deadline."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def listening(port: int) -> bool:
    """Whether 127.0.0.1:`port` accepts a TCP connection."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def healthy(url: str) -> bool:
    """Whether `url` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=1) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


class ChildServer:
    """One server process on 127.0.0.1:`port`, its output appended to `log`.

    `ready` says when it serves; the default is that its port accepts connections.
    """

    def __init__(self, name: str, port: int, log: Path) -> None:
        self.name = name
        self.port = port
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> tuple[list[str], Path, dict[str, str]]:
        """The argv, working directory and full environment of the process."""
        raise NotImplementedError

    def ready(self) -> bool:
        return listening(self.port)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 30) -> Self:
        """Spawns the process and returns once it is ready; raises ServerNotReady with the log's tail."""
        argv, cwd, env = self.command()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerNotReady(f"{self.name} exited with {self.process.returncode}:\n{self.tail()}")
            if self.ready():
                return self
            time.sleep(0.1)
        raise ServerNotReady(
            f"{self.name} on port {self.port} not ready within {timeout:.0f} s:\n{self.tail()}"
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self, lines: int = 30) -> str:
        """The end of the log, for failure messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, kill: bool = False) -> None:
        """SIGTERM (or SIGKILL with `kill`), then SIGKILL after 10 s; a stopped server stays stopped."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
