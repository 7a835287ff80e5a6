"""PostgreSQL backstops for visits (skipped on SQLite, where the services' checks apply).

1. A nurse's booked visits never overlap: exclusion constraint on (nurse, planned range),
   for assigned, not cancelled, non-correction visits.
2. The stored planned end always equals start + planned minutes.
3. A billed visit is read-only: a trigger refuses UPDATE/DELETE of a visit whose billed_at is
   set, and any change to the service lines of such a visit. Corrections are new rows.
"""

from django.db import migrations

from buurtzorg.migration_ops import PostgresOnlySQL

TRIGGERS = """
CREATE OR REPLACE FUNCTION scheduling_visit_billed_read_only() RETURNS trigger AS $$
BEGIN
    IF OLD.billed_at IS NOT NULL THEN
        RAISE EXCEPTION 'visit_billed_read_only: visit % is billed and read-only', OLD.id
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER visit_billed_read_only BEFORE UPDATE OR DELETE ON scheduling_visit
    FOR EACH ROW EXECUTE FUNCTION scheduling_visit_billed_read_only();

CREATE OR REPLACE FUNCTION scheduling_visitservice_billed_read_only() RETURNS trigger AS $$
DECLARE
    vid bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN vid := OLD.visit_id; ELSE vid := NEW.visit_id; END IF;
    IF EXISTS (SELECT 1 FROM scheduling_visit WHERE id = vid AND billed_at IS NOT NULL)
       OR (TG_OP = 'UPDATE' AND EXISTS (
           SELECT 1 FROM scheduling_visit WHERE id = OLD.visit_id AND billed_at IS NOT NULL)) THEN
        RAISE EXCEPTION 'visit_billed_read_only: visit % is billed and read-only', vid
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER visitservice_billed_read_only BEFORE INSERT OR UPDATE OR DELETE
    ON scheduling_visitservice
    FOR EACH ROW EXECUTE FUNCTION scheduling_visitservice_billed_read_only();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS visitservice_billed_read_only ON scheduling_visitservice;
DROP FUNCTION IF EXISTS scheduling_visitservice_billed_read_only();
DROP TRIGGER IF EXISTS visit_billed_read_only ON scheduling_visit;
DROP FUNCTION IF EXISTS scheduling_visit_billed_read_only();
"""


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0003_visits")]

    operations = [
        PostgresOnlySQL(
            sql=(
                "ALTER TABLE scheduling_visit ADD CONSTRAINT visit_no_overlap "
                "EXCLUDE USING gist (nurse_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
                "WHERE (nurse_id IS NOT NULL AND corrects_id IS NULL AND status <> 'cancelled')"
            ),
            reverse_sql="ALTER TABLE scheduling_visit DROP CONSTRAINT visit_no_overlap",
        ),
        PostgresOnlySQL(
            sql=(
                "ALTER TABLE scheduling_visit ADD CONSTRAINT visit_end_is_start_plus_minutes "
                "CHECK (ends_at = starts_at + make_interval(mins => planned_minutes))"
            ),
            reverse_sql="ALTER TABLE scheduling_visit DROP CONSTRAINT visit_end_is_start_plus_minutes",
        ),
        PostgresOnlySQL(sql=TRIGGERS, reverse_sql=DROP_TRIGGERS),
    ]
