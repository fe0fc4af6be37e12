"""The WebSocket transport: authenticate at connect, parse each frame once, dispatch to `on_<frame>`.

No SQL and no business rules here: handlers call `chat.services` (through the database executor)
and hand events to the fan-out hub. Every refusal becomes an `error` frame and the socket lives on.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from chat import frames, services
from chat.auth import Actor, authenticate
from chat.exceptions import ChatError, InvalidFrame, TokenRefused
from chat.fanout import Hub, get_hub
from chat.frames import CloseCode, ErrorCode
from chat.protocol import MAX_FRAME_BYTES, parse_client_frame, request_id_of, to_text
from chat.services import ChannelRef
from chat.writer import get_writer

__all__ = ["OUTBOX_LIMIT", "ChatConsumer"]

logger = logging.getLogger(__name__)

# Frames queued for one socket before it counts as a reader too slow to keep: it is closed rather
# than allowed to grow the server's memory.
OUTBOX_LIMIT = 10_000


class ChatConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    """One client socket: a signed-in user watching any number of channels."""

    actor: Actor | None = None

    async def connect(self) -> None:
        self.connection_id = uuid.uuid4().hex
        self.watching: dict[str, ChannelRef] = {}
        self.typing_in: set[str] = set()  # cids with a typing.start not yet stopped
        self.hub: Hub = get_hub()
        self.outbox: asyncio.Queue[str | None] = asyncio.Queue(maxsize=OUTBOX_LIMIT)
        self.writer: asyncio.Task[None] | None = None
        try:
            actor = authenticate(self._token())
        except TokenRefused as refusal:
            # Accept, then close with a code the client can read: a refused handshake looks like a
            # network failure to a browser, and the shim must know not to retry.
            await self.accept()
            await self.close(code=int(CloseCode.UNAUTHORIZED), reason=str(refusal)[:120])
            return
        await self.accept()
        self.me = await database_sync_to_async(_sign_in)(actor)
        self.actor = actor
        self.writer = asyncio.create_task(self._write())
        self._send(self._health_check(request_id=None))

    def _token(self) -> str | None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        tokens = query.get("token")
        return tokens[0] if tokens else None

    async def disconnect(self, code: int) -> None:
        if self.actor is None:
            return
        for ref in list(self.watching.values()):
            await self._stop_watching(ref)
        if self.writer is not None:
            self.writer.cancel()

    # Outbound: one queue per socket, drained by one task, so frames keep their order and a slow
    # socket never blocks the sender of a message.

    def deliver(self, text: str) -> None:
        """Queues a serialised frame (the fan-out hub calls this)."""
        try:
            self.outbox.put_nowait(text)
        except asyncio.QueueFull:
            logger.warning("closing connection %s: %d frames unread", self.connection_id, OUTBOX_LIMIT)
            self.outbox = asyncio.Queue(maxsize=1)
            self.outbox.put_nowait(None)

    def _send(self, frame: Any) -> None:
        self.deliver(to_text(frame))

    async def _write(self) -> None:
        while True:
            text = await self.outbox.get()
            if text is None:
                await self.close(
                    code=int(CloseCode.POLICY_VIOLATION), reason="too slow: outbound buffer full"
                )
                return
            await self.send(text_data=text)

    # Inbound.

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels hops to the database thread to close stale connections before every handler.
        # Every database call here goes through database_sync_to_async, which does that itself,
        # so a frame skips the hop.
        if message["type"] == "websocket.receive":
            await self.websocket_receive(message)
        else:
            await super().dispatch(message)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.actor is None:
            return
        if text_data is None:
            self._send_error(ErrorCode.invalid_frame, "binary frames are not supported; send JSON text", None)
            return
        if len(text_data) > MAX_FRAME_BYTES or len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.close(code=int(CloseCode.MESSAGE_TOO_BIG), reason="frame over 1 MiB")
            return
        try:
            frame = parse_client_frame(text_data)
        except InvalidFrame as refusal:
            self._send_error(refusal.code, refusal.message, request_id_of(text_data))
            return
        try:
            await self.handlers[frame.type](self, frame)
        except ChatError as refusal:
            self._send_error(refusal.code, refusal.message, frame.request_id)
        except Exception:
            logger.exception("frame %s from %s failed", frame.type, self.actor.id)
            self._send_error(
                ErrorCode.internal_error, "the server failed to handle this frame", frame.request_id
            )

    def _send_error(self, code: ErrorCode, message: str, request_id: str | None) -> None:
        self._send(frames.ErrorFrame(code=code, message=message, request_id=request_id))

    def _health_check(self, request_id: str | None) -> frames.HealthCheckEvent:
        return frames.HealthCheckEvent(
            request_id=request_id,
            connection_id=self.connection_id,
            cid="*",
            me=self.me,
            created_at=timezone.now(),
        )

    @property
    def _actor(self) -> Actor:
        assert self.actor is not None  # receive() returns early for refused sockets
        return self.actor

    # Handlers, one per client frame type.

    async def on_health_check(self, frame: frames.ClientHealthCheck) -> None:
        self._send(self._health_check(frame.request_id))

    async def on_channel_watch(self, frame: frames.ChannelWatch) -> None:
        ref = await database_sync_to_async(services.prepare_watch)(self._actor, frame.cid, frame.data)
        joined = ref.cid not in self.watching
        if joined:  # subscribe before reading history, so nothing stored in between is missed
            self.watching[ref.cid] = ref
            await self.hub.join(ref.group, self)
        state = await database_sync_to_async(services.channel_state)(ref, frame.messages)
        state.watcher_count = await self.hub.watcher_count(ref.group)
        state.request_id = frame.request_id
        self._send(state)
        if joined:
            await self._publish_watching(ref, frames.UserWatchingStartEvent, state.watcher_count)

    async def on_channel_stop_watching(self, frame: frames.ChannelStopWatching) -> None:
        ref = self.watching.get(frame.cid)
        if ref is not None:
            await self._stop_watching(ref)
        self._reply_ok(frame.request_id)

    async def on_message_new(self, frame: frames.ClientMessageNew) -> None:
        posted = await get_writer().post(
            services.PostRequest(self._actor, frame.cid, frame.text, frame.id, frame.parent_id)
        )
        if not posted.duplicate:
            await self.hub.publish(posted.channel.group, to_text(posted.event))
        if frame.request_id is not None:
            self._send(
                frames.MessageSent(
                    request_id=frame.request_id,
                    cid=frame.cid,
                    message=posted.message,
                    duplicate=posted.duplicate,
                )
            )

    async def on_typing(self, frame: frames.ClientTypingStart | frames.ClientTypingStop) -> None:
        ref, event = await database_sync_to_async(services.relay_typing)(
            self._actor, frame.cid, frame.type, frame.parent_id
        )
        await self.hub.publish(ref.group, to_text(event), exclude=self.connection_id)
        if frame.type == "typing.start":
            self.typing_in.add(ref.cid)
        else:
            self.typing_in.discard(ref.cid)
        self._reply_ok(frame.request_id)

    async def on_message_read(self, frame: frames.ClientMessageRead) -> None:
        ref, event = await database_sync_to_async(services.mark_read)(
            self._actor, frame.cid, frame.message_id
        )
        await self.hub.publish(ref.group, to_text(event), exclude=self.connection_id)
        if frame.request_id is not None:
            event.request_id = frame.request_id
            self._send(event)

    handlers: dict[str, Callable[[ChatConsumer, Any], Awaitable[None]]] = {
        "health.check": on_health_check,
        "channel.watch": on_channel_watch,
        "channel.stop_watching": on_channel_stop_watching,
        "message.new": on_message_new,
        "typing.start": on_typing,
        "typing.stop": on_typing,
        "message.read": on_message_read,
    }

    def _reply_ok(self, request_id: str | None) -> None:
        if request_id is not None:
            self._send(frames.Ok(request_id=request_id))

    async def _stop_watching(self, ref: ChannelRef) -> None:
        del self.watching[ref.cid]
        if ref.cid in self.typing_in:  # a typist who leaves stops typing, for everyone still watching
            self.typing_in.discard(ref.cid)
            stop = services.typing_event(self._actor, ref, "typing.stop")
            await self.hub.publish(ref.group, to_text(stop), exclude=self.connection_id)
        count = await self.hub.leave(ref.group, self)
        await self._publish_watching(ref, frames.UserWatchingStopEvent, count)

    async def _publish_watching(
        self,
        ref: ChannelRef,
        event_type: type[frames.UserWatchingStartEvent] | type[frames.UserWatchingStopEvent],
        count: int,
    ) -> None:
        event = event_type(
            cid=ref.cid,
            channel_type=ref.type,
            channel_id=ref.id,
            user=frames.User(id=self._actor.id, name=self._actor.name, image=self._actor.image or None),
            watcher_count=count,
            created_at=timezone.now(),
        )
        await self.hub.publish(ref.group, to_text(event), exclude=self.connection_id)


def _sign_in(actor: Actor) -> frames.OwnUser:
    services.sign_in(actor)
    return services.own_user(actor)
