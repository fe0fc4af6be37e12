"""`manage.py token USER_ID [--name NAME]`: print a token signed with the configured secret."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chat.auth import mint_token


class Command(BaseCommand):
    help = "Prints a Supabase-shaped access token for USER_ID, signed with SUPABASE_JWT_SECRET."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user_id")
        parser.add_argument("--name", default=None, help="display name (user_metadata.name)")
        parser.add_argument(
            "--ttl", type=int, default=24 * 3600, help="lifetime in seconds (default one day)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(mint_token(options["user_id"], options["name"], options["ttl"]))
