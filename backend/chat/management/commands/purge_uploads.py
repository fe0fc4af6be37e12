"""`manage.py purge_uploads [--every SECONDS]`: remove uploads no message attached within a day."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chat.services.uploads import purge_unattached


class Command(BaseCommand):
    help = (
        "Removes uploads (rows and files) that no message attached within"
        " JATTE_UNATTACHED_UPLOAD_SECONDS. `tools/dev backend` runs it as housekeeping, every hour."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="run again every this many seconds, until stopped (default: once)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            removed = purge_unattached()
            self.stdout.write(f"purge_uploads: removed {removed} unattached upload(s)")
            if not options["every"]:
                return
            time.sleep(options["every"])
