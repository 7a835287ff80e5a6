"""Fill the daily team summary for a range of days (after an import, or to back-fill)."""

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from coaching.summary import end_of_week, team_days_refresh


class Command(BaseCommand):
    help = "Recompute coaching's per-team daily summary (TeamDay) for the last --days days."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--days", type=int, default=90, help="how many days back (90)")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["today"] or timezone.localdate()
        first = today - dt.timedelta(days=options["days"])
        yesterday = today - dt.timedelta(days=1)
        rows = team_days_refresh(
            first=first, last=end_of_week(today), state_on=[yesterday, today], today=today
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics for the pages' plans
                cursor.execute('ANALYZE "coaching_teamday"')
        self.stdout.write(f"{rows} team days written ({first} to {end_of_week(today)}).")
