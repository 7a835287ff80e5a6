from typing import Any

from django.core.management.base import BaseCommand

from buurtzorg.audit.services import RETENTION_YEARS, audit_purge_expired


class Command(BaseCommand):
    help = f"Delete access-log rows older than {RETENTION_YEARS} years (and nothing younger)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = audit_purge_expired()
        self.stdout.write(f"Deleted {deleted} access-log rows older than {RETENTION_YEARS} years.")
