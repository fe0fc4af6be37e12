"""`manage.py import_stream FILE [--mode insert|upsert] [--dry-run] [--fetch-attachments]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chat.importing.importer import MODES, run_import


class Command(BaseCommand):
    help = (
        "Imports a Stream export: the import format (JSON Lines, or the legacy JSON array) or a "
        "channel export (v1), detected from the file. Running it again changes nothing; a run "
        "stopped half-way completes when run again. Exits 1 when any record failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--mode",
            choices=MODES,
            default="insert",
            help="insert (default): a stored id with different content fails; upsert: it is overwritten",
        )
        parser.add_argument("--dry-run", action="store_true", help="check every record, write nothing")
        parser.add_argument(
            "--fetch-attachments",
            action="store_true",
            help="download attachment files into Jatte's storage (Stream's URLs expire)",
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=None,
            help="records per transaction (default 2000, or 10000 for a large import into a table it outgrows)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        extra = {"batch": options["batch"]} if options["batch"] else {}
        try:
            report = run_import(
                path,
                mode=options["mode"],
                dry_run=options["dry_run"],
                fetch_attachments=options["fetch_attachments"],
                # the stream under Django's wrapper: tqdm redraws its line with \r, which the wrapper would end
                err=getattr(self.stderr, "_out", sys.stderr),
                **extra,
            )
        except KeyboardInterrupt:
            raise CommandError(
                "stopped: what was written is kept; run the same command again to complete it"
            ) from None
        self.stdout.write(report.table())
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        for timing in report.timings:
            self.stderr.write(f"import: {timing}")
        if report.failed_total:
            raise CommandError(
                f"{report.failed_total:,} records failed (each is listed above with its line)", returncode=1
            )
