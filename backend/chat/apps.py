from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _repair_search_index(using: str = "default", **kwargs: Any) -> None:
    """A SQLite table rebuild by a later migration drops the index's triggers: put them back."""
    from django.db import connections

    from chat import search_index

    search_index.repair(connections[using])


class ChatConfig(AppConfig):
    name = "chat"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_repair_search_index, sender=self)
