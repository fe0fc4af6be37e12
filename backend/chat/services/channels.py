"""Channels: access, creation on the first watch, and the state a watch answers with."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.exceptions import NotAllowed, NotFound, UnknownChannelType
from chat.models import Channel, ChatUser, Member, Message
from chat.services import permissions, queries
from chat.shapes import channel_shape, member_shape

__all__ = [
    "CHANNEL_TYPES",
    "DEFAULT_MESSAGE_LIMIT",
    "MAX_PINNED",
    "ChannelRef",
    "access_channel",
    "channel_state",
    "create_channel",
    "distinct_cid",
    "message_rows",
    "prepare_watch",
    "ref_of",
    "resolve_cid",
    "seq_of",
    "split_cid",
]

# Channel types and whether they admit members only (chat.services.permissions decides).
CHANNEL_TYPES: dict[str, bool] = permissions.MEMBERS_ONLY
DEFAULT_MESSAGE_LIMIT = 25  # Stream's default page of messages on watch
MAX_PINNED = 10  # pinned messages a watch lists, the newest pins


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


def ref_of(channel: Channel) -> ChannelRef:
    return ChannelRef(pk=channel.pk, cid=channel.cid, type=channel.type, id=channel.channel_id)


def split_cid(cid: str) -> tuple[str, str]:
    kind, _, channel_id = cid.partition(":")
    if kind not in CHANNEL_TYPES:
        raise UnknownChannelType(f"channel type {kind!r} does not exist (known: {', '.join(CHANNEL_TYPES)})")
    return kind, channel_id


def access_channel(actor: Actor, cid: str) -> ChannelRef:
    """The channel `cid` if the actor may read it. Members-only channels hide whether they exist.

    Members read members-only channels; admins read every channel; anyone reads a livestream.
    """
    kind, channel_id = split_cid(cid)
    members_only = CHANNEL_TYPES[kind]
    row = (
        Channel.objects.filter(cid=cid)
        .annotate(is_member=Exists(Member.objects.filter(channel=OuterRef("pk"), user_id=actor.id)))
        .values_list("pk", "is_member")
        .first()
    )
    if row is None or (members_only and not row[1]):
        if row is not None and permissions.is_admin(actor):
            return ChannelRef(pk=row[0], cid=cid, type=kind, id=channel_id)
        if members_only:
            raise NotAllowed(f"user {actor.id!r} is not a member of channel {cid!r}")
        raise NotFound(f"channel {cid!r} does not exist; watch it to create it")
    return ChannelRef(pk=row[0], cid=cid, type=kind, id=channel_id)


def distinct_cid(channel_type: str, actor: Actor, members: list[str]) -> str:
    """The cid of the distinct channel of these members and the actor (Stream's channel made from
    members without an id): the same people always make the same cid, `type:!members-<digest>`."""
    people = sorted({*members, actor.id})
    digest = hashlib.blake2s("\x00".join(people).encode(), digest_size=16).hexdigest()
    return f"{channel_type}:!members-{digest}"


def resolve_cid(
    actor: Actor, cid: str | None, channel_type: str | None, data: frames.WatchData | None
) -> str:
    """The frame's cid, or the distinct channel `channel_type` and `data.members` name."""
    if cid:
        return cid
    if channel_type and data is not None and data.members:
        split_cid(f"{channel_type}:x")  # an unknown type is refused as such
        return distinct_cid(channel_type, actor, [m.root for m in data.members])
    # Valid against the schema, which cannot say "one or the other": not_found, not invalid_field.
    raise NotFound(
        "no channel named: send `cid`, or `channel_type` with `data.members` for a distinct channel"
    )


def prepare_watch(
    actor: Actor, cid: str | None, data: frames.WatchData | None = None, channel_type: str | None = None
) -> ChannelRef:
    """Creates the channel on its first watch (creator and `data.members` join) and checks access."""
    cid = resolve_cid(actor, cid, channel_type, data)
    if not Channel.objects.filter(cid=cid).exists():
        create_channel(actor, cid, data)
    return access_channel(actor, cid)


