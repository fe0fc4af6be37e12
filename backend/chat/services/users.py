"""Users: signing in as the token says, the `me` a client sees, the fan-out group of a user's sockets,
and finding users (Stream's queryUsers) among those who share a channel with the asker."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.models import ChatUser, Mute
from chat.services import permissions
from chat.services.filters import Field, as_text, autocomplete, column, compile_filter, compile_sort
from chat.services.permissions import effective_role
from chat.services.reads import unread_summary, unread_threads
from chat.shapes import mute_shape, user_shape

__all__ = [
    "DEFAULT_USER_LIMIT",
    "active_mutes",
    "own_user",
    "query_users",
    "sign_in",
    "touch",
    "user_group",
    "users_by_id",
]

DEFAULT_USER_LIMIT = 30  # users a query lists by default


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


def own_user(actor: Actor, stored_role: str | None = None) -> frames.OwnUser:
    """The `me` of the first health.check (and of notification.mutes_updated), with unread counts;
    `stored_role` is the user row's role when the caller has just read it (sign_in)."""
    stored = (
        stored_role or ChatUser.objects.filter(id=actor.id).values_list("role", flat=True).first() or "user"
    )
    unread = unread_summary(actor.id)
    return frames.OwnUser(
        id=actor.id,
        name=actor.name,
        image=actor.image or None,
        role=frames.UserRole(effective_role(actor, stored)),
        mutes=[mute_shape(m) for m in active_mutes(actor.id)],
        channel_mutes=[],
        unread_count=unread.total,
        total_unread_count=unread.total,
        unread_channels=unread.unread_channels,
        unread_threads=len(unread_threads(actor.id)),
        devices=[],
    )


def touch(user_id: str, moment: datetime | None = None) -> datetime:
    """Records that the user was active now (Stream's last_active): a socket opened or closed."""
    moment = moment or timezone.now()
    ChatUser.objects.filter(id=user_id).update(last_active=moment)
    return moment


def _id(operator: str, value: Any, where: str) -> Q:
    if operator == "$autocomplete":
        return autocomplete("id", value, where)
    return column("id", as_text)(operator, value, where)


def _name(operator: str, value: Any, where: str) -> Q:
    if operator == "$autocomplete":
        return autocomplete("name", value, where)
    return column("name", as_text)(operator, value, where)


_IDS = frozenset({"$eq", "$ne", "$in", "$nin", "$autocomplete"})
USER_FIELDS = {"id": Field(_IDS, _id), "name": Field(_IDS, _name)}


def query_users(
    actor: Actor,
    filter_conditions: dict[str, Any] | None,
    sort: Sequence[frames.UserSort] | None = None,
    limit: int | None = None,
    offset: int | None = None,
    presence: bool = False,
) -> frames.UsersList:
    """Stream's queryUsers: matching users the actor may see (who share a channel with them; every
    user, for an admin), deactivated users left out; only id, name, image (and presence)."""
    rows = ChatUser.objects.filter(deactivated_at__isnull=True)
    scope = permissions.visible_users_scope(actor)
    if scope is not None:
        rows = rows.filter(scope)
    rows = rows.filter(compile_filter(filter_conditions, USER_FIELDS, "filter_conditions"))
    order = compile_sort(
        sort,
        {
            "id": lambda: F("id"),
            "name": lambda: F("name"),
            "created_at": lambda: F("created_at"),
            "updated_at": lambda: F("updated_at"),
            "last_active": lambda: F("last_active"),
        },
        (("id", 1),),
        "id",
    )
    start = offset or 0
    picked = rows.order_by(*order).only("id", "name", "image", "last_active")
    users = list(picked[start : start + (limit or DEFAULT_USER_LIMIT)])
    return frames.UsersList.model_construct(users=[user_shape(u, presence) for u in users])
