"""The TRUNCATE switch of the access log is honoured only for the table's owner (or a superuser).

Before, any session could `SET LOCAL buurtzorg.audit_truncate = on` and empty the log. The app
role has no TRUNCATE privilege anyway (buurtzorg/dbroles.py); this makes the trigger hold the
rule by itself too, for a role that was granted TRUNCATE by mistake. The test suite connects as
the superuser that owns the test database, so Django can still empty tables between
transactional tests there. PostgreSQL only.
"""

from django.db import migrations

from buurtzorg.migration_ops import PostgresOnlySQL

OWNER_ONLY = r"""
CREATE OR REPLACE FUNCTION audit_accessevent_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('buurtzorg.audit_truncate', true) = 'on'
       AND EXISTS (SELECT 1 FROM pg_class c
                   WHERE c.oid = TG_RELID AND pg_has_role(current_user, c.relowner, 'USAGE')) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_accessevent is append-only: TRUNCATE refused'
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

ANYONE = r"""
CREATE OR REPLACE FUNCTION audit_accessevent_no_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('buurtzorg.audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_accessevent is append-only: TRUNCATE refused'
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_access_log_username_index")]

    operations = [PostgresOnlySQL(sql=OWNER_ONLY, reverse_sql=ANYONE)]
