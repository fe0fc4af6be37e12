"""Batches message stores: every post waiting while a batch is being written goes in the next one.

One executor hop and one transaction per batch instead of per message. Nothing waits on a timer:
a lone message is written at once; under load, batches grow by themselves.
"""

from __future__ import annotations

import asyncio
import weakref

from channels.db import database_sync_to_async

from chat import services
from chat.exceptions import ChatError
from chat.services import Posted, PostRequest

__all__ = ["MessageWriter", "get_writer"]

MAX_BATCH = 500  # bounds one transaction's size and the latency of the posts queued behind it


class MessageWriter:
    def __init__(self) -> None:
        self._waiting: list[tuple[PostRequest, asyncio.Future[Posted]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def post(self, request: PostRequest) -> Posted:
        """Stores the message (in the next batch) and returns what `services.post_message` would."""
        future: asyncio.Future[Posted] = asyncio.get_running_loop().create_future()
        self._waiting.append((request, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
            try:
                results = await database_sync_to_async(services.post_messages)(
                    [request for request, _ in batch]
                )
            except Exception as failure:  # the database itself failed: every post in the batch hears it
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


_writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, MessageWriter] = weakref.WeakKeyDictionary()


def get_writer() -> MessageWriter:
    """The writer of the running event loop."""
    loop = asyncio.get_running_loop()
    writer = _writers.get(loop)
    if writer is None:
        writer = _writers[loop] = MessageWriter()
    return writer
