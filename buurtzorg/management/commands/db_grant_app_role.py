"""`manage.py db_grant_app_role <role>`: create the app's database role and grant it what the
app needs, nothing more (see buurtzorg/dbroles.py). Runs as the owner (DATABASE_OWNER_URL when
set); `migrate` runs it itself afterwards when the owner alias is in use."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from buurtzorg.dbroles import NOT_POSTGRES, grant_app_role, owner_connection


class Command(BaseCommand):
    help = "Create the app's database role (if missing) and give it only the grants it needs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role DATABASE_URL connects as")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = owner_connection()
        if connection.vendor != "postgresql":
            self.stdout.write(NOT_POSTGRES)
            return
        try:
            with transaction.atomic(using=connection.alias):
                statements = grant_app_role(role=options["role"], connection=connection)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for statement in statements:
            self.stdout.write(statement)
