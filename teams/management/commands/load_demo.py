"""Load demo data. Idempotent: running it twice changes nothing the second time.

Each app may ship `<app>/demo.py` with a `load(stdout)` function; they run in INSTALLED_APPS
order, so clients come after teams and scheduling after clients.

The demo has an administrator (a Django superuser) whose password is printed in README.md,
and clients with BSNs, so it runs only where DEBUG is on (`make run`): a production install
never has a known password (issue 21). Create the first administrator there with
`manage.py createsuperuser`.
"""

import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

DEMO_REFUSED_WITHOUT_DEBUG = _(
    "Refusing to load demo data with DEBUG off: the demo accounts share a published password. "
    "Demo data is for development (make run). On a real install, create the first "
    "administrator with: manage.py createsuperuser"
)


class Command(BaseCommand):
    help = "Load the demo neighbourhoods, teams, accounts and (per app) demo records."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(str(DEMO_REFUSED_WITHOUT_DEBUG))
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
