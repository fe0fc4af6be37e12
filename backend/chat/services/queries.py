"""Hand-written SQL for the hot paths (every post, every watch), where compiling an ORM query cost
more than running it: a few fixed statements on SQLite and PostgreSQL alike.

Each answers "is there anything?" or counts, so that the ORM is asked only when there is.
Benchmarked in-process: an ORM query here costs 150-500 µs to build, the statement 20 µs to run.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection, models
from django.db.models.base import ModelState

from chat.models import Ban, Channel, Member, Message, Mute, Read, ThreadRead

__all__ = [
    "UnreadRow",
    "UnreadThreadRow",
    "add_missing_reads",
    "any_ban",
    "any_ban_in",
    "as_time",
    "existing_message_ids",
    "has_pins",
    "insert_messages",
    "latest_messages",
    "latest_per_channel",
    "mention_ids",
    "mutes_of",
    "raise_unread",
    "recount_unread",
    "unread_count",
    "unread_rows",
    "unread_thread_rows",
]

_MESSAGE = Message._meta.db_table
_MENTIONS = Message.mentioned_users.through._meta.db_table
_BAN = Ban._meta.db_table
_MUTE = Mute._meta.db_table
_READ = Read._meta.db_table
_MEMBER = Member._meta.db_table
_CHANNEL = Channel._meta.db_table
_THREAD_READ = ThreadRead._meta.db_table


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _marks(values: Sequence[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _among(column: str, values: Sequence[Any], array: str = "bigint[]") -> str:
    """`column IN (...)`; on PostgreSQL `= ANY` of one array: a page's 750 message keys as 750
    parameters took it longer to bind and plan than to run (2.3 ms against 0.7)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::{array})"
    return f"{column} IN ({_marks(values)})"


def _among_params(values: Sequence[Any]) -> list[Any]:
    return [list(values)] if connection.vendor == "postgresql" else list(values)


def _when(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


# What a new message of a batch sets itself; every other column gets the field's default.
_PER_ROW = (
    "message_id",
    "channel_id",
    "user_id",
    "text",
    "type",
    "parent_id",
    "show_in_channel",
    "quoted_id",
)
_STAMPS = ("created_at", "updated_at")


def insert_messages(messages: Sequence[Message]) -> None:
    """`bulk_create` for a batch of new messages, setting each one's `seq`.

    One INSERT ... RETURNING, with each field's value prepared once per batch where the batch shares
    it (the defaults): bulk_create's per-field machinery was a third of a post's CPU.
    """
    fields = [f for f in Message._meta.concrete_fields if not f.primary_key]
    shared: dict[str, Any] = {}
    for field in fields:
        if field.attname not in _PER_ROW and field.attname not in _STAMPS:
            shared[field.attname] = field.get_db_prep_save(field.get_default(), connection)
    attachments = Message._meta.get_field("attachments")
    params: list[Any] = []
    for message in messages:
        for field in fields:
            name = field.attname
            if name in _PER_ROW:
                params.append(getattr(message, name))
            elif name in _STAMPS:  # each message its own time: clients order a channel by it
                params.append(field.get_db_prep_save(getattr(message, name), connection))
            elif name == "attachments" and message.attachments:
                params.append(attachments.get_db_prep_save(message.attachments, connection))
            else:
                params.append(shared[name])
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {_MESSAGE} ({', '.join(quote(f.column) for f in fields)})"
        f" VALUES {', '.join([row] * len(messages))} RETURNING seq, message_id"
    )
    seqs = dict((message_id, seq) for seq, message_id in _fetch(sql, params))
    for message in messages:
        message.seq = seqs[message.message_id]
        message._state.adding = False
        message._state.db = connection.alias


def existing_message_ids(ids: Iterable[str]) -> set[str]:
    """Which of the message ids are stored."""
    wanted = list(set(ids))
    if not wanted:
        return set()
    rows = _fetch(f"SELECT message_id FROM {_MESSAGE} WHERE message_id IN ({_marks(wanted)})", wanted)
    return {row[0] for row in rows}


