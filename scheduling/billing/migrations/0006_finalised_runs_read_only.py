"""A finalised billing run, its invoice lines and its files are read-only, by trigger.

Finalising sends the month to the insurers: from then on the run is evidence, whatever path
writes (the app, the shell, raw SQL as the app role). PostgreSQL refuses:

* DELETE of a finalised run, and any UPDATE of it except its kept pre-flight check
  (`preflight`, `preflight_at`, `updated_at`: "check again" still works); un-finalising is
  such an UPDATE;
* INSERT, UPDATE or DELETE of the lines and files of a finalised run, with one exception: the
  GDPR erasure past the fiscal retention may blank a line's BSN, policy number, date of birth
  and name, and change nothing else (scheduling/privacy/services.py).

Lines are written in bulk (COPY of ~300,000 rows a month), so the line and file triggers are
statement triggers over the transition tables: one join per statement, not one query per row.
SQLite (the embedded demo) has no such triggers; the services refuse there.
"""

from django.db import migrations

from buurtzorg.migration_ops import PostgresOnlySQL

TRIGGERS = r"""
CREATE OR REPLACE FUNCTION billing_billingrun_finalised_read_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'finalised' THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE'
       AND (to_jsonb(NEW) - ARRAY['preflight', 'preflight_at', 'updated_at'])
         = (to_jsonb(OLD) - ARRAY['preflight', 'preflight_at', 'updated_at']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'billing run % is finalised and read-only: % refused', OLD.id, TG_OP
        USING ERRCODE = 'check_violation';
END
$$;

DROP TRIGGER IF EXISTS billingrun_finalised_read_only ON billing_billingrun;
CREATE TRIGGER billingrun_finalised_read_only
    BEFORE UPDATE OR DELETE ON billing_billingrun
    FOR EACH ROW EXECUTE FUNCTION billing_billingrun_finalised_read_only();

-- Lines: INSERT and DELETE look at one transition table, UPDATE at both.
CREATE OR REPLACE FUNCTION billing_invoiceline_finalised_read_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    hit bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT r.id INTO hit FROM new_rows n JOIN billing_billingrun r ON r.id = n.run_id
        WHERE r.status = 'finalised' LIMIT 1;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT r.id INTO hit FROM old_rows o JOIN billing_billingrun r ON r.id = o.run_id
        WHERE r.status = 'finalised' LIMIT 1;
    ELSE
        SELECT r.id INTO hit
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        JOIN billing_billingrun r ON r.id IN (o.run_id, n.run_id)
        WHERE r.status = 'finalised'
          AND NOT (
              n.bsn = '' AND n.policy_number = '' AND n.date_of_birth IS NULL
              AND (to_jsonb(n) - ARRAY['bsn', 'policy_number', 'client_name', 'date_of_birth',
                                       'updated_at'])
                = (to_jsonb(o) - ARRAY['bsn', 'policy_number', 'client_name', 'date_of_birth',
                                       'updated_at']))
        LIMIT 1;
    END IF;
    IF hit IS NOT NULL THEN
        RAISE EXCEPTION 'billing run % is finalised: its invoice lines are read-only (% refused)',
            hit, TG_OP USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS invoiceline_finalised_insert ON billing_invoiceline;
CREATE TRIGGER invoiceline_finalised_insert AFTER INSERT ON billing_invoiceline
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION billing_invoiceline_finalised_read_only();
DROP TRIGGER IF EXISTS invoiceline_finalised_update ON billing_invoiceline;
CREATE TRIGGER invoiceline_finalised_update AFTER UPDATE ON billing_invoiceline
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION billing_invoiceline_finalised_read_only();
DROP TRIGGER IF EXISTS invoiceline_finalised_delete ON billing_invoiceline;
CREATE TRIGGER invoiceline_finalised_delete AFTER DELETE ON billing_invoiceline
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION billing_invoiceline_finalised_read_only();

CREATE OR REPLACE FUNCTION billing_runfile_finalised_read_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    hit bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT r.id INTO hit FROM new_rows n JOIN billing_billingrun r ON r.id = n.run_id
        WHERE r.status = 'finalised' LIMIT 1;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT r.id INTO hit FROM old_rows o JOIN billing_billingrun r ON r.id = o.run_id
        WHERE r.status = 'finalised' LIMIT 1;
    ELSE
        SELECT r.id INTO hit
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        JOIN billing_billingrun r ON r.id IN (o.run_id, n.run_id)
        WHERE r.status = 'finalised' LIMIT 1;
    END IF;
    IF hit IS NOT NULL THEN
        RAISE EXCEPTION 'billing run % is finalised: its files are read-only (% refused)',
            hit, TG_OP USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS runfile_finalised_insert ON billing_runfile;
CREATE TRIGGER runfile_finalised_insert AFTER INSERT ON billing_runfile
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION billing_runfile_finalised_read_only();
DROP TRIGGER IF EXISTS runfile_finalised_update ON billing_runfile;
CREATE TRIGGER runfile_finalised_update AFTER UPDATE ON billing_runfile
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION billing_runfile_finalised_read_only();
DROP TRIGGER IF EXISTS runfile_finalised_delete ON billing_runfile;
CREATE TRIGGER runfile_finalised_delete AFTER DELETE ON billing_runfile
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION billing_runfile_finalised_read_only();
"""

DROP = r"""
DROP TRIGGER IF EXISTS runfile_finalised_insert ON billing_runfile;
DROP TRIGGER IF EXISTS runfile_finalised_update ON billing_runfile;
DROP TRIGGER IF EXISTS runfile_finalised_delete ON billing_runfile;
DROP FUNCTION IF EXISTS billing_runfile_finalised_read_only();
DROP TRIGGER IF EXISTS invoiceline_finalised_insert ON billing_invoiceline;
DROP TRIGGER IF EXISTS invoiceline_finalised_update ON billing_invoiceline;
DROP TRIGGER IF EXISTS invoiceline_finalised_delete ON billing_invoiceline;
DROP FUNCTION IF EXISTS billing_invoiceline_finalised_read_only();
DROP TRIGGER IF EXISTS billingrun_finalised_read_only ON billing_billingrun;
DROP FUNCTION IF EXISTS billing_billingrun_finalised_read_only();
"""


class Migration(migrations.Migration):
    dependencies = [("billing", "0005_contract_tariff_record_who")]

    operations = [PostgresOnlySQL(sql=TRIGGERS, reverse_sql=DROP)]
