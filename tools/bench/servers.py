"""The processes under test, the load processes that drive them, and what /proc says about them."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent.parent
BACKEND = REPO / "backend"
# The process helpers the backend's tests use too (standard library only: no Django, no pytest).
sys.path.append(str(BACKEND))
from jatte.processes import ChildServer, ServerNotReady, free_port  # noqa: E402

__all__ = [
    "BACKEND",
    "BENCH",
    "PY",
    "REPO",
    "TEXTBOOK",
    "BenchError",
    "Server",
    "Worker",
    "drop_postgres_database",
    "new_postgres_database",
    "postgres_problem",
    "run_checked",
]

TEXTBOOK = BENCH / "textbook"
PY = str(Path(sys.executable))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


class BenchError(RuntimeError):
    """Raised when a server or a load process fails in a way the run cannot measure through."""


def postgres_problem(url: str) -> str | None:
    """Why the scenarios that also measure PostgreSQL cannot reach it at `url`, or None."""
    try:
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return None
    except ImportError:
        return "psycopg is not installed"
    except psycopg.Error as error:
        return f"PostgreSQL at {url} is not reachable ({str(error).strip()[:100]})"


def new_postgres_database(server_url: str, prefix: str) -> tuple[str, str]:
    """Creates an empty database on the PostgreSQL server of `server_url`; its URL and its name."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = server_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name, name


def drop_postgres_database(server_url: str, name: str) -> None:
    """Drops what new_postgres_database made, connections and all."""
    import psycopg

    admin = server_url.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_checked(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> str:
    """Runs a setup command to completion; its output goes to `log`, a failure raises with the tail."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    with log.open("a") as out:
        out.write(f"$ {' '.join(command)}\n{done.stdout}{done.stderr}")
    if done.returncode:
        raise BenchError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


class Server(ChildServer):
    """One server process on a free port: the floor, the textbook consumer, or the backend."""

    def __init__(self, kind: str, workdir: Path, env: dict[str, str] | None = None) -> None:
        port = free_port()
        super().__init__(kind, port, workdir / f"{kind}-{port}.log")
        self.kind = kind  # floor | textbook | daphne | uvicorn
        self.env = env or {}

    @classmethod
    async def launch(cls, kind: str, workdir: Path, env: dict[str, str] | None = None) -> Server:
        """Spawns the server and returns once its port accepts connections."""
        server = cls(kind, workdir, env)
        try:
            return await asyncio.to_thread(server.start)
        except ServerNotReady as failure:
            server.stop()
            raise BenchError(str(failure)) from None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/chat/"

    def command(self) -> tuple[list[str], Path, dict[str, str]]:
        env = {**os.environ, **self.env}
        if self.kind == "floor":
            return [PY, str(BENCH / "floor_server.py"), "--port", str(self.port)], BENCH, env
        if self.kind == "textbook":
            daphne = ["-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "textbook.asgi:application"]
            return [PY, *daphne], TEXTBOOK, env
        return [PY, "-m", "jatte.serve", "--server", self.kind, "--port", str(self.port)], BACKEND, env

    def rss_kib(self) -> int:
        """Resident memory now, from /proc (the whole process: every thread shares it)."""
        with open(f"/proc/{self.pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE_KIB

    def cpu_seconds(self) -> float:
        """User + system CPU of the process so far, every thread included."""
        with open(f"/proc/{self.pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


class Worker:
    """A load process (load.py) driven by one JSON line per command."""

    def __init__(self, process: asyncio.subprocess.Process, name: str, log: Path) -> None:
        self.process = process
        self.name = name
        self.log = log

    @classmethod
    async def start(cls, name: str, spec: dict[str, Any], workdir: Path, ready_within: float = 180) -> Worker:
        log = workdir / f"load-{name}-{os.getpid()}-{time.monotonic_ns()}.log"
        with log.open("wb") as err:
            process = await asyncio.create_subprocess_exec(
                PY,
                str(BENCH / "load.py"),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=err,
                limit=2**28,
            )
        worker = cls(process, name, log)
        await worker.send({"cmd": "setup", **spec})
        if spec["role"] not in {"history", "lists"}:
            await worker.expect("ready", ready_within)
        return worker

    async def send(self, command: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps(command) + "\n").encode())
        await self.process.stdin.drain()

    async def expect(self, event: str, within: float = 120) -> dict[str, Any]:
        """Reads reports until `event`; a `failed` report, an exit or `within` seconds of silence raise."""
        assert self.process.stdout is not None
        while True:
            try:
                line = await asyncio.wait_for(self.process.stdout.readline(), within)
            except TimeoutError:
                raise BenchError(f"load process {self.name}: no {event!r} within {within:.0f} s") from None
            if not line:
                raise BenchError(f"load process {self.name} exited before {event!r}:\n{self.stderr_tail()}")
            message: dict[str, Any] = json.loads(line)
            if message.get("event") == "failed":
                raise BenchError(f"load process {self.name}: {message['error']}\n{self.stderr_tail()}")
            if message.get("event") == event:
                return message

    def stderr_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-15:])
        except OSError:
            return ""

    async def stop(self) -> None:
        if self.process.returncode is None:
            try:
                await self.send({"cmd": "stop"})
                assert self.process.stdin is not None
                self.process.stdin.close()
                await asyncio.wait_for(self.process.wait(), 15)
            except (TimeoutError, BrokenPipeError, ConnectionResetError):
                self.process.kill()
                await self.process.wait()
