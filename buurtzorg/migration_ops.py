"""Migration operations that run only on PostgreSQL.

The embedded mode (`make run`) uses SQLite, which has no exclusion constraints, range types
or btree_gist. These operations are skipped there; the services still check overlaps
themselves, so the app behaves the same, and PostgreSQL adds the database backstop.
"""

from typing import Any

from django.db import migrations


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that does nothing on any database but PostgreSQL."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)

    def describe(self) -> str:
        return "Raw SQL on PostgreSQL only"
