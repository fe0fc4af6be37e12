"""The channel-list benchmark's database, and its in-process side: seeding it fast, and counting
the SQL statements channels.query and unread.get cost.

Run inside the backend's Django settings (cwd `backend/`, DATABASE_URL set):

    python ../tools/bench/seed_lists.py seed '{"channels": 1000, "messages": 10000, "members": 10}'
    python ../tools/bench/seed_lists.py count '{"calls": 50}'

`seed`: users `l0`..`l9`, each a member of every channel `messaging:list-<n>`; the messages, written
by one INSERT ... SELECT inside the database (a recursive CTE on SQLite, generate_series on
PostgreSQL: ten million rows never pass through Python), round-robin over the channels in time order
and over the members as authors; then each member's read mark a few messages before the end of
each channel (0 to 19 unread, differing per channel and member) and the counts the read rows keep.

`count`: `chat.services.query_channels` (the first 30 of l0's channels, newest first, 25 messages
each, as the shim's queryChannels asks by default; and with the last message only) and
`chat.services.unread_counts` for l0, each run `calls` times; the statements per call, the
in-process p50 (no socket), and each statement's plan as the database gives it (EXPLAIN QUERY PLAN
on SQLite, EXPLAIN on PostgreSQL): which index serves it.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from seed import django_options

__all__ = ["QUERY", "count", "main", "plan_of", "seed"]

# What the bench user's client asks: its channels, newest first, a page of 30.
QUERY: dict[str, Any] = {
    "filter_conditions": {"type": "messaging", "members": {"$in": ["l0"]}},
    "sort": [{"field": "last_message_at", "direction": -1}],
    "limit": 30,
    "message_limit": 25,
    "state": True,
    "watch": True,
}
# The same page with only each channel's last message: what a channel list shows of each.
PREVIEW: dict[str, Any] = {**QUERY, "message_limit": 1}
START = datetime(2025, 1, 1, tzinfo=UTC)


def _expressions(vendor: str, channels: int, members: int, first_pk: int) -> dict[str, str]:
    """SQL for each message column the rows set, over the row number `i` (0-based)."""
    if vendor == "postgresql":
        created = f"TIMESTAMPTZ '{START.isoformat()}' + i * INTERVAL '1 millisecond'"
        json_empty_list, json_empty = "'[]'::jsonb", "'{}'::jsonb"
        false = "FALSE"
    else:
        created = (
            f"strftime('%Y-%m-%d %H:%M:%f', '{START:%Y-%m-%d %H:%M:%S}', '+' || (i / 1000.0) || ' seconds')"
        )
        json_empty_list, json_empty = "'[]'", "'{}'"
        false = "0"
    return {
        "message_id": "'l' || i",
        # %% is a literal % in a statement with parameters, on both backends
        "channel_id": f"{first_pk} + (i %% {channels})",
        "user_id": f"'l' || ((i / {channels}) %% {members})",
        "text": "'message ' || i || ' of the channel-list bench'",
        "type": "'regular'",
        "parent_id": "''",
        "show_in_channel": false,
        "reply_count": "0",
        "thread_participants": json_empty_list,
        "attachments": json_empty_list,
        "reaction_groups": json_empty,
        "custom": json_empty,
        "created_at": created,
        "updated_at": created,
    }


def seed(channels: int, messages: int, members: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from chat.models import Channel, ChatUser, Member, Message, Read
    from chat.services import queries

    started = time.monotonic()
    total = channels * messages
    with transaction.atomic():
        ChatUser.objects.bulk_create([ChatUser(id=f"l{n}", name=f"l{n}") for n in range(members)])
        last = START + timedelta(milliseconds=total - 1)
        made = Channel.objects.bulk_create(
            [
                Channel(
                    cid=f"messaging:list-{c}",
                    type="messaging",
                    channel_id=f"list-{c}",
                    name=f"List {c}",
                    created_by_id="l0",
                    # channel c's last message is row (messages - 1) * channels + c
                    last_message_at=last - timedelta(milliseconds=channels - 1 - c),
                )
                for c in range(channels)
            ],
            batch_size=2000,
        )
        pks = sorted(c.pk for c in made) if made[0].pk else []
        if not pks:  # SQLite before RETURNING: read them back
            pks = sorted(
                Channel.objects.filter(cid__startswith="messaging:list-").values_list("pk", flat=True)
            )
        assert pks == list(range(pks[0], pks[0] + channels)), "channel keys must be consecutive"
        Member.objects.bulk_create(
            [Member(channel_id=pk, user_id=f"l{m}", is_owner=m == 0) for pk in pks for m in range(members)],
            batch_size=5000,
        )
    seeded_channels = time.monotonic() - started
    table = Message._meta.db_table
    expressions = _expressions(connection.vendor, channels, members, pks[0])
    fields = [f for f in Message._meta.concrete_fields if not f.primary_key]
    columns, values, params = [], [], []
    for field in fields:
        columns.append(connection.ops.quote_name(field.column))
        if field.column in expressions:
            values.append(expressions[field.column])
        else:  # a column these rows do not set: its default, the same for every row
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection))
    select = f"SELECT {', '.join(values)}"
    if connection.vendor == "postgresql":
        sql = f"INSERT INTO {table} ({', '.join(columns)}) {select} FROM generate_series(0, {total - 1}) AS i"
    else:
        sql = (
            f"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {total - 1})"
            f" INSERT INTO {table} ({', '.join(columns)}) {select} FROM n"
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    seeded_messages = time.monotonic() - started - seeded_channels
    # Read marks: member m of channel c has read all but (c + 3m) % 20 of its last messages.
    reads = []
    now = datetime.now(UTC)
    for c, pk in enumerate(pks):
        newest = list(
            Message.objects.filter(channel_id=pk).order_by("-seq").values_list("seq", "message_id")[:20]
        )
        for m in range(members):
            seq, message_id = newest[(c + 3 * m) % 20]
            reads.append(
                Read(
                    channel_id=pk,
                    user_id=f"l{m}",
                    last_read=now,
                    last_read_seq=seq,
                    last_read_message_id=message_id,
                )
            )
    with transaction.atomic():
        Read.objects.bulk_create(reads, batch_size=5000)
        queries.recount_unread(now, pks)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "seconds": round(time.monotonic() - started, 1),
        "channels_seconds": round(seeded_channels, 1),
        "messages_seconds": round(seeded_messages, 1),
        "messages": Message.objects.count(),
    }


_TABLES = re.compile(r'(?:FROM|JOIN)\s+"?(chat_\w+)"?', re.IGNORECASE)


def _pg_steps(node: dict[str, Any]) -> list[str]:
    """A PostgreSQL plan's nodes that read a table or an index, outermost first."""
    steps: list[str] = []
    if "Relation Name" in node or "Index Name" in node:  # a bitmap index scan names no table
        index = f" using {node['Index Name']}" if "Index Name" in node else ""
        table = f" on {node['Relation Name']}" if "Relation Name" in node else ""
        steps.append(f"{node['Node Type']}{index}{table}")
    for child in node.get("Plans", []):
        steps += _pg_steps(child)
    return steps


