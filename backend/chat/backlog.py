"""The database thread's backlog: the calls handed to it and not yet finished, for admission.

Every database call of the sockets runs on one thread (channels' `database_sync_to_async`, thread
sensitive). In a reconnect storm each client signs in and re-watches its channels, about eight
calls; thousands of clients queue tens of thousands of calls there, each socket's own wait behind
everyone's, and almost no socket finishes catching up (measured: of 5,000 clients, 203 were back
120 s after the restart). With JATTE_MAX_DATABASE_BACKLOG set, `chat.limits.Admission` admits no
new socket while the backlog is at that bound: the admitted ones are answered in a bounded time,
the others wait in their own timers (4013, retry after N ms) and come back at the rate the server
serves (5,000 clients, a bound of 200: 2,484 back within 120 s, against 39 without it). It is off by
default because it costs a smaller crowd time: 500 clients were all back in 23 s rather than 10,
and a burst of 1,000 new sockets opened in 9.8 s rather than 7.0 (BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from channels.db import database_sync_to_async

__all__ = ["backlog", "on_database"]

R = TypeVar("R")

_waiting = 0  # calls handed to the database thread and not yet finished, in this process


def backlog() -> int:
    """How many database calls are waiting for, or running on, the database thread."""
    return _waiting


def on_database(function: Callable[..., R]) -> Callable[..., Awaitable[R]]:
    """`function` run on the database thread (as `database_sync_to_async`), counted while it waits."""
    run = database_sync_to_async(function)

    async def counted(*args: Any, **kwargs: Any) -> R:
        global _waiting
        _waiting += 1
        try:
            result: R = await run(*args, **kwargs)
            return result
        finally:
            _waiting -= 1

    return counted
