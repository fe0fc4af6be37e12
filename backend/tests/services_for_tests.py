"""Throwaway infrastructure for tests: a private redis-server to kill, a fresh PostgreSQL database."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import redis

from .conftest import require_service
from .servers import free_port

__all__ = ["POSTGRES_URL", "RedisServer", "fresh_postgres", "postgres_reachable", "psycopg_url"]

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


def psycopg_url(url: str) -> str:
    """A DATABASE_URL as psycopg spells it."""
    return url.replace("postgres://", "postgresql://", 1)


def postgres_reachable() -> bool:
    try:
        with psycopg.connect(psycopg_url(POSTGRES_URL), connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


@contextlib.contextmanager
def fresh_postgres() -> Iterator[str]:
    """A new, empty database on the test PostgreSQL server, dropped afterwards; yields its URL."""
    require_service("PostgreSQL", postgres_reachable(), POSTGRES_URL)
    admin = psycopg_url(POSTGRES_URL)
    name = f"jatte_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class RedisServer:
    """A redis-server of the test's own on a free port, which the test may SIGKILL and restart."""

    def __init__(self, log: Path) -> None:
        binary = shutil.which("redis-server")
        require_service("redis-server (the binary)", binary is not None, "PATH")
        assert binary is not None
        self.binary = binary
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping():
                    return self
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server on {self.port} did not start; log:\n{self.log.read_text()}")

    def kill(self) -> None:
        """SIGKILL: every connection drops and nothing published is kept."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None
