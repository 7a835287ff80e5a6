"""The access log becomes a table partitioned by month (issue 22, item 5). PostgreSQL only.

At national scale the log grows by about a million rows a day and is kept 5 years; purging
it with DELETE would rewrite and bloat one huge table. Partitioned by month on `occurred_at`
(UTC month boundaries), retention is dropping whole partitions, and a lookup names only the
partitions it needs.

What this migration does, in one transaction under an exclusive lock on the table:

* renames the old table aside, creates `audit_accessevent` PARTITION BY RANGE (occurred_at)
  with the same columns, a primary key (id, occurred_at) (a partitioned table's unique keys
  must include the partition key; ids stay unique in practice: they come from one sequence,
  which keeps counting where the old identity column stopped), and the same indexes under
  the same names (so later Django index operations still find them);
* one partition per month from the oldest row's month to 3 months ahead, plus a DEFAULT
  partition for anything outside those (normally empty);
* moves the rows, drops the old table;
* the append-only row trigger goes on the parent, from where PostgreSQL clones it onto every
  partition, also later ones; the TRUNCATE statement trigger is not cloned, so each
  partition gets its own. The trigger now refuses every DELETE: the purge switch of
  migration 0002 is gone, since retention drops partitions (DROP TABLE fires no row trigger);
* functions the app role may call (SECURITY DEFINER, owned by the migration role, fixed
  search_path), so beat can keep the partitions without connecting as the owner:
  `audit_accessevent_partitions_ensure(months_ahead)` makes this month's and the next
  months' partitions, and `audit_accessevent_partitions_drop_expired(retention_years)`
  detaches and drops month partitions that lie wholly before now minus the retention, which
  it refuses below 5 years (NEN 7513). Rows that landed in the DEFAULT partition are never
  deleted either: the partition is detached, replaced by an empty one, the rows to keep are
  routed through the parent again, and the old one is dropped.

SQLite (the embedded `make run` set-up) keeps the plain table; nothing happens there.
"""

from django.db import migrations

from buurtzorg.migration_ops import PostgresOnlySQL

OLD_INDEXES = (
    "audit_accessevent_occurred_at_3fa75ccb",
    "audit_client_time",
    "audit_user_time",
    "audit_username_time",
)

CREATE_INDEXES = r"""
CREATE INDEX audit_accessevent_occurred_at_3fa75ccb ON audit_accessevent (occurred_at);
CREATE INDEX audit_client_time ON audit_accessevent (client_public_id, occurred_at DESC);
CREATE INDEX audit_user_time ON audit_accessevent (user_id, occurred_at DESC);
CREATE INDEX audit_username_time ON audit_accessevent (UPPER(username::text), occurred_at DESC);
"""

REFUSE_ALL = r"""
CREATE OR REPLACE FUNCTION audit_accessevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_accessevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

# Migration 0002's version, for the way back.
PURGE_SWITCH = r"""
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
"""

FUNCTIONS = r"""
-- A new partition of the access log: its own TRUNCATE trigger (statement triggers are not
-- cloned) and no UPDATE/DELETE/TRUNCATE grant for anyone but the owner (the owner's default
-- privileges would give the app role UPDATE and DELETE on a table it makes).
CREATE OR REPLACE FUNCTION audit_accessevent_protect(part regclass) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    grantee_name text;
BEGIN
    EXECUTE format(
        'CREATE TRIGGER audit_accessevent_no_truncate BEFORE TRUNCATE ON %s '
        'FOR EACH STATEMENT EXECUTE FUNCTION audit_accessevent_no_truncate()', part);
    FOR grantee_name IN
        SELECT DISTINCT r.rolname
        FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
        JOIN pg_roles r ON r.oid = a.grantee
        WHERE c.oid = part AND a.grantee <> c.relowner
          AND a.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES')
    LOOP
        EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON %s FROM %I',
                       part, grantee_name);
    END LOOP;
END
$$;

