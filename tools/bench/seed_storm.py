"""Seeds a migrated Jatte database for the reconnect storm: users, each in 3 channels with history
and unread state.

Run inside the backend's Django settings (cwd `backend/`, DATABASE_URL set):

    python ../tools/bench/seed_storm.py '{"users": 5000, "history": 20}'

Users `storm<n>` (named as their tokens name them, so signing in writes nothing); channels
`messaging:storm-<k>`, 10 members each, 3 per user (`channels_of`); `history` messages in each
channel by its members in turn; each member's read mark 0 to 4 messages before the end, with the
unread count the read row keeps. Prints {"seconds": ...}.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from seed import django_options

__all__ = ["MEMBERS", "channels_of", "main", "seed"]

MEMBERS = 10  # members of each channel
PER_USER = 3  # channels of each user


def channels_of(user: int, users: int) -> list[int]:
    """The channel numbers user `user` (of `users`, a multiple of 10) is a member of: 3 distinct
    ones, and each channel gets 10 distinct members."""
    count = users * PER_USER // MEMBERS
    return [(user + j * users) % count for j in range(PER_USER)]


def seed(users: int, history: int) -> dict[str, Any]:
    from django.db import transaction

    from chat.models import Channel, ChatUser, Member, Message, Read

    if users % MEMBERS:
        raise SystemExit(f"seed_storm: users must be a multiple of {MEMBERS}")
    started = time.monotonic()
    count = users * PER_USER // MEMBERS
    members: dict[int, list[str]] = {k: [] for k in range(count)}
    for n in range(users):
        for k in channels_of(n, users):
            members[k].append(f"storm{n}")
    start = datetime.now(UTC) - timedelta(days=1)
    with transaction.atomic():
        ChatUser.objects.bulk_create(
            [ChatUser(id=f"storm{n}", name=f"storm{n}") for n in range(users)], batch_size=2000
        )
        Channel.objects.bulk_create(
            [
                Channel(
                    cid=f"messaging:storm-{k}",
                    type="messaging",
                    channel_id=f"storm-{k}",
                    created_by_id=members[k][0],
                    last_message_at=start + timedelta(seconds=history),
                )
                for k in range(count)
            ],
            batch_size=2000,
        )
        pks = dict(Channel.objects.filter(cid__startswith="messaging:storm-").values_list("cid", "id"))
        Member.objects.bulk_create(
            [
                Member(channel_id=pks[f"messaging:storm-{k}"], user_id=user, is_owner=i == 0)
                for k in range(count)
                for i, user in enumerate(members[k])
            ],
            batch_size=2000,
        )
        Message.objects.bulk_create(
            [
                Message(
                    message_id=f"storm-{k}-{n}",
                    channel_id=pks[f"messaging:storm-{k}"],
                    user_id=members[k][n % MEMBERS],
                    text=f"message {n} of storm-{k}",
                    created_at=start + timedelta(seconds=n),
                    updated_at=start + timedelta(seconds=n),
                )
                for k in range(count)
                for n in range(history)
            ],
            batch_size=2000,
        )
        stored: dict[int, list[tuple[int, str, str]]] = {}
        for seq, channel, message_id, author in (
            Message.objects.filter(channel_id__in=pks.values())
            .order_by("seq")
            .values_list("seq", "channel_id", "message_id", "user_id")
        ):
            stored.setdefault(channel, []).append((seq, message_id, author))
        reads = []
        for k in range(count):
            messages = stored.get(pks[f"messaging:storm-{k}"], [])
            for i, user in enumerate(members[k]):
                behind = (i + k) % 5  # 0 to 4 messages unread
                if not messages or behind >= len(messages):
                    continue
                seq, message_id, _ = messages[len(messages) - 1 - behind]
                unread = sum(1 for _, _, author in messages[len(messages) - behind :] if author != user)
                reads.append(
                    Read(
                        channel_id=pks[f"messaging:storm-{k}"],
                        user_id=user,
                        last_read=start + timedelta(seconds=len(messages) - behind),
                        last_read_seq=seq,
                        last_read_message_id=message_id,
                        unread_messages=unread,
                    )
                )
        Read.objects.bulk_create(reads, batch_size=2000)
    return {"seconds": round(time.monotonic() - started, 2)}


def main() -> None:
    options = django_options()
    print(json.dumps(seed(int(options.get("users", 500)), int(options.get("history", 20)))))


if __name__ == "__main__":
    main()