def any_ban(user_ids: Iterable[str]) -> bool:
    """Whether any of the users has a ban row at all (in force or not)."""
    wanted = list(set(user_ids))
    if not wanted:
        return False
    return bool(_fetch(f"SELECT 1 FROM {_BAN} WHERE user_id IN ({_marks(wanted)}) LIMIT 1", wanted))


def any_ban_in(channel_pks: Sequence[int], user_id: str | None) -> bool:
    """Whether any of the channels has a ban row, or the user an app-wide one."""
    sql = (
        f"SELECT 1 FROM {_BAN} WHERE channel_id IN ({_marks(channel_pks) or 'NULL'})"
        " OR (channel_id IS NULL AND user_id = %s) LIMIT 1"
    )
    return bool(_fetch(sql, [*channel_pks, user_id or ""]))


def has_pins(channel_pks: Sequence[int]) -> bool:
    """Whether any message of the channels has ever been pinned and not unpinned."""
    if not channel_pks:
        return False
    sql = f"SELECT 1 FROM {_MESSAGE} WHERE channel_id IN ({_marks(channel_pks)}) AND pinned_at IS NOT NULL LIMIT 1"
    return bool(_fetch(sql, list(channel_pks)))


def mention_ids(seqs: Iterable[int]) -> dict[int, list[str]]:
    """The ids of the users each message mentions, in the order they were given."""
    wanted = list(set(seqs))
    found: dict[int, list[str]] = defaultdict(list)
    if not wanted:
        return found
    sql = f"SELECT message_id, chatuser_id FROM {_MENTIONS} WHERE {_among('message_id', wanted)} ORDER BY id"
    for seq, user_id in _fetch(sql, _among_params(wanted)):
        found[seq].append(user_id)
    return found


def mutes_of(user_ids: Iterable[str], now: datetime) -> dict[str, set[str]]:
    """For each of the users, the users they mute (mutes in force only)."""
    wanted = list(set(user_ids))
    muted: dict[str, set[str]] = defaultdict(set)
    if not wanted:
        return muted
    sql = (
        f"SELECT user_id, target_id FROM {_MUTE} WHERE user_id IN ({_marks(wanted)})"
        " AND (expires IS NULL OR expires > %s)"
    )
    for user_id, target_id in _fetch(sql, [*wanted, _when(now)]):
        muted[user_id].add(target_id)
    return muted


def unread_count(channel_pk: int, user_id: str, since_seq: int, muted: set[str]) -> int:
    """Messages of the channel after `since_seq` that are unread for the user (see chat.services.reads)."""
    sql = (
        f"SELECT COUNT(*) FROM {_MESSAGE} WHERE channel_id = %s AND seq > %s AND user_id <> %s"
        " AND type <> 'deleted' AND (parent_id = '' OR show_in_channel)"
    )
    params: list[Any] = [channel_pk, since_seq, user_id]
    if muted:
        sql += f" AND user_id NOT IN ({_marks(list(muted))})"
        params += sorted(muted)
    count: int = _fetch(sql, params)[0][0]
    return count


# Unread counts are kept in each read row (Read.unread_messages): raised as messages are stored, and
# counted again from the messages when the mark moves, a message is deleted or a mute changes. The
# count is the rule of chat.services.reads, written once here for every recount.
_COUNTED = (
    f"SELECT COUNT(*) FROM {_MESSAGE} m WHERE m.channel_id = {_READ}.channel_id"
    f" AND m.seq > {_READ}.last_read_seq AND m.user_id <> {_READ}.user_id AND m.type <> 'deleted'"
    f" AND (m.parent_id = '' OR m.show_in_channel) AND NOT EXISTS (SELECT 1 FROM {_MUTE} u"
    f" WHERE u.user_id = {_READ}.user_id AND u.target_id = m.user_id AND (u.expires IS NULL OR u.expires > %s))"
)


