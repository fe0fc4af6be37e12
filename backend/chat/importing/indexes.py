"""What a large import sets aside while it writes, and puts back at its end: the secondary indexes of
the tables it fills (on PostgreSQL their foreign keys too, on SQLite the triggers of the full-text
index, rebuilt whole), as pg_restore does.

Every row written into chat_message updated its dozen other indexes (SQLite: seven, and an FTS5
insert), a page each, and on PostgreSQL queued four foreign-key checks for the commit: three
quarters of a million-message import's time (py-spy; tools/bench/scenarios/importing.py). Built
once from the finished table, the same indexes take a few seconds (on PostgreSQL the full-text one
on a connection of its own, and the messages' while the reactions are written: `make_early`).
Unique indexes stay: they are how a record already stored is found (`ON CONFLICT`, the look-ups by
id), and they never leave.

It is worth it only when the import is large beside what is stored (`worth_setting_aside`). Each
index, trigger and foreign key set aside is first written into a table of its own (`PENDING`,
with the statement that makes it again), in the transaction that drops it; `put_back` makes them
again and drops that table, in one transaction. A run killed in between leaves them listed, and
the next import (of any file) finds them there, works the same way, and puts them back: the
database ends as one clean run leaves it, whatever the moment of the kill. Until then the tables
are complete but slow to query, which `import_stream` says when it starts.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import Model

from chat.importing import sql
from chat.models import Message, Reaction

__all__ = [
    "PENDING",
    "TABLES",
    "Builder",
    "make_early",
    "pending",
    "put_back",
    "set_aside",
    "worth_setting_aside",
]

logger = logging.getLogger(__name__)

PENDING = "jatte_import_pending"  # what a large import has set aside and still owes the database
TABLES: tuple[type[Model], ...] = (Message, Reaction, Message.mentioned_users.through)
# A message takes about 300 bytes of the import format; a file is taken to hold a message for every
# 1,024 bytes, so the indexes are set aside when the file is likely to at least triple the table.
BYTES_PER_MESSAGE = 1024


def _exists() -> bool:
    return PENDING in connection.introspection.table_names()


def pending() -> list[tuple[str, str, str]]:
    """What a run has set aside and not put back: (table, name, statement making it again)."""
    if not _exists():
        return []
    return [
        (table, name, ddl)
        for table, name, ddl in sql.fetch(f"SELECT table_name, name, ddl FROM {PENDING} ORDER BY position")
    ]


def worth_setting_aside(file_bytes: int) -> bool:
    """Whether an import of a file this size should set the indexes aside: when something is still
    set aside (a run was stopped), or when the file is likely to add more messages than are stored."""
    if pending():
        return True
    expected = file_bytes // BYTES_PER_MESSAGE
    stored = sql.fetch(
        f"SELECT COUNT(*) FROM (SELECT 1 FROM {sql.table(Message)} LIMIT %s) s", [expected + 1]
    )
    return int(stored[0][0]) <= expected


def _secondary(model: type[Model]) -> list[tuple[str, str, str]]:
    """The table's indexes that are not unique, and (PostgreSQL) its foreign keys: (name, drop, make)."""
    name = model._meta.db_table
    quote = connection.ops.quote_name
    found: list[tuple[str, str, str]] = []
    if connection.vendor == "sqlite":
        made = dict(
            sql.fetch("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s", [name])
        )
        for _, index, unique, origin, _ in sql.fetch(f"PRAGMA index_list({quote(name)})"):
            if not unique and origin == "c" and made.get(index):
                found.append((index, f"DROP INDEX {quote(index)}", made[index]))
        return found + _full_text(name)
    for index, ddl in sql.fetch(
        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
        " ORDER BY i.relname",
        [name],
    ):
        found.append((index, f"DROP INDEX {quote(index)}", ddl))
    for constraint, definition in sql.fetch(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [name],
    ):
        alter = f"ALTER TABLE {quote(name)}"
        found.append(
            (
                constraint,
                f"{alter} DROP CONSTRAINT {quote(constraint)}",
                f"{alter} ADD CONSTRAINT {quote(constraint)} {definition}",
            )
        )
    return found


def _full_text(name: str) -> list[tuple[str, str, str]]:
    """SQLite: the triggers keeping an FTS5 index of the table's rows in step (chat.search_index),
    and that index's rebuild from the finished table, which costs a third of what the insert
    trigger cost, row by row (tools/bench). The other triggers stay."""
    quote = connection.ops.quote_name
    indexes = [
        table
        for table, ddl in sql.fetch(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"
        )
        if re.match(r"CREATE VIRTUAL TABLE", ddl, re.I)
        and re.search(r"\bfts5\s*\(", ddl, re.I)
        and re.search(rf"\bcontent\s*=\s*['\"]?{re.escape(name)}['\"]?\s*[,)]", ddl, re.I)
    ]
    if not indexes:
        return []
    found = []
    for trigger, ddl in sql.fetch(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s ORDER BY name", [name]
    ):
        if any(re.search(rf"\b{re.escape(index)}\b", ddl) for index in indexes):
            found.append((trigger, f"DROP TRIGGER {quote(trigger)}", ddl))
    if found:
        found += [
            (f"{index} (rebuild)", "", f"INSERT INTO {quote(index)}({quote(index)}) VALUES ('rebuild')")
            for index in indexes
        ]
    return found


def _order(ddl: str) -> int:
    """Indexes are made first, then triggers, then what triggers keep, then foreign keys (checked
    faster with the indexes there)."""
    for position, start in enumerate(("CREATE INDEX", "CREATE TRIGGER", "INSERT")):
        if ddl.upper().startswith(start):
            return position
    return 3


