"""`manage.py generate_scale --teams N`: national-scale, seeded data for benchmarks (bench/).

Available only with DJANGO_SETTINGS_MODULE=bench.settings (as the Makefile's bench targets
set it): production settings do not install the `bench` app."""

import datetime as dt
import resource
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from bench.scale import PASSWORD, generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with N teams of realistic, seeded data (bulk COPY). "
        f"Every generated account has the password {PASSWORD!r}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--teams", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="Date the data is built around (default: today). Visits cover the previous "
            "calendar month and the current week.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        today = options["today"] or timezone.localdate()
        self.stdout.write(f"Generating {options['teams']} teams (seed {options['seed']}) ...")
        counts = generate(
            teams=options["teams"], seed=options["seed"], today=today, stdout=self.stdout
        )
        elapsed = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for label, count in sorted(counts.items()):
            self.stdout.write(f"  {label:32} {count:>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {sum(counts.values()):,} rows in {elapsed:.1f} s, "
                f"peak memory {peak_mb:.0f} MB."
            )
        )
