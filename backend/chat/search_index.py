"""The full-text index of message texts, one per database, kept in step by the database itself.

- SQLite: an FTS5 table over `chat_message.text` with external content (the text is stored once,
  in chat_message; the index holds only the terms), kept in step by three triggers: a message
  inserted is indexed, one whose text changes (an edit, a soft delete emptying it) is indexed
  again, one deleted leaves the index.
- PostgreSQL: a stored generated `tsvector` column (`to_tsvector('simple', text)`), with a GIN
  index on it: PostgreSQL itself keeps it in step with every insert and update.

Both use no stemming and no stop words (the `simple` configuration, FTS5's unicode61 tokenizer), so
a word matches the same way on either database, in any language. chat.services.search queries it.

Django rebuilds a SQLite table for most schema changes (a new table, the rows copied, the old one
dropped), which drops its triggers: `repair` (run after every migrate, chat.apps) puts back any that
are missing and rebuilds the index from the stored texts.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FTS_TABLE", "PG_COLUMN", "install", "repair", "uninstall"]

FTS_TABLE = "chat_message_fts"
PG_COLUMN = "search_vector"
PG_INDEX = "chat_message_search"
_SQLITE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "text, content='chat_message', content_rowid='seq', tokenize='unicode61')"
)
_SQLITE_TRIGGERS = {
    f"{FTS_TABLE}_insert": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON chat_message BEGIN"
        f" INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.seq, new.text); END"
    ),
    f"{FTS_TABLE}_delete": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON chat_message BEGIN"
        f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.seq, old.text); END"
    ),
    f"{FTS_TABLE}_update": (
        f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF text ON chat_message BEGIN"
        f" INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text) VALUES ('delete', old.seq, old.text);"
        f" INSERT INTO {FTS_TABLE}(rowid, text) VALUES (new.seq, new.text); END"
    ),
}
_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
_PG_INSTALL = (
    f"ALTER TABLE chat_message ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED",
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON chat_message USING GIN ({PG_COLUMN})",
)


def install(connection: Any) -> None:
    """Creates the index on this database (if it is not there) and fills it from the stored texts."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(_SQLITE_TABLE)
            for statement in _SQLITE_TRIGGERS.values():
                cursor.execute(statement)
            cursor.execute(_REBUILD)
        elif connection.vendor == "postgresql":
            for statement in _PG_INSTALL:
                cursor.execute(statement)


def uninstall(connection: Any) -> None:
    """Drops the index (the migration's reverse)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
            cursor.execute(f"ALTER TABLE chat_message DROP COLUMN IF EXISTS {PG_COLUMN}")


def repair(connection: Any) -> bool:
    """On SQLite, puts back triggers a table rebuild dropped and rebuilds the index; True if it did."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, type FROM sqlite_master WHERE name LIKE %s", [f"{FTS_TABLE}%"])
        found = {name for name, kind in cursor.fetchall() if kind in ("table", "trigger")}
    if FTS_TABLE not in found or set(_SQLITE_TRIGGERS) <= found:
        return False  # not installed (an older schema), or whole
    install(connection)
    return True
