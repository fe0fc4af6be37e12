"""Channel lists: Stream's queryChannels, each channel answered as a watch's channel.state.

The page of channels comes from chat.services.channel_filters (only channels the user may read);
everything each channel's state needs is then loaded for the whole page at once: a fixed number of
queries whatever the number of channels (members, messages and read state of every channel each in
one statement of one indexed, limited subquery per channel: chat.services.queries.latest_per_channel),
read as plain rows rather than through the ORM, which cost several times the SQL on a page of 750
messages and 300 members.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.models import Channel, ChatUser, Member, Message, Read
from chat.services import permissions, queries
from chat.services.channel_filters import readable_channels, sorted_channels
from chat.services.channels import DEFAULT_MESSAGE_LIMIT, MAX_PINNED, ChannelRef, message_rows, ref_of
from chat.services.reads import MAX_READ_STATES, muted_by, unread_count
from chat.shapes import CHANNEL_ROLES, built, channel_shape, member_shape, user_of

__all__ = [
    "DEFAULT_CHANNEL_LIMIT",
    "DEFAULT_MEMBER_LIMIT",
    "ChannelList",
    "channel_states",
    "page_of_channels",
    "query_channels",
]

DEFAULT_CHANNEL_LIMIT = 10  # Stream's default page of channels
DEFAULT_MEMBER_LIMIT = 100  # members listed per channel unless member_limit says fewer

_MEMBER = Member._meta.db_table
_READ = Read._meta.db_table


@dataclass(slots=True)
class ChannelList:
    """A page of channels: their refs (to watch), the answer, and the users it shows (for presence)."""

    refs: list[ChannelRef]
    answer: frames.ChannelsState
    user_ids: set[str] = field(default_factory=set)


def query_channels(
    actor: Actor,
    filter_conditions: dict[str, Any] | None,
    sort: Sequence[frames.ChannelSort] | None = None,
    limit: int | None = None,
    offset: int | None = None,
    state: bool = True,
    message_limit: int | None = None,
    member_limit: int | None = None,
    presence: bool = False,
) -> ChannelList:
    """`page_of_channels`, then `channel_states` of that page."""
    refs = page_of_channels(actor, filter_conditions, sort, limit, offset)
    return channel_states(actor, refs, state, message_limit, member_limit, presence)


def page_of_channels(
    actor: Actor,
    filter_conditions: dict[str, Any] | None,
    sort: Sequence[frames.ChannelSort] | None = None,
    limit: int | None = None,
    offset: int | None = None,
) -> list[ChannelRef]:
    """The page of channels matching the filter that the actor may read, in the sort's order."""
    start = offset or 0
    rows = sorted_channels(actor, readable_channels(actor, filter_conditions), sort)
    picked = rows.values_list("pk", "cid", "type", "channel_id")[
        start : start + (limit or DEFAULT_CHANNEL_LIMIT)
    ]
    return [ChannelRef(pk=pk, cid=cid, type=kind, id=channel_id) for pk, cid, kind, channel_id in picked]


def channel_states(
    actor: Actor,
    refs: list[ChannelRef],
    state: bool = True,
    message_limit: int | None = None,
    member_limit: int | None = None,
    presence: bool = False,
) -> ChannelList:
    """Each channel as channel.state, in the order given (with `state` False: without messages,
    members and read state). The transport fills in each watcher_count, and `online` when
    presence was asked for."""
    by_pk = {
        c.pk: c for c in Channel.objects.filter(pk__in=[r.pk for r in refs]).select_related("created_by")
    }
    channels = [by_pk[r.pk] for r in refs if r.pk in by_pk]  # one deleted meanwhile is left out
    if not channels:
        return ChannelList([], frames.ChannelsState.model_construct(channels=[]))
    pks = [c.pk for c in channels]
    counts = dict(
        Member.objects.filter(channel_id__in=pks)
        .values("channel_id")
        .annotate(n=Count("pk"))
        .values_list("channel_id", "n")
    )
    mine = {
        m.channel_id: m
        for m in Member.objects.filter(channel_id__in=pks, user_id=actor.id).select_related("user")
    }
    stored_role = (
        ChatUser.objects.filter(id=actor.id).values_list("role", flat=True).first() or permissions.USER
    )
    role = permissions.effective_role(actor, stored_role)
    bans = _bans(pks, actor.id)
    member_rows: dict[int, list[MemberRow]] = {}
    read_rows: dict[int, list[ReadRow]] = {}
    messages: dict[int, list[frames.Message]] = {}
    pinned: dict[int, list[frames.Message]] = {}
    if state:
        member_rows = _member_rows(pks, DEFAULT_MEMBER_LIMIT if member_limit is None else member_limit)
        read_rows = _read_rows(pks)
        messages, pinned = _messages(
            channels, DEFAULT_MESSAGE_LIMIT if message_limit is None else message_limit, actor.id
        )
    wanted = {row[2] for rows in member_rows.values() for row in rows}
    wanted |= {row[2] for rows in read_rows.values() for row in rows}
    users = _users(wanted, presence)
    states: list[frames.ChannelState] = []
    for channel in channels:
        ref = ref_of(channel)
        own = mine.get(channel.pk)
        channel_bans = bans.get(channel.pk, {})
        standing = permissions.Standing(
            user_id=actor.id,
            cid=ref.cid,
            channel_type=ref.type,
            role=role,
            channel_role=own.channel_role if own else None,
            owner=bool(own and own.is_owner),
            ban=_ban_info(ref, channel_bans.get(actor.id), bans.get(0, {}).get(actor.id)),
        )
        listed = member_rows.get(channel.pk, [])
        states.append(
            built(
                frames.ChannelState,
                type="channel.state",
                request_id=None,
                cid=ref.cid,
                channel=channel_shape(channel, counts.get(channel.pk, 0)),
                messages=messages.get(channel.pk, []),
                pinned_messages=pinned.get(channel.pk, []),
                members=[_member_of(row, users[row[2]], channel_bans) for row in listed],
                membership=_member(own, channel_bans, presence) if own else None,
                read=_reads_of(channel.pk, listed, read_rows.get(channel.pk, []), users) if state else [],
                watcher_count=0,
                own_capabilities=_capabilities(standing),
                config=_config(ref.type),
            )
        )
    return ChannelList(
        [ref_of(c) for c in channels], frames.ChannelsState.model_construct(channels=states), wanted
    )


