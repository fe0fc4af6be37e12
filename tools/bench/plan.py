"""What a benchmark run measures and what it found: the servers, the scenarios, the plan, the results."""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field, replace
from typing import Any

from profiles import Profile
from servers import BACKEND, BenchError

__all__ = [
    "HISTORY_CID",
    "HOT_CID",
    "JATTE",
    "JATTE_ENV",
    "LABELS",
    "SECRET",
    "SERVERS",
    "Plan",
    "Results",
    "quick_plan",
]

SERVERS = ("floor", "textbook", "daphne", "uvicorn")
LABELS = {
    "floor": "floor (websockets)",
    "textbook": "textbook Channels (daphne)",
    "daphne": "Jatte (daphne)",
    "uvicorn": "Jatte (uvicorn)",
}
JATTE = ("daphne", "uvicorn")
HOT_CID = "livestream:bench"
# One bench user sends up to thousands of messages a second: far past the per-user rate limits
# (Stream's 60 a minute), which are raised for the run. Everything else is as shipped.
JATTE_ENV = {
    "DJANGO_DEBUG": "0",
    "JATTE_RATE_LIMIT_PER_MINUTE": "100000000",
    "JATTE_RATE_LIMIT_BURST": "100000000",
}
HISTORY_CID = "messaging:history"


def dev_secret() -> str:
    """The backend's development JWT secret, read from settings.py without importing Django."""
    tree = ast.parse((BACKEND / "jatte" / "settings.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "DEV_JWT_SECRET" for t in node.targets
        ):
            assert isinstance(node.value, ast.Constant)
            return str(node.value.value)
    raise BenchError("DEV_JWT_SECRET not found in backend/jatte/settings.py")


SECRET = os.environ.get("SUPABASE_JWT_SECRET") or dev_secret()


@dataclass(frozen=True)
class Plan:
    """What one run measures; `--quick` shrinks the counts and durations, not the shape."""

    quick: bool
    servers: tuple[str, ...]
    scenarios: tuple[str, ...]
    seconds: float = 10  # measured window of the paced scenarios
    throughput_seconds: float = 8
    idle: int = 5000  # idle sockets beside the latency scenario
    connections: int = 10_000
    timed_open: int = 2000
    open_processes: int = 2  # load processes opening the timed sockets together
    open_budget: float = 25  # seconds to open the sockets past the latency's (a slow server holds fewer)
    history: int = 1_000_000
    history_watches: int = 200
    fanout_watchers: int = 200
    # One Jatte server for these two keeps the run under 10 minutes; --profile / --scaleout add daphne.
    profile: tuple[str, ...] = ("uvicorn",)
    scaleout: tuple[str, ...] = ("uvicorn",)
    profile_seconds: float = 5
    storm_users: int = 5000  # the reconnect storm's shim clients (issue 12)
    storm_processes: int = 2  # Node processes they run in
    redis_url: str = "redis://127.0.0.1:6379/9"
    postgres_url: str = "postgres://postgres@127.0.0.1:5432/postgres"

    @property
    def seeded_idle(self) -> int:
        return max(self.idle, self.connections) + 100


def quick_plan(plan: Plan) -> Plan:
    """A 2-3 minute run with the same shape: fewer sockets and messages, shorter windows, no profiles."""
    return replace(
        plan,
        seconds=3,
        throughput_seconds=3,
        idle=500,
        connections=1000,
        timed_open=1000,
        open_budget=20,
        history=200_000,
        history_watches=40,
        profile=(),
        scaleout=plan.scaleout[:1],
        storm_users=500,
        storm_processes=1,
    )


@dataclass
class Results:
    """Figures per scenario and server, notes per scenario, and py-spy profiles per scenario and server."""

    plan: Plan
    results: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    profiles: dict[str, dict[str, Profile]] = field(default_factory=dict)
