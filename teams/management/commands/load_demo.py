"""Load demo data. Idempotent: running it twice changes nothing the second time.

Each app may ship `<app>/demo.py` with a `load(stdout)` function; they run in INSTALLED_APPS
order, so clients come after teams and scheduling after clients.
"""

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo neighbourhoods, teams, accounts and (per app) demo records."

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
