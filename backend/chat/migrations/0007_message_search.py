"""The full-text index of message texts (chat.search_index): FTS5 on SQLite, tsvector + GIN on PostgreSQL."""

from typing import Any

from django.db import migrations

from chat import search_index


def install(apps: Any, schema_editor: Any) -> None:
    search_index.install(schema_editor.connection)


def uninstall(apps: Any, schema_editor: Any) -> None:
    search_index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0006_channel_lists"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
