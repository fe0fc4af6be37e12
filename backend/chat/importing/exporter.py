"""Jatte's data as Stream's import format, one line at a time, so that importing the lines into an
empty database reproduces every user, channel, member, message, reaction and read mark.

Lines come in the order the importer wants (users, channels, members, messages, reactions), each
type read in pages by primary key, so memory stays flat whatever the size. What Stream's format
has no field for is written in the fields schema/import.schema.json marks "Jatte" (bans, the last
message read) or as custom data, which Stream's importer keeps as such.

`since` keeps the messages and reactions created or changed from that moment (the users, channels
and members of the chosen channels still come whole, so the file stands on its own on top of an
earlier export).
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db.models import Q, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from chat.models import Ban, Channel, ChatUser, Member, Message, Mute, Reaction, Read

__all__ = ["PAGE", "export_lines", "export_response"]

PAGE = 2000


def _time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _line(kind: str, data: dict[str, Any]) -> str:
    return (
        json.dumps(
            {"type": kind, "data": {k: v for k, v in data.items() if v is not None}}, ensure_ascii=False
        )
        + "\n"
    )


def _pages(rows: QuerySet[Any, Any], key: str = "pk") -> Iterator[list[Any]]:
    """The rows in pages of PAGE, by `key` (a unique, ordered column): no offset, no long cursor."""
    after: Any = None
    while True:
        page = rows.order_by(key)
        if after is not None:
            page = page.filter(**{f"{key}__gt": after})
        found = list(page[:PAGE])
        if not found:
            return
        yield found
        last = found[-1]
        after = last[key] if isinstance(last, dict) else getattr(last, key)


def _chunks(ids: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def export_lines(cids: Iterable[str] | None = None, since: datetime | None = None) -> Iterator[str]:
    """Every record of the chosen channels (all when `cids` is None), as import-format lines."""
    channels = Channel.objects.all()
    if cids is not None:
        channels = channels.filter(cid__in=list(cids))
    chosen = dict(channels.values_list("pk", "cid"))
    if cids is not None:
        missing = sorted(set(cids) - set(chosen.values()))
        if missing:
            raise LookupError(f"no such channel: {', '.join(missing)}")
    pks = sorted(chosen)
    messages = Message.objects.filter(channel_id__in=pks) if cids is not None else Message.objects.all()
    reactions = (
        Reaction.objects.filter(message__channel_id__in=pks) if cids is not None else Reaction.objects.all()
    )
    if since is not None:
        messages = messages.filter(Q(created_at__gte=since) | Q(updated_at__gte=since))
        reactions = reactions.filter(Q(created_at__gte=since) | Q(updated_at__gte=since))
    users = None if cids is None else _users_of(pks)
    yield from _users(users)
    yield from _channels(pks)
    yield from _members(pks)
    yield from _messages(messages, pks)
    yield from _reactions(reactions)


def export_response(request: HttpRequest, cids: list[str]) -> StreamingHttpResponse:
    """A download of the channels' export, streamed (under ASGI too: pages are read in the sync thread)."""
    lines = export_lines(cids)
    content: Iterator[bytes] | AsyncIterator[bytes]
    if isinstance(request, ASGIRequest):

        def page() -> bytes:
            return "".join(itertools.islice(lines, PAGE)).encode()

        async def pages() -> AsyncIterator[bytes]:
            while chunk := await sync_to_async(page, thread_sensitive=True)():
                yield chunk

        content = pages()
    else:
        content = (line.encode() for line in lines)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(content, content_type="application/x-ndjson")
    response["Content-Disposition"] = f'attachment; filename="jatte-export-{stamp}.jsonl"'
    return response


def _users_of(pks: list[int]) -> set[str]:
    """Everyone the channels' records name: creators, members, authors, reactors, mentions, pins, bans."""
    found: set[str] = set()
    for chunk in _chunks(pks):
        found.update(Channel.objects.filter(pk__in=chunk).values_list("created_by_id", flat=True))
        found.update(Member.objects.filter(channel_id__in=chunk).values_list("user_id", flat=True))
        in_channels = Message.objects.filter(channel_id__in=chunk)
        found.update(in_channels.values_list("user_id", flat=True).distinct())
        found.update(in_channels.exclude(pinned_by=None).values_list("pinned_by_id", flat=True).distinct())
        found.update(
            Message.mentioned_users.through.objects.filter(message__channel_id__in=chunk)
            .values_list("chatuser_id", flat=True)
            .distinct()
        )
        found.update(
            Reaction.objects.filter(message__channel_id__in=chunk)
            .values_list("user_id", flat=True)
            .distinct()
        )
        for user, creator in Ban.objects.filter(channel_id__in=chunk).values_list("user_id", "created_by_id"):
            found.update(u for u in (user, creator) if u)
    return found


def _ban(ban: Ban, with_user: bool) -> dict[str, Any]:
    shaped = {
        "user_id": ban.user_id if with_user else None,
        "created_by_id": ban.created_by_id,
        "reason": ban.reason or None,
        "created_at": _time(ban.created_at),
        "expires": _time(ban.expires),
    }
    return {k: v for k, v in shaped.items() if v is not None}


