"""What the imported records imply, recomputed from what is stored, a few channels at a time.

Each pass is one statement per chunk of channels (or, after a large import, one for all of them:
`SCOPES`), run inside the database (SQLite and PostgreSQL each in its own dialect where their JSON
functions differ) and idempotent: a rerun after a stopped import recomputes the same values. Done
once at the end of an import rather than row by row in its batches, which on PostgreSQL rewrote
each parent, message and channel row once per batch.

- `reorder`: a channel whose messages came out of time order gets its seqs in created_at order;
- `threads`: each parent's reply_count and thread_participants (first replier first);
- `reactions`: each message's reaction_groups, as chat.services.reactions writes them;
- `last_message_at`: each channel's, from its newest message;
- `reads`: each read mark as the seq unread counts start from, a read row for every member, and
  the unread count each row keeps (chat.services.reads).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.utils import timezone

from chat.importing import sql
from chat.models import Channel, Message, Reaction, Read
from chat.services import queries

__all__ = [
    "CHUNK",
    "SCOPES",
    "disordered",
    "last_message_at",
    "reactions",
    "reads",
    "reorder",
    "threads",
    "touch",
]

CHUNK = 500  # channels per statement and transaction
TOUCHED = "jatte_import_touched"  # the channels of a pass over all of them (a temporary table)


def _chunks(pks: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(pks)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def touch(pks: Iterable[int]) -> None:
    """Lists the channels in a temporary table, for the passes that take them all at once (`touched`)."""
    sql.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {TOUCHED} (pk bigint PRIMARY KEY)")
    sql.execute(f"DELETE FROM {TOUCHED}")
    ordered = sorted(pks)
    for start in range(0, len(ordered), 10_000):
        chunk = ordered[start : start + 10_000]
        sql.execute(f"INSERT INTO {TOUCHED} (pk) VALUES {', '.join(['(%s)'] * len(chunk))}", chunk)
    if not _sqlite():
        sql.execute(f"ANALYZE {TOUCHED}")


SCOPES = ("chunks", "touched", "every")


def _parts(column: str, pks: Iterable[int], scope: str) -> Iterator[tuple[str, list[object]]]:
    """`column` is one of the channels, as `scope` says: `chunks`, a chunk of them a statement (their
    rows found by index); `touched`, all of them in one statement (after `touch`), one scan of a table
    whose indexes a large import has set aside; `every`, the whole table (the import filled an empty
    one, so that every row is one of the channels')."""
    if scope == "every":
        yield "1 = 1", []
    elif scope == "touched":
        yield f"{column} IN (SELECT pk FROM {TOUCHED})", []
    else:
        for chunk in _chunks(pks):
            yield sql.among(column, chunk)


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def disordered(pks: Iterable[int], scope: str = "chunks") -> set[int]:
    """The channels among `pks` where a message's seq comes before an older message's."""
    found: set[int] = set()
    message = sql.table(Message)
    for inside, params in _parts("channel_id", pks, scope):
        rows = sql.fetch(
            f"SELECT DISTINCT channel_id FROM (SELECT channel_id, created_at, LAG(created_at) OVER"
            f" (PARTITION BY channel_id ORDER BY seq) AS before FROM {message}"
            f" WHERE {inside}) ordered WHERE before > created_at",
            params,
        )
        found.update(row[0] for row in rows)
    return found


def reorder(pk: int) -> int:
    """Renumbers the channel's messages so that seq follows created_at; returns how many moved.

    The seqs stay the channel's own (the set is the same, only who holds which changes), and every
    row pointing at a message (reactions, mentions, quotes, flags) follows it.
    """
    message = sql.table(Message)
    by_seq = [
        row[0] for row in sql.fetch(f"SELECT seq FROM {message} WHERE channel_id = %s ORDER BY seq", [pk])
    ]
    by_time = [
        row[0]
        for row in sql.fetch(
            f"SELECT seq FROM {message} WHERE channel_id = %s ORDER BY created_at, seq", [pk]
        )
    ]
    moves = [(new, old) for old, new in zip(by_time, by_seq, strict=True) if old != new]
    if not moves:
        return 0
    references = [
        (f.field.model, f.field.column)
        for f in Message._meta.get_fields(include_hidden=True)
        if f.is_relation and f.auto_created and not f.concrete and hasattr(f, "field")
    ]
    with transaction.atomic():
        for model, column in [(Message, "seq"), *references]:
            sql.renumber(model, column, moves)
    return len(moves)


def threads(pks: Iterable[int], scope: str = "chunks") -> None:
    """Each parent's reply_count (its replies) and thread_participants (repliers, first reply first)."""
    message = sql.table(Message)
    for inside, params in _parts("channel_id", pks, scope):
        per_user = (
            f"SELECT parent_id, user_id, COUNT(*) AS n, MIN(seq) AS first FROM {message}"
            f" WHERE {inside} AND parent_id <> '' GROUP BY parent_id, user_id"
        )
        if _sqlite():
            # json_group_array keeps the order of its ordered subquery (SQLite 3.40 has no ORDER BY
            # inside an aggregate).
            threads = (
                f"SELECT parent_id, SUM(n) AS n, json_group_array(user_id) AS users"
                f" FROM ({per_user} ORDER BY parent_id, first) GROUP BY parent_id"
            )
            changed = "(p.reply_count <> t.n OR p.thread_participants <> t.users)"
        else:
            threads = (
                f"SELECT parent_id, SUM(n)::integer AS n, jsonb_agg(user_id ORDER BY first) AS users"
                f" FROM ({per_user}) s GROUP BY parent_id"
            )
            changed = "(p.reply_count, p.thread_participants) IS DISTINCT FROM (t.n, t.users)"
        with transaction.atomic():
            sql.execute(
                f"UPDATE {message} AS p SET reply_count = t.n, thread_participants = t.users"
                f" FROM ({threads}) AS t WHERE p.message_id = t.parent_id AND {changed}",
                params,
            )


def _iso(column: str) -> str:
    """SQL giving the stored time `column` as Python's isoformat() of it in UTC (what the
    reaction service writes), e.g. 2024-01-02T03:04:05.123456+00:00."""
    if _sqlite():  # Django keeps 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC
        return f"replace({column}, ' ', 'T') || '+00:00'"
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN to_char({utc}, 'US') = '000000' THEN '' ELSE '.' || to_char({utc}, 'US') END || '+00:00'"
    )


