"""Moderation: mutes (a user's own), bans (a channel's moderators, or admins app-wide)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.exceptions import NotAllowed, NotFound
from chat.models import Ban, ChatUser, Mute
from chat.services import permissions
from chat.services.channels import ChannelRef, access_channel
from chat.services.events import Outcome
from chat.services.reads import recount
from chat.services.users import own_user, sign_in, user_group
from chat.shapes import user_shape

__all__ = ["ban_user", "mute_user", "unban_user", "unmute_user"]


def _target(actor: Actor, target_id: str, doing: str) -> ChatUser:
    if target_id == actor.id:
        raise NotAllowed(f"you cannot {doing} yourself")
    target = ChatUser.objects.filter(id=target_id).first()
    if target is None:
        raise NotFound(f"user {target_id!r} does not exist")
    return target


def _ends(timeout: int | None, now: datetime) -> datetime | None:
    return now + timedelta(minutes=timeout) if timeout else None


def _mutes_updated(actor: Actor, changed: bool, target: ChatUser) -> Outcome:
    if changed:  # the target's messages count as unread for the muter again, or no longer
        recount(user_ids=[actor.id], posted_by=target.id)
    event = frames.NotificationMutesUpdatedEvent.model_construct(
        me=own_user(actor), created_at=timezone.now()
    )
    return Outcome(user_group(actor.id), event, changed)


def mute_user(actor: Actor, target_id: str, timeout: int | None = None) -> Outcome:
    """Mutes the target for `timeout` minutes or for good; answered to all the muter's sockets."""
    target = _target(actor, target_id, "mute")
    user = sign_in(actor)
    now = timezone.now()
    expires = _ends(timeout, now)
    with transaction.atomic():
        mute = Mute.objects.select_for_update().filter(user=user, target=target).first()
        if mute is None:
            Mute.objects.create(user=user, target=target, created_at=now, updated_at=now, expires=expires)
            changed = True
        else:
            lapsed = mute.expires is not None and mute.expires <= now
            changed = lapsed or mute.expires != expires
            if changed:
                if lapsed:
                    mute.created_at = now
                mute.expires, mute.updated_at = expires, now
                mute.save(update_fields=["created_at", "expires", "updated_at"])
    return _mutes_updated(actor, changed, target)


def unmute_user(actor: Actor, target_id: str) -> Outcome:
    """Lifts the actor's mute of the target. Unmuting someone not muted changes nothing."""
    target = _target(actor, target_id, "unmute")
    deleted, _ = Mute.objects.filter(user_id=actor.id, target=target).delete()
    return _mutes_updated(actor, bool(deleted), target)


def _ban_scope(actor: Actor, cid: str | None) -> tuple[ChannelRef | None, str | None]:
    """The channel a ban is about (None: app-wide), refused unless the actor may ban there."""
    if cid is None:
        if not permissions.is_admin(actor):
            raise NotAllowed("app-wide bans need the admin role; give a cid to ban from one channel")
        return None, None
    ref = access_channel(actor, cid)
    permissions.standing(actor, ref.pk, ref.cid, ref.type).require("ban-channel-members", "ban users")
    return ref, ref.group


def _bans_of(target: ChatUser, ref: ChannelRef | None) -> QuerySet[Ban]:
    """The target's ban from the channel, or their app-wide ban (at most one row either way)."""
    if ref is None:
        return Ban.objects.filter(user=target, channel__isnull=True)
    return Ban.objects.filter(user=target, channel_id=ref.pk)


def _ban_event(
    kind: type[frames.UserBannedEvent] | type[frames.UserUnbannedEvent],
    actor: Actor,
    target: ChatUser,
    ref: ChannelRef | None,
    ban: Ban | None = None,
) -> frames.UserBannedEvent | frames.UserUnbannedEvent:
    return kind.model_construct(
        user=user_shape(target),
        created_by=frames.User.model_construct(id=actor.id, name=actor.name, image=actor.image or None),
        reason=(ban.reason or None) if ban else None,
        expiration=ban.expires if ban else None,
        shadow=False,
        cid=ref.cid if ref else None,
        channel_type=ref.type if ref else None,
        channel_id=ref.id if ref else None,
        created_at=timezone.now(),
    )


def ban_user(
    actor: Actor,
    target_id: str,
    cid: str | None = None,
    timeout: int | None = None,
    reason: str | None = None,
) -> Outcome:
    """Bans the target from the channel `cid` (its watchers hear of it) or app-wide (the target's
    sockets do), for `timeout` minutes or for good. Banning again replaces the end and reason."""
    ref, group = _ban_scope(actor, cid)
    target = _target(actor, target_id, "ban")
    creator = sign_in(actor)
    now = timezone.now()
    expires = _ends(timeout, now)
    with transaction.atomic():
        ban = _bans_of(target, ref).select_for_update().first()
        changed = ban is None or (ban.expires, ban.reason) != (expires, reason or "")
        if ban is None:
            ban = Ban.objects.create(
                user=target,
                channel_id=ref.pk if ref else None,
                created_by=creator,
                reason=reason or "",
                created_at=now,
                expires=expires,
            )
        elif changed:
            ban.created_by, ban.reason, ban.expires, ban.created_at = creator, reason or "", expires, now
            ban.save(update_fields=["created_by", "reason", "expires", "created_at"])
    event = _ban_event(frames.UserBannedEvent, actor, target, ref, ban)
    return Outcome(group or user_group(target.id), event, changed)


def unban_user(actor: Actor, target_id: str, cid: str | None = None) -> Outcome:
    """Lifts the target's ban from the channel `cid`, or the app-wide one. Lifting none changes nothing."""
    ref, group = _ban_scope(actor, cid)
    target = _target(actor, target_id, "unban")
    deleted, _ = _bans_of(target, ref).delete()
    event = _ban_event(frames.UserUnbannedEvent, actor, target, ref)
    return Outcome(group or user_group(target.id), event, bool(deleted))
