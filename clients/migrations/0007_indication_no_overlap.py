"""No two indications of one client for the same products overlap (issue 16, item 3).

PostgreSQL backstop: an exclusion constraint on (client, lower(products), daterange) through
btree_gist; skipped on SQLite (embedded mode), where `care_indication_add`'s check under the
client lock applies alone.

Existing data is reported, never changed:
- indications above settings.INDICATION_MAX_HOURS_PER_WEEK (the 168 h/week one accepted
  beside 4.5 h/week) are logged as a warning with their public ids and stay as they are: the
  database limit stays 168, the lower maximum is the service's, and the record page flags
  such an indication so the team corrects it with the insurer's decision in hand.
- overlapping indications: PostgreSQL cannot add an exclusion constraint NOT VALID, so when
  such rows exist this migration stops and lists them; a person decides which one ends when
  (ending one is an ordinary edit), then the migration runs again. Silently shortening a
  granted indication would change what is billed.
"""

import logging

from django.conf import settings
from django.db import migrations

from buurtzorg.migration_ops import PostgresOnlySQL

logger = logging.getLogger("clients.migrations")

OVERLAPS_SQL = """
SELECT a.public_id, b.public_id FROM clients_careindication a
JOIN clients_careindication b ON a.client_id = b.client_id AND a.id < b.id
 AND lower(a.products) = lower(b.products)
 AND a.valid_from <= COALESCE(b.valid_until, 'infinity'::date)
 AND b.valid_from <= COALESCE(a.valid_until, 'infinity'::date)
"""


def report_existing(apps, schema_editor):  # noqa: ANN001
    indication = apps.get_model("clients", "CareIndication")
    maximum = settings.INDICATION_MAX_HOURS_PER_WEEK
    for row in indication.objects.filter(hours_per_week__gt=maximum).values_list(
        "public_id", "hours_per_week"
    ):
        logger.warning(
            "Care indication %s grants %s h/week, above the maximum of %s: kept, flagged on "
            "the record; please check it.",
            *row,
            maximum,
        )
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(OVERLAPS_SQL)
        pairs = cursor.fetchall()
    if pairs:
        listing = "\n".join(f"  {a} overlaps {b}" for a, b in pairs)
        raise RuntimeError(
            "Overlapping care indications for the same products; end one of each pair, then "
            f"migrate again:\n{listing}"
        )


class Migration(migrations.Migration):
    dependencies = [("clients", "0006_admitted_after_birth")]

    operations = [
        # Created if missing, never dropped on the way back: other apps' constraints use it.
        PostgresOnlySQL(sql="CREATE EXTENSION IF NOT EXISTS btree_gist", reverse_sql=""),
        migrations.RunPython(report_existing, migrations.RunPython.noop),
        PostgresOnlySQL(
            sql=(
                "ALTER TABLE clients_careindication ADD CONSTRAINT careindication_no_overlap "
                "EXCLUDE USING gist (client_id WITH =, lower(products) WITH =, "
                "daterange(valid_from, valid_until, '[]') WITH &&)"
            ),
            reverse_sql="ALTER TABLE clients_careindication DROP CONSTRAINT careindication_no_overlap",
        ),
    ]
