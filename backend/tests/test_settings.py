"""Configuration from DATABASE_URL."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from jatte.settings import database_from_url


def test_database_url_sqlite_absolute_path_uses_wal_and_immediate_transactions() -> None:
    db = database_from_url("sqlite:////srv/jatte/chat.sqlite3")
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == "/srv/jatte/chat.sqlite3"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_postgres_splits_credentials() -> None:
    db = database_from_url("postgres://chat:s%40cret@db.internal:6543/jatte")
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "jatte",
        "chat",
        "s@cret",
        "db.internal",
        "6543",
    )


@pytest.mark.parametrize("url", ["mysql://x/y", "sqlite://relative.db"])
def test_database_url_unsupported_is_named(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url)