-- Replace the DEFAULT partition by an empty one without deleting a row: detach it, attach
-- a new one, route the rows from `keep_from` on through the parent again (into a month's
-- partition where there is one now), drop the old one. Returns how many rows were dropped.
-- (Two steps, so a new month's partition can be made in between.)
CREATE OR REPLACE FUNCTION audit_accessevent_default_replace() RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    ALTER TABLE audit_accessevent DETACH PARTITION audit_accessevent_default;
    ALTER TABLE audit_accessevent_default RENAME TO audit_accessevent_default_replaced;
    CREATE TABLE audit_accessevent_default PARTITION OF audit_accessevent DEFAULT;
    PERFORM audit_accessevent_protect('audit_accessevent_default'::regclass);
END
$$;

CREATE OR REPLACE FUNCTION audit_accessevent_default_refill(keep_from timestamptz)
RETURNS bigint LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    dropped bigint;
BEGIN
    INSERT INTO audit_accessevent
        SELECT * FROM audit_accessevent_default_replaced WHERE occurred_at >= keep_from;
    SELECT count(*) INTO dropped
        FROM audit_accessevent_default_replaced WHERE occurred_at < keep_from;
    DROP TABLE audit_accessevent_default_replaced;
    RETURN dropped;
END
$$;

-- The partition of the month that holds `month_start` (UTC), made if missing; true if made.
CREATE OR REPLACE FUNCTION audit_accessevent_partition_make(month_start date) RETURNS boolean
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    lo timestamptz := date_trunc('month', month_start::timestamp) AT TIME ZONE 'UTC';
    hi timestamptz := (date_trunc('month', month_start::timestamp) + interval '1 month')
                      AT TIME ZONE 'UTC';
    part_name text := 'audit_accessevent_' || to_char(month_start, '"y"YYYY"m"MM');
    waiting boolean;
BEGIN
    IF to_regclass(part_name) IS NOT NULL THEN
        RETURN false;
    END IF;
    -- PostgreSQL refuses a new partition while the DEFAULT one holds rows of its range.
    waiting := EXISTS (SELECT 1 FROM audit_accessevent_default
                       WHERE occurred_at >= lo AND occurred_at < hi);
    IF waiting THEN
        PERFORM audit_accessevent_default_replace();
    END IF;
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_accessevent FOR VALUES FROM (%L) TO (%L)',
                   part_name, lo, hi);
    PERFORM audit_accessevent_protect(part_name::regclass);
    IF waiting THEN
        PERFORM audit_accessevent_default_refill('-infinity');
    END IF;
    RETURN true;
END
$$;

-- Beat's job: this month's partition and the next `months_ahead` ones; returns those made.
CREATE OR REPLACE FUNCTION audit_accessevent_partitions_ensure(months_ahead integer)
RETURNS SETOF text LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    this_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    made date;
BEGIN
    IF months_ahead IS NULL OR months_ahead < 0 OR months_ahead > 24 THEN
        RAISE EXCEPTION 'months_ahead must be 0..24, not %', months_ahead
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR i IN 0..months_ahead LOOP
        made := (this_month + make_interval(months => i))::date;
        IF audit_accessevent_partition_make(made) THEN
            RETURN NEXT 'audit_accessevent_' || to_char(made, '"y"YYYY"m"MM');
        END IF;
    END LOOP;
END
$$;

-- Retention: detach and drop every month partition that ends before now - retention_years
-- (never below 5 years), and drop the DEFAULT partition's rows that old the same way
-- (replace it, keep the younger rows). Returns what was dropped. No DELETE anywhere.
CREATE OR REPLACE FUNCTION audit_accessevent_partitions_drop_expired(retention_years integer)
RETURNS SETOF text LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    cutoff timestamptz;
    part record;
    dropped bigint;
BEGIN
    IF retention_years IS NULL OR retention_years < 5 THEN
        RAISE EXCEPTION 'the access log is kept at least 5 years, not %', retention_years
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    cutoff := now() - make_interval(years => retention_years);
    FOR part IN
        SELECT c.relname AS name
        FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'audit_accessevent'::regclass
          AND c.relname ~ '^audit_accessevent_y[0-9]{4}m[0-9]{2}$'
          AND (to_date(right(c.relname, 8), '"y"YYYY"m"MM') + interval '1 month')::timestamp
              AT TIME ZONE 'UTC' <= cutoff
        ORDER BY c.relname
    LOOP
        EXECUTE format('ALTER TABLE audit_accessevent DETACH PARTITION %I', part.name);
        EXECUTE format('DROP TABLE %I', part.name);
        RETURN NEXT part.name;
    END LOOP;
    IF EXISTS (SELECT 1 FROM audit_accessevent_default WHERE occurred_at < cutoff) THEN
        PERFORM audit_accessevent_default_replace();
        dropped := audit_accessevent_default_refill(cutoff);
        RETURN NEXT format('audit_accessevent_default (%s rows)', dropped);
    END IF;
END
$$;