@functools.lru_cache(maxsize=256)
def _capabilities_of(
    channel_type: str,
    role: str,
    channel_role: str | None,
    owner: bool,
    banned: bool,
    config: frozenset[tuple[str, Any]],
) -> list[frames.Capability]:
    granted = permissions.capabilities(channel_type, role, channel_role, owner, banned)
    return [frames.Capability(c) for c in sorted(granted)]


def _capabilities(standing: permissions.Standing) -> list[frames.Capability]:
    """own_capabilities, worked out once per kind of standing (and channel type config): a page
    repeats a few kinds."""
    config = frozenset(permissions.CHANNEL_CONFIGS[standing.channel_type].items())
    return _capabilities_of(
        standing.channel_type,
        standing.role,
        standing.channel_role,
        standing.owner,
        standing.ban is not None,
        config,
    )


def _config(channel_type: str) -> frames.ChannelConfig:
    return permissions.channel_config(channel_type)


Bans = dict[int, dict[str, tuple[datetime | None, str]]]  # by channel pk (0: app-wide), then user


def _bans(pks: list[int], viewer_id: str) -> Bans:
    """The bans in force in these channels, and the viewer's app-wide one (under 0)."""
    found: Bans = defaultdict(dict)
    if not queries.any_ban_in(pks, viewer_id):  # mostly none: a plain statement says so
        return found
    rows = permissions.active_bans().filter(
        Q(channel_id__in=pks) | Q(channel__isnull=True, user_id=viewer_id)
    )
    for user_id, channel_id, expires, reason in rows.values_list(
        "user_id", "channel_id", "expires", "reason"
    ):
        found[channel_id or 0][user_id] = (expires, reason)
    return found


def _ban_info(
    ref: ChannelRef,
    channel_ban: tuple[datetime | None, str] | None,
    app_ban: tuple[datetime | None, str] | None,
) -> permissions.BanInfo | None:
    if channel_ban is not None:
        return permissions.BanInfo(ref.cid, *channel_ban)
    if app_ban is not None:
        return permissions.BanInfo(None, *app_ban)
    return None


def _member(member: Member, bans: dict[str, tuple[datetime | None, str]], presence: bool) -> frames.Member:
    ban = bans.get(member.user_id)
    return member_shape(member, ban is not None, ban[0] if ban else None, presence)


# Rows read by hand-written statements, shaped without model instances: a page of 30 channels holds
# thousands of members and read states, and an ORM instance apiece cost more than all the SQL.
MemberRow = tuple[int, int, str, bool, str, datetime, datetime]  # id, channel, user, owner, role, times
ReadRow = tuple[int, int, str, datetime, str, int]  # id, channel, user, last read, its message, count


