"""Who may do what, decided once: roles, Stream's default grants per channel type, bans, config.

Every service asks this module; none decides a permission itself. A user's standing in a channel
(`Standing`) is their app role (`user` or `admin`: the token's `app_metadata.role` / `role` claim,
or `ChatUser.role`), their membership and channel role (`channel_member`, `channel_moderator`),
whether they created the channel, and any ban in force there (the channel's or an app-wide one).
`own_capabilities` lists what that standing grants, with Stream's strings; `require` refuses what
it does not, saying what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.exceptions import FeatureDisabled, NotAllowed
from chat.models import Ban, ChatUser, Member

__all__ = [
    "ADMIN",
    "CHANNEL_CONFIGS",
    "CHANNEL_TYPES",
    "MEMBERS_ONLY",
    "READER_WRITES",
    "USER",
    "BanInfo",
    "Standing",
    "active_bans",
    "ban_of",
    "capabilities",
    "channel_config",
    "effective_role",
    "is_admin",
    "readable_channels_scope",
    "require_reader_may",
    "searchable_types",
    "standing",
    "visible_users_scope",
]

USER = "user"
ADMIN = "admin"
MODERATOR = "channel_moderator"
MEMBER = "channel_member"

# Channel types and whether they admit members only. Stream's `messaging` and `team` do;
# `livestream` is open to every signed-in user.
MEMBERS_ONLY: dict[str, bool] = {"messaging": True, "team": True, "livestream": False}
CHANNEL_TYPES = tuple(MEMBERS_ONLY)

# Stream's channel type config: every feature on, url_enrichment off for livestream,
# max_message_length 5,000. Tests switch a flag off by editing this dict.
_CONFIG: dict[str, Any] = {
    "typing_events": True,
    "read_events": True,
    "connect_events": True,
    "search": True,
    "reactions": True,
    "replies": True,
    "quotes": True,
    "mutes": True,
    "uploads": True,
    "url_enrichment": True,
    "custom_events": True,
    "max_message_length": 5000,
    "automod": "disabled",
}
CHANNEL_CONFIGS: dict[str, dict[str, Any]] = {
    "messaging": dict(_CONFIG),
    "team": dict(_CONFIG),
    "livestream": {**_CONFIG, "url_enrichment": False},
}

# Stream's default grants, as own_capabilities strings. A `messaging` / `team` channel_member may
# create messages, replies, quotes, attachments, mentions and reactions, edit and delete their own,
# flag, mute, pin, read and leave (the list Stream gives a member, captured from the service).
_MEMBER = frozenset(
    {
        "connect-events",
        "create-attachment",
        "create-mention",
        "delete-own-message",
        "flag-message",
        "join-channel",
        "leave-channel",
        "mute-channel",
        "pin-message",
        "quote-message",
        "read-events",
        "search-messages",
        "send-custom-events",
        "send-links",
        "send-message",
        "send-reaction",
        "send-reply",
        "send-typing-events",
        "typing-events",
        "update-own-message",
        "update-thread",
        "upload-file",
    }
)
# The creator of a channel also updates and deletes it (Stream's owner grants).
_OWNER = frozenset({"delete-channel", "update-channel", "update-channel-members"})
# channel_moderator adds: ban members, update and delete any message, update the channel and its
# members, skip slow mode.
_MODERATOR = frozenset(
    {
        "ban-channel-members",
        "delete-any-message",
        "skip-slow-mode",
        "update-any-message",
        "update-channel",
        "update-channel-members",
    }
)
# livestream: no membership needed; any user reads, posts, replies, reacts and uploads, and acts on
# its own messages only (no pins, which every watcher would see).
_LIVESTREAM_USER = _MEMBER - {"pin-message", "leave-channel", "update-thread"}
# Features Jatte does not have are granted to nobody: polls, delivery receipts, and `slow-mode`,
# which says a cooldown is on rather than granting anything.
_ABSENT = frozenset({"cast-poll-vote", "query-poll-votes", "send-poll", "delivery-events", "slow-mode"})
# An admin may do everything (Jatte has).
_ADMIN = frozenset(c.value for c in frames.Capability) - _ABSENT
# A ban takes away everything that writes: sending, replying, quoting, reacting, typing, uploads,
# editing and pinning. Reading, leaving, flagging and deleting one's own messages stay.
_BAN_REVOKES = frozenset(
    {
        "create-attachment",
        "create-mention",
        "pin-message",
        "quote-message",
        "send-custom-events",
        "send-links",
        "send-message",
        "send-reaction",
        "send-reply",
        "send-typing-events",
        "update-any-message",
        "update-own-message",
        "update-thread",
        "upload-file",
    }
)
# Each capability a config flag turns off.
FEATURE_OF: dict[str, str] = {
    "send-reaction": "reactions",
    "send-reply": "replies",
    "quote-message": "quotes",
    "typing-events": "typing_events",
    "send-typing-events": "typing_events",
    "read-events": "read_events",
    "connect-events": "connect_events",
    "upload-file": "uploads",
    "create-attachment": "uploads",
    "search-messages": "search",
    "send-custom-events": "custom_events",
    "mute-channel": "mutes",
}


# What every user who may read a channel may also do there, unless a ban or the channel type's config
# takes it away (a member, any user of a livestream, an admin: test_permissions checks it). The hot
# paths (posting, typing) check just those two instead of loading the whole standing.
READER_WRITES = frozenset(
    {
        "create-attachment",
        "create-mention",
        "quote-message",
        "send-message",
        "send-reaction",
        "send-reply",
        "send-typing-events",
    }
)


def require_reader_may(channel_type: str, ban: BanInfo | None, capability: str) -> None:
    """Refuses a reader of the channel one of READER_WRITES: when the config or a ban takes it away."""
    assert capability in READER_WRITES, capability
    feature = FEATURE_OF.get(capability)
    if feature and not CHANNEL_CONFIGS[channel_type].get(feature, True):
        raise FeatureDisabled(f"{feature} are turned off for channel type {channel_type!r}")
    if ban is not None:
        raise NotAllowed(ban.describe())


def searchable_types() -> list[str]:
    """The channel types whose config turns search on (Stream's `search` flag, `search-messages`)."""
    return [kind for kind, config in CHANNEL_CONFIGS.items() if config.get("search", True)]


def channel_config(channel_type: str) -> frames.ChannelConfig:
    """The channel type's config as Stream's ChannelConfig."""
    return frames.ChannelConfig.model_construct(**CHANNEL_CONFIGS[channel_type], commands=[])


def effective_role(actor: Actor, stored: str) -> str:
    """`admin` when the token or the stored user (set in the Django admin) says so."""
    return ADMIN if ADMIN in (actor.role, stored) else USER


def is_admin(actor: Actor) -> bool:
    """Whether the actor is an admin (a token claim, or ChatUser.role set by an operator)."""
    if actor.role == ADMIN:
        return True
    return ChatUser.objects.filter(id=actor.id, role=ADMIN).exists()


def capabilities(
    channel_type: str,
    role: str,
    channel_role: str | None,
    owner: bool = False,
    banned: bool = False,
) -> frozenset[str]:
    """What a user with this standing may do in a channel of this type (own_capabilities)."""
    if role == ADMIN:
        granted = _ADMIN
    elif channel_type == "livestream":
        granted = _LIVESTREAM_USER | (frozenset({"leave-channel"}) if channel_role else frozenset())
        if channel_role == MODERATOR:
            granted |= _MODERATOR | {"pin-message"}
    elif channel_role is None:
        granted = frozenset()  # not a member of a members-only channel: nothing to act on
    else:
        granted = _MEMBER | (_MODERATOR if channel_role == MODERATOR else frozenset())
    if owner:
        granted |= _OWNER
    if banned:
        granted -= _BAN_REVOKES
    config = CHANNEL_CONFIGS[channel_type]
    return frozenset(c for c in granted if config.get(FEATURE_OF.get(c, ""), True))


@dataclass(frozen=True, slots=True)
class BanInfo:
    """A ban in force: from the channel `cid`, or app-wide when `cid` is None."""

    cid: str | None
    expires: datetime | None
    reason: str = ""

    def describe(self) -> str:
        """The refusal's text, e.g. "you are banned from messaging:x until 2026-12-02T10:00:00Z"."""
        where = self.cid or "the app"
        if self.expires is None:
            return f"you are banned from {where} (no end)"
        return f"you are banned from {where} until {self.expires.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


@dataclass(frozen=True, slots=True)
class Standing:
    """A user's standing in one channel, and what it lets them do."""

    user_id: str
    cid: str
    channel_type: str
    role: str
    channel_role: str | None  # None: not a member
    owner: bool
    ban: BanInfo | None

    @property
    def capabilities(self) -> frozenset[str]:
        return capabilities(self.channel_type, self.role, self.channel_role, self.owner, self.ban is not None)

    def own_capabilities(self) -> list[frames.Capability]:
        """The capabilities in Stream's (alphabetical) order."""
        return [frames.Capability(c) for c in sorted(self.capabilities)]

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    def require(self, capability: str, doing: str) -> None:
        """Refuses unless the standing grants `capability`; the refusal says what is missing."""
        if self.can(capability):
            return
        feature = FEATURE_OF.get(capability)
        if feature and not CHANNEL_CONFIGS[self.channel_type].get(feature, True):
            raise FeatureDisabled(f"{feature} are turned off for channel type {self.channel_type!r}")
        if self.ban is not None and capability in _BAN_REVOKES:
            raise NotAllowed(self.ban.describe())
        raise NotAllowed(f"you may not {doing} in {self.cid} (needs {capability}{_who(capability)})")

    def require_on(self, author_id: str, own: str, any_: str, doing: str) -> None:
        """Refuses unless the user may act on a message by `author_id` (their own, or anyone's)."""
        if author_id == self.user_id and self.can(own):
            return
        if self.can(any_):
            return
        if author_id == self.user_id:
            self.require(own, doing)
        if self.ban is not None and any_ in _BAN_REVOKES:
            raise NotAllowed(self.ban.describe())
        raise NotAllowed(
            f"you may not {doing} another user's message in {self.cid} (needs {any_}{_who(any_)})"
        )


def _who(capability: str) -> str:
    if capability in _MODERATOR:
        return ": moderators and admins"
    if capability in _OWNER:
        return ": the channel's creator, moderators and admins"
    return ""


def active_bans(now: datetime | None = None) -> QuerySet[Ban]:
    """Bans in force: without an end, or ending after `now`."""
    now = now or timezone.now()
    return Ban.objects.filter(Q(expires__isnull=True) | Q(expires__gt=now))


def ban_of(user_id: str, channel_pk: int, cid: str) -> BanInfo | None:
    """The ban in force on the user in the channel (the channel's first, then an app-wide one)."""
    bans = active_bans().filter(Q(channel_id=channel_pk) | Q(channel__isnull=True), user_id=user_id)
    found = sorted(bans.values_list("channel_id", "expires", "reason"), key=lambda b: b[0] is None)
    if not found:
        return None
    channel_id, expires, reason = found[0]
    return BanInfo(cid if channel_id is not None else None, expires, reason)


def readable_channels_scope(actor: Actor) -> Q | None:
    """The channels the actor may read, as a filter (None: every channel, for an admin).

    The rule `access_channel` applies to one channel: members read members-only channels, anyone
    reads a channel of an open type (livestream).
    """
    if is_admin(actor):
        return None
    open_types = [kind for kind, members_only in MEMBERS_ONLY.items() if not members_only]
    mine = Member.objects.filter(user_id=actor.id).values("channel_id")
    return Q(pk__in=mine) | Q(type__in=open_types)


def visible_users_scope(actor: Actor) -> Q | None:
    """The users users.query may show the actor (None: everyone, for an admin): the actor and
    whoever shares a channel with them."""
    if is_admin(actor):
        return None
    mine = Member.objects.filter(user_id=actor.id).values("channel_id")
    return Q(id=actor.id) | Q(pk__in=Member.objects.filter(channel_id__in=mine).values("user_id"))


def standing(actor: Actor, channel_pk: int, cid: str, channel_type: str) -> Standing:
    """The actor's standing in the channel (two queries: the membership and role, the bans)."""
    member = Member.objects.filter(channel_id=channel_pk, user_id=actor.id).values_list(
        "channel_role", "is_owner"
    )
    row = member.first()
    stored = ChatUser.objects.filter(id=actor.id).values_list("role", flat=True).first() or USER
    return Standing(
        user_id=actor.id,
        cid=cid,
        channel_type=channel_type,
        role=effective_role(actor, stored),
        channel_role=row[0] if row else None,
        owner=bool(row and row[1]),
        ban=ban_of(actor.id, channel_pk, cid),
    )