def _users(chosen: set[str] | None) -> Iterator[str]:
    rows: QuerySet[ChatUser, ChatUser] = ChatUser.objects.all()
    pages: Iterator[list[ChatUser]]
    if chosen is None:
        pages = _pages(rows, "id")
    else:
        pages = (list(rows.filter(id__in=chunk).order_by("id")) for chunk in _chunks(sorted(chosen), PAGE))
    for page in pages:
        ids = [u.id for u in page]
        mutes: dict[str, list[str]] = defaultdict(list)
        for muter, target in (
            Mute.objects.filter(user_id__in=ids).order_by("pk").values_list("user_id", "target_id")
        ):
            if chosen is None or target in chosen:
                mutes[muter].append(target)
        bans = {b.user_id: b for b in Ban.objects.filter(user_id__in=ids, channel__isnull=True)}
        for user in page:
            yield _line(
                "user",
                {
                    **user.custom,
                    "id": user.id,
                    "name": user.name or None,
                    "image": user.image or None,
                    "role": user.role,
                    "deactivated_at": _time(user.deactivated_at),
                    "created_at": _time(user.created_at),
                    "updated_at": _time(user.updated_at),
                    "user_mutes": mutes.get(user.id) or None,
                    "ban": _ban(bans[user.id], with_user=False) if user.id in bans else None,
                },
            )


def _channels(pks: list[int]) -> Iterator[str]:
    for chunk in _chunks(pks):
        bans: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for ban in Ban.objects.filter(channel_id__in=chunk).order_by("pk"):
            assert ban.channel_id is not None
            bans[ban.channel_id].append(_ban(ban, with_user=True))
        for channel in Channel.objects.filter(pk__in=chunk).order_by("pk"):
            yield _line(
                "channel",
                {
                    **channel.custom,
                    "type": channel.type,
                    "id": channel.channel_id,
                    "created_by": channel.created_by_id,
                    "name": channel.name or None,
                    "image": channel.image or None,
                    "created_at": _time(channel.created_at),
                    "updated_at": _time(channel.updated_at),
                    "last_message_at": _time(channel.last_message_at),
                    "bans": bans.get(channel.pk) or None,
                },
            )


def _members(pks: list[int]) -> Iterator[str]:
    for chunk in _chunks(pks):
        where = {
            c.pk: (c.type, c.channel_id)
            for c in Channel.objects.filter(pk__in=chunk).only("type", "channel_id")
        }
        reads = {
            (r.channel_id, r.user_id): r
            for r in Read.objects.filter(channel_id__in=chunk).only(
                "channel_id", "user_id", "last_read", "last_read_message_id"
            )
        }
        for page in _pages(Member.objects.filter(channel_id__in=chunk)):
            for member in page:
                kind, channel_id = where[member.channel_id]
                read = reads.get((member.channel_id, member.user_id))
                yield _line(
                    "member",
                    {
                        "user_id": member.user_id,
                        "channel_type": kind,
                        "channel_id": channel_id,
                        "channel_role": member.channel_role,
                        "created_at": _time(member.created_at),
                        "updated_at": _time(member.updated_at),
                        "last_read": _time(read.last_read) if read else None,
                        "last_read_message_id": (read.last_read_message_id or None) if read else None,
                    },
                )


_MESSAGE_VALUES = (
    "seq",
    "message_id",
    "channel_id",
    "user_id",
    "text",
    "type",
    "parent_id",
    "show_in_channel",
    "quoted__message_id",
    "attachments",
    "pinned_at",
    "pinned_by_id",
    "pin_expires",
    "custom",
    "created_at",
    "updated_at",
    "deleted_at",
)


def _messages(messages: QuerySet[Message, Message], pks: list[int]) -> Iterator[str]:
    where = {
        c.pk: (c.type, c.channel_id) for c in Channel.objects.filter(pk__in=pks).only("type", "channel_id")
    }
    through = Message.mentioned_users.through
    for page in _pages(messages.values(*_MESSAGE_VALUES), "seq"):
        mentions: dict[int, list[str]] = defaultdict(list)
        for seq, user in (
            through.objects.filter(message_id__in=[m["seq"] for m in page])
            .order_by("id")
            .values_list("message_id", "chatuser_id")
        ):
            mentions[seq].append(user)
        for m in page:
            kind, channel_id = where[m["channel_id"]]
            reply = bool(m["parent_id"])
            yield _line(
                "message",
                {
                    **m["custom"],
                    "id": m["message_id"],
                    "channel_type": kind,
                    "channel_id": channel_id,
                    "user": m["user_id"],
                    "text": m["text"],
                    "type": m["type"],
                    "parent_id": m["parent_id"] or None,
                    "show_in_channel": m["show_in_channel"] if reply else None,
                    "quoted_message_id": m["quoted__message_id"],
                    "mentioned_users_ids": mentions.get(m["seq"]) or None,
                    "attachments": m["attachments"] or None,
                    "pinned_at": _time(m["pinned_at"]),
                    "pinned_by_id": m["pinned_by_id"] if m["pinned_at"] else None,
                    "pin_expires": _time(m["pin_expires"]) if m["pinned_at"] else None,
                    "created_at": _time(m["created_at"]),
                    "updated_at": _time(m["updated_at"]),
                    "deleted_at": _time(m["deleted_at"]),
                },
            )


def _reactions(reactions: QuerySet[Reaction, Reaction]) -> Iterator[str]:
    rows = reactions.values(
        "pk", "message__message_id", "user_id", "type", "score", "created_at", "updated_at"
    )
    for page in _pages(rows):
        for r in page:
            yield _line(
                "reaction",
                {
                    "message_id": r["message__message_id"],
                    "type": r["type"],
                    "user_id": r["user_id"],
                    "score": r["score"],
                    "created_at": _time(r["created_at"]),
                    "updated_at": _time(r["updated_at"]),
                },
            )
