"""Stream files written by hand from Stream's documented formats (never from anyone's data), a
generator of larger ones, and a canonical dump of the chat tables to compare databases by."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = [
    "BAD_JSONL",
    "EXPORT_V1",
    "IMPORT_JSONL",
    "LEGACY_JSON",
    "dump",
    "write",
    "write_generated",
]

# Stream's import format, every record type: users (custom data, an admin, mutes, an app-wide
# ban), a device, a future channel ban, channels (one by id with a name, image and custom data, a
# distinct one by member_ids, a livestream with a ban), members (both spellings, a moderator, read
# state, a banned member), messages (a thread with a reply shown in the channel, a quote, mentions,
# a pin, attachments, a deleted message, a system message, one in the distinct channel) and reactions.
IMPORT_JSONL = """\
{"type": "user", "data": {"id": "alice", "name": "Alice", "image": "https://example.com/alice.png", "role": "admin", "teams": ["red"], "language": "en", "favourite_colour": "teal", "created_at": "2021-01-01T09:00:00Z", "user_mutes": ["dave"]}}
{"type": "user", "data": {"id": "bob", "name": "Bob", "created_at": "2021-01-01T09:00:00Z"}}
{"type": "user", "data": {"id": "carol", "name": "Carol", "role": "moderator", "created_at": "2021-01-01T09:00:00Z"}}
{"type": "user", "data": {"id": "dave", "name": "Dave", "created_at": "2021-01-01T09:00:00Z", "ban": {"created_by_id": "alice", "reason": "spam", "created_at": "2021-02-01T00:00:00Z", "expires": "2031-02-01T00:00:00Z"}}}
{"type": "user", "data": {"id": "erin", "name": "Erin", "created_at": "2021-01-01T09:00:00Z", "banned": true}}
{"type": "device", "data": {"id": "device-1", "user_id": "alice", "push_provider": "firebase", "created_at": "2021-01-01T09:00:00Z"}}
{"type": "future_channel_ban", "data": {"target_id": "dave", "created_by": "bob", "reason": "trolling", "created_at": "2021-01-01T10:00:00Z"}}
{"type": "channel", "data": {"type": "messaging", "id": "general", "created_by": "alice", "name": "General", "image": "https://example.com/general.png", "topic": "everything", "frozen": false, "created_at": "2021-01-02T00:00:00Z"}}
{"type": "channel", "data": {"type": "messaging", "member_ids": ["bob", "alice"], "created_by": "bob", "created_at": "2021-01-02T00:00:00Z"}}
{"type": "channel", "data": {"type": "livestream", "id": "town-hall", "created_by": "alice", "name": "Town hall", "created_at": "2021-01-02T00:00:00Z", "bans": [{"user_id": "erin", "created_by_id": "alice", "reason": "shouting", "created_at": "2021-01-03T00:00:00Z"}]}}
{"type": "member", "data": {"channel_type": "messaging", "channel_id": "general", "user_id": "alice", "created_at": "2021-01-02T00:00:00Z", "last_read": "2021-01-03T10:02:30Z"}}
{"type": "member", "data": {"channel_type": "messaging", "channel_id": "general", "user_id": "bob", "channel_role": "channel_moderator", "created_at": "2021-01-02T00:00:00Z", "last_read": "2021-01-03T10:00:30Z"}}
{"type": "channel_member", "data": {"channel_type": "messaging", "channel_id": "general", "user_id": "carol", "created_at": "2021-01-02T00:00:00Z"}}
{"type": "member", "data": {"channel_type": "messaging", "channel_id": "general", "user_id": "dave", "banned": true, "created_at": "2021-01-02T00:00:00Z"}}
{"type": "member", "data": {"channel_type": "messaging", "channel_member_ids": ["alice", "bob"], "user_id": "bob", "created_at": "2021-01-02T00:00:00Z", "last_read": "2021-01-03T12:00:00Z"}}
{"type": "message", "data": {"id": "m1", "channel_type": "messaging", "channel_id": "general", "user": "alice", "text": "Welcome, @bob", "html": "<p>Welcome, @bob</p>", "mentioned_users_ids": ["bob"], "pinned_at": "2021-01-03T11:00:00Z", "pinned_by_id": "bob", "created_at": "2021-01-03T10:00:00Z"}}
{"type": "message", "data": {"id": "m2", "channel_type": "messaging", "channel_id": "general", "user": "bob", "text": "thanks!", "type": "reply", "parent_id": "m1", "created_at": "2021-01-03T10:01:00Z"}}
{"type": "message", "data": {"id": "m3", "channel_type": "messaging", "channel_id": "general", "user": {"id": "carol", "name": "Carol"}, "text": "me too", "parent_id": "m1", "show_in_channel": true, "created_at": "2021-01-03T10:02:00Z"}}
{"type": "message", "data": {"id": "m4", "channel_type": "messaging", "channel_id": "general", "user": "bob", "text": "as Alice said", "quoted_message_id": "m1", "attachments": [{"type": "image", "image_url": "https://cdn.example.com/cat.png", "title": "cat", "og_scrape_url": "https://example.com"}, {"type": "giphy", "title": "dance", "thumb_url": "https://cdn.example.com/dance.gif"}], "created_at": "2021-01-03T10:03:00Z"}}
{"type": "message", "data": {"id": "m5", "channel_type": "messaging", "channel_id": "general", "user": "carol", "text": "oops, wrong channel", "type": "deleted", "deleted_at": "2021-01-03T10:05:00Z", "created_at": "2021-01-03T10:04:00Z"}}
{"type": "message", "data": {"id": "m6", "channel_type": "messaging", "channel_id": "general", "user": "alice", "text": "Carol joined", "type": "system", "created_at": "2021-01-03T10:06:00Z"}}
{"type": "message", "data": {"id": "d1", "channel_type": "messaging", "channel_member_ids": ["alice", "bob"], "user": "bob", "text": "just us", "created_at": "2021-01-03T11:00:00Z", "updated_at": "2021-01-03T11:30:00Z", "mood": "cheerful"}}
{"type": "message", "data": {"id": "l1", "channel_type": "livestream", "channel_id": "town-hall", "user": "alice", "text": "we are live", "created_at": "2021-01-03T12:00:00Z"}}
{"type": "reaction", "data": {"message_id": "m1", "type": "like", "user_id": "bob", "created_at": "2021-01-03T10:10:00Z"}}
{"type": "reaction", "data": {"message_id": "m1", "type": "like", "user_id": "carol", "score": 2, "created_at": "2021-01-03T10:11:00Z"}}
{"type": "reaction", "data": {"message_id": "m1", "type": "love", "user_id": "bob", "created_at": "2021-01-03T10:12:00Z", "updated_at": "2021-01-03T10:13:00Z"}}
{"type": "reaction", "data": {"message_id": "m2", "type": "haha", "user_id": "alice", "created_at": "2021-01-03T10:14:00Z"}}
{"type": "reaction", "data": {"message_id": "d1", "type": "like", "user_id": "alice", "created_at": "2021-01-03T11:01:00Z"}}
"""

# Every kind of bad record, each between good ones; the comment-free format means line numbers
# are the only way to name them (the test keeps these in step).
BAD_JSONL = """\
{"type": "user", "data": {"id": "alice", "name": "Alice"}}
{"type": "user", "data": {"id": "bob", "name": "Bob"}}
{"type": "channel", "data": {"type": "messaging", "id": "general", "created_by": "alice"}}
{"type": "message", "data": {"id": "ok1", "channel_type": "messaging", "channel_id": "general", "user": "alice", "text": "fine", "created_at": "2021-01-03T10:00:00Z"}}
{"type": "message", "data": {"id": "broken", "channel_type": "messaging",
{"type": "poll", "data": {"id": "p1"}}
{"type": "message", "data": {"id": "nouser", "channel_type": "messaging", "channel_id": "general", "text": "who am I"}}
{"type": "message", "data": {"id": "early", "channel_type": "messaging", "channel_id": "later", "user": "alice", "text": "too soon"}}
{"type": "message", "data": {"id": "orphan", "channel_type": "messaging", "channel_id": "general", "user": "bob", "text": "re: nothing", "parent_id": "missing"}}
{"type": "message", "data": {"id": "ok1", "channel_type": "messaging", "channel_id": "general", "user": "alice", "text": "fine, edited", "created_at": "2021-01-03T10:00:00Z"}}
{"type": "message", "data": {"id": "ghost", "channel_type": "messaging", "channel_id": "general", "user": "zed", "text": "boo"}}
{"type": "message", "data": {"id": "gone", "channel_type": "messaging", "channel_id": "general", "user": "bob", "type": "deleted"}}
{"type": "channel", "data": {"type": "messaging", "id": "both", "member_ids": ["alice", "bob"], "created_by": "alice"}}
{"type": "reaction", "data": {"message_id": "nowhere", "type": "like", "user_id": "bob", "created_at": "2021-01-03T10:00:00Z"}}
{"type": "channel", "data": {"type": "messaging", "id": "later", "created_by": "alice"}}
{"type": "message", "data": {"id": "ok2", "channel_type": "messaging", "channel_id": "later", "user": "bob", "text": "now it exists", "created_at": "2021-01-03T10:01:00Z"}}
{"type": "message", "data": {"id": "ok1", "channel_type": "messaging", "channel_id": "general", "user": "alice", "text": "fine", "created_at": "2021-01-03T10:00:00Z"}}
"""

# The legacy shape: a JSON array of {"type", "item"}, pretty-printed.
LEGACY_JSON = """\
[
  {"type": "user", "item": {"id": "alice", "name": "Alice", "created_at": "2021-01-01T09:00:00Z"}},
  {"type": "user", "item": {"id": "bob", "name": "Bob", "created_at": "2021-01-01T09:00:00Z"}},
  {
    "type": "channel",
    "item": {"type": "messaging", "id": "general", "created_by": "alice", "name": "General", "created_at": "2021-01-02T00:00:00Z"}
  },
  {"type": "member", "item": {"channel_type": "messaging", "channel_id": "general", "user_id": "bob", "created_at": "2021-01-02T00:00:00Z"}},
  {
    "type": "message",
    "item": {
      "id": "m1", "channel_type": "messaging", "channel_id": "general", "user": "alice",
      "text": "hello from the old format", "created_at": "2021-01-03T10:00:00Z"
    }
  },
  {"type": "message", "item": {"id": "m2", "channel_type": "messaging", "channel_id": "general", "user": "bob", "text": "a reply", "parent_id": "m1", "created_at": "2021-01-03T10:01:00Z"}},
  {"type": "reaction", "item": {"message_id": "m1", "type": "like", "user_id": "bob", "created_at": "2021-01-03T10:02:00Z"}},
  {"type": "reel", "item": {"id": "r1"}}
]
"""

# Stream's channel export (v1): users as objects, reactions embedded in their messages.
_ALICE = {
    "id": "alice",
    "name": "Alice",
    "role": "admin",
    "online": False,
    "created_at": "2021-01-01T09:00:00Z",
}
_BOB = {"id": "bob", "name": "Bob", "image": "https://example.com/bob.png", "role": "user"}
EXPORT_V1: dict[str, Any] = {
    "channel": {
        "cid": "messaging:general",
        "id": "general",
        "type": "messaging",
        "name": "General",
        "created_by": _ALICE,
        "created_at": "2021-01-02T00:00:00Z",
        "updated_at": "2021-01-02T00:00:00Z",
        "last_message_at": "2021-01-03T10:02:00Z",
        "frozen": False,
        "member_count": 2,
        "config": {"reactions": True, "replies": True},
        "colour": "teal",
    },
    "members": [
        {
            "user_id": "alice",
            "user": _ALICE,
            "created_at": "2021-01-02T00:00:00Z",
            "channel_role": "channel_member",
        },
        {
            "user_id": "bob",
            "user": _BOB,
            "created_at": "2021-01-02T00:00:00Z",
            "channel_role": "channel_moderator",
        },
    ],
    "messages": [
        {
            "id": "m1",
            "text": "hello",
            "html": "<p>hello</p>",
            "type": "regular",
            "user": _ALICE,
            "attachments": [],
            "latest_reactions": [
                {
                    "message_id": "m1",
                    "user_id": "bob",
                    "user": _BOB,
                    "type": "love",
                    "score": 1,
                    "created_at": "2021-01-03T10:05:00Z",
                    "updated_at": "2021-01-03T10:05:00Z",
                }
            ],
            "own_reactions": [],
            "reaction_counts": {"love": 1},
            "reaction_scores": {"love": 1},
            "reply_count": 1,
            "mentioned_users": [],
            "pinned": False,
            "created_at": "2021-01-03T10:00:00Z",
            "updated_at": "2021-01-03T10:00:00Z",
        },
        {
            "id": "m2",
            "text": "hi back",
            "type": "reply",
            "parent_id": "m1",
            "user": _BOB,
            "mentioned_users": [_ALICE],
            "latest_reactions": [],
            "reaction_counts": {},
            "created_at": "2021-01-03T10:01:00Z",
            "updated_at": "2021-01-03T10:01:00Z",
        },
        {
            "id": "m3",
            "text": "",
            "type": "deleted",
            "user": _BOB,
            "created_at": "2021-01-03T10:02:00Z",
            "updated_at": "2021-01-03T10:03:00Z",
            "deleted_at": "2021-01-03T10:03:00Z",
        },
    ],
}


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


def write_generated(path: Path, messages: int, channels: int = 20, users: int = 30, seed: int = 7) -> Path:
    """A larger import file in Stream's format: replies, quotes and reactions, times in order."""
    import random

    rnd = random.Random(seed)
    start = datetime(2022, 1, 1, tzinfo=UTC)

    def at(seconds: float) -> str:
        return (start + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    lines: list[dict[str, Any]] = []
    for u in range(users):
        lines.append({"type": "user", "data": {"id": f"u{u}", "name": f"User {u}", "created_at": at(0)}})
    for c in range(channels):
        lines.append(
            {
                "type": "channel",
                "data": {
                    "type": "messaging",
                    "id": f"c{c}",
                    "created_by": f"u{c % users}",
                    "created_at": at(1),
                },
            }
        )
        for k in range(3):
            member: dict[str, Any] = {
                "type": "member",
                "data": {
                    "channel_type": "messaging",
                    "channel_id": f"c{c}",
                    "user_id": f"u{(c + k) % users}",
                    "created_at": at(1),
                },
            }
            if k < 2:
                member["data"]["last_read"] = at(messages)
            lines.append(member)
    tops: dict[int, list[str]] = {}
    reactions = []
    for n in range(messages):
        c = n % channels
        data: dict[str, Any] = {
            "id": f"m{n}",
            "channel_type": "messaging",
            "channel_id": f"c{c}",
            "user": f"u{(c + n // channels % 3) % users}",
            "text": f"message {n}",
            "created_at": at(10 + n),
        }
        recent = tops.get(c)
        if recent and rnd.random() < 0.3:
            data["parent_id"] = rnd.choice(recent)
        else:
            if recent and rnd.random() < 0.1:
                data["quoted_message_id"] = recent[-1]
            tops.setdefault(c, []).append(data["id"])
            del tops[c][:-10]
        lines.append({"type": "message", "data": data})
        if rnd.random() < 0.4:
            reactions.append(
                {
                    "message_id": data["id"],
                    "type": rnd.choice(["like", "love"]),
                    "user_id": f"u{n % users}",
                    "created_at": at(11 + n),
                }
            )
    lines += [{"type": "reaction", "data": r} for r in reactions]
    with path.open("w") as out:
        for line in lines:
            out.write(json.dumps(line) + "\n")
    return path


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _groups(groups: dict[str, Any]) -> dict[str, Any]:
    """reaction_groups with its times read as times (SQLite and PostgreSQL may spell them apart)."""
    return {
        kind: {
            **group,
            "first_reaction_at": _time(datetime.fromisoformat(group["first_reaction_at"])),
            "last_reaction_at": _time(datetime.fromisoformat(group["last_reaction_at"])),
        }
        for kind, group in groups.items()
    }


def dump() -> dict[str, Any]:
    """Everything a reader sees, by public ids only (no pks, no seqs), messages in channel order."""
    from chat.models import Ban, Channel, ChatUser, Member, Message, Mute, Reaction, Read
    from chat.services import queries

    mentions: dict[int, list[str]] = {}
    through = Message.mentioned_users.through
    for seq, user in through.objects.order_by("id").values_list("message_id", "chatuser_id"):
        mentions.setdefault(seq, []).append(user)
    messages = {}
    for channel in Channel.objects.order_by("cid"):
        rows = Message.objects.filter(channel=channel).select_related("quoted").order_by("seq")
        messages[channel.cid] = [
            {
                "id": m.message_id,
                "user": m.user_id,
                "text": m.text,
                "type": m.type,
                "parent_id": m.parent_id,
                "show_in_channel": m.show_in_channel,
                "reply_count": m.reply_count,
                "thread_participants": m.thread_participants,
                "quoted": m.quoted.message_id if m.quoted else None,
                "mentions": mentions.get(m.seq, []),
                "attachments": m.attachments,
                "reaction_groups": _groups(m.reaction_groups),
                "pinned_at": _time(m.pinned_at),
                "pinned_by": m.pinned_by_id,
                "pin_expires": _time(m.pin_expires),
                "custom": m.custom,
                "created_at": _time(m.created_at),
                "updated_at": _time(m.updated_at),
                "deleted_at": _time(m.deleted_at),
            }
            for m in rows
        ]
    reads = []
    for r in Read.objects.select_related("channel").order_by("channel__cid", "user_id"):
        unread = queries.unread_count(r.channel_id, r.user_id, r.last_read_seq, set())
        reads.append([r.channel.cid, r.user_id, _time(r.last_read), r.last_read_message_id, unread])
    return {
        "users": [
            [
                u.id,
                u.name,
                u.image,
                u.role,
                _time(u.deactivated_at),
                u.custom,
                _time(u.created_at),
                _time(u.updated_at),
            ]
            for u in ChatUser.objects.order_by("id")
        ],
        "channels": [
            [
                c.cid,
                c.type,
                c.channel_id,
                c.name,
                c.image,
                c.custom,
                c.created_by_id,
                _time(c.created_at),
                _time(c.updated_at),
                _time(c.last_message_at),
            ]
            for c in Channel.objects.order_by("cid")
        ],
        "members": [
            [m.channel.cid, m.user_id, m.is_owner, m.channel_role, _time(m.created_at), _time(m.updated_at)]
            for m in Member.objects.select_related("channel").order_by("channel__cid", "user_id")
        ],
        "messages": messages,
        "reactions": sorted(
            [r.message.message_id, r.user_id, r.type, r.score, _time(r.created_at), _time(r.updated_at)]
            for r in Reaction.objects.select_related("message")
        ),
        "reads": reads,
        "bans": sorted(
            [
                b.user_id,
                b.channel.cid if b.channel else "",
                b.created_by_id or "",
                b.reason,
                _time(b.created_at),
                _time(b.expires) or "",
            ]
            for b in Ban.objects.select_related("channel")
        ),
        "mutes": sorted([m.user_id, m.target_id] for m in Mute.objects.all()),
    }


def seed() -> None:
    """A database the way the chat fills it: threads, quotes, mentions, attachments, reactions,
    edits, soft and hard deletes, pins, read marks, roles, bans and mutes (through the services)."""
    from chat import frames, services
    from chat.auth import Actor
    from chat.models import ChatUser, Member

    alice, bob, carol = Actor("alice", "Alice", role="admin"), Actor("bob", "Bob"), Actor("carol", "Carol")
    general, town = "messaging:general", "livestream:town"
    services.prepare_watch(
        alice,
        general,
        frames.WatchData(name="General", members=[frames.UserId("bob"), frames.UserId("carol")]),
    )
    services.prepare_watch(bob, town, None)
    services.prepare_watch(carol, town, None)
    services.sign_in(bob)
    services.sign_in(carol)
    Member.objects.filter(channel__cid=general, user_id="bob").update(channel_role="channel_moderator")
    ChatUser.objects.filter(id="alice").update(role="admin")
    image = {"type": "image", "image_url": "https://example.com/cat.png", "title": "cat"}
    services.post_message(alice, general, "hello @bob", "g1", mentioned_users=("bob",), attachments=(image,))
    services.post_message(bob, general, "hi!", "g2", parent_id="g1")
    services.post_message(carol, general, "hi from me too", "g3", parent_id="g1", show_in_channel=True)
    services.post_message(carol, general, "and again", "g4", parent_id="g1")
    services.post_message(bob, general, "quoting", "g5", quoted_message_id="g1")
    services.post_message(carol, general, "to be deleted", "g6")
    services.post_message(carol, general, "a second reply by carol, deleted for good", "g7", parent_id="g1")
    services.send_reaction(bob, "g1", frames.ReactionRequest(type="like"))
    services.send_reaction(carol, "g1", frames.ReactionRequest(type="like", score=3))
    services.send_reaction(carol, "g1", frames.ReactionRequest(type="love"))
    services.send_reaction(alice, "g2", frames.ReactionRequest(type="haha"))
    services.update_message(bob, frames.UpdatedMessage(id="g5", text="quoting, edited"))
    services.delete_message(carol, "g6")
    services.delete_message(carol, "g7", hard=True)
    services.pin_message(bob, "g1", True)
    services.mark_read(bob, general, "g3")
    services.mark_read(carol, general)
    services.post_message(alice, general, "after the reads", "g8")
    services.post_message(bob, town, "live now", "t1")
    services.send_reaction(carol, "t1", frames.ReactionRequest(type="wow"))
    services.ban_user(bob, "carol", general, timeout=60, reason="calm down")
    services.ban_user(alice, "carol", None, reason="everywhere")
    services.mute_user(alice, "bob")