def reactions(pks: Iterable[int], scope: str = "chunks") -> None:
    """Each message's reaction_groups from its reactions: count, sum_scores, first and last time per type."""
    message, reaction = sql.table(Message), sql.table(Reaction)
    for inside, params in _parts("m.channel_id", pks, scope):
        of = f"{reaction} r" if scope == "every" else f"{reaction} r JOIN {message} m ON m.seq = r.message_id"
        per_type = (
            f"SELECT r.message_id, r.type, COUNT(*) AS n, SUM(r.score) AS s, MIN(r.created_at) AS first,"
            f" MAX(r.updated_at) AS last FROM {of} WHERE {inside} GROUP BY r.message_id, r.type"
        )
        if _sqlite():
            summary = (
                f"json_object('count', n, 'sum_scores', s, 'first_reaction_at', {_iso('first')},"
                f" 'last_reaction_at', {_iso('last')})"
            )
            groups = (
                f"SELECT message_id, json_group_object(type, {summary}) AS groups"
                f" FROM ({per_type} ORDER BY r.message_id, first, r.type) GROUP BY message_id"
            )
            changed = "m.reaction_groups <> g.groups"
        else:
            summary = (
                f"jsonb_build_object('count', n, 'sum_scores', s, 'first_reaction_at', {_iso('first')},"
                f" 'last_reaction_at', {_iso('last')})"
            )
            groups = f"SELECT message_id, jsonb_object_agg(type, {summary}) AS groups FROM ({per_type}) t GROUP BY message_id"
            changed = "m.reaction_groups IS DISTINCT FROM g.groups"
        with transaction.atomic():
            sql.execute(
                f"UPDATE {message} AS m SET reaction_groups = g.groups FROM ({groups}) AS g"
                f" WHERE m.seq = g.message_id AND {changed}",
                params,
            )


def last_message_at(pks: Iterable[int], scope: str = "chunks") -> None:
    """Each channel's last_message_at: its newest message's time, unless it already says later."""
    message, channel = sql.table(Message), sql.table(Channel)
    for inside, params in _parts("channel_id", pks, scope):
        with transaction.atomic():
            sql.execute(
                f"UPDATE {channel} AS c SET last_message_at = t.newest FROM (SELECT channel_id, MAX(created_at) AS newest"
                f" FROM {message} WHERE {inside} GROUP BY channel_id) AS t"
                f" WHERE c.id = t.channel_id AND (c.last_message_at IS NULL OR c.last_message_at < t.newest)",
                params,
            )


def reads(pks: Iterable[int]) -> None:
    """Each read mark as a seq: the last message read when it is named and there, else the newest
    message at or before `last_read`; then every member's read row and its unread count."""
    read, message = sql.table(Read), sql.table(Message)
    for chunk in _chunks(pks):
        inside, params = sql.among("channel_id", chunk)
        with transaction.atomic():
            sql.execute(
                f"UPDATE {read} SET last_read_seq = COALESCE("
                f"(SELECT m.seq FROM {message} m WHERE m.channel_id = {read}.channel_id"
                f" AND m.message_id = {read}.last_read_message_id),"
                f" (SELECT m.seq FROM {message} m WHERE m.channel_id = {read}.channel_id"
                f" AND m.created_at <= {read}.last_read ORDER BY m.seq DESC LIMIT 1), 0)"
                f" WHERE {inside}",
                params,
            )
            sql.execute(
                f"UPDATE {read} SET last_read_message_id = COALESCE("
                f"(SELECT m.message_id FROM {message} m WHERE m.seq = {read}.last_read_seq), '')"
                f" WHERE {inside}",
                params,
            )
            queries.add_missing_reads(chunk)
            queries.recount_unread(timezone.now(), chunk)
