from typing import Any

from django.core.management.base import BaseCommand

from buurtzorg.audit.services import audit_purge_expired, retention_years


class Command(BaseCommand):
    help = (
        "Drop the access log's months older than the retention (AUDIT_LOG_RETENTION_YEARS, at "
        "least 5 years): whole partitions are detached and dropped, no row is deleted."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        dropped = audit_purge_expired()
        for name in dropped:
            self.stdout.write(f"Dropped {name}")
        self.stdout.write(
            f"{len(dropped)} dropped; the access log keeps {retention_years()} years."
        )
