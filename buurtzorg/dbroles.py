"""The app's database role and its grants (PostgreSQL).

Migrations run as the role that owns the tables; the web app, the Celery worker and beat
connect as a separate role that owns nothing. Ownership is what lets a role ALTER TABLE ...
DISABLE TRIGGER, so the app role can never switch off the append-only, billed-visit or
finalised-run triggers. On top of that:

* normal tables: SELECT, INSERT, UPDATE, DELETE (never TRUNCATE, REFERENCES or TRIGGER);
* append-only tables, the access log (and each of its monthly partitions) and the change
  history: SELECT and INSERT only;
* sequences: USAGE and SELECT (inserting rows);
* default privileges, so tables a later migration creates follow the same rule (the grant is
  run again after every `migrate`, which also takes UPDATE/DELETE off a new history table).

The one way the app changes history rows is the GDPR erasure, through the SECURITY DEFINER
function `history_erase_client` that the history migration creates (it runs as the owner and
deletes only that client's snapshots); the role gets EXECUTE on it.
"""

from collections.abc import Iterable

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

OWNER_ALIAS = "owner"
APP_ROLE_IS_PRIVILEGED = (
    "Role {role} is a superuser or owns tables here: the app role must be a plain role."
)
NOT_POSTGRES = "Database roles exist only on PostgreSQL; nothing to grant."

# The tables the app may only read and append to: (app label, model name or None for every
# model of the app).
APPEND_ONLY_MODELS: tuple[tuple[str, str | None], ...] = (
    ("audit", "AccessEvent"),
    ("history", None),
)
# Functions owned by the owner that the app role may call (SECURITY DEFINER).
# The access log's partitions are made and dropped through two of them (audit migration 0006),
# so beat's worker needs no owner connection.
APP_FUNCTIONS = (
    "history_erase_client(bigint, bigint[])",
    "audit_accessevent_partitions_ensure(integer)",
    "audit_accessevent_partitions_drop_expired(integer)",
)


def append_only_tables() -> list[str]:
    tables: list[str] = []
    for label, model_name in APPEND_ONLY_MODELS:
        if label not in {config.label for config in apps.get_app_configs()}:
            continue
        config = apps.get_app_config(label)
        models = [config.get_model(model_name)] if model_name else config.get_models()
        tables.extend(
            model._meta.db_table
            for model in models
            if model._meta.managed and not model._meta.proxy
        )
    return sorted(set(tables))


def owner_connection() -> BaseDatabaseWrapper:
    """The owner's connection when DATABASE_OWNER_URL is set, else the default one."""
    return connections[OWNER_ALIAS if OWNER_ALIAS in connections else DEFAULT_DB_ALIAS]


def _existing(cursor: object, names: Iterable[str]) -> list[str]:
    return [name for name in names if _regclass(cursor, name)]


def _regclass(cursor: object, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])  # type: ignore[attr-defined]
    return bool(cursor.fetchone()[0])  # type: ignore[attr-defined]


def grant_app_role(*, role: str, connection: BaseDatabaseWrapper, create: bool = True) -> list[str]:
    """Create `role` if missing and give it exactly the app's grants; returns the statements.

    Run by the role that owns the tables (the migration role). Idempotent: it first takes
    every table privilege away and then grants the list above, so running it again after a
    migration fixes what a new table got from the default privileges.
    """
    if connection.vendor != "postgresql":
        return []
    q = connection.ops.quote_name
    statements: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema(), current_database(), current_user")
        schema, database, owner = cursor.fetchone()
        cursor.execute(
            "SELECT rolsuper OR rolbypassrls, "
            "EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid "
            "        AND c.relnamespace = current_schema()::regnamespace) "
            "FROM pg_roles r WHERE rolname = %s",
            [role],
        )
        found = cursor.fetchone()
        if found is not None and (found[0] or found[1] or role == owner):
            raise ValueError(APP_ROLE_IS_PRIVILEGED.format(role=role))
        if found is None and create:
            statements.append(f"CREATE ROLE {q(role)} LOGIN")
        append_only = _existing(cursor, append_only_tables())
        # A partition can be written directly too: it gets the same rule as its parent.
        append_only += _partitions(cursor, append_only)
        functions = [f for f in APP_FUNCTIONS if _function_exists(cursor, f)]
        statements += [
            f"GRANT CONNECT ON DATABASE {q(database)} TO {q(role)}",
            f"GRANT USAGE ON SCHEMA {q(schema)} TO {q(role)}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {q(schema)} FROM {q(role)}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {q(schema)} "
            f"TO {q(role)}",
            *(f"REVOKE UPDATE, DELETE ON {q(table)} FROM {q(role)}" for table in append_only),
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q(schema)} TO {q(role)}",
            *(f"GRANT EXECUTE ON FUNCTION {function} TO {q(role)}" for function in functions),
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA {q(schema)} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {q(role)}",
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {q(owner)} IN SCHEMA {q(schema)} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {q(role)}",
        ]
        for statement in statements:
            cursor.execute(statement)
    return statements


def _partitions(cursor: object, tables: list[str]) -> list[str]:
    cursor.execute(  # type: ignore[attr-defined]
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = ANY(%s::regclass[]) ORDER BY 1",
        [tables],
    )
    return [row[0] for row in cursor.fetchall()]  # type: ignore[attr-defined]


def _function_exists(cursor: object, signature: str) -> bool:
    cursor.execute("SELECT to_regprocedure(%s) IS NOT NULL", [signature])  # type: ignore[attr-defined]
    return bool(cursor.fetchone()[0])  # type: ignore[attr-defined]
