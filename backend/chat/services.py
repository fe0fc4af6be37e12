"""The chat operations every transport shares: watch, post, mark read, relay typing.

Synchronous Django ORM code that knows nothing about sockets or HTTP; membership, idempotency and
read state are decided here, once. Transports call these through `database_sync_to_async`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.exceptions import ChatError, IdConflict, NotAllowed, NotFound, UnknownChannelType
from chat.frames import ErrorCode
from chat.models import Channel, ChatUser, Member, Message, Read
from chat.shapes import channel_shape, member_shape, message_shape, user_shape

__all__ = [
    "CHANNEL_TYPES",
    "DEFAULT_MESSAGE_LIMIT",
    "ChannelRef",
    "PostRequest",
    "Posted",
    "access_channel",
    "channel_state",
    "mark_read",
    "own_user",
    "post_message",
    "post_messages",
    "prepare_watch",
    "relay_typing",
    "sign_in",
    "typing_event",
]

# Channel types and whether they admit members only. Stream's `messaging` and `team` do;
# `livestream` is open to every signed-in user.
CHANNEL_TYPES: dict[str, bool] = {"messaging": True, "team": True, "livestream": False}
DEFAULT_MESSAGE_LIMIT = 25  # Stream's default page of messages on watch
MAX_READ_STATES = 100  # read state listed per watch; Stream stops read events above 100 watchers


@dataclass(frozen=True, slots=True)
class ChannelRef:
    """What a transport needs to address a channel after access was granted."""

    pk: int
    cid: str
    type: str
    id: str

    @property
    def group(self) -> str:
        """The fan-out group: built from the database key, never from client text."""
        return f"chat.channel.{self.pk}"


@dataclass(frozen=True, slots=True)
class Posted:
    """A stored message; `duplicate` when its id had been stored before (nothing new to deliver)."""

    channel: ChannelRef
    message: frames.Message
    event: frames.MessageNewEvent
    duplicate: bool


def sign_in(actor: Actor) -> ChatUser:
    """Records the user as their token describes them."""
    user, created = ChatUser.objects.get_or_create(
        id=actor.id, defaults={"name": actor.name, "image": actor.image}
    )
    if not created and (user.name, user.image) != (actor.name, actor.image):
        user.name, user.image = actor.name, actor.image
        user.save(update_fields=["name", "image", "updated_at"])
    return user


def own_user(actor: Actor) -> frames.OwnUser:
    """The `me` of the first health.check, with the user's unread counts."""
    unread = _unread_by_channel(actor.id)
    return frames.OwnUser(
        id=actor.id,
        name=actor.name,
        image=actor.image or None,
        role="user",
        mutes=[],
        channel_mutes=[],
        unread_count=sum(unread.values()),
        total_unread_count=sum(unread.values()),
        unread_channels=sum(1 for count in unread.values() if count),
        unread_threads=0,
        devices=[],
    )


def _split_cid(cid: str) -> tuple[str, str]:
    kind, _, channel_id = cid.partition(":")
    if kind not in CHANNEL_TYPES:
        raise UnknownChannelType(f"channel type {kind!r} does not exist (known: {', '.join(CHANNEL_TYPES)})")
    return kind, channel_id


def access_channel(actor: Actor, cid: str) -> ChannelRef:
    """The channel `cid` if the actor may use it. Members-only channels hide whether they exist."""
    kind, channel_id = _split_cid(cid)
    members_only = CHANNEL_TYPES[kind]
    row = (
        Channel.objects.filter(cid=cid)
        .annotate(is_member=Exists(Member.objects.filter(channel=OuterRef("pk"), user_id=actor.id)))
        .values_list("pk", "is_member")
        .first()
    )
    if row is None or (members_only and not row[1]):
        if members_only:
            raise NotAllowed(f"user {actor.id!r} is not a member of channel {cid!r}")
        raise NotFound(f"channel {cid!r} does not exist; watch it to create it")
    return ChannelRef(pk=row[0], cid=cid, type=kind, id=channel_id)


