"""`migrate` runs as the database owner when DATABASE_OWNER_URL is set, then grants the app role.

Why the default connection is pointed at the owner rather than `migrate --database owner`:
data migrations use the default manager (`Model.objects`) without `.using()`, and on a second
connection they would wait for, or miss, the tables the owner's transaction is creating. So for
this one process the default alias *is* the owner; every other process (web, worker, beat)
connects as the app role and owns nothing.
"""

from typing import Any

from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from buurtzorg.dbroles import OWNER_ALIAS, grant_app_role

CONNECTION_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")


class Command(MigrateCommand):
    help = MigrateCommand.help + " Runs as DATABASE_OWNER_URL's role when that is set."

    def handle(self, *args: Any, **options: Any) -> None:
        owner = settings.DATABASES.get(OWNER_ALIAS)
        if owner is None or options["database"] not in (DEFAULT_DB_ALIAS, OWNER_ALIAS):
            super().handle(*args, **options)
            return
        default = connections[DEFAULT_DB_ALIAS]
        app_role = default.settings_dict["USER"]
        default.close()
        for key in CONNECTION_KEYS:
            if key in owner:
                default.settings_dict[key] = owner[key]
        options["database"] = DEFAULT_DB_ALIAS
        super().handle(*args, **options)
        if default.vendor == "postgresql" and app_role and app_role != owner.get("USER"):
            with transaction.atomic(using=DEFAULT_DB_ALIAS):
                grant_app_role(role=app_role, connection=default)
            if options["verbosity"] >= 1:
                self.stdout.write(f"Granted the app role {app_role} its privileges.")
