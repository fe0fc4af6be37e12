"""What a run ran on: the machine, the Python packages, and the services the scale-out scenario used."""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import subprocess
from typing import Any

from plan import Plan
from servers import REPO

__all__ = ["machine", "service_versions", "versions"]


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError), open("/proc/meminfo") as info:
        for line in info:
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    system = platform.platform()
    with contextlib.suppress(OSError), open("/etc/os-release") as release:
        for line in release:
            if line.startswith("PRETTY_NAME="):
                system = f"{line.split('=', 1)[1].strip().strip(chr(34))}, Linux {platform.release()}"
    return {"CPU": cpu, "cores": str(os.cpu_count()), "RAM": ram, "OS": system}


def versions() -> str:
    names = [
        "django",
        "channels",
        "daphne",
        "uvicorn",
        "websockets",
        "uvloop",
        "channels-redis",
        "redis",
        "psycopg",
        "pydantic",
    ]
    parts = [f"Python {platform.python_version()}"]
    for name in names:
        try:
            parts.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    return ", ".join(parts)


def service_versions(plan: Plan) -> str:
    found = []
    with contextlib.suppress(Exception):
        import redis

        info: dict[str, Any] = redis.Redis.from_url(plan.redis_url, socket_connect_timeout=2).info("server")  # type: ignore[assignment]
        found.append(f"Redis {info['redis_version']}")
    with contextlib.suppress(Exception):
        import psycopg

        with psycopg.connect(
            plan.postgres_url.replace("postgres://", "postgresql://", 1), connect_timeout=3
        ) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            assert row is not None
            found.append(f"PostgreSQL {row[0]}")
    with contextlib.suppress(Exception):
        done = subprocess.run(
            [str(REPO / "node_modules" / ".bin" / "esbuild"), "--version"],
            capture_output=True,
            text=True,
            check=True,
        )
        found.append(f"esbuild {done.stdout.strip()}")
    return ", ".join(found) or "none reachable"
