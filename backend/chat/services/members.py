"""Members: adding, removing and promoting them (Stream's addMembers, removeMembers,
addModerators), and listing them (queryMembers).

Who may change the members is chat.services.permissions' call: `update-channel-members` (a
channel's creator, its moderators, admins), or `leave-channel` to remove oneself. A new member gets
a read row at once, so their unread count is kept from the start; a removed member of a
members-only channel loses it, with their access.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.exceptions import NotFound
from chat.models import Channel, ChatUser, Member, Read
from chat.services import permissions
from chat.services.channel_data import channel_event
from chat.services.channels import ChannelRef, access_channel
from chat.services.filters import (
    COMPARISONS,
    Field,
    as_bool,
    as_text,
    as_time,
    autocomplete,
    column,
    compile_filter,
    compile_sort,
)
from chat.services.reads import start_reading
from chat.services.users import user_group
from chat.shapes import member_shape, user_shape

__all__ = [
    "DEFAULT_MEMBER_LIMIT",
    "MemberChange",
    "add_members",
    "add_moderators",
    "query_members",
    "remove_members",
]

DEFAULT_MEMBER_LIMIT = 100  # members a query (and a channel's answer) lists by default


@dataclass(slots=True)
class MemberChange:
    """What a member change hands its transport: the answer (channel.updated with the members), the
    events for the channel's watchers, and a notification for each user concerned (by fan-out group).

    `evict` is True when the notified users lose access (removed from a members-only channel): their
    sockets stop watching the channel.
    """

    ref: ChannelRef
    answer: frames.ChannelUpdatedEvent
    events: list[Any] = field(default_factory=list)
    notices: list[tuple[str, Any]] = field(default_factory=list)
    evict: bool = False


def _actor_shape(actor: Actor) -> frames.User:
    return frames.User.model_construct(id=actor.id, name=actor.name, image=actor.image or None)


def _members(ref: ChannelRef) -> list[Member]:
    rows = Member.objects.filter(channel_id=ref.pk).select_related("user")
    return list(rows.order_by("created_at", "pk")[:DEFAULT_MEMBER_LIMIT])


def _answer(actor: Actor, ref: ChannelRef) -> frames.ChannelUpdatedEvent:
    channel = Channel.objects.select_related("created_by").get(pk=ref.pk)
    event: frames.ChannelUpdatedEvent = channel_event(frames.ChannelUpdatedEvent, ref, channel, actor)
    banned = set(permissions.active_bans().filter(channel_id=ref.pk).values_list("user_id", flat=True))
    event.members = [member_shape(m, m.user_id in banned) for m in _members(ref)]
    return event


def _member_event(kind: Any, ref: ChannelRef, member: Member) -> Any:
    return kind.model_construct(
        cid=ref.cid,
        channel_type=ref.type,
        channel_id=ref.id,
        member=member_shape(member),
        user=user_shape(member.user),
        created_at=timezone.now(),
    )


def _unique(user_ids: Sequence[Any]) -> list[str]:
    return list(dict.fromkeys(getattr(u, "root", u) for u in user_ids))


def add_members(actor: Actor, cid: str, user_ids: Sequence[Any]) -> MemberChange:
    """Adds the users (unknown ids become users named by their id, as a watch's members do)."""
    ref = access_channel(actor, cid)
    permissions.standing(actor, ref.pk, ref.cid, ref.type).require("update-channel-members", "add members")
    wanted = _unique(user_ids)
    with transaction.atomic():
        known = set(ChatUser.objects.filter(id__in=wanted).values_list("id", flat=True))
        for user_id in wanted:
            if user_id not in known:
                ChatUser.objects.get_or_create(id=user_id, defaults={"name": user_id})
        already = set(
            Member.objects.filter(channel_id=ref.pk, user_id__in=wanted).values_list("user_id", flat=True)
        )
        new = [u for u in wanted if u not in already]
        Member.objects.bulk_create([Member(channel_id=ref.pk, user_id=u) for u in new], ignore_conflicts=True)
        if new:
            start_reading(ref.pk, new)
            Channel.objects.filter(pk=ref.pk).update(updated_at=timezone.now())
    change = MemberChange(ref, _answer(actor, ref))
    if new:
        added = Member.objects.filter(channel_id=ref.pk, user_id__in=new).select_related("user")
        _tell(change, added, frames.MemberAddedEvent, frames.NotificationAddedToChannelEvent)
    return change


def remove_members(actor: Actor, cid: str, user_ids: Sequence[Any]) -> MemberChange:
    """Removes the users; a user may always remove themselves (leave-channel)."""
    ref = access_channel(actor, cid)
    wanted = _unique(user_ids)
    standing = permissions.standing(actor, ref.pk, ref.cid, ref.type)
    if wanted == [actor.id]:
        standing.require("leave-channel", "leave the channel")
    else:
        standing.require("update-channel-members", "remove members")
    members_only = permissions.MEMBERS_ONLY[ref.type]
    with transaction.atomic():
        gone = list(Member.objects.filter(channel_id=ref.pk, user_id__in=wanted).select_related("user"))
        if gone:
            Member.objects.filter(pk__in=[m.pk for m in gone]).delete()
            if members_only:  # no read state is left behind where they may no longer read
                Read.objects.filter(channel_id=ref.pk, user_id__in=[m.user_id for m in gone]).delete()
            Channel.objects.filter(pk=ref.pk).update(updated_at=timezone.now())
    change = MemberChange(ref, _answer(actor, ref), evict=members_only)
    _tell(change, gone, frames.MemberRemovedEvent, frames.NotificationRemovedFromChannelEvent)
    return change


def _tell(
    change: MemberChange,
    members: Iterable[Member],
    event: type[frames.MemberAddedEvent | frames.MemberRemovedEvent],
    notice: type[frames.NotificationAddedToChannelEvent | frames.NotificationRemovedFromChannelEvent],
) -> None:
    """The `member.*` event of each member for the channel's watchers, and the `notification.*`
    for the member's own sockets."""
    ref, channel = change.ref, change.answer.channel
    for member in members:
        change.events.append(_member_event(event, ref, member))
        told = notice.model_construct(
            cid=ref.cid,
            channel_type=ref.type,
            channel_id=ref.id,
            channel=channel,
            member=member_shape(member),
            user=user_shape(member.user),
            created_at=timezone.now(),
        )
        change.notices.append((user_group(member.user_id), told))


def add_moderators(actor: Actor, cid: str, user_ids: Sequence[Any]) -> MemberChange:
    """Makes members channel moderators; a user who is not a member is refused."""
    ref = access_channel(actor, cid)
    permissions.standing(actor, ref.pk, ref.cid, ref.type).require("update-channel-members", "add moderators")
    wanted = _unique(user_ids)
    with transaction.atomic():
        members = {m.user_id: m for m in Member.objects.filter(channel_id=ref.pk, user_id__in=wanted)}
        missing = [u for u in wanted if u not in members]
        if missing:
            raise NotFound(f"{', '.join(map(repr, missing))} not a member of {ref.cid!r}: add them first")
        promoted = [m for m in members.values() if m.channel_role != Member.ChannelRole.MODERATOR]
        for member in promoted:
            member.channel_role = Member.ChannelRole.MODERATOR
            member.save(update_fields=["channel_role", "updated_at"])
    change = MemberChange(ref, _answer(actor, ref))
    for member in Member.objects.filter(pk__in=[m.pk for m in promoted]).select_related("user"):
        change.events.append(_member_event(frames.MemberUpdatedEvent, ref, member))
    return change


def _member_fields(ref: ChannelRef) -> dict[str, Field]:
    def name(operator: str, value: Any, where: str) -> Q:
        if operator == "$autocomplete":
            return autocomplete("user__name", value, where)
        return column("user__name", as_text)(operator, value, where)

    def banned(operator: str, value: Any, where: str) -> Q:
        bans = permissions.active_bans().filter(channel_id=ref.pk, user_id=OuterRef("user_id"))
        q = Q(Exists(bans))
        return q if as_bool(value, where) else ~q

    ids = frozenset({"$eq", "$ne", "$in", "$nin"})
    return {
        "id": Field(ids | {"$autocomplete"}, _user_id),
        "user_id": Field(ids | {"$autocomplete"}, _user_id),
        "name": Field(ids | {"$autocomplete"}, name),
        "channel_role": Field(ids, column("channel_role", as_text)),
        "banned": Field(frozenset({"$eq"}), banned),
        "created_at": Field(COMPARISONS, column("created_at", as_time)),
        "updated_at": Field(COMPARISONS, column("updated_at", as_time)),
    }


def _user_id(operator: str, value: Any, where: str) -> Q:
    if operator == "$autocomplete":
        return Q(user_id__istartswith=as_text(value, where))
    return column("user_id", as_text)(operator, value, where)


def query_members(
    actor: Actor,
    cid: str,
    filter_conditions: dict[str, Any] | None,
    sort: Sequence[frames.MemberSort] | None = None,
    limit: int | None = None,
    offset: int | None = None,
    presence: bool = False,
) -> frames.MembersList:
    """Stream's queryMembers over a channel the actor may read (default: by joining, oldest first)."""
    ref = access_channel(actor, cid)
    q = compile_filter(filter_conditions, _member_fields(ref), "filter_conditions")
    order = compile_sort(
        sort,
        {
            "created_at": lambda: F("created_at"),
            "updated_at": lambda: F("updated_at"),
            "user_id": lambda: F("user_id"),
            "name": lambda: F("user__name"),
        },
        (("created_at", 1),),
        "pk",
    )
    start = offset or 0
    rows = list(
        Member.objects.filter(channel_id=ref.pk)
        .filter(q)
        .select_related("user")
        .order_by(*order)[start : start + (limit or DEFAULT_MEMBER_LIMIT)]
    )
    banned = set(
        permissions.active_bans()
        .filter(channel_id=ref.pk, user_id__in=[m.user_id for m in rows])
        .values_list("user_id", "expires")
    )
    bans = dict(banned)
    return frames.MembersList.model_construct(
        members=[member_shape(m, m.user_id in bans, bans.get(m.user_id), presence) for m in rows]
    )
