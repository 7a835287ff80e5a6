"""Load (or refresh) the Omaha System vocabulary. Idempotent; the migration runs it too."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from omaha.vocabulary import load_vocabulary


class Command(BaseCommand):
    help = "Load the Omaha System vocabulary (2005) from omaha/data/*.json. Safe to rerun."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = load_vocabulary()
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Omaha vocabulary ready: {summary}."))