def prepare_watch(actor: Actor, cid: str, data: frames.WatchData | None = None) -> ChannelRef:
    """Creates the channel on its first watch (creator and `data.members` join) and checks access."""
    kind, channel_id = _split_cid(cid)
    if not Channel.objects.filter(cid=cid).exists():
        _create_channel(actor, cid, kind, channel_id, data)
    return access_channel(actor, cid)


def channel_state(ref: ChannelRef, page: frames.MessagePagination | None = None) -> frames.ChannelState:
    """The channel as Stream's watch response has it; the transport fills in `watcher_count`."""
    channel = Channel.objects.select_related("created_by").get(pk=ref.pk)
    members = list(Member.objects.filter(channel=channel).select_related("user").order_by("created_at", "pk"))
    return frames.ChannelState(
        cid=ref.cid,
        channel=channel_shape(channel, len(members)),
        messages=_history(channel, page or frames.MessagePagination()),
        pinned_messages=[],
        members=[member_shape(member) for member in members],
        read=_reads(channel, members),
        watcher_count=0,
    )


def _create_channel(
    actor: Actor, cid: str, kind: str, channel_id: str, data: frames.WatchData | None
) -> None:
    creator = sign_in(actor)
    wanted = {m.root for m in (data.members or [])} if data else set()
    with transaction.atomic():
        channel, created = Channel.objects.get_or_create(
            cid=cid,
            defaults={
                "type": kind,
                "channel_id": channel_id,
                "name": (data.name if data and data.name else ""),
                "created_by": creator,
            },
        )
        if created:
            for user_id in sorted(wanted - {creator.id}):
                ChatUser.objects.get_or_create(id=user_id, defaults={"name": user_id})
            Member.objects.bulk_create(
                [Member(channel=channel, user=creator, is_owner=True)]
                + [Member(channel=channel, user_id=user_id) for user_id in sorted(wanted - {creator.id})],
                ignore_conflicts=True,
            )


def _seq_of(channel: Channel, message_id: str) -> int:
    seq = Message.objects.filter(channel=channel, message_id=message_id).values_list("seq", flat=True).first()
    if seq is None:
        raise NotFound(f"message {message_id!r} is not in channel {channel.cid!r}")
    return seq


def _history(channel: Channel, page: frames.MessagePagination) -> list[frames.Message]:
    limit = DEFAULT_MESSAGE_LIMIT if page.limit is None else page.limit
    rows = Message.objects.filter(channel=channel).select_related("user")
    if page.id_gt:  # what a reconnecting client missed: the oldest first
        rows = rows.filter(seq__gt=_seq_of(channel, page.id_gt)).order_by("seq")
        if page.id_lt:
            rows = rows.filter(seq__lt=_seq_of(channel, page.id_lt))
        picked = list(rows[:limit])
    else:
        if page.id_lt:
            rows = rows.filter(seq__lt=_seq_of(channel, page.id_lt))
        picked = list(rows.order_by("-seq")[:limit])[::-1]
    return [message_shape(m, channel.cid, m.user) for m in picked]


def _reads(channel: Channel, members: list[Member]) -> list[frames.Read]:
    reads = {
        r.user_id: r for r in Read.objects.filter(channel=channel).select_related("user")[:MAX_READ_STATES]
    }
    states: list[frames.Read] = []
    for member in members[:MAX_READ_STATES]:
        read = reads.pop(member.user_id, None)
        since, last_id = (read.last_read_seq, read.last_read_message_id) if read else (0, "")
        unread = (
            Message.objects.filter(channel=channel, seq__gt=since).exclude(user_id=member.user_id).count()
        )
        states.append(
            frames.Read(
                user=user_shape(member.user),
                last_read=read.last_read if read else member.created_at,
                last_read_message_id=last_id or None,
                unread_messages=unread,
            )
        )
    for read in reads.values():  # readers of open channels who are not members
        states.append(
            frames.Read(
                user=user_shape(read.user),
                last_read=read.last_read,
                last_read_message_id=read.last_read_message_id or None,
                unread_messages=Message.objects.filter(channel=channel, seq__gt=read.last_read_seq)
                .exclude(user_id=read.user_id)
                .count(),
            )
        )
    return states


