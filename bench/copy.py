"""Bulk writes through PostgreSQL COPY (psycopg 3 `cursor.copy`), for the scale generator.

`save()` per row costs a round trip and Python model machinery for each of millions of rows;
COPY streams rows in one statement. Ids are reserved from each table's own sequence before
the rows are written, so rows of related tables can point at each other without a read-back,
and anything written later by the app gets ids past the generated ones.

Every concrete column of the model is written: columns the generator does not give get the
field's Python default (or NULL), so a field another app adds later (with a default) does
not break the generator.
"""

import datetime as dt
import random
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

UUID_SLOT = object()  # a fresh seeded UUID per row


class CopyWriter:
    """Writes rows of Django models with COPY; fills timestamps, public ids and defaults."""

    def __init__(self, *, rng: random.Random, now: dt.datetime) -> None:
        self.rng = rng
        self.now = now
        self.counts: dict[str, int] = {}
        self._plans: dict[tuple[type[models.Model], tuple[str, ...]], tuple] = {}

    def reserve_ids(self, model: type[models.Model], n: int) -> int:
        """Take `n` consecutive ids from the model's sequence; returns the first."""
        if n <= 0:
            return 0
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute("SELECT nextval(%s)", [sequence])
            (first,) = cursor.fetchone()
            cursor.execute("SELECT setval(%s, %s)", [sequence, first + n - 1])
        return first

    def _plan(self, model: type[models.Model], fields: Sequence[str]) -> tuple:
        key = (model, tuple(fields))
        if key not in self._plans:
            given = {}
            for name in fields:
                field = model._meta.get_field(name)
                given[field.attname] = field.column
            extra: list[tuple[str, Any]] = []
            for field in model._meta.concrete_fields:
                if field.attname in given:
                    continue
                if isinstance(field, models.UUIDField) and callable(field.default):
                    extra.append((field.column, UUID_SLOT))
                elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    extra.append((field.column, self.now))
                elif isinstance(field, models.AutoField):
                    continue  # the sequence fills it
                elif field.has_default() or field.null or field.empty_strings_allowed:
                    # Field.get_default(): the default, else None (nullable) or "" (text).
                    value = field.get_default()
                    extra.append((field.column, field.get_db_prep_save(value, connection)))
                else:
                    raise ValueError(f"{model.__name__}.{field.name} needs a value")
            self._plans[key] = (list(given.values()), extra)
        return self._plans[key]

    def new_uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def copy(
        self, model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """COPY `rows` (tuples in the order of `fields`) into the model's table."""
        columns, extra = self._plan(model, fields)
        all_columns = columns + [column for column, _ in extra]
        uuid_slots = [i for i, (_, value) in enumerate(extra) if value is UUID_SLOT]
        fixed = [value for _, value in extra]
        column_sql = ", ".join(f'"{column}"' for column in all_columns)
        n = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
            with raw.copy(f'COPY "{model._meta.db_table}" ({column_sql}) FROM STDIN') as copy:
                for row in rows:
                    tail = list(fixed)
                    for slot in uuid_slots:
                        tail[slot] = self.new_uuid()
                    copy.write_row((*row, *tail))
                    n += 1
        name = model._meta.label
        self.counts[name] = self.counts.get(name, 0) + n
        return n
