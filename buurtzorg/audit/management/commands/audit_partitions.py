from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from buurtzorg.audit.services import audit_partitions_make_ahead, audit_purge_expired


class Command(BaseCommand):
    help = (
        "What beat runs every night: make the access log's monthly partitions ahead, then drop "
        "the months past the retention (use --no-purge to only make partitions)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--ahead",
            type=int,
            default=settings.AUDIT_LOG_PARTITIONS_AHEAD,
            help="months after this one to have partitions for (default: %(default)s)",
        )
        parser.add_argument("--no-purge", action="store_true", help="do not drop old months")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in audit_partitions_make_ahead(months_ahead=options["ahead"]):
            self.stdout.write(f"Made {name}")
        if not options["no_purge"]:
            for name in audit_purge_expired():
                self.stdout.write(f"Dropped {name}")
        self.stdout.write("Access log partitions are in order.")
