"""Open sockets by user, and the watch that ends them when their user is deactivated.

Deactivating a user is a row change (`ChatUser.deactivated_at`, set in the Django admin or by any
other writer), so every process notices it the same way, with or without Redis: a poll, every
POLL_SECONDS while the process holds sockets, for users deactivated lately. One indexed query per
process per poll, whatever the number of sockets.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import weakref
from typing import Protocol

from django.db import DatabaseError
from django.utils import timezone

from chat.backlog import on_database
from chat.models import ChatUser

__all__ = ["POLL_SECONDS", "Session", "Sessions", "get_sessions"]

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.25  # a deactivated user's sockets close within about this long
# Deactivations are read back this far, so a clock between processes that runs a little behind
# (or a transaction that commits late) is still seen; ending a session twice does nothing.
LOOKBACK = dt.timedelta(seconds=10)


class Session(Protocol):
    connection_id: str

    def deactivated(self) -> None:
        """The socket's user was deactivated: close it for good."""


class Sessions:
    def __init__(self, interval: float = POLL_SECONDS) -> None:
        self.interval = interval
        self._by_user: dict[str, dict[str, Session]] = {}
        self._task: asyncio.Task[None] | None = None

    def add(self, user_id: str, session: Session) -> None:
        self._by_user.setdefault(user_id, {})[session.connection_id] = session
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._watch())

    def discard(self, user_id: str, session: Session) -> None:
        sessions = self._by_user.get(user_id)
        if sessions is not None and sessions.pop(session.connection_id, None) is not None and not sessions:
            del self._by_user[user_id]

    async def _watch(self) -> None:
        while self._by_user:
            await asyncio.sleep(self.interval)
            try:
                users = await on_database(_deactivated_since)(timezone.now() - LOOKBACK)
            except DatabaseError:
                logger.warning("sessions: could not read deactivated users; trying again")
                continue
            for user_id in users:
                for session in list(self._by_user.get(user_id, {}).values()):
                    session.deactivated()


def _deactivated_since(moment: dt.datetime) -> list[str]:
    return list(ChatUser.objects.filter(deactivated_at__gte=moment).values_list("id", flat=True))


_sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Sessions] = weakref.WeakKeyDictionary()


def get_sessions() -> Sessions:
    """The sessions of the running event loop."""
    loop = asyncio.get_running_loop()
    sessions = _sessions.get(loop)
    if sessions is None:
        sessions = _sessions[loop] = Sessions()
    return sessions
