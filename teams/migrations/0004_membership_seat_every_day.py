"""A seat holds one nurse on every day, not only among memberships without an end date.

The partial unique (team, seat) WHERE ended_on IS NULL let a membership with a future end free
its seat at once: a 13th nurse took it and both were "member on" every day until that end. On
PostgreSQL an exclusion constraint now refuses two memberships of one team and seat whose days
(started_on to ended_on, both included; no end = open) overlap. Existing rows that break the
rule are reported by name before the constraint is added, so nothing is changed silently.
SQLite (the embedded demo) keeps only the partial unique constraint; the service checks the
days there too.
"""

from django.db import migrations

from buurtzorg.migration_ops import PostgresOnlySQL

CHECK_EXISTING = r"""
DO $$
DECLARE
    clash record;
BEGIN
    SELECT a.team_id, a.seat, a.nurse_id AS first, b.nurse_id AS second INTO clash
    FROM teams_membership a JOIN teams_membership b
      ON a.team_id = b.team_id AND a.seat = b.seat AND a.id < b.id
     AND daterange(a.started_on, a.ended_on, '[]') && daterange(b.started_on, b.ended_on, '[]')
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'membership_seat_one_nurse_each_day: team % seat % is held by users % '
            'and % on the same days; end one of those memberships earlier first',
            clash.team_id, clash.seat, clash.first, clash.second;
    END IF;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("teams", "0003_dutch_names")]

    operations = [
        PostgresOnlySQL(sql="CREATE EXTENSION IF NOT EXISTS btree_gist", reverse_sql=""),
        PostgresOnlySQL(sql=CHECK_EXISTING, reverse_sql=""),
        PostgresOnlySQL(
            sql=(
                "ALTER TABLE teams_membership ADD CONSTRAINT membership_seat_one_nurse_each_day "
                "EXCLUDE USING gist (team_id WITH =, seat WITH =, "
                "daterange(started_on, ended_on, '[]') WITH &&)"
            ),
            reverse_sql=(
                "ALTER TABLE teams_membership DROP CONSTRAINT membership_seat_one_nurse_each_day"
            ),
        ),
    ]
