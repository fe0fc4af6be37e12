"""Seeds a migrated Jatte database for the benchmark, fast: users, channels, and one long history.

Run inside the backend's Django settings (cwd `backend/`, DATABASE_URL set):

    python ../tools/bench/seed.py '{"idle": 10000, "history": 1000000, "id_offset": 0}'

- users `idle<n>` with a members-only channel each, `messaging:idle-<n>` (the idle sockets watch them);
- `livestream:bench`, the open channel the latency, throughput and fan-out scenarios post to;
- with `history`: `messaging:history`, members `h0`..`h9` who have read to near the end, and that
  many messages, written with one multi-row statement per batch instead of the ORM (a million
  model instances would take minutes).

Users and channels go through `bulk_create`, so PostgreSQL works too; `id_offset` starts the
channel keys there, which keeps fan-out groups apart when several runs share one Redis.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = ["django_options", "main"]

BACKEND = Path(__file__).resolve().parent.parent.parent / "backend"
HISTORY_MEMBERS = 10


def django_options(at: int = 1) -> dict[str, Any]:
    """A seed script's options, the JSON object in its argument `at` (none: {}), once Django is set
    up on the backend's settings (DATABASE_URL and the rest from the environment)."""
    options: dict[str, Any] = json.loads(sys.argv[at]) if len(sys.argv) > at else {}
    sys.path.insert(0, str(BACKEND))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jatte.settings")
    import django

    django.setup()
    return options


def seed(idle: int, history: int, id_offset: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from chat.models import Channel, ChatUser, Member, Message, Read

    started = time.monotonic()
    now = datetime.now(UTC)
    with transaction.atomic():
        # Named as the bench's tokens name them, so signing in reads the row and writes nothing.
        users = [ChatUser(id=f"idle{n}", name=f"idle{n}") for n in range(idle)]
        users += [ChatUser(id=f"h{n}", name=f"h{n}") for n in range(HISTORY_MEMBERS)]
        ChatUser.objects.bulk_create(users, batch_size=2000)
        channels = [
            Channel(
                id=id_offset + n + 1,
                cid=f"messaging:idle-{n}",
                type="messaging",
                channel_id=f"idle-{n}",
                created_by_id=f"idle{n}",
            )
            for n in range(idle)
        ]
        channels.append(
            Channel(
                id=id_offset + idle + 1,
                cid="livestream:bench",
                type="livestream",
                channel_id="bench",
                created_by_id="h0",
            )
        )
        history_channel = Channel(
            id=id_offset + idle + 2,
            cid="messaging:history",
            type="messaging",
            channel_id="history",
            created_by_id="h0",
        )
        channels.append(history_channel)
        Channel.objects.bulk_create(channels, batch_size=2000)
        members = [
            Member(channel_id=id_offset + n + 1, user_id=f"idle{n}", is_owner=True) for n in range(idle)
        ]
        members += [
            Member(channel_id=history_channel.id, user_id=f"h{n}", is_owner=n == 0)
            for n in range(HISTORY_MEMBERS)
        ]
        Member.objects.bulk_create(members, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('chat_channel', 'id'), %s)", [id_offset + idle + 2]
            )

    if history:
        table = Message._meta.db_table
        fields = [f for f in Message._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        stamp = now - timedelta(days=30)
        constant = {
            "channel": history_channel.id,
            "user": None,
            "type": "regular",
            "parent_id": "",
            "deleted_at": None,
        }
        prepared = {
            name: fields[[f.name for f in fields].index(name)].get_db_prep_save(value, connection)
            for name, value in constant.items()
            if name in {f.name for f in fields}
        }
        created = connection.ops.adapt_datetimefield_value(stamp)
        batch = 500
        placeholders = "(" + ", ".join(["%s"] * len(fields)) + ")"
        statement = f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([placeholders] * batch)
        with transaction.atomic(), connection.cursor() as cursor:
            for first in range(0, history, batch):
                values: list[Any] = []
                for n in range(first, first + batch):
                    for field in fields:
                        name = field.name
                        if name == "message_id":
                            values.append(f"history-{n}")
                        elif name == "text":
                            values.append(f"message {n} of the long history")
                        elif name == "user":
                            values.append(f"h{n % HISTORY_MEMBERS}")
                        elif name in {"created_at", "updated_at"}:
                            values.append(created)
                        elif name in prepared:
                            values.append(prepared[name])
                        else:
                            values.append(field.get_db_prep_save(field.get_default(), connection))
                cursor.execute(statement, values)
            last = (
                Message.objects.filter(channel_id=history_channel.id)
                .order_by("-seq")
                .values_list("seq", "message_id")
            )
            newest = list(last[: HISTORY_MEMBERS * 10])
            Read.objects.bulk_create(
                [
                    Read(
                        channel_id=history_channel.id,
                        user_id=f"h{n}",
                        last_read=now,
                        last_read_seq=newest[n * 10][0],
                        last_read_message_id=newest[n * 10][1],
                    )
                    for n in range(HISTORY_MEMBERS)
                ]
            )
    return {"seconds": round(time.monotonic() - started, 2)}


def main() -> None:
    options = django_options()
    result = seed(
        int(options.get("idle", 0)), int(options.get("history", 0)), int(options.get("id_offset", 0))
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
