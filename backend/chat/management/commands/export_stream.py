"""`manage.py export_stream [--channel CID ...] [--since TIME] > FILE.jsonl`."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime

from chat.importing.exporter import export_lines


def _moment(text: str) -> datetime:
    moment = parse_datetime(text)
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"{text!r} is not an ISO 8601 time with its offset (e.g. 2024-01-31T00:00:00Z)")
    return moment


class Command(BaseCommand):
    help = (
        "Writes users, channels, members, messages and reactions to stdout in Stream's import format "
        "(JSON Lines), streaming; `import_stream` on an empty database reproduces them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--channel",
            action="append",
            dest="channels",
            metavar="CID",
            help="only this channel (repeatable)",
        )
        parser.add_argument(
            "--since", metavar="TIME", help="only messages and reactions created or changed from TIME on"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            since = _moment(options["since"]) if options["since"] else None
        except ValueError as bad:
            raise CommandError(str(bad)) from None
        out = sys.stdout
        try:
            for line in export_lines(options["channels"], since):
                out.write(line)
        except LookupError as missing:
            raise CommandError(str(missing)) from None
        out.flush()