def set_aside(models: Sequence[type[Model]] = TABLES) -> int:
    """Drops the tables' secondary indexes (and PostgreSQL foreign keys, SQLite full-text
    triggers), listing each in PENDING first, in one transaction; returns how many. The list is in
    the order they are made again in (`_order`)."""
    with transaction.atomic():
        sql.execute(
            f"CREATE TABLE IF NOT EXISTS {PENDING} (position integer PRIMARY KEY,"
            " table_name varchar(255) NOT NULL, name varchar(255) NOT NULL, ddl text NOT NULL)"
        )
        start = int(sql.fetch(f"SELECT COALESCE(MAX(position), 0) FROM {PENDING}")[0][0])
        listed = {(table, name) for table, name in sql.fetch(f"SELECT table_name, name FROM {PENDING}")}
        found = [(m._meta.db_table, *what) for m in models for what in _secondary(m)]
        found.sort(key=lambda row: _order(row[3]))
        # Listed already: made again early by a run that was then stopped (make_early); dropped again.
        new = [row for row in found if (row[0], row[1]) not in listed]
        for position, (table, name, _, make) in enumerate(new, start=start + 1):
            sql.execute(
                f"INSERT INTO {PENDING} (position, table_name, name, ddl) VALUES (%s, %s, %s, %s)",
                [position, table, name, make],
            )
        for _, _, drop, _ in found:
            if drop:
                sql.execute(drop)
    return len(found)


def _present(table: str, name: str) -> bool:
    if connection.vendor == "sqlite":
        return bool(sql.fetch("SELECT 1 FROM sqlite_master WHERE name = %s", [name]))
    return bool(
        sql.fetch(
            "SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'i' AND pg_table_is_visible(oid)"
            " UNION ALL SELECT 1 FROM pg_constraint WHERE conname = %s AND conrelid = %s::regclass",
            [name, name, table],
        )
    )


class Builder:
    """Statements run in a thread, on a connection of its own (PostgreSQL), each committed on its
    own: a run stopped in between finds what they made already made, and skips it (`_present`)."""

    def __init__(self, statements: list[str]) -> None:
        self.failure: BaseException | None = None
        # A daemon: a run stopped meanwhile does not wait for it (the server drops what it was making).
        self._thread = threading.Thread(
            target=self._run, args=(statements,), name="import-indexes", daemon=True
        )
        self._thread.start()

    def _run(self, statements: list[str]) -> None:
        import psycopg

        try:
            with psycopg.connect(**connection.get_connection_params(), autocommit=True) as other:
                other.execute(f"SET maintenance_work_mem = '{_WORK_MEM}'")
                for ddl in statements:
                    other.execute(ddl.encode())  # the server's own text (pg_get_indexdef), not a literal
        except BaseException as failure:  # told by join
            self.failure = failure

    def join(self) -> BaseException | None:
        self._thread.join()
        return self.failure


def _elsewhere() -> bool:
    """Whether indexes may be built on another connection: PostgreSQL, and not inside a transaction
    of the caller's (a test's), whose locks the other connection would wait for."""
    return connection.vendor != "sqlite" and not connection.in_atomic_block


def make_early(model: type[Model]) -> Builder | None:
    """Starts making the table's indexes again on another connection (PostgreSQL), the full-text
    index first (the longest), while the import goes on with other tables: the messages' while it
    writes the reactions, which come after every message in Stream's order. A write to the table
    meanwhile waits for them (CREATE INDEX locks out writers), and is then slower, not wrong."""
    if not _elsewhere():
        return None
    table = model._meta.db_table
    statements = [
        ddl
        for owner, name, ddl in pending()
        if owner == table and ddl.upper().startswith("CREATE INDEX") and not _present(owner, name)
    ]
    statements.sort(key=lambda ddl: " USING gin " not in ddl.lower())
    return Builder(statements) if statements else None


def put_back(early: Builder | None = None) -> float:
    """Makes again everything PENDING lists, then drops PENDING, in one transaction; returns the seconds.

    What `early` was making is waited for first. On PostgreSQL the inverted indexes left (GIN: the
    full-text index, half the time of all the others together) are built meanwhile on another
    connection: the other core is idle at this point.
    """
    started = time.monotonic()
    if early is not None and (failure := early.join()) is not None:
        logger.warning("import: indexes made early failed (%s); made now", failure)
    owed = [(table, name, ddl) for table, name, ddl in pending() if not _present(table, name)]
    if not _exists():
        return 0.0
    aside: Builder | None = None
    if _elsewhere():
        inverted = [ddl for _, _, ddl in owed if " USING gin " in ddl.lower()]
        owed = [row for row in owed if row[2] not in inverted]
        if inverted:
            aside = Builder(inverted)
    try:
        with transaction.atomic():
            if connection.vendor != "sqlite":
                # The sort of a million keys in memory rather than in temporary files (this transaction only).
                sql.execute(f"SET LOCAL maintenance_work_mem = '{_WORK_MEM}'")
            for table, name, ddl in owed:
                if aside is not None and ddl.startswith("ALTER"):  # a foreign key waits for CREATE INDEX
                    failure, aside = aside.join(), None
                    if failure is not None:
                        raise failure
                logger.debug("import: making %s of %s again", name, table)
                sql.execute(ddl)
            if aside is not None:
                failure, aside = aside.join(), None
                if failure is not None:
                    raise failure
            sql.execute(f"DROP TABLE {PENDING}")
    finally:
        if aside is not None:
            aside.join()
    return time.monotonic() - started


_WORK_MEM = "256MB"