def _member_rows(pks: list[int], limit: int) -> dict[int, list[MemberRow]]:
    """Each channel's first `limit` members by joining: one statement for the page."""
    columns = "id, channel_id, user_id, is_owner, channel_role, created_at, updated_at"
    found: dict[int, list[MemberRow]] = defaultdict(list)
    for pk, channel_pk, user_id, owner, role, created, updated in queries.latest_per_channel(
        _MEMBER, columns, pks, "", "created_at, id", limit, ("created_at", "updated_at")
    ):
        found[channel_pk].append(
            (pk, channel_pk, user_id, bool(owner), role, queries.as_time(created), queries.as_time(updated))
        )
    return found


def _read_rows(pks: list[int]) -> dict[int, list[ReadRow]]:
    """Each channel's read rows (at most MAX_READ_STATES): one statement for the page."""
    columns = "id, channel_id, user_id, last_read, last_read_message_id, unread_messages"
    found: dict[int, list[ReadRow]] = defaultdict(list)
    for pk, channel_pk, user_id, last_read, last_id, count in queries.latest_per_channel(
        _READ, columns, pks, "", "id", MAX_READ_STATES, ("last_read",)
    ):
        found[channel_pk].append((pk, channel_pk, user_id, queries.as_time(last_read), last_id, count))
    return found


def _users(ids: set[str], presence: bool) -> dict[str, frames.User]:
    """The shapes of these users (with last_active when presence is asked), one statement."""
    if not ids:
        return {}
    rows = ChatUser.objects.filter(id__in=ids).values_list("id", "name", "image", "last_active")
    users: dict[str, frames.User] = {}
    for user_id, name, image, last_active in rows:
        users[user_id] = user_of(user_id, name, image, last_active, presence)
    return users


def _member_of(
    row: MemberRow, user: frames.User, bans: dict[str, tuple[datetime | None, str]]
) -> frames.Member:
    _, _, user_id, owner, role, created, updated = row
    ban = bans.get(user_id)
    return built(
        frames.Member,
        user_id=user_id,
        user=user,
        role=frames.MemberRole.owner if owner else frames.MemberRole.member,
        channel_role=CHANNEL_ROLES[role],
        banned=ban is not None,
        ban_expires=ban[0] if ban else None,
        created_at=created,
        updated_at=updated,
    )


def _reads_of(
    channel_pk: int, members: list[MemberRow], rows: list[ReadRow], users: dict[str, frames.User]
) -> list[frames.Read]:
    """The channel's read state as a watch lists it: its members' (first), then other readers'
    (and a count for a member without a read row, which only a hand-made membership lacks)."""
    held = {row[2]: row for row in rows}
    found: list[frames.Read] = []
    for member in members[:MAX_READ_STATES]:
        user_id = member[2]
        read = held.pop(user_id, None)
        if read is None:
            muted = muted_by({user_id}).get(user_id, set())
            found.append(
                built(
                    frames.Read,
                    user=users[user_id],
                    last_read=member[5],
                    last_read_message_id=None,
                    unread_messages=unread_count(channel_pk, user_id, 0, muted),
                )
            )
        else:
            found.append(_read_of(read, users[user_id]))
    found.extend(_read_of(read, users[read[2]]) for read in held.values() if read[2] in users)
    return found


def _read_of(row: ReadRow, user: frames.User) -> frames.Read:
    _, _, _, last_read, last_id, count = row
    return built(
        frames.Read,
        user=user,
        last_read=last_read,
        last_read_message_id=last_id or None,
        unread_messages=count,
    )


def _messages(
    channels: list[Channel], limit: int, viewer_id: str
) -> tuple[dict[int, list[frames.Message]], dict[int, list[frames.Message]]]:
    """Each channel's latest `limit` messages (oldest first) and its pinned ones, shaped together."""
    pks = [c.pk for c in channels]
    cids = {c.pk: c.cid for c in channels}
    history = queries.latest_messages(pks, limit)
    now = timezone.now()
    pins: list[Message] = (
        list(
            message_rows()
            .filter(channel_id__in=pks, pinned_at__isnull=False)
            .filter(Q(pin_expires__isnull=True) | Q(pin_expires__gt=now))
            .annotate(
                rank=Window(RowNumber(), partition_by=[F("channel_id")], order_by=F("pinned_at").desc())
            )
            .filter(rank__lte=MAX_PINNED)
            .order_by("pinned_at")
        )
        if queries.has_pins(pks)  # rarely any: the ORM's window query costs more to build than to run
        else []
    )
    from chat.services.messages import shape_messages  # messages builds on channels, as this does

    shaped = shape_messages(history + pins, cids, viewer_id)
    messages: dict[int, list[frames.Message]] = defaultdict(list)
    pinned: dict[int, list[frames.Message]] = defaultdict(list)
    for row, shape in zip(history, shaped[: len(history)], strict=True):
        messages[row.channel_id].append(shape)
    for row, shape in zip(pins, shaped[len(history) :], strict=True):
        pinned[row.channel_id].append(shape)
    return messages, pinned
