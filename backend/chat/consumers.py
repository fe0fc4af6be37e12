"""The WebSocket transport: authenticate at connect, parse each frame once, dispatch to `on_<frame>`.

No SQL and no business rules here: handlers call `chat.services` (through the database executor)
and hand events to the fan-out hub. Every refusal becomes an `error` frame and the socket lives on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from chat import frames, services
from chat.auth import Actor, authenticate_async
from chat.exceptions import ChatError, InvalidFrame, TokenRefused
from chat.fanout import Hub, get_hub
from chat.frames import CloseCode, ErrorCode
from chat.heartbeat import get_heartbeat
from chat.limits import Limits, Outbox, get_limits
from chat.protocol import MAX_FRAME_BYTES, parse_client_frame, request_id_of, to_text
from chat.services import ChannelRef, Posted
from chat.writer import get_writer

__all__ = ["MAX_POSTS_IN_FLIGHT", "ChatConsumer"]

logger = logging.getLogger(__name__)

MAX_POSTS_IN_FLIGHT = 64  # a socket's sends being stored at once; past it the socket waits for them


class ChatConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    """One client socket: a signed-in user watching any number of channels."""

    actor: Actor | None = None
    counted: str | None = None  # the user whose socket count includes this socket

    async def connect(self) -> None:
        self.connection_id = uuid.uuid4().hex
        self.watching: dict[str, ChannelRef] = {}
        self.typing_in: set[str] = set()  # cids with a typing.start not yet stopped
        self.posting: set[asyncio.Task[None]] = set()  # message.new frames being stored and delivered
        self.last_post: asyncio.Task[None] | None = None
        self.hub: Hub = get_hub()
        self.limits: Limits = get_limits()
        # A reader too slow for this many frames or characters is closed rather than allowed to
        # grow the server's memory (SECURITY.md, "Outbound buffer").
        self.outbox = Outbox()
        self.writer: asyncio.Task[None] | None = None
        self.dropping: asyncio.Task[None] | None = None
        try:
            actor = await authenticate_async(self._token())
        except TokenRefused as refusal:
            await self._refuse(CloseCode.UNAUTHORIZED, str(refusal))
            return
        if not self.limits.open_socket(actor.id, self.connection_id):
            await self._refuse(
                CloseCode.TOO_MANY_CONNECTIONS,
                f"too many sockets: at most {self.limits.max_sockets} per user",
            )
            return
        self.counted = actor.id
        await self.accept()
        try:
            self.me = await database_sync_to_async(_sign_in)(actor)
        except BaseException:  # no disconnect() follows a failed connect: give the place back here
            self.limits.close_socket(actor.id, self.connection_id)
            self.counted = None
            raise
        self.actor = actor
        self._send(self._health_check(request_id=None))
        get_heartbeat().add(self)

    async def _refuse(self, code: CloseCode, reason: str) -> None:
        # Accept, then close with a code the client can read: a refused handshake looks like a
        # network failure to a browser, and the shim must know not to retry.
        await self.accept()
        await self.close(code=int(code), reason=reason.encode()[:123].decode(errors="ignore"))

    def _token(self) -> str | None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        tokens = query.get("token")
        return tokens[0] if tokens else None

    def beat(self) -> None:
        """The periodic health.check (chat.heartbeat)."""
        self._send(self._health_check(request_id=None))

    async def disconnect(self, code: int) -> None:
        get_heartbeat().discard(self)
        if self.counted is not None:
            self.limits.close_socket(self.counted, self.connection_id)
        if self.actor is None:
            return
        if self.dropping is not None:
            await self.dropping  # it is leaving the channels already
        for ref in list(self.watching.values()):
            await self._stop_watching(ref)
        if self.writer is not None:
            self.writer.cancel()

    # Outbound: one queue per socket, drained by one task, so frames keep their order and a slow
    # socket never blocks the sender of a message.

    def deliver(self, text: str) -> None:
        """Queues a serialised frame (the fan-out hub calls this)."""
        if not self.outbox.put(text):
            if self.dropping is None:
                logger.warning(
                    "closing connection %s: over %d frames or %d characters unread",
                    self.connection_id,
                    self.outbox.max_frames,
                    self.outbox.max_chars,
                )
                self.dropping = asyncio.create_task(self._drop_slow_reader())
        elif self.writer is None or self.writer.done():
            # A writer runs only while frames wait, so an idle socket holds no task.
            self.writer = asyncio.create_task(self._write())

    def _send(self, frame: Any) -> None:
        self.deliver(to_text(frame))

    async def _write(self) -> None:
        with contextlib.suppress(OSError):  # the peer is gone (uvicorn says so); disconnect() follows
            while (text := self.outbox.take()) is not None:
                await self.base_send({"type": "websocket.send", "text": text})

    async def _drop_slow_reader(self) -> None:
        """Stops writing, leaves every channel, then closes: the socket costs nothing more."""
        if self.writer is not None:
            self.writer.cancel()
        for ref in list(self.watching.values()):
            await self._stop_watching(ref)
        with contextlib.suppress(OSError):  # a server that waits for the peer to drain may never get here
            await self.close(code=int(CloseCode.POLICY_VIOLATION), reason="too slow: outbound buffer full")

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
        if self.actor is None or self.dropping is not None:
            return
        if text_data is None:
            if not self._rate_limited("binary", None):
                self._send_error(
                    ErrorCode.invalid_frame, "binary frames are not supported; send JSON text", None
                )
            return
        if len(text_data) > MAX_FRAME_BYTES or len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.close(code=int(CloseCode.MESSAGE_TOO_BIG), reason="frame over 1 MiB")
            return
        try:
            frame = parse_client_frame(text_data)
        except InvalidFrame as refusal:
            request_id = request_id_of(text_data)
            if not self._rate_limited("invalid", request_id):
                self._send_error(refusal.code, refusal.message, request_id)
            return
        if self._rate_limited(frame.type, frame.request_id):
            return
        if frame.type != "message.new" and self.last_post is not None and not self.last_post.done():
            # Sends are stored side by side; any other frame waits for them, so a socket's answers
            # keep its order and, say, a message.read sees the message sent just before it.
            await asyncio.wait([self.last_post])
        try:
            await self.handlers[frame.type](self, frame)
        except ChatError as refusal:
            self._send_error(refusal.code, refusal.message, frame.request_id)
        except Exception:
            logger.exception("frame %s from %s failed", frame.type, self.actor.id)
            self._send_error(
                ErrorCode.internal_error, "the server failed to handle this frame", frame.request_id
            )

    def _rate_limited(self, kind: str, request_id: str | None) -> bool:
        """Counts the frame against its bucket; answers `rate_limited` and returns True when over.

        Heartbeats count per socket (every socket of a user sends its own each 25 s); every other
        kind, refused frames included, per user across the user's sockets.
        """
        key = self.connection_id if kind == "health.check" else self._actor.id
        wait = self.limits.wait(key, kind)
        if wait:
            self._send_error(
                ErrorCode.rate_limited,
                f"too many {kind} frames: at most {self.limits.per_minute} a minute in bursts of"
                f" {self.limits.burst}; retry in {wait:.1f} s",
                request_id,
            )
        return bool(wait)

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
        # The store is queued now, in frame order, and finished by a task, so the next frames of this
        # socket go into the same batch instead of waiting for this one's transaction.
        request = services.PostRequest(
            self._actor,
            frame.cid,
            frame.text,
            frame.id,
            frame.parent_id,
            granted=self.watching.get(frame.cid),
        )
        stored = get_writer().submit(request)
        finishing = self._finish_post(frame, stored, self.last_post)
        if len(self.posting) >= MAX_POSTS_IN_FLIGHT:
            await finishing  # backpressure: this socket reads its next frame once this one is done
            return
        task = self.last_post = asyncio.create_task(finishing)
        self.posting.add(task)
        task.add_done_callback(self.posting.discard)

    async def _finish_post(
        self,
        frame: frames.ClientMessageNew,
        stored: asyncio.Future[Posted],
        previous: asyncio.Task[None] | None,
    ) -> None:
        """Delivers a stored message and answers its sender, after this socket's previous one."""
        try:
            posted = await stored
        except ChatError as refusal:
            posted = None
            self._send_error(refusal.code, refusal.message, frame.request_id)
        except Exception:
            posted = None
            logger.exception("message.new from %s failed", self._actor.id)
            self._send_error(
                ErrorCode.internal_error, "the server failed to handle this frame", frame.request_id
            )
        if previous is not None:
            # A sender's messages reach everyone in the order it sent them. The previous one's
            # failure was answered by its own task and must not hold this one back.
            await asyncio.wait([previous])
        if posted is None:
            return
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
