"""Seeds a migrated Jatte database for the search benchmark: many channels, a million worded messages.

Run inside the backend's Django settings (cwd `backend/`, DATABASE_URL set):

    python ../tools/bench/seed_search.py '{"messages": 1000000, "channels": 1000, "member_of": 500}'

- users `w0`..`w99` who write, and `searcher`, a member of the first `member_of` channels;
- `messaging:s<n>` channels, each with five writers as members (and the searcher in the first ones);
- the messages round-robin over the channels, 6 to 15 words each drawn from a vocabulary of
  20,000 made-up words by Zipf's law (s = 1.1, as word use in text goes), so a few words are in
  most messages and most words in few. Written with multi-row statements, the full-text index
  dropped first and built once at the end (chat.search_index), as a bulk load would.

Prints the vocabulary, most used first, as JSON (the scenario draws its queries from it).
"""

from __future__ import annotations

import bisect
import itertools
import json
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from seed import django_options

__all__ = ["main", "vocabulary"]

WRITERS = 100
VOCABULARY = 20_000
SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"]


def vocabulary(size: int = VOCABULARY, seed: int = 10) -> list[str]:
    """`size` distinct made-up words of two to four syllables, in a fixed order (the rank order)."""
    rnd = random.Random(seed)
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4)))] = None
    return list(words)


def seed(messages: int, channels: int, member_of: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from chat import search_index
    from chat.models import Channel, ChatUser, Member, Message

    started = time.monotonic()
    words = vocabulary()
    weights = list(itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(words))))
    rnd = random.Random(11)

    def text() -> str:
        picks = [bisect.bisect(weights, rnd.random() * weights[-1]) for _ in range(rnd.randint(6, 15))]
        return " ".join(words[min(p, len(words) - 1)] for p in picks)

    with transaction.atomic():
        users = [ChatUser(id=f"w{n}", name=f"Writer {n}") for n in range(WRITERS)]
        users.append(ChatUser(id="searcher", name="searcher"))
        ChatUser.objects.bulk_create(users)
        Channel.objects.bulk_create(
            [
                Channel(
                    id=c + 1, cid=f"messaging:s{c}", type="messaging", channel_id=f"s{c}", created_by_id="w0"
                )
                for c in range(channels)
            ],
            batch_size=2000,
        )
        members = [
            Member(channel_id=c + 1, user_id=f"w{(c + k * 17) % WRITERS}", is_owner=k == 0)
            for c in range(channels)
            for k in range(5)
        ]
        members += [Member(channel_id=c + 1, user_id="searcher") for c in range(member_of)]
        Member.objects.bulk_create(members, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('chat_channel', 'id'), %s)", [channels])
    search_index.uninstall(connection)
    table = Message._meta.db_table
    fields = [f for f in Message._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    defaults = {f.name: f.get_db_prep_save(f.get_default(), connection) for f in fields}
    start = datetime.now(UTC) - timedelta(days=60)
    batch = 500
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with transaction.atomic(), connection.cursor() as cursor:
        for first in range(0, messages, batch):
            count = min(batch, messages - first)
            values: list[Any] = []
            for n in range(first, first + count):
                stamp = connection.ops.adapt_datetimefield_value(start + timedelta(seconds=n * 5))
                channel = n % channels
                own = {
                    "message_id": f"s-{n}",
                    "channel": channel + 1,
                    "user": f"w{(channel + (n // channels) % 5 * 17) % WRITERS}",
                    "text": text(),
                    "type": "regular",
                    "parent_id": "",
                    "created_at": stamp,
                    "updated_at": stamp,
                    "deleted_at": None,
                }
                values += [own[f.name] if f.name in own else defaults[f.name] for f in fields]
            statement = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([row] * count)
            cursor.execute(statement, values)
    indexed = time.monotonic()
    search_index.install(connection)  # builds the whole index from the stored texts
    with connection.cursor() as cursor:  # as autovacuum would soon: the planner needs the tables' sizes
        cursor.execute("ANALYZE")
    return {
        "seconds": round(time.monotonic() - started, 1),
        "index_seconds": round(time.monotonic() - indexed, 1),
        "words": words,
    }


def main() -> None:
    options = django_options()
    result = seed(
        int(options.get("messages", 1_000_000)),
        int(options.get("channels", 1000)),
        int(options.get("member_of", 500)),
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
