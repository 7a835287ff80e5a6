"""Indexes for the client list at 100,000+ clients (back office sees them all).

- (last_name, first_name, id): the list's order, so a page of 25 is an index range scan
  instead of a sort of the whole table.
- Trigram GIN indexes on UPPER(first_name / last_name / city / postcode): the search is
  `icontains` (UPPER(col) LIKE '%word%') on names and city and `istartswith` on the postcode;
  with one index per branch PostgreSQL combines them (BitmapOr) instead of scanning the
  table. PostgreSQL only (SQLite has no GIN); the search works the same without them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from buurtzorg.migration_ops import PostgresOnlySQL

TRIGRAM_COLUMNS = ("first_name", "last_name", "city", "postcode")


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_bsn_null_when_erased")]

    operations = [
        migrations.AddIndex(
            model_name="client",
            index=models.Index(fields=["last_name", "first_name", "id"], name="client_name_order"),
        ),
        TrigramExtension(),
        *[
            PostgresOnlySQL(
                sql=(
                    f"CREATE INDEX client_{column}_trgm ON clients_client "
                    f"USING gin (UPPER({column}::text) gin_trgm_ops)"
                ),
                reverse_sql=f"DROP INDEX client_{column}_trgm",
            )
            for column in TRIGRAM_COLUMNS
        ],
    ]
