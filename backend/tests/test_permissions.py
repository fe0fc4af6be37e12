"""own_capabilities per role and channel type, and the config a watch carries: one module decides."""

from __future__ import annotations

import pytest

from chat.frames import Capability
from chat.models import Member
from chat.services import permissions

from .chat_room import Checked, Opener, sockets

__all__ = ["sockets"]  # fixtures

# What Stream gives the member of a messaging channel they created (captured from the service).
STREAM_CREATOR = {
    "connect-events", "create-attachment", "create-mention", "delete-channel", "delete-own-message",
    "flag-message", "join-channel", "leave-channel", "mute-channel", "pin-message", "quote-message",
    "read-events", "search-messages", "send-custom-events", "send-links", "send-message",
    "send-reaction", "send-reply", "send-typing-events", "typing-events", "update-channel",
    "update-channel-members", "update-own-message", "update-thread", "upload-file",
}  # fmt: skip
MODERATOR_EXTRA = {
    "ban-channel-members", "delete-any-message", "skip-slow-mode", "update-any-message",
    "update-channel", "update-channel-members",
}  # fmt: skip


async def _caps(client: Checked, cid: str, **extra: object) -> set[str]:
    state = await client.watch(cid, **extra)
    capabilities: list[str] = state["own_capabilities"]
    assert capabilities == sorted(capabilities)
    return set(capabilities)


@pytest.mark.parametrize("kind", ["messaging", "team"])
async def test_permissions_creator_gets_streams_creator_capabilities(sockets: Opener, kind: str) -> None:
    alice = await sockets("alice")
    assert await _caps(alice, f"{kind}:c", data={"members": ["bob"]}) == STREAM_CREATOR


@pytest.mark.parametrize("kind", ["messaging", "team"])
async def test_permissions_member_acts_on_its_own_messages_only(sockets: Opener, kind: str) -> None:
    alice, bob = await sockets("alice"), await sockets("bob")
    await alice.watch(f"{kind}:c", data={"members": ["bob"]})
    caps = await _caps(bob, f"{kind}:c")
    assert caps == STREAM_CREATOR - {"delete-channel", "update-channel", "update-channel-members"}
    assert not caps & {"update-any-message", "delete-any-message", "ban-channel-members"}


async def test_permissions_moderator_adds_any_message_and_bans(sockets: Opener) -> None:
    alice, bob = await sockets("alice"), await sockets("bob")
    await alice.watch("messaging:c", data={"members": ["bob"]})
    await Member.objects.filter(user_id="bob").aupdate(channel_role="channel_moderator")
    caps = await _caps(bob, "messaging:c")
    assert caps == (STREAM_CREATOR - {"delete-channel"}) | MODERATOR_EXTRA
    members = {m["user_id"]: m for m in (await bob.watch("messaging:c"))["members"]}
    assert members["bob"]["channel_role"] == "channel_moderator"


async def test_permissions_admin_may_do_everything_jatte_has_even_outside(sockets: Opener) -> None:
    alice = await sockets("alice")
    root = await sockets("root", app_metadata={"role": "admin"})
    await alice.watch("messaging:c")
    caps = await _caps(root, "messaging:c")  # not a member, and still reads it
    assert caps >= STREAM_CREATOR | MODERATOR_EXTRA
    assert not caps & {"send-poll", "cast-poll-vote", "query-poll-votes", "slow-mode", "delivery-events"}


async def test_permissions_livestream_user_reads_posts_reacts_but_pins_nothing(sockets: Opener) -> None:
    alice, carol = await sockets("alice"), await sockets("carol")
    await alice.watch("livestream:town")
    caps = await _caps(carol, "livestream:town")
    assert {"send-message", "send-reply", "send-reaction", "upload-file", "update-own-message"} <= caps
    assert not caps & {"pin-message", "update-any-message", "delete-any-message", "ban-channel-members"}
    state = await carol.watch("livestream:town")
    assert state["config"]["url_enrichment"] is False and state["config"]["reactions"] is True


async def test_permissions_config_is_streams_default(sockets: Opener) -> None:
    alice = await sockets("alice")
    state = await alice.watch("messaging:c")
    config = state["config"]
    assert config["max_message_length"] == 5000 and config["commands"] == []
    flags = {k: v for k, v in config.items() if isinstance(v, bool)}
    assert flags and all(flags.values())


async def test_permissions_non_member_of_messaging_is_refused_before_any_capability(sockets: Opener) -> None:
    alice, mallory = await sockets("alice"), await sockets("mallory")
    await alice.watch("messaging:c")
    await mallory.refused("channel.watch", "not_allowed", cid="messaging:c")


# The module itself


def test_permissions_every_reader_holds_the_reader_writes_unless_banned() -> None:
    """READER_WRITES, which posting and typing check without a full standing, hold for every reader."""
    readers = [
        ("messaging", "user", "channel_member"),
        ("team", "user", "channel_moderator"),
        ("livestream", "user", None),
        ("livestream", "user", "channel_member"),
        ("messaging", "admin", None),
    ]
    for kind, role, channel_role in readers:
        assert permissions.READER_WRITES <= permissions.capabilities(kind, role, channel_role)
        assert not permissions.READER_WRITES & permissions.capabilities(kind, role, channel_role, banned=True)


def test_permissions_capabilities_are_streams_strings() -> None:
    known = {c.value for c in Capability}
    for kind in permissions.CHANNEL_TYPES:
        for role, channel_role in [
            ("user", "channel_member"),
            ("user", "channel_moderator"),
            ("admin", None),
        ]:
            assert permissions.capabilities(kind, role, channel_role, owner=True) <= known


def test_permissions_a_turned_off_feature_removes_its_capabilities(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(permissions.CHANNEL_CONFIGS["team"], "typing_events", False)
    caps = permissions.capabilities("team", "user", "channel_member")
    assert not caps & {"typing-events", "send-typing-events"} and "send-message" in caps


def test_permissions_ban_description_names_the_ban_and_its_end() -> None:
    from datetime import UTC, datetime

    ends = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    assert permissions.BanInfo("messaging:x", ends).describe() == (
        "you are banned from messaging:x until 2026-12-02T10:00:00Z"
    )
    assert permissions.BanInfo(None, None).describe() == "you are banned from the app (no end)"


@pytest.mark.django_db(transaction=True)
def test_permissions_operator_makes_a_user_admin_in_the_django_admin() -> None:
    """ChatUser.role is editable in the admin, and an admin there is an admin on the socket."""
    from django.contrib.auth.models import User
    from django.test import Client as HttpClient

    from chat import services
    from chat.auth import Actor
    from chat.models import ChatUser

    services.sign_in(Actor("mallory", "Mallory"))
    operator = HttpClient()
    operator.force_login(User.objects.create_superuser("op", "op@example.com", "pw"))
    page = operator.get("/admin/chat/chatuser/mallory/change/")
    assert page.status_code == 200 and b'name="role"' in page.content
    saved = operator.post(
        "/admin/chat/chatuser/mallory/change/",
        {"id": "mallory", "name": "Mallory", "image": "", "role": "admin"},
    )
    assert saved.status_code == 302, (
        saved.context["adminform"].form.errors if saved.context else saved.status_code
    )
    assert ChatUser.objects.get(id="mallory").role == "admin"
    assert services.own_user(Actor("mallory", "Mallory")).role == "admin"
