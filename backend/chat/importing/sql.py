"""The few statements the importer needs, for SQLite and PostgreSQL.

`INSERT ... ON CONFLICT ... DO NOTHING | DO UPDATE ... RETURNING` of many rows at once: the ORM's
bulk_create cannot say which rows were new, and its per-field machinery would cost more than the
statement. Values arrive ready for the database (`Adapt`), so a million rows cost a million tuples,
not a million model instances.

Each database gets the statement it runs fastest. SQLite: one multi-row VALUES statement per
thousand rows on the driver's own cursor (Django's wrapper rewrote every `%s` with a regular
expression, a tenth of an import's time). PostgreSQL: one `INSERT ... SELECT FROM unnest(arrays)`
per batch with server-side parameters: a short statement whatever the row count, where a VALUES
list of 20,000 placeholders spent longer being split and quoted in Python than running (an
import's time went from 40 s to a few for 100,000 messages); and for the messages and reactions,
COPY (`copy`), the cheapest of all for the server. Updates of many rows likewise: `executemany` on
SQLite, one `UPDATE ... FROM unnest(...)` on PostgreSQL. The driver's errors come out as Django's.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import Model

__all__ = [
    "Adapt",
    "among",
    "analyze",
    "bulk",
    "copy",
    "execute",
    "fetch",
    "insert",
    "insert_numbered",
    "marks",
    "next_ids",
    "renumber",
    "table",
    "update_rows",
]

# SQLite allows 32,766 variables a statement; rows per statement stay below it.
MAX_PARAMS = 30_000
MAX_ROWS = 1000


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


@contextlib.contextmanager
def _cursor() -> Iterator[Any]:
    """The driver's own cursor on Django's connection (inside Django's transaction); on
    PostgreSQL one binding its parameters on the server. The driver's errors come out as Django's
    (IntegrityError, OperationalError ...), as from Django's own cursors."""
    connection.ensure_connection()
    with connection.wrap_database_errors:
        if _sqlite():
            cursor = connection.connection.cursor()
        else:
            import psycopg

            cursor = psycopg.Cursor(connection.connection)
        try:
            yield cursor
        finally:
            cursor.close()


def _sql(statement: str) -> str:
    return statement.replace("%s", "?") if _sqlite() else statement


def fetch(statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with _cursor() as cursor:
        cursor.execute(_sql(statement), params)
        return list(cursor.fetchall())


def execute(statement: str, params: Sequence[Any] = ()) -> int:
    with _cursor() as cursor:
        cursor.execute(_sql(statement), params)
        return int(cursor.rowcount)


def among(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """`column` is one of `values`: the SQL and its parameters (PostgreSQL: one array parameter,
    planned once however many values; SQLite: a list of them)."""
    if _sqlite():
        return f"{column} IN ({marks(len(values))})", list(values)
    return f"{column} = ANY(%s)", [list(values)]


def _types(model: type[Model]) -> dict[str, str]:
    """Each column's PostgreSQL type, the one its array is cast to (jsonb travels as text)."""
    types = {}
    for f in model._meta.concrete_fields:
        kind = f.db_type(connection) or "text"
        types[f.column] = "text" if kind == "jsonb" else kind
    return types


def _casts(model: type[Model]) -> dict[str, str]:
    return {f.column: "::jsonb" for f in model._meta.concrete_fields if f.db_type(connection) == "jsonb"}


def insert(
    model: type[Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    conflict: Sequence[str],
    update: Sequence[str] = (),
    returning: Sequence[str] = (),
    where: str = "",
) -> list[tuple[Any, ...]]:
    """Inserts `rows` in order; a row whose `conflict` columns are taken is left alone, or with
    `update` given, has those columns overwritten. Returns `returning` of every row written.

    `where` is the predicate of a partial unique index named by `conflict`.
    """
    if not rows:
        return []
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    target = f"({', '.join(quote(c) for c in conflict)})" + (f" WHERE {where}" if where else "")
    action = (
        "DO UPDATE SET " + ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in update)
        if update
        else "DO NOTHING"
    )
    tail = f" ON CONFLICT {target} {action}" + (
        f" RETURNING {', '.join(quote(c) for c in returning)}" if returning else ""
    )
    found: list[tuple[Any, ...]] = []
    with _cursor() as cursor:
        if _sqlite():
            head = f"INSERT INTO {table(model)} ({names}) VALUES "
            row_marks = f"({', '.join(['?'] * len(columns))})"
            per_statement = max(1, min(MAX_ROWS, MAX_PARAMS // len(columns)))
            for start in range(0, len(rows), per_statement):
                chunk = rows[start : start + per_statement]
                params = [value for row in chunk for value in row]
                cursor.execute(f"{head}{', '.join([row_marks] * len(chunk))}{tail}", params)
                if returning:
                    found.extend(cursor.fetchall())
        else:
            types, casts = _types(model), _casts(model)
            arrays = ", ".join(f"%b::{types[c]}[]" for c in columns)
            picked = ", ".join(f"u.{quote(c)}{casts.get(c, '')}" for c in columns)
            cursor.execute(
                f"INSERT INTO {table(model)} ({names}) SELECT {picked} FROM unnest({arrays})"
                f" WITH ORDINALITY AS u({names}, ord) ORDER BY u.ord{tail}",
                [list(column) for column in zip(*rows, strict=True)],
            )
            if returning:
                found.extend(cursor.fetchall())
    return found


def insert_numbered(
    model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]], conflict: Sequence[str]
) -> list[tuple[int, Any]]:
    """SQLite: inserts the rows whose `conflict` columns are free, in order; (rowid, first column)
    of each one inserted, as `insert` with RETURNING gives them but without it (a fifth of the
    statement's time, RETURNING collecting every row before the first comes back).

    The write lock is this transaction's, so the rowids of one statement follow each other: when
    every row went in, the last one's says them all; when some did not, the new ones are those
    above the largest rowid before the statement.
    """
    if not rows:
        return []
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    key = quote(model._meta.pk.column)
    row_marks = f"({', '.join(['?'] * len(columns))})"
    per_statement = max(1, min(MAX_ROWS, MAX_PARAMS // len(columns)))
    head = f"INSERT INTO {table(model)} ({names}) VALUES "
    tail = f" ON CONFLICT ({', '.join(quote(c) for c in conflict)}) DO NOTHING"
    found: list[tuple[int, Any]] = []
    with _cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            before = cursor.execute(f"SELECT MAX({key}) FROM {table(model)}").fetchone()[0] or 0
            cursor.execute(
                f"{head}{', '.join([row_marks] * len(chunk))}{tail}",
                list(itertools.chain.from_iterable(chunk)),
            )
            went_in = cursor.rowcount
            if went_in == len(chunk):
                last = cursor.lastrowid
                found.extend(zip(range(last - went_in + 1, last + 1), (row[0] for row in chunk), strict=True))
            elif went_in:
                found.extend(
                    cursor.execute(
                        f"SELECT {key}, {quote(columns[0])} FROM {table(model)} WHERE {key} > ? ORDER BY {key}",
                        [before],
                    ).fetchall()
                )
    return found


def copy(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """PostgreSQL's COPY of new rows (no conflict handling: the caller has left out the taken keys,
    or lets a taken one fail the statement). Cheaper on the server than any INSERT of the same rows
    (tools/bench: INSERT ... SELECT from a COPYed temporary table with ON CONFLICT, or from unnest,
    cost it 15 to 40 % more), and psycopg's C code formats the rows."""
    if not rows:
        return
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with _cursor() as cursor:
        with cursor.copy(f"COPY {table(model)} ({names}) FROM STDIN") as into:
            write = into.write_row
            for row in rows:
                write(row)


def next_ids(model: type[Model], column: str, count: int, locked: bool = False) -> list[int]:
    """`count` values of the column's sequence (PostgreSQL), ascending: ids reserved for new rows.

    `locked`: the table is locked against other writers for the rest of the transaction, and the
    values are taken as one range, by one setval (nextval() a row at a time cost the server 5 µs a
    value); without it, one nextval() each, which no other writer has to wait for.
    """
    if count <= 0:
        return []
    sequence = fetch("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, column])[0][0]
    if locked:
        execute(f"LOCK TABLE {table(model)} IN SHARE ROW EXCLUSIVE MODE")
        last = int(
            fetch("SELECT setval(%s::regclass, nextval(%s::regclass) + %s - 1)", [sequence, sequence, count])[
                0
            ][0]
        )
        return list(range(last - count + 1, last + 1))
    rows = fetch("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
    return sorted(int(row[0]) for row in rows)


def update_rows(
    model: type[Model], key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]], unless: str = ""
) -> None:
    """Sets `columns` of each row named by `key`; a row is (*values, key).

    `unless` skips rows where it holds, written with `{old}` for the stored value of the first
    column and `{new}` for the given one (e.g. `{old} >= {new}`).
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    name = table(model)
    with _cursor() as cursor:
        if _sqlite():
            sets = ", ".join(f"{quote(c)} = ?" for c in columns)
            skip = ""
            if unless:
                skip = " AND NOT (" + unless.format(old=f"{name}.{quote(columns[0])}", new="?") + ")"
                rows = [(*row, row[0]) for row in rows]
            cursor.executemany(f"UPDATE {name} SET {sets} WHERE {quote(key)} = ?{skip}", rows)
        else:
            types, casts = _types(model), _casts(model)
            every = [*columns, key]
            arrays = ", ".join(f"%b::{types[c]}[]" for c in every)
            sets = ", ".join(f"{quote(c)} = v.{quote(c)}{casts.get(c, '')}" for c in columns)
            skip = ""
            if unless:
                first = quote(columns[0])
                skip = " AND NOT (" + unless.format(old=f"{name}.{first}", new=f"v.{first}") + ")"
            cursor.execute(
                f"UPDATE {name} SET {sets} FROM unnest({arrays}) AS v({', '.join(quote(c) for c in every)})"
                f" WHERE {name}.{quote(key)} = v.{quote(key)}{skip}",
                [list(column) for column in zip(*rows, strict=True)],
            )


def renumber(model: type[Model], column: str, moves: Sequence[tuple[int, int]]) -> None:
    """Sets `column` to `new` where it is `old`, for each (new, old), never holding one value twice.

    Through negative values: no two rows ever share a value, and the foreign keys pointing at a
    renumbered row are checked at commit (Django declares them deferred on both databases).
    """
    if not moves:
        return
    name, col = table(model), connection.ops.quote_name(column)
    with _cursor() as cursor:
        if _sqlite():
            cursor.executemany(f"UPDATE {name} SET {col} = -? WHERE {col} = ?", moves)
        else:
            news, olds = zip(*moves, strict=True)
            cursor.execute(
                f"UPDATE {name} SET {col} = -m.new FROM unnest(%b::bigint[], %b::bigint[]) AS m(new, old)"
                f" WHERE {name}.{col} = m.old",
                [list(news), list(olds)],
            )
        cursor.execute(f"UPDATE {name} SET {col} = -{col} WHERE {col} < 0")


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """The connection tuned for a long run of large writes, then put back.

    SQLite: a 256 MiB page cache (the default 2 MiB made every index insert of a million-message
    import a read) and a checkpoint every 64k WAL pages instead of every 1k. PostgreSQL: commits
    do not wait for the WAL flush; a crash may lose the last few batches, which a rerun imports
    again (the import is idempotent), and cannot corrupt anything.
    """
    connection.ensure_connection()
    if _sqlite():
        cache, checkpoint = fetch("PRAGMA cache_size")[0][0], fetch("PRAGMA wal_autocheckpoint")[0][0]
        execute("PRAGMA cache_size = -262144")
        execute("PRAGMA wal_autocheckpoint = 65536")
        try:
            yield
        finally:
            execute(f"PRAGMA cache_size = {int(cache)}")
            execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint)}")
        return
    synchronous = fetch("SHOW synchronous_commit")[0][0]
    execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        execute("SELECT set_config('synchronous_commit', %s, false)", [synchronous])


def analyze(models: Sequence[type[Model]]) -> None:
    """Refreshes PostgreSQL's statistics of the tables (SQLite plans without them)."""
    if not _sqlite():
        execute(f"ANALYZE {', '.join(table(m) for m in models)}")


class Adapt:
    """Python values as this connection stores them (what Django's fields would write)."""

    def __init__(self) -> None:
        self.sqlite = _sqlite()
        self.empty_list = self.json([])
        self.empty_dict = self.json({})

    def time(self, value: datetime | None) -> str | None:
        """An aware time as text in UTC: SQLite keeps Django's naive UTC text ('YYYY-MM-DD
        HH:MM:SS[.ffffff]'), PostgreSQL reads the same with '+00:00'. Text, not a datetime, so that
        a reader process hands it over cheaply and COPY writes it as it is."""
        if value is None:
            return None
        text = value.isoformat(" ")
        if not text.endswith("+00:00"):  # the usual case is one call: a million of these per import
            text = value.astimezone(UTC).isoformat(" ")
        return text[:-6] if self.sqlite else text

    def json(self, value: Any) -> str:
        """JSON as text: SQLite stores it so; PostgreSQL casts it to jsonb."""
        return json.dumps(value)

    def list_or_empty(self, value: list[Any] | None) -> str:
        return self.json(value) if value else self.empty_list

    def dict_or_empty(self, value: dict[str, Any] | None) -> str:
        return self.json(value) if value else self.empty_dict

    def read_time(self, value: Any) -> datetime | None:
        """A time as a raw query returns it, aware in UTC."""
        if value is None:
            return None
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def read_json(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value
