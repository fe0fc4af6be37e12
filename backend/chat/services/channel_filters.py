"""Which channels a user may read that match Stream's filter_conditions, in Stream's sort order.

`readable_channels(actor, filter_conditions)` is the one query channels.query (and search, which
looks for messages only where the user may read) builds on: whatever the filter, it never yields a
channel the actor may not read (chat.services.permissions decides which).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db.models import Count, Exists, F, OrderBy, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual

from chat import frames
from chat.auth import Actor
from chat.models import Channel, Member, Read
from chat.services import permissions
from chat.services.filters import (
    COMPARISONS,
    Field,
    as_bool,
    as_int,
    as_list,
    as_text,
    as_time,
    autocomplete,
    column,
    compile_filter,
    compile_sort,
)

__all__ = [
    "DEFAULT_SORT",
    "channel_fields",
    "member_count",
    "readable_channels",
    "sorted_channels",
    "unread_count",
]

DEFAULT_SORT = (("last_message_at", -1),)  # Stream's channel list: the newest conversation first


def member_count() -> Coalesce:
    """A channel's number of members, as an expression over the channel row."""
    counted = (
        Member.objects.filter(channel=OuterRef("pk")).values("channel").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted), Value(0))


def unread_count(user_id: str) -> Coalesce:
    """The user's unread count in a channel (chat.services.reads keeps it), as an expression."""
    mine = Read.objects.filter(channel=OuterRef("pk"), user_id=user_id).values("unread_messages")[:1]
    return Coalesce(Subquery(mine), Value(0))


_COMPARE = {
    "$eq": Exact,
    "$gt": GreaterThan,
    "$gte": GreaterThanOrEqual,
    "$lt": LessThan,
    "$lte": LessThanOrEqual,
}


def _members(operator: str, value: Any, where: str) -> Q:
    ids = as_list(value, where, as_text) if operator in ("$in", "$nin") else [as_text(value, where)]
    q = Q(pk__in=Member.objects.filter(user_id__in=ids).values("channel_id"))
    return ~q if operator == "$nin" else q


def _member_count(operator: str, value: Any, where: str) -> Q:
    if operator == "$ne":
        return ~Q(Exact(member_count(), as_int(value, where)))
    return Q(_COMPARE[operator](member_count(), as_int(value, where)))


def _times(name: str) -> Field:
    def build(operator: str, value: Any, where: str) -> Q:
        if operator == "$exists":
            return Q(**{f"{name}__isnull": not as_bool(value, where)})
        return column(name, as_time)(operator, value, where)

    return Field(COMPARISONS | {"$exists"} if name == "last_message_at" else COMPARISONS, build)


def _name(operator: str, value: Any, where: str) -> Q:
    if operator == "$autocomplete":
        return autocomplete("name", value, where)
    return column("name", as_text)(operator, value, where)


def channel_fields(actor: Actor) -> dict[str, Field]:
    """The filter keys channels.query takes, for `actor` (has_unread and joined are theirs)."""

    def has_unread(operator: str, value: Any, where: str) -> Q:
        unread = Q(
            Exists(Read.objects.filter(channel=OuterRef("pk"), user_id=actor.id, unread_messages__gt=0))
        )
        return unread if as_bool(value, where) else ~unread

    def joined(operator: str, value: Any, where: str) -> Q:
        mine = Q(pk__in=Member.objects.filter(user_id=actor.id).values("channel_id"))
        return mine if as_bool(value, where) else ~mine

    ids = frozenset({"$eq", "$ne", "$in", "$nin"})
    return {
        "type": Field(ids, column("type", as_text)),
        "cid": Field(ids, column("cid", as_text)),
        "id": Field(ids, column("channel_id", as_text)),
        "members": Field(frozenset({"$in", "$nin", "$eq"}), _members),
        "last_message_at": _times("last_message_at"),
        "created_at": _times("created_at"),
        "updated_at": _times("updated_at"),
        "member_count": Field(COMPARISONS, _member_count),
        "has_unread": Field(frozenset({"$eq"}), has_unread),
        "joined": Field(frozenset({"$eq"}), joined),
        "name": Field(ids | {"$autocomplete"}, _name),
    }


def readable_channels(actor: Actor, filter_conditions: Mapping[str, Any] | None = None) -> QuerySet[Channel]:
    """The channels the actor may read that match `filter_conditions` (Stream's), unordered.

    An unknown key or operator raises InvalidField naming it. A members-only channel the actor is
    not a member of is never among them, whatever the filter (admins read every channel).
    """
    rows = Channel.objects.all()
    scope = permissions.readable_channels_scope(actor)
    if scope is not None:
        rows = rows.filter(scope)
    return rows.filter(compile_filter(filter_conditions, channel_fields(actor), "filter_conditions"))


def sorted_channels(
    actor: Actor, rows: QuerySet[Channel], sort: Sequence[frames.ChannelSort] | None = None
) -> QuerySet[Channel]:
    """`rows` in Stream's sort order (default: last_message_at, newest first), then newest created."""
    orderings: list[OrderBy] = compile_sort(
        sort,
        {
            "last_message_at": lambda: F("last_message_at"),
            "last_updated": lambda: F("updated_at"),
            "created_at": lambda: F("created_at"),
            "updated_at": lambda: F("updated_at"),
            "member_count": member_count,
            "unread_count": lambda: unread_count(actor.id),
        },
        DEFAULT_SORT,
        "pk",
    )
    return rows.order_by(*orderings)
