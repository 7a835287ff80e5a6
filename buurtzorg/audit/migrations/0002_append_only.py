"""Make the access log append-only at the database level (PostgreSQL only).

A trigger refuses UPDATE and DELETE of `audit_accessevent` rows, and a statement trigger
refuses TRUNCATE. Two deliberate, narrow exceptions, both off unless a session turns them on:

* `buurtzorg.audit_purge = on` (set with SET LOCAL by `manage.py audit_purge`) lets DELETE
  through only for rows older than 5 years: the trigger itself checks the age, so even the
  purge switch cannot remove a younger row (NEN 7513 asks for at least 5 years).
* `buurtzorg.audit_truncate = on` lets TRUNCATE through. Only the test settings set it (as a
  connection option) because Django empties tables between transactional tests that way.

SQLite (the embedded `make run` set-up) has no such triggers; this migration does nothing there.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION audit_accessevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('buurtzorg.audit_purge', true) = 'on'
       AND OLD.occurred_at < now() - interval '5 years' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_accessevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

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

DROP TRIGGER IF EXISTS audit_accessevent_append_only ON audit_accessevent;
CREATE TRIGGER audit_accessevent_append_only
    BEFORE UPDATE OR DELETE ON audit_accessevent
    FOR EACH ROW EXECUTE FUNCTION audit_accessevent_append_only();

DROP TRIGGER IF EXISTS audit_accessevent_no_truncate ON audit_accessevent;
CREATE TRIGGER audit_accessevent_no_truncate
    BEFORE TRUNCATE ON audit_accessevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accessevent_no_truncate();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS audit_accessevent_append_only ON audit_accessevent;
DROP TRIGGER IF EXISTS audit_accessevent_no_truncate ON audit_accessevent;
DROP FUNCTION IF EXISTS audit_accessevent_append_only();
DROP FUNCTION IF EXISTS audit_accessevent_no_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