def channel_state(
    ref: ChannelRef,
    page: frames.MessagePagination | None = None,
    viewer: Actor | None = None,
    presence: bool = False,
) -> frames.ChannelState:
    """The channel as Stream's watch response has it, for `viewer` (own_capabilities, own_reactions,
    membership); with `presence`, the members' last_active (the transport sets `online`).

    The transport fills in `watcher_count`.
    """
    from chat.services.messages import shape_messages  # messages builds on this module
    from chat.services.reads import read_states

    channel = Channel.objects.select_related("created_by").get(pk=ref.pk)
    members = list(Member.objects.filter(channel=channel).select_related("user").order_by("created_at", "pk"))
    viewer_id = viewer.id if viewer else None
    bans: dict[str | None, tuple[str, datetime | None, str]] = {}  # by user (None: the viewer's app-wide)
    if queries.any_ban_in([ref.pk], viewer_id):
        in_force = permissions.active_bans().filter(
            Q(channel=channel) | Q(channel__isnull=True, user_id=viewer_id)
        )
        for user_id, channel_id, expires, reason in in_force.values_list(
            "user_id", "channel_id", "expires", "reason"
        ):
            bans[user_id if channel_id is not None else None] = (user_id, expires, reason)
    history = _history(channel, page or frames.MessagePagination())
    pinned = (
        list(
            message_rows()
            .filter(channel=channel, pinned_at__isnull=False)
            .filter(Q(pin_expires__isnull=True) | Q(pin_expires__gt=timezone.now()))
            .order_by("-pinned_at")[:MAX_PINNED]
        )[::-1]
        if queries.has_pins([ref.pk])
        else []
    )
    shaped = shape_messages(history + pinned, ref.cid, viewer_id)
    standing = _standing_of(viewer, ref, members, bans) if viewer else None
    member_shapes = [
        member_shape(
            member,
            member.user_id in bans,
            bans[member.user_id][1] if member.user_id in bans else None,
            presence,
        )
        for member in members
    ]
    membership = next((s for s in member_shapes if s.user_id == viewer_id), None)
    return frames.ChannelState.model_construct(
        cid=ref.cid,
        channel=channel_shape(channel, len(members)),
        messages=shaped[: len(history)],
        pinned_messages=shaped[len(history) :],
        members=member_shapes,
        membership=membership,
        read=read_states(channel, members),
        watcher_count=0,
        own_capabilities=standing.own_capabilities() if standing else [],
        config=permissions.channel_config(ref.type),
    )


def _standing_of(
    viewer: Actor,
    ref: ChannelRef,
    members: list[Member],
    bans: dict[str | None, tuple[str, datetime | None, str]],
) -> permissions.Standing:
    mine = next((m for m in members if m.user_id == viewer.id), None)
    stored = (
        mine.user.role
        if mine
        else ChatUser.objects.filter(id=viewer.id).values_list("role", flat=True).first() or "user"
    )
    return permissions.Standing(
        user_id=viewer.id,
        cid=ref.cid,
        channel_type=ref.type,
        role=permissions.effective_role(viewer, stored),
        channel_role=mine.channel_role if mine else None,
        owner=bool(mine and mine.is_owner),
        ban=_ban_info(viewer.id, ref, bans),
    )


def _ban_info(
    user_id: str, ref: ChannelRef, bans: dict[str | None, tuple[str, datetime | None, str]]
) -> permissions.BanInfo | None:
    if user_id in bans:  # the channel's ban first
        return permissions.BanInfo(ref.cid, bans[user_id][1], bans[user_id][2])
    if None in bans:
        return permissions.BanInfo(None, bans[None][1], bans[None][2])
    return None


def create_channel(actor: Actor, cid: str, data: frames.WatchData | None) -> bool:
    """Creates the channel from `data` (name, image, custom fields; the creator and `data.members`
    join, each with a read row); False when it existed already, which changes nothing."""
    from chat.services.channel_data import channel_fields
    from chat.services.reads import start_reading
    from chat.services.users import sign_in

    kind, channel_id = split_cid(cid)
    name, image, custom = channel_fields(data)
    creator = sign_in(actor)
    wanted = {m.root for m in (data.members or [])} if data else set()
    with transaction.atomic():
        channel, created = Channel.objects.get_or_create(
            cid=cid,
            defaults={
                "type": kind,
                "channel_id": channel_id,
                "name": name or "",
                "image": image or "",
                "custom": custom,
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
            start_reading(channel.pk, sorted(wanted | {creator.id}))
    return created


def message_rows() -> QuerySet[Message]:
    """Messages with their quotes, for `shape_messages` (which loads the users they show at once)."""
    return Message.objects.select_related("quoted")


def seq_of(channel_pk: int, cid: str, message_id: str) -> int:
    seq = (
        Message.objects.filter(channel_id=channel_pk, message_id=message_id)
        .values_list("seq", flat=True)
        .first()
    )
    if seq is None:
        raise NotFound(f"message {message_id!r} is not in channel {cid!r}")
    return seq


def _history(channel: Channel, page: frames.MessagePagination) -> list[Message]:
    """A page of the channel's messages, oldest first: top-level ones and replies shown in it."""
    limit = DEFAULT_MESSAGE_LIMIT if page.limit is None else page.limit
    rows = message_rows().filter(channel=channel).filter(Q(parent_id="") | Q(show_in_channel=True))
    if page.id_gt:  # what a reconnecting client missed: the oldest first
        rows = rows.filter(seq__gt=seq_of(channel.pk, channel.cid, page.id_gt)).order_by("seq")
        if page.id_lt:
            rows = rows.filter(seq__lt=seq_of(channel.pk, channel.cid, page.id_lt))
        return list(rows[:limit])
    if page.id_lt:
        rows = rows.filter(seq__lt=seq_of(channel.pk, channel.cid, page.id_lt))
    return list(rows.order_by("-seq")[:limit])[::-1]