def plan_of(sql: str) -> dict[str, Any]:
    """The tables a captured statement reads, and how its plan reads each (which index, or a scan)."""
    from django.db import connection

    tables = list(dict.fromkeys(_TABLES.findall(sql)))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            raw = cursor.fetchone()[0]
            plan = json.loads(raw) if isinstance(raw, str) else raw
            steps = _pg_steps(plan[0]["Plan"])
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            steps = [row[3] for row in cursor.fetchall() if row[3].startswith(("SEARCH", "SCAN", "USE TEMP"))]
    return {"tables": tables, "steps": list(dict.fromkeys(steps))}


def count(calls: int) -> dict[str, Any]:
    """The statements and in-process p50 of channels.query and unread.get for l0."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chat import frames
    from chat.auth import Actor
    from chat.services import query_channels, unread_counts

    actor = Actor(id="l0", name="l0")
    sort = [frames.ChannelSort.model_validate(s) for s in QUERY["sort"]]

    def listing(message_limit: int) -> Any:
        return query_channels(
            actor, QUERY["filter_conditions"], sort, QUERY["limit"], None, True, message_limit
        )

    figures: dict[str, Any] = {}
    calls_of = (
        ("channels_query", lambda: listing(QUERY["message_limit"])),
        ("channels_query_preview", lambda: listing(PREVIEW["message_limit"])),
        ("unread_get", lambda: unread_counts(actor)),
    )
    for name, call in calls_of:
        call()  # warm
        with CaptureQueriesContext(connection) as captured:
            result = call()
        figures[f"{name}_sql"] = len(captured.captured_queries)
        if name != "channels_query_preview":  # the same statements as the full page's
            figures[f"{name}_plans"] = [plan_of(q["sql"]) for q in captured.captured_queries]
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        figures[f"{name}_p50_in_process"] = round(statistics.median(times), 2)
        if name.startswith("channels_query"):
            figures["channels_returned"] = len(result.answer.channels)
            figures[f"{name}_messages_per_channel"] = len(result.answer.channels[0].messages)
        else:
            figures["unread_total"] = result.total_unread_count
            figures["unread_channels"] = len(result.channels)
    return figures


def main() -> None:
    mode = sys.argv[1]
    options = django_options(2)
    if mode == "seed":
        result = seed(
            int(options.get("channels", 1000)),
            int(options.get("messages", 10_000)),
            int(options.get("members", 10)),
        )
    else:
        result = count(int(options.get("calls", 50)))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