REVOKE ALL ON FUNCTION audit_accessevent_protect(regclass) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_accessevent_default_replace() FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_accessevent_default_refill(timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_accessevent_partition_make(date) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_accessevent_partitions_ensure(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_accessevent_partitions_drop_expired(integer) FROM PUBLIC;
"""

PARTITION = (
    r"""
LOCK TABLE audit_accessevent IN ACCESS EXCLUSIVE MODE;
ALTER TABLE audit_accessevent RENAME TO audit_accessevent_unpartitioned;
ALTER TABLE audit_accessevent_unpartitioned
    RENAME CONSTRAINT audit_accessevent_pkey TO audit_accessevent_unpartitioned_pkey;
"""
    + "".join(f"DROP INDEX IF EXISTS {name};\n" for name in OLD_INDEXES)
    + FUNCTIONS
    + REFUSE_ALL
    + r"""
DO $$
DECLARE
    identity_seq text := pg_get_serial_sequence('audit_accessevent_unpartitioned', 'id');
    next_id bigint;
    seq_next bigint;
    first_month timestamp;
    each_month timestamp;
BEGIN
    SELECT coalesce(max(id), 0) + 1,
           date_trunc('month', coalesce(min(occurred_at), now()) AT TIME ZONE 'UTC')
        INTO next_id, first_month FROM audit_accessevent_unpartitioned;
    IF identity_seq IS NOT NULL THEN
        EXECUTE format('SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END '
                       'FROM %s', identity_seq) INTO seq_next;
        next_id := greatest(next_id, seq_next);
        ALTER TABLE audit_accessevent_unpartitioned ALTER COLUMN id DROP IDENTITY IF EXISTS;
    END IF;

    CREATE TABLE audit_accessevent (
        LIKE audit_accessevent_unpartitioned
            INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMMENTS,
        CONSTRAINT audit_accessevent_pkey PRIMARY KEY (id, occurred_at)
    ) PARTITION BY RANGE (occurred_at);
    CREATE SEQUENCE audit_accessevent_id_seq OWNED BY audit_accessevent.id;
    PERFORM setval('audit_accessevent_id_seq', next_id, false);
    ALTER TABLE audit_accessevent
        ALTER COLUMN id SET DEFAULT nextval('audit_accessevent_id_seq'::regclass);

    CREATE TABLE audit_accessevent_default PARTITION OF audit_accessevent DEFAULT;
    PERFORM audit_accessevent_protect('audit_accessevent_default'::regclass);
    FOR each_month IN
        SELECT generate_series(first_month,
                               date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months',
                               interval '1 month')
    LOOP
        PERFORM audit_accessevent_partition_make(each_month::date);
    END LOOP;

    INSERT INTO audit_accessevent SELECT * FROM audit_accessevent_unpartitioned;
    DROP TABLE audit_accessevent_unpartitioned;
END
$$;
"""
    + CREATE_INDEXES
    + r"""
CREATE TRIGGER audit_accessevent_append_only
    BEFORE UPDATE OR DELETE ON audit_accessevent
    FOR EACH ROW EXECUTE FUNCTION audit_accessevent_append_only();
CREATE TRIGGER audit_accessevent_no_truncate
    BEFORE TRUNCATE ON audit_accessevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accessevent_no_truncate();
ANALYZE audit_accessevent;
"""
)

UNPARTITION = (
    r"""
LOCK TABLE audit_accessevent IN ACCESS EXCLUSIVE MODE;
ALTER TABLE audit_accessevent RENAME TO audit_accessevent_partitioned;
ALTER TABLE audit_accessevent_partitioned
    RENAME CONSTRAINT audit_accessevent_pkey TO audit_accessevent_partitioned_pkey;
"""
    + "".join(f"DROP INDEX IF EXISTS {name};\n" for name in OLD_INDEXES)
    + r"""
DO $$
DECLARE
    next_id bigint;
BEGIN
    SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END INTO next_id
        FROM audit_accessevent_id_seq;
    ALTER TABLE audit_accessevent_partitioned ALTER COLUMN id DROP DEFAULT;
    DROP SEQUENCE audit_accessevent_id_seq;
    CREATE TABLE audit_accessevent (
        LIKE audit_accessevent_partitioned
            INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMMENTS,
        CONSTRAINT audit_accessevent_pkey PRIMARY KEY (id)
    );
    ALTER TABLE audit_accessevent ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY;
    PERFORM setval(pg_get_serial_sequence('audit_accessevent', 'id'), next_id, false);
    INSERT INTO audit_accessevent SELECT * FROM audit_accessevent_partitioned;
    DROP TABLE audit_accessevent_partitioned;
END
$$;
DROP FUNCTION audit_accessevent_partitions_drop_expired(integer);
DROP FUNCTION audit_accessevent_partitions_ensure(integer);
DROP FUNCTION audit_accessevent_partition_make(date);
DROP FUNCTION audit_accessevent_default_refill(timestamptz);
DROP FUNCTION audit_accessevent_default_replace();
DROP FUNCTION audit_accessevent_protect(regclass);
"""
    + CREATE_INDEXES
    + PURGE_SWITCH
    + r"""
CREATE TRIGGER audit_accessevent_append_only
    BEFORE UPDATE OR DELETE ON audit_accessevent
    FOR EACH ROW EXECUTE FUNCTION audit_accessevent_append_only();
CREATE TRIGGER audit_accessevent_no_truncate
    BEFORE TRUNCATE ON audit_accessevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_accessevent_no_truncate();
"""
)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_truncate_switch_owner_only")]

    operations = [PostgresOnlySQL(sql=PARTITION, reverse_sql=UNPARTITION)]
