"""Messages: post (batched, idempotent), edit, delete, thread replies, pins, flags; quotes and mentions.

Posting is the hot path: `post_messages` stores a whole batch in one transaction (chat.writer),
replies included, and the parents' new reply_count and thread_participants are written in that
same transaction. Every other operation works on one message, locked for its transaction.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.exceptions import ChatError, IdConflict, InvalidParent, InvalidQuote, NotAllowed, NotFound
from chat.frames import ErrorCode
from chat.models import Channel, ChatUser, Flag, Member, Message, Reaction
from chat.services import permissions, queries, uploads
from chat.services.channels import ChannelRef, access_channel, message_rows, ref_of
from chat.services.events import Outcome, message_event
from chat.services.reads import follow_threads, recount
from chat.services.users import sign_in, users_by_id
from chat.shapes import Extras, message_shape, reaction_shape, user_shape

__all__ = [
    "DEFAULT_REPLY_LIMIT",
    "LATEST_REACTIONS",
    "Located",
    "PostRequest",
    "Posted",
    "delete_message",
    "flag_message",
    "get_replies",
    "locate_message",
    "message_outcome",
    "pin_message",
    "post_message",
    "post_messages",
    "shape_messages",
    "update_message",
]

DEFAULT_REPLY_LIMIT = 25  # Stream's default page of replies
LATEST_REACTIONS = 10  # reactions a message carries in latest_reactions, the newest first


# Shaping stored messages, in bulk.


def shape_messages(
    rows: list[Message], cid: str | Mapping[int, str], viewer_id: str | None
) -> list[frames.Message]:
    """Stream's shapes of `rows` (loaded with `message_rows()`), `own_reactions` for the viewer.

    `cid` is the channel's, or each channel's by its key when the rows come from several. A fixed
    number of queries whatever the page size: mentions, then only if some message has them,
    reactions (latest per message, the viewer's) and thread participants.
    """
    if not rows:
        return []
    cids = cid if not isinstance(cid, str) else None

    def cid_of(m: Message) -> str:
        return cids[m.channel_id] if cids is not None else str(cid)

    quoted = {m.quoted_id: m.quoted for m in rows if m.quoted_id is not None and m.quoted is not None}
    mentioned_ids = queries.mention_ids({m.seq for m in rows} | set(quoted))
    reacted = {m.seq: m.message_id for m in rows if m.reaction_groups}
    latest = _latest_reactions(reacted) if reacted else {}
    own = _own_reactions(reacted, viewer_id) if reacted and viewer_id else {}
    # Every user the page shows (authors, pinners, participants, mentioned), loaded and shaped once:
    # a page repeats a few users, and an instance and a shape per message cost more than the SQL.
    wanted = {m.user_id for m in rows} | {q.user_id for q in quoted.values()}
    wanted.update(m.pinned_by_id for m in rows if m.pinned_by_id is not None)
    wanted.update(uid for m in rows for uid in m.thread_participants)
    wanted.update(uid for ids in mentioned_ids.values() for uid in ids)
    users = {u.id: user_shape(u) for u in ChatUser.objects.filter(id__in=wanted).only("id", "name", "image")}
    mentions = {seq: [users[u] for u in ids if u in users] for seq, ids in mentioned_ids.items()}

    def pinner(m: Message) -> frames.User | None:
        return users.get(m.pinned_by_id) if m.pinned_by_id is not None else None

    quotes = {
        seq: message_shape(
            q, cid_of(q), users[q.user_id], Extras(mentioned=mentions.get(seq, []), pinned_by=pinner(q))
        )
        for seq, q in quoted.items()
    }
    return [
        message_shape(
            m,
            cid_of(m),
            users[m.user_id],
            Extras(
                mentioned=mentions.get(m.seq, []),
                latest_reactions=latest.get(m.seq, []),
                own_reactions=own.get(m.seq, []),
                participants=[users[uid] for uid in m.thread_participants if uid in users],
                quoted=quotes.get(m.quoted_id) if m.quoted_id is not None else None,
                pinned_by=pinner(m),
            ),
        )
        for m in rows
    ]


def _latest_reactions(messages: dict[int, str]) -> dict[int, list[frames.Reaction]]:
    ranked = (
        Reaction.objects.filter(message_id__in=messages)
        .annotate(
            rank=Window(
                RowNumber(), partition_by=[F("message_id")], order_by=[F("created_at").desc(), F("pk").desc()]
            )
        )
        .filter(rank__lte=LATEST_REACTIONS)
        .select_related("user")
        .order_by("message_id", "-created_at", "-pk")
    )
    found: dict[int, list[frames.Reaction]] = defaultdict(list)
    for r in ranked:
        found[r.message_id].append(reaction_shape(r, messages[r.message_id], r.user))
    return found


def _own_reactions(messages: dict[int, str], viewer_id: str) -> dict[int, list[frames.Reaction]]:
    found: dict[int, list[frames.Reaction]] = defaultdict(list)
    mine = Reaction.objects.filter(message_id__in=messages, user_id=viewer_id).select_related("user")
    for r in mine.order_by("created_at", "pk"):
        found[r.message_id].append(reaction_shape(r, messages[r.message_id], r.user))
    return found


# Posting, batched.


@dataclass(frozen=True, slots=True)
class PostRequest:
    """One message a user asks to store."""

    actor: Actor
    cid: str
    text: str
    message_id: str | None = None
    parent_id: str | None = None
    # Access this actor was granted to `cid` by an earlier call here (a transport's watch): it saves
    # the check. A transport drops the grant when the user is removed or the channel deleted
    # (chat.fanout evicts its sockets); a post racing that is settled alone, checked afresh.
    granted: ChannelRef | None = None
    show_in_channel: bool = False
    quoted_message_id: str | None = None
    mentioned_users: tuple[str, ...] = ()
    attachments: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class Posted:
    """A stored message; `duplicate` when its id had been stored before (nothing new to deliver).

    `parent_event` is a reply's parent, with the reply_count and thread_participants this reply
    gave it: watchers get it right after the reply's message.new. `member_ids` are the channel's
    members (for notification.message_new), for a new message only.
    """

    channel: ChannelRef
    message: frames.Message
    event: frames.MessageNewEvent
    duplicate: bool
    parent_event: frames.MessageUpdatedEvent | None = None
    member_ids: tuple[str, ...] = ()


def post_message(
    actor: Actor,
    cid: str,
    text: str,
    message_id: str | None = None,
    parent_id: str | None = None,
    **extra: Any,
) -> Posted:
    """Stores a message once per id. A known id returns the stored message as a duplicate."""
    result = post_messages([PostRequest(actor, cid, text, message_id, parent_id, **extra)])[0]
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
        return [_post_alone(request) for request in requests]


def _post_alone(request: PostRequest) -> Posted | ChatError:
    try:
        return _post_batch([request])[0]
    except IntegrityError:  # its channel went away under a grant: check access afresh
        return _post_batch([dataclasses.replace(request, granted=None)])[0]


@dataclass(slots=True)
class _New:
    """A message of the batch being stored, and what it needs once it has a seq."""

    index: int
    ref: ChannelRef
    message: Message
    mentioned: list[ChatUser]
    quoted: Message | None
    parent: Message | None
    upload_ids: list[str] = dataclasses.field(default_factory=list)


def _post_batch(requests: list[PostRequest]) -> list[Posted | ChatError]:
    results: list[Posted | ChatError | None] = [None] * len(requests)
    refs: dict[tuple[str, str], ChannelRef | ChatError] = {}
    ids = [request.message_id or uuid.uuid4().hex for request in requests]
    known_ids = queries.existing_message_ids(ids)
    stored = {m.message_id: m for m in message_rows().filter(message_id__in=known_ids)} if known_ids else {}
    parents = _by_id({r.parent_id for r in requests if r.parent_id})
    quotes = _by_id({r.quoted_message_id for r in requests if r.quoted_message_id}, shaped=True)
    mention_ids = {uid for r in requests for uid in r.mentioned_users}
    mentionable = {u.id: u for u in ChatUser.objects.filter(id__in=mention_ids)} if mention_ids else {}
    users = users_by_id({request.actor for request in requests})
    senders = {request.actor.id for request in requests}
    bans = _bans(senders) if queries.any_ban(senders) else {}
    claims = uploads.claim(r.attachments for r in requests if r.attachments)
    taken: set[str] = set()  # uploads attached by this batch
    now = timezone.now()
    new: list[_New] = []
    fresh: dict[str, Message] = {}  # stored by this batch, by id
    again: list[int] = []  # requests repeating an id stored earlier in this batch
    for n, (request, message_id) in enumerate(zip(requests, ids, strict=True)):
        try:
            ref = _ref(refs, request)
            _require_content(request.text, request.attachments)
            known = stored.get(message_id)
            if known is not None:
                if known.channel_id != ref.pk or known.user_id != request.actor.id:
                    raise IdConflict(f"message id {message_id!r} is already used by another message")
                if message_id in fresh:  # sent twice in this batch: answered once the first is stored
                    again.append(n)
                else:
                    results[n] = _posted(ref, known, duplicate=True)
                continue
            ban_info = _ban_in(bans, request.actor.id, ref)
            permissions.require_reader_may(ref.type, ban_info, "send-message")
            parent = _parent(request, ref, parents, fresh, ban_info)
            quoted = _quoted(request, ref, quotes, fresh, ban_info)
            mentioned = _mentioned(request, ref, mentionable, ban_info)
            attachments, upload_ids = list(request.attachments), list[str]()
            if request.attachments:
                permissions.require_reader_may(ref.type, ban_info, "create-attachment")
                attachments, upload_ids = uploads.attach(attachments, claims, request.actor.id, ref.pk, taken)
            shown = bool(parent and request.show_in_channel)
            message = Message(
                message_id=message_id,
                channel_id=ref.pk,
                user=users[request.actor.id],
                text=request.text,
                type="reply" if parent and not shown else "regular",
                parent_id=request.parent_id or "",
                show_in_channel=shown,
                attachments=attachments,
                quoted=quoted if quoted is not None and quoted.seq is not None else None,
                # A microsecond apart within a batch: clients sort a channel by created_at, and
                # messages of one batch must not tie (they would fall back to arrival order).
                created_at=(stamp := now + timedelta(microseconds=len(new))),
                updated_at=stamp,
            )
            stored[message_id] = fresh[message_id] = message
            new.append(_New(n, ref, message, mentioned, quoted, parent, upload_ids))
        except ChatError as refusal:
            results[n] = refusal
    if new:
        snapshots = _store(new, now)
        _answer_new(new, snapshots, results)
        members: dict[int, list[str]] = defaultdict(list)
        for channel_pk, user_id in Member.objects.filter(channel_id__in={i.ref.pk for i in new}).values_list(
            "channel_id", "user_id"
        ):
            members[channel_pk].append(user_id)
        for item in new:
            posted = results[item.index]
            if isinstance(posted, Posted):
                results[item.index] = dataclasses.replace(posted, member_ids=tuple(members[item.ref.pk]))
        first = {item.message.message_id: results[item.index] for item in new}
        for n in again:
            original = first[ids[n]]
            assert isinstance(original, Posted)
            results[n] = dataclasses.replace(original, duplicate=True, parent_event=None)
    answered = [result for result in results if result is not None]
    assert len(answered) == len(requests)  # every branch above answers its request
    return answered


def _ref(refs: dict[tuple[str, str], ChannelRef | ChatError], request: PostRequest) -> ChannelRef:
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
    return ref


def _by_id(ids: set[str | None], shaped: bool = False) -> dict[str, Message]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = message_rows() if shaped else Message.objects.only("seq", "message_id", "channel_id", "parent_id")
    return {m.message_id: m for m in rows.filter(message_id__in=wanted)}


Bans = dict[tuple[str, int | None], tuple[datetime | None, str]]


def _bans(user_ids: set[str]) -> Bans:
    """The senders' bans in force, by (user, channel pk or None for app-wide): one query a batch."""
    rows = permissions.active_bans().filter(user_id__in=user_ids)
    return {(u, c): (e, r) for u, c, e, r in rows.values_list("user_id", "channel_id", "expires", "reason")}


def _ban_in(bans: Bans, user_id: str, ref: ChannelRef) -> permissions.BanInfo | None:
    channel_ban = bans.get((user_id, ref.pk))
    if channel_ban is not None:
        return permissions.BanInfo(ref.cid, *channel_ban)
    app_ban = bans.get((user_id, None))
    return permissions.BanInfo(None, *app_ban) if app_ban is not None else None


def _parent(
    request: PostRequest,
    ref: ChannelRef,
    parents: dict[str, Message],
    fresh: dict[str, Message],
    ban: permissions.BanInfo | None,
) -> Message | None:
    if not request.parent_id:
        return None
    permissions.require_reader_may(ref.type, ban, "send-reply")
    parent = parents.get(request.parent_id) or fresh.get(request.parent_id)
    if parent is None:
        raise NotFound(f"parent message {request.parent_id!r} is not in channel {request.cid!r}")
    if parent.channel_id != ref.pk:
        raise InvalidParent(
            f"parent message {request.parent_id!r} is in another channel, not {request.cid!r}"
        )
    if parent.parent_id:
        raise InvalidParent(
            f"message {request.parent_id!r} is a reply: reply to its parent {parent.parent_id!r} instead"
        )
    return parent


def _quoted(
    request: PostRequest,
    ref: ChannelRef,
    quotes: dict[str, Message],
    fresh: dict[str, Message],
    ban: permissions.BanInfo | None,
) -> Message | None:
    if not request.quoted_message_id:
        return None
    permissions.require_reader_may(ref.type, ban, "quote-message")
    quoted = quotes.get(request.quoted_message_id) or fresh.get(request.quoted_message_id)
    if quoted is None:
        raise NotFound(f"quoted message {request.quoted_message_id!r} does not exist")
    if quoted.channel_id != ref.pk:
        raise InvalidQuote(
            f"quoted message {request.quoted_message_id!r} is in another channel, not {ref.cid!r}"
        )
    return quoted


def _mentioned(
    request: PostRequest,
    ref: ChannelRef,
    users: dict[str, ChatUser],
    ban: permissions.BanInfo | None,
) -> list[ChatUser]:
    if not request.mentioned_users:
        return []
    permissions.require_reader_may(ref.type, ban, "create-mention")
    return _resolve_users(request.mentioned_users, users)


def _resolve_users(ids: tuple[str, ...] | list[str], users: dict[str, ChatUser]) -> list[ChatUser]:
    found: list[ChatUser] = []
    for user_id in dict.fromkeys(ids):  # once each, in the order given
        user = users.get(user_id)
        if user is None:
            raise NotFound(f"mentioned user {user_id!r} does not exist")
        found.append(user)
    return found


def _store(new: list[_New], now: datetime) -> dict[int, tuple[int, list[str]]]:
    """Writes the batch; returns, per reply (by batch index), its parent's reply_count and participants."""
    snapshots: dict[int, tuple[int, list[str]]] = {}
    with transaction.atomic():
        queries.insert_messages([item.message for item in new])
        for item in new:
            if item.upload_ids:
                assert item.message.seq is not None
                uploads.mark_attached(item.message.seq, item.upload_ids)
        through = Message.mentioned_users.through
        mentions = [
            through(message_id=item.message.seq, chatuser_id=user.id)
            for item in new
            for user in item.mentioned
        ]
        if mentions:
            through.objects.bulk_create(mentions)
        for item in new:  # a quote of a message stored earlier in this same batch
            if item.quoted is not None and item.message.quoted_id is None:
                item.message.quoted = item.quoted
                Message.objects.filter(seq=item.message.seq).update(quoted_id=item.quoted.seq)
        Channel.objects.filter(pk__in={item.ref.pk for item in new}).update(
            last_message_at=now, updated_at=now
        )
        counted: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for item in new:  # what each raises its readers' unread counts by (chat.services.reads)
            if item.parent is None or item.message.show_in_channel:
                counted[item.ref.pk][item.message.user_id] += 1
        for channel_pk, by_sender in counted.items():
            queries.raise_unread(channel_pk, dict(by_sender), now)
        replies = [item for item in new if item.parent is not None]
        if replies:
            seqs = {item.parent.seq for item in replies if item.parent is not None}
            locked = {
                p.seq: p
                for p in Message.objects.select_for_update()
                .filter(seq__in=seqs)
                .order_by("seq")  # every process locks parents in one order: no deadlock
                .only("seq", "user_id", "created_at", "reply_count", "thread_participants")
            }
            for item in replies:
                assert item.parent is not None
                parent = locked[item.parent.seq]
                parent.reply_count += 1
                if item.message.user_id not in parent.thread_participants:
                    parent.thread_participants = [*parent.thread_participants, item.message.user_id]
                snapshots[item.index] = (parent.reply_count, list(parent.thread_participants))
            Message.objects.bulk_update(list(locked.values()), ["reply_count", "thread_participants"])
            follow_threads([(locked[item.parent.seq], item.message) for item in replies if item.parent])
    return snapshots


def _answer_new(
    new: list[_New], snapshots: dict[int, tuple[int, list[str]]], results: list[Posted | ChatError | None]
) -> None:
    parent_seqs = {item.parent.seq for item in new if item.parent is not None}
    parents: dict[int, frames.Message] = {}
    if parent_seqs:
        rows = list(message_rows().filter(seq__in=parent_seqs))
        cids = {item.parent.seq: item.ref.cid for item in new if item.parent is not None}
        for row in rows:
            parents[row.seq] = shape_messages([row], cids[row.seq], None)[0]
    batch_mentions = {item.message.message_id: item.mentioned for item in new}
    quote_shapes: dict[str, frames.Message] = {}
    for item in new:
        quoted = item.quoted
        if quoted is None or quoted.message_id in quote_shapes:
            continue
        if quoted.message_id in batch_mentions:  # stored by this batch: nothing else to load
            extras = Extras(mentioned=[user_shape(u) for u in batch_mentions[quoted.message_id]])
            quote_shapes[quoted.message_id] = message_shape(
                quoted, item.ref.cid, user_shape(quoted.user), extras
            )
        else:
            quote_shapes[quoted.message_id] = shape_messages([quoted], item.ref.cid, None)[0]
    for item in new:
        shaped = message_shape(
            item.message,
            item.ref.cid,
            user_shape(item.message.user),
            Extras(
                mentioned=[user_shape(u) for u in item.mentioned],
                quoted=_without_quote(quote_shapes[item.quoted.message_id]) if item.quoted else None,
            ),
        )
        parent_event = None
        if item.parent is not None and item.parent.seq in parents:
            count, participant_ids = snapshots[item.index]
            base = parents[item.parent.seq]
            by_id = {u.id: u for u in base.thread_participants or []}
            parent_shape = base.model_copy(
                update={
                    "reply_count": count,
                    "thread_participants": [by_id[uid] for uid in participant_ids if uid in by_id],
                }
            )
            parent_event = message_event(frames.MessageUpdatedEvent, item.ref, parent_shape, shaped.user)
        results[item.index] = _posted(
            item.ref, item.message, duplicate=False, shaped=shaped, parent_event=parent_event
        )


def _without_quote(message: frames.Message) -> frames.Message:
    if message.quoted_message is None and message.quoted_message_id is None:
        return message
    return message.model_copy(update={"quoted_message": None, "quoted_message_id": None})


def _posted(
    ref: ChannelRef,
    message: Message,
    duplicate: bool,
    shaped: frames.Message | None = None,
    parent_event: frames.MessageUpdatedEvent | None = None,
) -> Posted:
    if shaped is None:
        shaped = shape_messages([message], ref.cid, None)[0]
    event = frames.MessageNewEvent.model_construct(
        cid=ref.cid,
        channel_type=ref.type,
        channel_id=ref.id,
        message_id=shaped.id,
        message=shaped,
        user=shaped.user,
        created_at=shaped.created_at,
    )
    return Posted(channel=ref, message=shaped, event=event, duplicate=duplicate, parent_event=parent_event)


# One message at a time: edit, delete, pin, flag, replies.


@dataclass(frozen=True, slots=True)
class Located:
    """A message the actor may read, the channel it is in, and the actor's standing there."""

    message: Message
    ref: ChannelRef
    standing: permissions.Standing


def locate_message(actor: Actor, message_id: str, lock: bool = False) -> Located:
    """The message `message_id` if the actor may read its channel (locked for the transaction)."""
    rows = message_rows().select_related("channel")
    if lock:
        rows = rows.select_for_update(of=("self",))
    message = rows.filter(message_id=message_id).first()
    if message is None:
        raise NotFound(f"message {message_id!r} does not exist")
    ref = ref_of(message.channel)
    try:
        access_channel(actor, ref.cid)
    except NotAllowed:
        raise NotAllowed(
            f"you cannot read channel {ref.cid!r}, so you cannot act on its message {message_id!r}"
        ) from None
    return Located(message, ref, permissions.standing(actor, ref.pk, ref.cid, ref.type))


def message_outcome(
    kind: type[frames.MessageUpdatedEvent] | type[frames.MessageDeletedEvent],
    located: Located,
    actor: Actor,
    changed: bool,
    after: tuple[Any, ...] = (),
    **extra: Any,
) -> Outcome:
    """The event about `located.message` (reloaded), own_reactions for the actor in its own copy."""
    row = message_rows().get(seq=located.message.seq)
    shaped = shape_messages([row], located.ref.cid, actor.id)[0]
    fanned = shaped.model_copy(update={"own_reactions": []})
    event = message_event(kind, located.ref, fanned, _actor_shape(actor), **extra)
    return Outcome(located.ref.group, event, changed, shaped.own_reactions, after)


def _require_content(text: str, attachments: Sequence[object]) -> None:
    """A message has text, attachments or both (Stream's rule): blank text alone is refused."""
    if not text.strip() and not attachments:
        raise ChatError("a message needs text or attachments", ErrorCode.empty_text)


def _actor_shape(actor: Actor) -> frames.User:
    return frames.User.model_construct(id=actor.id, name=actor.name, image=actor.image or None)


def update_message(actor: Actor, data: frames.UpdatedMessage) -> Outcome:
    """Edits a message: its text, and the attachments, mentions or quote given (others stay)."""
    with transaction.atomic():
        located = locate_message(actor, data.id, lock=True)
        message, standing = located.message, located.standing
        if message.type == "deleted":
            raise NotAllowed(f"message {data.id!r} is deleted and cannot be edited")
        standing.require_on(message.user_id, "update-own-message", "update-any-message", "edit")
        changed = message.text != data.text
        message.text = data.text
        if data.attachments is not None:
            attachments = [a.model_dump(mode="json", exclude_none=True) for a in data.attachments]
            if attachments:
                standing.require("create-attachment", "attach files")
            attachments = uploads.reattach(message, attachments, actor.id)
            changed |= attachments != message.attachments
            message.attachments = attachments
        _require_content(message.text, message.attachments)
        if data.quoted_message_id is not None:
            standing.require("quote-message", "quote messages")
            quoted = Message.objects.filter(message_id=data.quoted_message_id).first()
            if quoted is None:
                raise NotFound(f"quoted message {data.quoted_message_id!r} does not exist")
            if quoted.channel_id != located.ref.pk or quoted.seq == message.seq:
                raise InvalidQuote(
                    f"quoted message {data.quoted_message_id!r} is not another message of {located.ref.cid!r}"
                )
            changed |= message.quoted_id != quoted.seq
            message.quoted = quoted
        mentioned: list[ChatUser] | None = None
        if data.mentioned_users is not None:
            ids = [u.root for u in data.mentioned_users]
            if ids:
                standing.require("create-mention", "mention users")
            mentioned = _resolve_users(ids, {u.id: u for u in ChatUser.objects.filter(id__in=ids)})
            before = list(message.mentioned_users.values_list("id", flat=True).order_by("id"))
            changed |= before != sorted(u.id for u in mentioned)
        if changed:
            message.updated_at = timezone.now()
            message.save(update_fields=["text", "attachments", "quoted", "updated_at"])
            if mentioned is not None:
                message.mentioned_users.set(mentioned)
    return message_outcome(frames.MessageUpdatedEvent, located, actor, changed)


def delete_message(actor: Actor, message_id: str, hard: bool = False) -> Outcome:
    """Soft delete (type `deleted`, text and attachments gone) or, with `hard`, the row itself.

    Deleting a deleted message again changes nothing. A hard-deleted reply lowers its parent's
    reply_count, which watchers get as the parent's message.updated after the message.deleted.
    """
    with transaction.atomic():
        located = locate_message(actor, message_id, lock=True)
        message = located.message
        located.standing.require_on(message.user_id, "delete-own-message", "delete-any-message", "delete")
        now = timezone.now()
        changed = message.type != "deleted"
        if changed or hard:
            message.type, message.text, message.attachments = "deleted", "", []
            message.deleted_at = message.deleted_at or now
            message.updated_at = now
            message.pinned_at = message.pin_expires = None
            message.pinned_by = None
            message.save(
                update_fields=[
                    "type",
                    "text",
                    "attachments",
                    "deleted_at",
                    "updated_at",
                    "pinned_at",
                    "pinned_by",
                    "pin_expires",
                ]
            )
        if changed:  # it no longer counts as unread for anyone who had not read it
            recount([located.ref.pk], below_seq=message.seq)
        if not hard:
            return message_outcome(frames.MessageDeletedEvent, located, actor, changed)
        outcome = message_outcome(frames.MessageDeletedEvent, located, actor, True, hard_delete=True)
        parent = None
        if message.parent_id:
            parent = Message.objects.select_for_update().filter(message_id=message.parent_id).first()
        uploads.discard_of_message(message.seq)
        message.delete()
        after: tuple[Any, ...] = ()
        if parent is not None:
            parent.reply_count = max(parent.reply_count - 1, 0)
            parent.save(update_fields=["reply_count"])
            row = message_rows().get(seq=parent.seq)
            shaped = shape_messages([row], located.ref.cid, None)[0]
            after = (message_event(frames.MessageUpdatedEvent, located.ref, shaped, _actor_shape(actor)),)
    return Outcome(outcome.group, outcome.event, True, outcome.own_reactions, after)


def pin_message(actor: Actor, message_id: str, pinned: bool, pin_expires: datetime | None = None) -> Outcome:
    """Pins (until `pin_expires`, or for good) or unpins a message. Pinning a pinned message again
    with the same end changes nothing."""
    with transaction.atomic():
        located = locate_message(actor, message_id, lock=True)
        message, standing = located.message, located.standing
        standing.require("pin-message", "pin messages")
        standing.require_on(message.user_id, "pin-message", "update-any-message", "pin")
        if message.type == "deleted":
            raise NotAllowed(f"message {message_id!r} is deleted and cannot be pinned")
        now = timezone.now()
        active = message.pinned_at is not None and (message.pin_expires is None or message.pin_expires > now)
        if pinned:
            changed = not active or message.pin_expires != pin_expires
            if changed:
                message.pinned_at, message.pin_expires = now, pin_expires
                message.pinned_by = sign_in(actor)
        else:
            changed = active
            message.pinned_at = message.pin_expires = None
            message.pinned_by = None
        if changed:
            message.save(update_fields=["pinned_at", "pinned_by", "pin_expires"])
    return message_outcome(frames.MessageUpdatedEvent, located, actor, changed)


def flag_message(actor: Actor, message_id: str, reason: str | None = None) -> None:
    """Reports a message to the moderators (the admin lists it). A second flag by the same user changes nothing."""
    located = locate_message(actor, message_id)
    located.standing.require("flag-message", "flag messages")
    message = located.message
    user = sign_in(actor)
    try:
        with transaction.atomic():
            Flag.objects.get_or_create(
                message_key=message.message_id,
                user=user,
                defaults={
                    "message": message,
                    "message_text": message.text,
                    "channel_id": located.ref.pk,
                    "reason": reason or "",
                    "created_at": timezone.now(),
                },
            )
    except IntegrityError:  # the same flag, sent twice at once: one is stored, as asked
        pass


def get_replies(
    actor: Actor,
    parent_id: str,
    limit: int | None = None,
    id_lt: str | None = None,
    id_gt: str | None = None,
) -> frames.MessageReplies:
    """A page of the thread, oldest first: the latest `limit`, older than `id_lt` or newer than `id_gt`."""
    located = locate_message(actor, parent_id)
    limit = DEFAULT_REPLY_LIMIT if limit is None else limit
    rows = message_rows().filter(channel_id=located.ref.pk, parent_id=parent_id)

    def seq(reply_id: str) -> int:
        found = rows.filter(message_id=reply_id).values_list("seq", flat=True).first()
        if found is None:
            raise NotFound(f"message {reply_id!r} is not a reply to {parent_id!r}")
        return found

    if id_gt:
        page = rows.filter(seq__gt=seq(id_gt))
        if id_lt:
            page = page.filter(seq__lt=seq(id_lt))
        picked = list(page.order_by("seq")[:limit])
    else:
        page = rows.filter(seq__lt=seq(id_lt)) if id_lt else rows
        picked = list(page.order_by("-seq")[:limit])[::-1]
    return frames.MessageReplies.model_construct(
        parent_id=parent_id, messages=shape_messages(picked, located.ref.cid, actor.id)
    )
