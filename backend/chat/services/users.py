"""Users: signing in as the token says, the `me` a client sees, and the fan-out group of a user's sockets."""

from __future__ import annotations

import hashlib

from django.db.models import Q, QuerySet
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.models import ChatUser, Mute
from chat.services.permissions import effective_role
from chat.services.reads import unread_by_channel
from chat.shapes import mute_shape

__all__ = ["active_mutes", "own_user", "sign_in", "user_group", "users_by_id"]


def sign_in(actor: Actor) -> ChatUser:
    """Records the user as their token describes them (the role an operator set stays)."""
    user, created = ChatUser.objects.get_or_create(
        id=actor.id, defaults={"name": actor.name, "image": actor.image}
    )
    if not created and (user.name, user.image) != (actor.name, actor.image):
        user.name, user.image = actor.name, actor.image
        user.save(update_fields=["name", "image", "updated_at"])
    return user


def user_group(user_id: str) -> str:
    """The fan-out group of every socket of one user: a digest of the verified id, never client text."""
    return f"chat.user.{hashlib.blake2s(user_id.encode(), digest_size=16).hexdigest()}"


def users_by_id(actors: set[Actor]) -> dict[str, ChatUser]:
    """The users behind the actors, recorded first if a transport has not signed them in yet."""
    users = {user.id: user for user in ChatUser.objects.filter(id__in={a.id for a in actors})}
    for actor in actors:
        if actor.id not in users:
            users[actor.id] = sign_in(actor)
    return users


def active_mutes(user_id: str) -> QuerySet[Mute]:
    """The user's mutes in force, oldest first."""
    now = timezone.now()
    return (
        Mute.objects.filter(Q(expires__isnull=True) | Q(expires__gt=now), user_id=user_id)
        .select_related("user", "target")
        .order_by("created_at", "pk")
    )


def own_user(actor: Actor) -> frames.OwnUser:
    """The `me` of the first health.check (and of notification.mutes_updated), with unread counts."""
    stored = ChatUser.objects.filter(id=actor.id).values_list("role", flat=True).first() or "user"
    unread = unread_by_channel(actor.id)
    return frames.OwnUser(
        id=actor.id,
        name=actor.name,
        image=actor.image or None,
        role=frames.UserRole(effective_role(actor, stored)),
        mutes=[mute_shape(m) for m in active_mutes(actor.id)],
        channel_mutes=[],
        unread_count=sum(unread.values()),
        total_unread_count=sum(unread.values()),
        unread_channels=sum(1 for count in unread.values() if count),
        unread_threads=0,
        devices=[],
    )
