"""PostgreSQL backstop: a nurse's shifts never overlap (exclusion constraint on a time range).

btree_gist lets the GiST index combine `nurse_id WITH =` with the range overlap operator.
Both steps are skipped on SQLite (embedded mode), where the service's own check applies.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from buurtzorg.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        PostgresOnlySQL(
            sql=(
                "ALTER TABLE scheduling_shift ADD CONSTRAINT shift_no_overlap "
                "EXCLUDE USING gist (nurse_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)"
            ),
            reverse_sql="ALTER TABLE scheduling_shift DROP CONSTRAINT shift_no_overlap",
        ),
    ]
