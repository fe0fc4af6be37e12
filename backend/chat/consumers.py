"""The WebSocket transport: authenticate at connect, parse each frame once, dispatch to `on_<frame>`.

No SQL and no business rules here: handlers call `chat.services` (through the database executor)
and hand events to the fan-out hub. Every refusal becomes an `error` frame and the socket lives on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone

from chat import frames, services
from chat.auth import Actor, authenticate_async
from chat.backlog import on_database
from chat.exceptions import ChatError, InvalidFrame, TokenExpired, TokenRefused, UserDeactivated
from chat.fanout import Hub, get_hub
from chat.frames import CloseCode, ErrorCode
from chat.heartbeat import get_heartbeat
from chat.limits import Admission, Limits, Outbox, get_admission, get_limits
from chat.presence import PRESENCE_GROUP, Presence, get_presence
from chat.protocol import MAX_FRAME_BYTES, parse_client_frame, request_id_of, to_text
from chat.services import ChannelRef, Outcome, Posted
from chat.sessions import get_sessions
from chat.writer import get_writer

__all__ = ["MAX_POSTS_IN_FLIGHT", "ChatConsumer"]

logger = logging.getLogger(__name__)

MAX_POSTS_IN_FLIGHT = 64  # a socket's sends being stored at once; past it the socket waits for them
MAX_FOLLOWED = 10_000  # users whose presence one socket follows (those it was shown with presence)


class ChatConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]  # channels ships no type hints
    """One client socket: a signed-in user watching any number of channels."""

    actor: Actor | None = None
    expiry: asyncio.TimerHandle | None = None  # closes the socket when its token expires
    counted: str | None = None  # the user whose socket count includes this socket
    admission: Admission | None = None  # the process's capacity, holding a place for this socket

    async def connect(self) -> None:
        admission = get_admission()
        retry_ms = admission.enter()
        if retry_ms:  # at capacity: the client waits and comes back, instead of queueing here
            await self._refuse(CloseCode.TRY_AGAIN_LATER, f"server at capacity: retry after {retry_ms} ms")
            return
        self.admission = admission
        try:
            await self._open()
        except BaseException:  # no disconnect() follows a failed connect: give the place back
            self.admission = None
            admission.leave()
            raise
        finally:
            admission.signed_in()

    async def _open(self) -> None:
        self.connection_id = uuid.uuid4().hex
        self.watching: dict[str, ChannelRef] = {}
        self.typing_in: set[str] = set()  # cids with a typing.start not yet stopped
        self.posting: set[asyncio.Task[None]] = set()  # message.new frames being stored and delivered
        self.last_post: asyncio.Task[None] | None = None
        self.hub: Hub = get_hub()
        self.limits: Limits = get_limits()
        self.presence: Presence = get_presence()
        self.followed: set[str] = set()  # users whose user.presence.changed this socket gets
        self.chores: set[asyncio.Task[None]] = set()  # notices being handled (chat.fanout.notify)
        # A reader too slow for this many frames or characters is closed rather than allowed to
        # grow the server's memory (SECURITY.md, "Outbound buffer").
        self.outbox = Outbox()
        self.writer: asyncio.Task[None] | None = None
        self.dropping: asyncio.Task[None] | None = None
        try:
            actor = await authenticate_async(self._token())
        except TokenExpired as refusal:  # a fresh token will do: the shim asks its provider for one
            await self._refuse(CloseCode.TOKEN_EXPIRED, str(refusal), ErrorCode.token_expired)
            return
        except TokenRefused as refusal:
            await self._refuse(CloseCode.UNAUTHORIZED, str(refusal))
            return
        if not await self.limits.admit(actor.id, self.connection_id):
            await self._refuse(
                CloseCode.TOO_MANY_CONNECTIONS,
                f"too many sockets: at most {self.limits.max_sockets} per user",
            )
            return
        self.counted = actor.id
        await self.accept()
        try:
            me, last_active = await on_database(_sign_in)(actor)
        except BaseException as failure:  # no disconnect() follows a failed connect: give the place back
            await self.limits.release(actor.id, self.connection_id)
            self.counted = None
            if isinstance(failure, UserDeactivated):
                await self.close(code=int(CloseCode.UNAUTHORIZED), reason=str(failure)[:123])
                return
            raise
        self.actor = actor
        get_sessions().add(actor.id, self)
        if actor.expires_at:  # closed when the token expires, not on the next frame after it
            self.expiry = asyncio.get_running_loop().call_later(
                max(0.0, actor.expires_at - time.time()), self._token_expired
            )
        # Events for this user wherever they watch (mutes, an app-wide ban) reach every socket of theirs.
        self.user_group = services.user_group(actor.id)
        await self.hub.join(self.user_group, self)
        self._send(self._health_check(request_id=None, me=me))
        get_heartbeat().add(self)
        if await self.presence.arrive(actor.id, self.connection_id):
            await self._announce_presence(True, last_active)

    async def _refuse(self, code: CloseCode, reason: str, error: ErrorCode | None = None) -> None:
        # Accept, then close with a code the client can read: a refused handshake looks like a
        # network failure to a browser, and the shim must know whether to retry.
        await self.accept()
        if error is not None:
            await self.send(text_data=to_text(frames.ErrorFrame(code=error, message=reason)))
        await self.close(code=int(code), reason=_close_reason(reason))

    def _token_expired(self) -> None:
        self._end(
            CloseCode.TOKEN_EXPIRED, "token expired: fetch a new one and reconnect", ErrorCode.token_expired
        )

    def deactivated(self) -> None:
        """The user was deactivated (chat.sessions): every socket of theirs closes for good."""
        self._end(CloseCode.UNAUTHORIZED, f"user {self._actor.id!r} is deactivated", ErrorCode.not_allowed)

    def _end(self, code: CloseCode, reason: str, error: ErrorCode) -> None:
        """Closes the socket on the server's own initiative, after an `error` frame saying why."""
        if self.dropping is not None:
            return
        self._send_error(error, reason, None)
        self.dropping = asyncio.create_task(self._close_after_writing(code, reason))

    async def _close_after_writing(self, code: CloseCode, reason: str) -> None:
        if self.writer is not None:
            await asyncio.wait([self.writer])  # the error frame goes out first
        for ref in list(self.watching.values()):
            await self._stop_watching(ref)
        with contextlib.suppress(OSError):
            await self.close(code=int(code), reason=_close_reason(reason))

    def _token(self) -> str | None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        tokens = query.get("token")
        return tokens[0] if tokens else None

    def beat(self) -> None:
        """The periodic health.check (chat.heartbeat)."""
        self._send(self._health_check(request_id=None))

    async def disconnect(self, code: int) -> None:
        if self.admission is not None:
            self.admission.leave()
            self.admission = None
        get_heartbeat().discard(self)
        if self.expiry is not None:
            self.expiry.cancel()
        if self.counted is not None:
            await self.limits.release(self.counted, self.connection_id)
        if self.actor is None:
            return
        get_sessions().discard(self.actor.id, self)
        if self.dropping is not None:
            await self.dropping  # it is leaving the channels already
        for ref in list(self.watching.values()):
            await self._stop_watching(ref)
        await self.hub.leave(self.user_group, self)
        self.hub.unfollow(PRESENCE_GROUP, self)
        if await self.presence.leave(self.actor.id, self.connection_id):
            moment = await on_database(services.touch)(self.actor.id)
            await self._announce_presence(False, moment)
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

    def notice(self, kind: str, text: str, about: str | None) -> None:
        """A notification for this socket's user (chat.fanout.notify): `presence` of a user it
        follows, `evict` from a channel it may no longer read, `message_new` with its counts."""
        if kind == "presence":
            if about in self.followed:
                self.deliver(text)
        elif kind == "evict":
            self.deliver(text)
            ref = next((r for r in self.watching.values() if r.group == about), None)
            if ref is not None:
                self._chore(self._stop_watching(ref))
        elif kind == "message_new" and about is not None:
            self._chore(self._notify_message_new(text, about))
        else:
            self.deliver(text)

    def _chore(self, work: Awaitable[None]) -> None:
        async def run() -> None:
            try:
                await work
            except Exception:
                logger.exception("notification for %s failed", self.actor.id if self.actor else "?")

        task = asyncio.create_task(run())
        self.chores.add(task)
        task.add_done_callback(self.chores.discard)

    async def _notify_message_new(self, text: str, group: str) -> None:
        """Stream's notification.message_new for a message.new of a channel this socket does not
        watch: the message, with its user's counts (counted here, where they are needed)."""
        channel_pk = int(group.rsplit(".", 1)[1])
        found = await on_database(services.message_notice)(self._actor.id, channel_pk)
        if found is None or self.dropping is not None:
            return
        channel, unread, summary = found
        event = json.loads(text)
        notice = {
            "type": "notification.message_new",
            "cid": event["cid"],
            "channel_type": event["channel_type"],
            "channel_id": event["channel_id"],
            "channel": json.loads(to_text(channel)),
            "message_id": event["message_id"],
            "message": event["message"],
            "user": event["user"],
            "unread_count": unread,
            "total_unread_count": summary.total,
            "unread_channels": summary.unread_channels,
            "created_at": event["created_at"],
        }
        self.deliver(json.dumps(notice, separators=(",", ":"), ensure_ascii=False))

    async def _announce_presence(self, online: bool, last_active: Any) -> None:
        """user.presence.changed for this socket's user, to every socket following them."""
        actor = self._actor
        event = frames.UserPresenceChangedEvent.model_construct(
            user=frames.User.model_construct(
                id=actor.id,
                name=actor.name,
                image=actor.image or None,
                online=online,
                last_active=last_active,
            ),
            created_at=timezone.now(),
        )
        await self.hub.notify([PRESENCE_GROUP], to_text(event), kind="presence", about=actor.id)

    async def _show_presence(self, users: list[frames.User]) -> None:
        """Marks which of the users are online, and follows their presence from now on."""
        ids = {u.id for u in users}
        room = MAX_FOLLOWED - len(self.followed)
        self.followed.update(sorted(ids - self.followed)[: max(room, 0)])
        self.hub.follow(PRESENCE_GROUP, self)
        online = await self.presence.online(ids)
        for user in users:
            user.online = user.id in online

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
        # Every database call here goes through on_database (database_sync_to_async), which does
        # that itself, so nothing waits for the hop: a frame would queue behind every other socket's
        # database work, and in a reconnect storm so would a connect, before admission could refuse it.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"no handler for message type {message['type']}")
        await handler(message)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.actor is None or self.dropping is not None:
            return
        if text_data is None:
            if not await self._rate_limited("binary", None):
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
            if not await self._rate_limited("invalid", request_id):
                self._send_error(refusal.code, refusal.message, request_id)
            return
        if await self._rate_limited(frame.type, frame.request_id):
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

    async def _rate_limited(self, kind: str, request_id: str | None) -> bool:
        """Counts the frame against its bucket; answers `rate_limited` and returns True when over.

        Heartbeats count per socket (every socket of a user sends its own each 25 s); every other
        kind, refused frames included, per user across the user's sockets.
        """
        key = self.connection_id if kind == "health.check" else self._actor.id
        wait = await self.limits.check(key, kind)
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

    def _health_check(
        self, request_id: str | None, me: frames.OwnUser | None = None
    ) -> frames.HealthCheckEvent:
        """`me` only in the first (Stream's way): later ones would carry the unread totals of the
        connect, older than what the notifications since have told the client."""
        return frames.HealthCheckEvent(
            request_id=request_id,
            connection_id=self.connection_id,
            cid="*",
            me=me,
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
        ref = await on_database(services.prepare_watch)(
            self._actor, frame.cid, frame.data, frame.channel_type
        )
        joined = ref.cid not in self.watching
        if joined:  # subscribe before reading history, so nothing stored in between is missed
            self.watching[ref.cid] = ref
            await self.hub.join(ref.group, self)
        state = await on_database(services.channel_state)(
            ref, frame.messages, self._actor, bool(frame.presence)
        )
        state.watcher_count = await self.hub.watcher_count(ref.group)
        state.request_id = frame.request_id
        if frame.presence:
            await self._show_presence(_users_of([state]))
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
            frame.text or "",
            frame.id,
            frame.parent_id,
            granted=self.watching.get(frame.cid),
            show_in_channel=bool(frame.show_in_channel),
            quoted_message_id=frame.quoted_message_id,
            mentioned_users=tuple(u.root for u in frame.mentioned_users or ()),
            attachments=tuple(a.model_dump(mode="json", exclude_none=True) for a in frame.attachments or ()),
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
        if previous is not None and not previous.done():
            # A sender's messages reach everyone in the order it sent them. The previous one's
            # failure was answered by its own task and must not hold this one back.
            await asyncio.wait([previous])
        if posted is None:
            return
        if not posted.duplicate:
            text = to_text(posted.event)
            await self.hub.publish(posted.channel.group, text)
            if posted.parent_event is not None:  # the parent's new reply_count, right after the reply
                await self.hub.publish(posted.channel.group, to_text(posted.parent_event))
            others = [services.user_group(u) for u in posted.member_ids if u != self._actor.id]
            if others:  # members not watching the channel hear of it too, with their counts
                await self.hub.notify(others, text, kind="message_new", about=posted.channel.group)
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
        ref, event = await on_database(services.relay_typing)(
            self._actor, frame.cid, frame.type, frame.parent_id
        )
        await self.hub.publish(ref.group, to_text(event), exclude=self.connection_id)
        if frame.type == "typing.start":
            self.typing_in.add(ref.cid)
        else:
            self.typing_in.discard(ref.cid)
        self._reply_ok(frame.request_id)

    async def on_message_read(self, frame: frames.ClientMessageRead) -> None:
        mark = await on_database(services.mark_read)(
            self._actor, frame.cid, frame.message_id, frame.thread_id
        )
        await self.hub.publish(mark.ref.group, to_text(mark.event), exclude=self.connection_id)
        await self.hub.notify([self.user_group], to_text(mark.notice), exclude=self.connection_id)
        if frame.request_id is not None:
            mark.event.request_id = frame.request_id
            self._send(mark.event)

    async def on_message_unread(self, frame: frames.MessageUnread) -> None:
        _, event = await on_database(services.mark_unread)(self._actor, frame.cid, frame.message_id)
        await self.hub.notify([self.user_group], to_text(event), exclude=self.connection_id)
        self._send(event.model_copy(update={"request_id": frame.request_id}))

    async def on_channels_query(self, frame: frames.ChannelsQuery) -> None:
        refs = await on_database(services.page_of_channels)(
            self._actor, frame.filter_conditions.root, frame.sort, frame.limit, frame.offset
        )
        joined = [ref for ref in refs if ref.cid not in self.watching] if frame.watch else []
        for ref in joined:  # subscribe before reading history, as a watch does
            self.watching[ref.cid] = ref
            await self.hub.join(ref.group, self)
        listing = await on_database(services.channel_states)(
            self._actor,
            refs,
            frame.state is not False,
            frame.message_limit,
            frame.member_limit,
            bool(frame.presence),
        )
        counts = await self.hub.watcher_counts([ref.group for ref in listing.refs])
        for state, count in zip(listing.answer.channels, counts, strict=True):
            state.watcher_count = count
        if frame.presence:
            await self._show_presence(_users_of(listing.answer.channels))
        listing.answer.request_id = frame.request_id
        self._send(listing.answer)
        for ref, count in zip(listing.refs, counts, strict=True):
            if ref in joined:
                await self._publish_watching(ref, frames.UserWatchingStartEvent, count)

    async def on_unread_get(self, frame: frames.UnreadGet) -> None:
        counts = await on_database(services.unread_counts)(self._actor)
        counts.request_id = frame.request_id
        self._send(counts)

    async def on_channel_update(self, frame: frames.ChannelUpdate) -> None:
        outcome = await on_database(services.update_channel)(
            self._actor,
            frame.cid,
            frame.channel_type,
            frame.data,
            frame.set,
            [key.root for key in frame.unset or ()],
            bool(frame.get_or_create),
        )
        await self._answer(outcome, frame.request_id)

    async def on_channel_delete(self, frame: frames.ChannelDelete) -> None:
        deleted = await on_database(services.delete_channel)(self._actor, frame.cid)
        groups = [services.user_group(u) for u in deleted.member_ids] + [deleted.ref.group]
        await self.hub.notify(
            groups, to_text(deleted.event), kind="evict", about=deleted.ref.group, exclude=self.connection_id
        )
        self._send(deleted.event.model_copy(update={"request_id": frame.request_id}))
        mine = self.watching.get(deleted.ref.cid)
        if mine is not None:
            await self._stop_watching(mine)

    async def on_members_change(
        self, frame: frames.ChannelMembersAdd | frames.ChannelMembersRemove | frames.ChannelModeratorsAdd
    ) -> None:
        change = await on_database(_MEMBER_CHANGES[frame.type])(self._actor, frame.cid, frame.user_ids)
        for event in change.events:
            await self.hub.publish(change.ref.group, to_text(event))
        kind = "evict" if change.evict else ""
        for group, notice in change.notices:
            await self.hub.notify([group], to_text(notice), kind=kind, about=change.ref.group)
        change.answer.request_id = frame.request_id
        self._send(change.answer)

    async def on_members_query(self, frame: frames.MembersQuery) -> None:
        listing = await on_database(services.query_members)(
            self._actor,
            frame.cid,
            frame.filter_conditions.root,
            frame.sort,
            frame.limit,
            frame.offset,
            bool(frame.presence),
        )
        if frame.presence:
            await self._show_presence([member.user for member in listing.members])
        listing.request_id = frame.request_id
        self._send(listing)

    async def on_users_query(self, frame: frames.UsersQuery) -> None:
        listing = await on_database(services.query_users)(
            self._actor,
            frame.filter_conditions.root,
            frame.sort,
            frame.limit,
            frame.offset,
            bool(frame.presence),
        )
        if frame.presence:
            await self._show_presence(listing.users)
        listing.request_id = frame.request_id
        self._send(listing)

    async def on_message_update(self, frame: frames.MessageUpdate) -> None:
        outcome = await on_database(services.update_message)(self._actor, frame.message)
        await self._answer(outcome, frame.request_id)

    async def on_message_delete(self, frame: frames.MessageDelete) -> None:
        outcome = await on_database(services.delete_message)(self._actor, frame.id, bool(frame.hard))
        await self._answer(outcome, frame.request_id)

    async def on_reaction_send(self, frame: frames.ReactionSend) -> None:
        outcome = await on_database(services.send_reaction)(
            self._actor, frame.message_id, frame.reaction, bool(frame.enforce_unique)
        )
        await self._answer(outcome, frame.request_id)

    async def on_reaction_delete(self, frame: frames.ReactionDelete) -> None:
        outcome = await on_database(services.delete_reaction)(
            self._actor, frame.message_id, frame.reaction_type
        )
        await self._answer(outcome, frame.request_id)

    async def on_message_get_replies(self, frame: frames.MessageGetReplies) -> None:
        replies = await on_database(services.get_replies)(
            self._actor, frame.parent_id, frame.limit, frame.id_lt, frame.id_gt
        )
        replies.request_id = frame.request_id
        self._send(replies)

    async def on_message_pin(self, frame: frames.MessagePin) -> None:
        outcome = await on_database(services.pin_message)(
            self._actor, frame.id, frame.pinned, frame.pin_expires
        )
        await self._answer(outcome, frame.request_id)

    async def on_message_flag(self, frame: frames.MessageFlag) -> None:
        await on_database(services.flag_message)(self._actor, frame.id, frame.reason)
        self._reply_ok(frame.request_id)

    async def on_user_mute(self, frame: frames.UserMute) -> None:
        outcome = await on_database(services.mute_user)(self._actor, frame.target_id, frame.timeout)
        await self._answer(outcome, frame.request_id)

    async def on_user_unmute(self, frame: frames.UserUnmute) -> None:
        outcome = await on_database(services.unmute_user)(self._actor, frame.target_id)
        await self._answer(outcome, frame.request_id)

    async def on_user_ban(self, frame: frames.UserBan) -> None:
        outcome = await on_database(services.ban_user)(
            self._actor, frame.target_id, frame.cid, frame.timeout, frame.reason
        )
        await self._answer(outcome, frame.request_id)

    async def on_user_unban(self, frame: frames.UserUnban) -> None:
        outcome = await on_database(services.unban_user)(self._actor, frame.target_id, frame.cid)
        await self._answer(outcome, frame.request_id)

    async def _answer(self, outcome: Outcome, request_id: str | None) -> None:
        """Delivers a mutation's event: to everyone else once (when it changed anything), to the
        requester once with its request_id and its own_reactions, then what follows it."""
        if outcome.changed:
            await self.hub.publish(outcome.group, to_text(outcome.event), exclude=self.connection_id)
        mine: dict[str, Any] = {"request_id": request_id}
        message = getattr(outcome.event, "message", None)
        if outcome.own_reactions is not None and message is not None:
            mine["message"] = message.model_copy(update={"own_reactions": outcome.own_reactions})
        self._send(outcome.event.model_copy(update=mine))
        if outcome.changed:
            for event in outcome.after:
                await self.hub.publish(outcome.group, to_text(event))

    async def on_messages_search(self, frame: frames.MessagesSearch) -> None:
        results = await on_database(services.search_messages)(
            self._actor,
            frame.filter_conditions.root,
            frame.query,
            frame.message_filter_conditions.root if frame.message_filter_conditions else None,
            frame.limit,
            frame.offset,
            frame.sort,
            frame.next,
        )
        results.request_id = frame.request_id
        self._send(results)

    handlers: dict[str, Callable[[ChatConsumer, Any], Awaitable[None]]] = {
        "health.check": on_health_check,
        "channel.watch": on_channel_watch,
        "channel.stop_watching": on_channel_stop_watching,
        "message.new": on_message_new,
        "typing.start": on_typing,
        "typing.stop": on_typing,
        "message.read": on_message_read,
        "message.update": on_message_update,
        "message.delete": on_message_delete,
        "reaction.send": on_reaction_send,
        "reaction.delete": on_reaction_delete,
        "message.get_replies": on_message_get_replies,
        "message.pin": on_message_pin,
        "message.flag": on_message_flag,
        "user.mute": on_user_mute,
        "user.unmute": on_user_unmute,
        "user.ban": on_user_ban,
        "user.unban": on_user_unban,
        "channels.query": on_channels_query,
        "messages.search": on_messages_search,
        "unread.get": on_unread_get,
        "channel.update": on_channel_update,
        "channel.delete": on_channel_delete,
        "channel.members.add": on_members_change,
        "channel.members.remove": on_members_change,
        "channel.moderators.add": on_members_change,
        "message.unread": on_message_unread,
        "members.query": on_members_query,
        "users.query": on_users_query,
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


def _close_reason(reason: str) -> str:
    """A close reason fits in 123 bytes of UTF-8."""
    return reason.encode()[:123].decode(errors="ignore")


def _sign_in(actor: Actor) -> tuple[frames.OwnUser, Any]:
    user = services.sign_in(actor)
    if user.deactivated_at is not None:
        raise UserDeactivated(f"user {actor.id!r} is deactivated")
    return services.own_user(actor, user.role), services.touch(actor.id)


def _users_of(states: list[frames.ChannelState]) -> list[frames.User]:
    """The users a page of channel states shows, each shape once (members and memberships)."""
    users: list[frames.User] = []
    for state in states:
        users.extend(member.user for member in state.members)
        if state.membership is not None:
            users.append(state.membership.user)
    return users


# Each member change frame, and the service it calls.
_MEMBER_CHANGES: dict[str, Callable[..., services.MemberChange]] = {
    "channel.members.add": services.add_members,
    "channel.members.remove": services.remove_members,
    "channel.moderators.add": services.add_moderators,
}