def recount_unread(
    now: datetime,
    channel_pks: Sequence[int] | None = None,
    user_ids: Sequence[str] | None = None,
    below_seq: int | None = None,
    posted_by: str | None = None,
) -> None:
    """Counts the unread messages of the read rows again: of these channels, of these users, whose
    mark is before `below_seq`, or (`posted_by`) where that user wrote after the mark."""
    where: list[str] = []
    params: list[Any] = [_when(now)]
    if channel_pks is not None:
        where.append(f"channel_id IN ({_marks(channel_pks)})")
        params += list(channel_pks)
    if user_ids is not None:
        where.append(f"user_id IN ({_marks(user_ids)})")
        params += list(user_ids)
    if below_seq is not None:
        where.append("last_read_seq < %s")
        params.append(below_seq)
    if posted_by is not None:
        where.append(
            f"EXISTS (SELECT 1 FROM {_MESSAGE} p WHERE p.channel_id = {_READ}.channel_id"
            f" AND p.user_id = %s AND p.seq > {_READ}.last_read_seq)"
        )
        params.append(posted_by)
    if (channel_pks is not None and not channel_pks) or (user_ids is not None and not user_ids):
        return
    sql = f"UPDATE {_READ} SET unread_messages = ({_COUNTED})"
    if where:
        sql += " WHERE " + " AND ".join(where)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def raise_unread(channel_pk: int, by_sender: dict[str, int], now: datetime) -> None:
    """Adds a batch's new messages of one channel (counted ones, per sender) to its read rows: each
    reader gets those of the others, less those of users they mute. One statement."""
    total = sum(by_sender.values())
    senders = sorted(by_sender)
    own = " ".join(["WHEN %s THEN %s"] * len(senders))
    muted = " ".join(["WHEN %s THEN %s"] * len(senders))
    sql = (
        f"UPDATE {_READ} SET unread_messages = unread_messages + %s"
        f" - CASE user_id {own} ELSE 0 END"
        f" - COALESCE((SELECT SUM(CASE u.target_id {muted} ELSE 0 END) FROM {_MUTE} u"
        f" WHERE u.user_id = {_READ}.user_id AND u.target_id IN ({_marks(senders)})"
        " AND (u.expires IS NULL OR u.expires > %s)), 0)"
        " WHERE channel_id = %s"
    )
    pairs = [v for s in senders for v in (s, by_sender[s])]
    params = [total, *pairs, *pairs, *senders, _when(now), channel_pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def add_missing_reads(channel_pks: Sequence[int], user_ids: Sequence[str] | None = None) -> None:
    """A read row for every member of the channels (of these users) who has none: read from the
    member's joining, nothing read yet (count them with recount_unread)."""
    if not channel_pks or (user_ids is not None and not user_ids):
        return
    sql = (
        f"INSERT INTO {_READ} (channel_id, user_id, last_read, last_read_seq, last_read_message_id, unread_messages)"
        f" SELECT m.channel_id, m.user_id, m.created_at, 0, '', 0 FROM {_MEMBER} m"
        f" WHERE m.channel_id IN ({_marks(channel_pks)})"
    )
    params: list[Any] = list(channel_pks)
    if user_ids is not None:
        sql += f" AND m.user_id IN ({_marks(user_ids)})"
        params += list(user_ids)
    sql += f" AND NOT EXISTS (SELECT 1 FROM {_READ} r WHERE r.channel_id = m.channel_id AND r.user_id = m.user_id)"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# A channel pk, cid and type, the last read, the kept count (None: the member has no read row).
UnreadRow = tuple[int, str, str, datetime, int | None]


def unread_rows(user_id: str) -> list[UnreadRow]:
    """The user's member channels with something unread (or no read row yet), one statement."""
    sql = (
        f"SELECT c.id, c.cid, c.type, {_as_text('COALESCE(r.last_read, m.created_at)')}, r.unread_messages"
        f" FROM {_MEMBER} m JOIN {_CHANNEL} c ON c.id = m.channel_id"
        f" LEFT JOIN {_READ} r ON r.channel_id = m.channel_id AND r.user_id = m.user_id"
        " WHERE m.user_id = %s AND (r.id IS NULL OR r.unread_messages > 0)"
    )
    rows = _fetch(sql, [user_id])
    return [(pk, cid, kind, as_time(moment), count) for pk, cid, kind, moment, count in rows]


# A thread's parent message id, the user's last read of it and its reply, and the unread replies.
UnreadThreadRow = tuple[str, datetime, str, int]


def unread_thread_rows(user_id: str, now: datetime) -> list[UnreadThreadRow]:
    """The threads with unread replies for the user, in channels they are a member of: replies
    after their mark that others sent, not deleted, not by a user they mute. Two statements: the
    user's thread reads (none: the second is not needed), then the replies of those threads,
    counted against each mark on the `message_replies` index.

    The threads are named by value, not joined: both databases' statistics see one parent_id, ''
    (top-level messages), on nearly every row, and judged the index useless for a join on it;
    joined, SQLite scanned every message after the mark (3 s a call on 10,000,000 messages) and
    PostgreSQL planned the same scan and compiled it with JIT. SQLite is also told the index."""
    marks = _fetch(
        f"SELECT p.message_id, {_as_text('t.last_read')}, t.last_read_message_id, t.last_read_seq"
        f" FROM {_THREAD_READ} t JOIN {_MESSAGE} p ON p.seq = t.parent_id WHERE t.user_id = %s"
        f" AND EXISTS (SELECT 1 FROM {_MEMBER} m WHERE m.channel_id = p.channel_id AND m.user_id = t.user_id)"
        " ORDER BY p.message_id",
        [user_id],
    )
    if not marks:
        return []
    parents = [parent for parent, *_ in marks]
    after = " ".join(["WHEN %s THEN %s"] * len(marks))
    replies = f"{_MESSAGE} r INDEXED BY message_replies" if connection.vendor == "sqlite" else f"{_MESSAGE} r"
    counts = dict(
        _fetch(
            f"SELECT r.parent_id, COUNT(*) FROM {replies} WHERE r.parent_id IN ({_marks(parents)})"
            f" AND r.seq > CASE r.parent_id {after} END AND r.user_id <> %s AND r.type <> 'deleted'"
            f" AND r.user_id NOT IN (SELECT u.target_id FROM {_MUTE} u"
            " WHERE u.user_id = %s AND (u.expires IS NULL OR u.expires > %s)) GROUP BY r.parent_id",
            [
                *parents,
                *(v for parent, _, _, seq in marks for v in (parent, seq)),
                user_id,
                user_id,
                _when(now),
            ],
        )
    )
    return [
        (parent, as_time(moment), last_id, counts[parent])
        for parent, moment, last_id, _ in marks
        if counts.get(parent)
    ]


def as_time(value: Any) -> datetime:
    """A datetime column read by raw SQL: text from SQLite, and from PostgreSQL under `_as_text`."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def latest_per_channel(
    table: str,
    columns: str,
    channel_pks: Sequence[int],
    condition: str,
    order: str,
    limit: int,
    times: Collection[str] = (),
) -> list[tuple[Any, ...]]:
    """The first `limit` rows of `table` in `order` for each channel, in one statement: one indexed,
    limited subquery per channel. PostgreSQL runs it as a LATERAL join over the channels (planning
    a UNION ALL of 30 subqueries took it 12 ms, running it 1.5); SQLite, which has no LATERAL,
    as a UNION ALL. The `times` columns come back as text on both (read them with `as_time`)."""
    if not channel_pks or limit <= 0:
        return []
    picked = ", ".join(_as_text(f"t.{c}") if c in times else f"t.{c}" for c in columns.split(", "))
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT {picked} FROM unnest(%s::bigint[]) WITH ORDINALITY AS w(wanted_pk, n) CROSS JOIN LATERAL"
            f" (SELECT {columns} FROM {table} WHERE channel_id = w.wanted_pk{condition}"
            f" ORDER BY {order} LIMIT %s) AS t ORDER BY w.n, {', '.join(f't.{o.strip()}' for o in order.split(','))}"
        )
        return _fetch(sql, [list(channel_pks), limit])
    part = f"SELECT {picked} FROM (SELECT {columns} FROM {table} WHERE channel_id = %s{condition} ORDER BY {order} LIMIT %s) AS t"
    sql = " UNION ALL ".join([part] * len(channel_pks))
    params = [v for pk in channel_pks for v in (pk, limit)]
    return _fetch(sql, params)


def _as_text(expression: str) -> str:
    """A timestamp read as text: psycopg's loader under Django's time zone took 16 µs a value (a
    page of messages has 3,750), the text and `as_time` 2 µs. SQLite stores text, which the cast
    keeps from Django's converter for the column's declared type (a decode, a parse and a regular
    expression's fallback a value); its text is Django's naive UTC, read with its zone appended:
    giving a parsed time its zone (`replace`) cost 1 µs, nine times the parse."""
    if connection.vendor == "sqlite":
        return f"(CAST({expression} AS TEXT) || '+00:00')"
    return f"CAST({expression} AS TEXT)"


# Messages read by hand: a page of 30 channels is 750 messages, and the ORM's per-value converters
# and select_related instances cost three times the statement. Each column is read as its field
# would (JSON, times, booleans), and each row becomes an instance by Model.from_db.
def _json(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # already decoded by the driver, or NULL
    if value == "[]":
        return []
    if value == "{}":
        return {}
    return json.loads(value)


def _time_or_none(value: Any) -> datetime | None:
    return None if value is None else as_time(value)


def _reader(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.DateTimeField):
        return _time_or_none
    if isinstance(field, models.BooleanField):
        return bool
    return None


_MESSAGE_FIELDS = list(Message._meta.concrete_fields)
_MESSAGE_NAMES = [f.attname for f in _MESSAGE_FIELDS]
_MESSAGE_COLUMNS = ", ".join(f.column for f in _MESSAGE_FIELDS)
_MESSAGE_TIMES = {f.column for f in _MESSAGE_FIELDS if isinstance(f, models.DateTimeField)}
_MESSAGE_READERS = [(n, r) for n, f in enumerate(_MESSAGE_FIELDS) if (r := _reader(f)) is not None]
_SEQ = _MESSAGE_NAMES.index("seq")


def _messages_of(rows: list[tuple[Any, ...]]) -> list[Message]:
    found: list[Message] = []
    alias = connection.alias
    for row in rows:
        values = list(row)
        for n, read in _MESSAGE_READERS:
            values[n] = read(values[n])
        # What Model.from_db does, without __init__'s per-field descriptors and signals (Message has
        # no init signal receivers): the instance was four fifths of a page's load.
        message = Message.__new__(Message)
        message.__dict__.update(zip(_MESSAGE_NAMES, values, strict=True))
        message._state = ModelState()
        message._state.adding, message._state.db = False, alias
        found.append(message)
    quoted_ids = {m.quoted_id for m in found if m.quoted_id is not None}
    if quoted_ids:  # what `select_related("quoted")` would have attached
        wanted = sorted(quoted_ids)
        sql = f"SELECT {_MESSAGE_COLUMNS} FROM {_MESSAGE} WHERE seq IN ({_marks(wanted)})"
        quotes = {q.seq: q for q in _messages_of(_fetch(sql, wanted))}
        cache = Message._meta.get_field("quoted")
        for message in found:
            if message.quoted_id is not None:
                cache.set_cached_value(message, quotes.get(message.quoted_id))
    return found


def latest_messages(channel_pks: Sequence[int], limit: int) -> list[Message]:
    """Each channel's latest `limit` messages shown in it (replies only with show_in_channel),
    oldest first, with their quotes: as `message_rows()` loads them, in one statement (two with
    quotes)."""
    shown = " AND (parent_id = '' OR show_in_channel)"
    rows = latest_per_channel(
        _MESSAGE, _MESSAGE_COLUMNS, channel_pks, shown, "seq DESC", limit, _MESSAGE_TIMES
    )
    rows.sort(key=lambda row: row[_SEQ])
    return _messages_of(rows)
