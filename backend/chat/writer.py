"""Batches message stores: every post waiting while a batch is being written goes in the next one.

One executor hop and one transaction per batch instead of per message. Nothing waits on a timer:
a lone message is written at once; under load, batches grow by themselves. When the database is
locked or unreachable the batch is retried with backoff; if it still fails, every post in it is
refused with `storage_unavailable` (nothing stored, safe to resend with the same id).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import uuid
import weakref

from django.db import InterfaceError, OperationalError

from chat import services
from chat.backlog import on_database
from chat.exceptions import ChatError
from chat.frames import ErrorCode
from chat.services import Posted, PostRequest

__all__ = ["MAX_BATCH", "RETRY_DELAYS", "MessageWriter", "get_writer"]

logger = logging.getLogger(__name__)

MAX_BATCH = 500  # bounds one transaction's size and the latency of the posts queued behind it
# Seconds to wait before each retry of a batch the database refused (locked, restarting, gone).
RETRY_DELAYS = (0.05, 0.25, 1.0)


class MessageWriter:
    def __init__(self) -> None:
        self._waiting: list[tuple[PostRequest, asyncio.Future[Posted]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def post(self, request: PostRequest) -> Posted:
        """Stores the message (in the next batch) and returns what `services.post_message` would."""
        return await self.submit(request)

    def submit(self, request: PostRequest) -> asyncio.Future[Posted]:
        """Queues the message for the next batch now; the future settles once it is stored.

        Messages are stored, and their futures settled, in the order they were submitted.
        """
        if request.message_id is None:  # fixed before the first attempt, so a retry cannot store twice
            request = dataclasses.replace(request, message_id=uuid.uuid4().hex)
        future: asyncio.Future[Posted] = asyncio.get_running_loop().create_future()
        self._waiting.append((request, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return future

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                results = await self._store([request for request, _ in batch])
            except Exception as failure:  # every post in the batch hears why
                for _, future in batch:
                    if not future.done():
                        future.set_exception(failure)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if future.done():  # the socket went away while its post was being written
                    continue
                if isinstance(result, ChatError):
                    future.set_exception(result)
                else:
                    future.set_result(result)

    async def _store(self, requests: list[PostRequest]) -> list[Posted | ChatError]:
        for attempt, delay in enumerate((*RETRY_DELAYS, None)):
            try:
                results: list[Posted | ChatError] = await on_database(services.post_messages)(requests)
            except (OperationalError, InterfaceError) as failure:
                if delay is None:
                    logger.error(
                        "storing %d messages failed after %d attempts: %s",
                        len(requests),
                        attempt + 1,
                        failure,
                    )
                    raise ChatError(
                        f"the database is unavailable ({failure}); nothing was stored, resend with the same id",
                        ErrorCode.storage_unavailable,
                    ) from failure
                logger.warning(
                    "storing %d messages failed (%s); retrying in %.2fs", len(requests), failure, delay
                )
                await asyncio.sleep(delay)
                continue
            if attempt:
                # A failed attempt may have committed before its connection broke: its messages now
                # read as duplicates, but nobody has been told of them yet, so they are delivered.
                results = [
                    dataclasses.replace(r, duplicate=False) if isinstance(r, Posted) else r for r in results
                ]
            return results
        raise AssertionError("unreachable: the last attempt returns or raises")


_writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, MessageWriter] = weakref.WeakKeyDictionary()


def get_writer() -> MessageWriter:
    """The writer of the running event loop."""
    loop = asyncio.get_running_loop()
    writer = _writers.get(loop)
    if writer is None:
        writer = _writers[loop] = MessageWriter()
    return writer