def _unread_by_channel(user_id: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    reads = dict(Read.objects.filter(user_id=user_id).values_list("channel_id", "last_read_seq"))
    for channel_id in Member.objects.filter(user_id=user_id).values_list("channel_id", flat=True):
        counts[channel_id] = (
            Message.objects.filter(channel_id=channel_id, seq__gt=reads.get(channel_id, 0))
            .exclude(user_id=user_id)
            .count()
        )
    return counts


@dataclass(frozen=True, slots=True)
class PostRequest:
    """One message a user asks to store."""

    actor: Actor
    cid: str
    text: str
    message_id: str | None = None
    parent_id: str | None = None
    # Access this actor was granted to `cid` by an earlier call here (a transport's watch): it saves
    # the check. Members are never removed in this version, so a grant stays true.
    granted: ChannelRef | None = None


def post_message(
    actor: Actor, cid: str, text: str, message_id: str | None = None, parent_id: str | None = None
) -> Posted:
    """Stores a message once per id. A known id returns the stored message as a duplicate."""
    result = post_messages([PostRequest(actor, cid, text, message_id, parent_id)])[0]
    if isinstance(result, ChatError):
        raise result
    return result


def post_messages(requests: list[PostRequest]) -> list[Posted | ChatError]:
    """Stores many messages in one transaction, answering each request in order.

    Each answer is what `post_message` would give for that request alone, in request order (a
    sender's messages keep their order); a refused request does not affect the others. A known id,
    in the database or earlier in the batch, answers as a duplicate and stores nothing.
    """
    try:
        return _post_batch(requests)
    except IntegrityError:  # an id raced in from another process: settle each request alone
        return [_post_batch([request])[0] for request in requests]


def _post_batch(requests: list[PostRequest]) -> list[Posted | ChatError]:
    results: list[Posted | ChatError | None] = [None] * len(requests)
    refs: dict[tuple[str, str], ChannelRef | ChatError] = {}
    ids = [request.message_id or uuid.uuid4().hex for request in requests]
    stored = {m.message_id: m for m in Message.objects.select_related("user").filter(message_id__in=set(ids))}
    wanted_parents = {r.parent_id for r in requests if r.parent_id}
    parents = set(
        Message.objects.filter(message_id__in=wanted_parents).values_list("channel__cid", "message_id")
        if wanted_parents
        else ()
    )
    users = _users({request.actor for request in requests})
    now = timezone.now()
    new: list[tuple[int, ChannelRef, Message]] = []
    for n, (request, message_id) in enumerate(zip(requests, ids, strict=True)):
        try:
            key = (request.actor.id, request.cid)
            if key not in refs and request.granted is not None and request.granted.cid == request.cid:
                refs[key] = request.granted
            if key not in refs:
                try:
                    refs[key] = access_channel(request.actor, request.cid)
                except ChatError as refusal:
                    refs[key] = refusal
            ref = refs[key]
            if isinstance(ref, ChatError):
                raise ref
            if not request.text.strip():
                raise ChatError("message text is empty", ErrorCode.empty_text)
            known = stored.get(message_id)
            if known is not None:
                if known.channel_id != ref.pk or known.user_id != request.actor.id:
                    raise IdConflict(f"message id {message_id!r} is already used by another message")
                results[n] = _posted(ref, known, duplicate=True)
                continue
            if request.parent_id and (request.cid, request.parent_id) not in parents:
                raise NotFound(f"parent message {request.parent_id!r} is not in channel {request.cid!r}")
            message = Message(
                message_id=message_id,
                channel_id=ref.pk,
                user=users[request.actor.id],
                text=request.text,
                type="reply" if request.parent_id else "regular",
                parent_id=request.parent_id or "",
                created_at=now,
                updated_at=now,
            )
            stored[message_id] = message
            new.append((n, ref, message))
        except ChatError as refusal:
            results[n] = refusal
    if new:
        with transaction.atomic():
            Message.objects.bulk_create([message for _, _, message in new])
            Channel.objects.filter(pk__in={ref.pk for _, ref, _ in new}).update(
                last_message_at=now, updated_at=now
            )
        for n, ref, message in new:
            results[n] = _posted(ref, message, duplicate=False)
    answered = [result for result in results if result is not None]
    assert len(answered) == len(requests)  # every branch above answers its request
    return answered


def _users(actors: set[Actor]) -> dict[str, ChatUser]:
    """The users behind the actors, recorded first if a transport has not signed them in yet."""
    users = {user.id: user for user in ChatUser.objects.filter(id__in={a.id for a in actors})}
    for actor in actors:
        if actor.id not in users:
            users[actor.id] = sign_in(actor)
    return users


def _posted(ref: ChannelRef, message: Message, duplicate: bool) -> Posted:
    shaped = message_shape(message, ref.cid, message.user)
    event = frames.MessageNewEvent(
        cid=ref.cid,
        channel_type=ref.type,
        channel_id=ref.id,
        message_id=shaped.id,
        message=shaped,
        user=shaped.user,
        created_at=shaped.created_at,
    )
    return Posted(channel=ref, message=shaped, event=event, duplicate=duplicate)


def mark_read(
    actor: Actor, cid: str, message_id: str | None = None
) -> tuple[ChannelRef, frames.MessageReadEvent]:
    """Stores how far the actor has read (default: the newest message) and returns the event."""
    ref = access_channel(actor, cid)
    messages = Message.objects.filter(channel_id=ref.pk)
    if message_id:
        target = messages.filter(message_id=message_id).values_list("seq", "message_id").first()
        if target is None:
            raise NotFound(f"message {message_id!r} is not in channel {cid!r}")
    else:
        target = messages.order_by("-seq").values_list("seq", "message_id").first()
    seq, last_id = target or (0, "")
    user = sign_in(actor)
    now = timezone.now()
    Read.objects.update_or_create(
        channel_id=ref.pk,
        user=user,
        defaults={"last_read": now, "last_read_seq": seq, "last_read_message_id": last_id},
    )
    event = frames.MessageReadEvent(
        cid=cid,
        channel_type=ref.type,
        channel_id=ref.id,
        last_read_message_id=last_id or None,
        user=user_shape(user),
        created_at=now,
    )
    return ref, event


def relay_typing(
    actor: Actor, cid: str, kind: Literal["typing.start", "typing.stop"], parent_id: str | None = None
) -> tuple[ChannelRef, frames.TypingStartEvent | frames.TypingStopEvent]:
    """Checks the actor may type in the channel and returns the event to relay."""
    ref = access_channel(actor, cid)
    return ref, typing_event(actor, ref, kind, parent_id)


def typing_event(
    actor: Actor, ref: ChannelRef, kind: Literal["typing.start", "typing.stop"], parent_id: str | None = None
) -> frames.TypingStartEvent | frames.TypingStopEvent:
    """Stream's typing event for a channel the actor was already allowed into."""
    event_type = frames.TypingStartEvent if kind == "typing.start" else frames.TypingStopEvent
    return event_type(
        cid=ref.cid,
        channel_type=ref.type,
        channel_id=ref.id,
        parent_id=parent_id,
        user=frames.User(id=actor.id, name=actor.name, image=actor.image or None),
        created_at=timezone.now(),
    )
