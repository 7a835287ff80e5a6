"""A queryset's SQL built once per process, run again with new values (issue 22, item 2).

Building and compiling a queryset through the ORM (its filters, subqueries, annotations and
select_related joins) can cost the worker several times what PostgreSQL spends running the
statement: My day's round cost about 20 ms of ORM work for 3 ms of SQL. Where a page runs the
same statement shape for every user, only some values differ (her id, the day's bounds, the
time now), so the shape is compiled once and those values are bound as parameters.

A `Statement` is given a function that builds the queryset from named values, and for each
name two placeholder values of the right type that no real value takes (negative ids, dates
in 1901). It builds the queryset twice, once with each set, and checks that the two
compilations give the same SQL and differ in exactly the placeholders' parameters, always one
for the other: a value the builder took from anywhere else (a `timezone.now()` inside it, a
setting that changed) would fail that check, at the first use, instead of being frozen into
the statement. The rows come back as the ORM's own: model instances with their select_related
objects and annotations, through the compiler's converters (`instances`), or plain tuples
(`rows`).

Only on PostgreSQL: other backends (the SQLite of `make run`'s embedded default) adapt some
values while compiling (a datetime becomes text), so the placeholders cannot be found among
the parameters; there the queryset is built and run through the ORM on every call.

It relies on Django's compiler state after `as_sql()` (select, klass_info, annotation_col_map)
as `ModelIterable` does; tests/buurtzorg/test_compiled.py runs it against the ORM's own result.
"""

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, router
from django.db.models import Lookup, Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, str], ...]  # (position in params, name of the value bound there)
    compiler: SQLCompiler


class Statement(Generic[M]):
    """`build(**values)`'s SQL, compiled once per database alias and process."""

    def __init__(
        self,
        model: type[M],
        build: Callable[..., QuerySet[M, Any]],
        **placeholders: tuple[Any, Any],
    ) -> None:
        self.model = model
        self.build = build
        self.placeholders = placeholders
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, using: str) -> _Compiled:
        compiled = self._compiled.get(using)
        if compiled is not None:
            return compiled
        first = {name: pair[0] for name, pair in self.placeholders.items()}
        second = {name: pair[1] for name, pair in self.placeholders.items()}
        compiler = self.build(**first).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        other_sql, other_params = self.build(**second).query.get_compiler(using=using).as_sql()
        slots = []
        for position, (value, other) in enumerate(zip(params, other_params, strict=True)):
            name = next((name for name, stand_in in first.items() if value == stand_in), None)
            if name is not None and other == second[name]:
                slots.append((position, name))
            elif value != other or name is not None:
                raise ImproperlyConfigured(
                    f"{self.build.__qualname__}: parameter {position} ({value!r}) is not one "
                    "of the statement's values: it would be frozen into the compiled SQL"
                )
        if sql != other_sql or {name for _, name in slots} != set(first):
            raise ImproperlyConfigured(
                f"{self.build.__qualname__}: the SQL depends on more than its values"
            )
        compiled = _Compiled(sql, tuple(params), tuple(slots), compiler)
        self._compiled[using] = compiled
        return compiled

    def _execute(self, values: dict[str, Any]) -> tuple[_Compiled, str, list[Sequence[Any]]]:
        if set(values) != set(self.placeholders):
            raise TypeError(f"values {sorted(values)}, expected {sorted(self.placeholders)}")
        using = router.db_for_read(self.model)
        compiled = self._compile(using)
        params = list(compiled.params)
        for position, name in compiled.slots:
            params[position] = values[name]
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: list[Sequence[Any]] = cursor.fetchall()
        return compiled, using, rows

    def _compiler(self, compiled: _Compiled, using: str) -> SQLCompiler:
        # the compiled one belongs to the thread that compiled it; a copy with this thread's
        # connection converts the values (its select list and joins are only read)
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connections[using]
        return compiler

    def _uncompiled(self, values: dict[str, Any]) -> QuerySet[M, Any] | None:
        """The queryset itself where the database is not PostgreSQL (see the module)."""
        using = router.db_for_read(self.model)
        if connections[using].vendor == "postgresql":
            return None
        if set(values) != set(self.placeholders):
            raise TypeError(f"values {sorted(values)}, expected {sorted(self.placeholders)}")
        return self.build(**values).using(using)

    def rows(self, **values: Any) -> list[Sequence[Any]]:
        """The rows as tuples, converted as the ORM converts them (for a `values_list()`)."""
        queryset = self._uncompiled(values)
        if queryset is not None:
            return [tuple(row) for row in queryset]
        compiled, using, rows = self._execute(values)
        return list(self._compiler(compiled, using).results_iter([rows], tuple_expected=True))

    def instances(self, **values: Any) -> list[M]:
        """The rows as model instances, as iterating the queryset gives them (its
        select_related objects and annotations set; no prefetches)."""
        queryset = self._uncompiled(values)
        if queryset is not None:
            return list(queryset.prefetch_related(None))
        compiled, using, rows = self._execute(values)
        compiler = self._compiler(compiled, using)
        select, klass_info = compiler.select, compiler.klass_info
        annotation_col_map = compiler.annotation_col_map or {}
        model_cls = klass_info["model"]
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, using)  # type: ignore[call-arg]
        objects = []
        for row in compiler.results_iter([rows]):
            obj = model_cls.from_db(using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for attr_name, position in annotation_col_map.items():
                setattr(obj, attr_name, row[position])
            objects.append(obj)
        return objects


class AnyOf(Lookup):
    """`filter(AnyOf(F("client_id"), ids))`: `client_id = ANY(%s)` with the ids as one array
    parameter (PostgreSQL), where `__in` gives one parameter per id, so a statement's shape
    would depend on their number."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        return "%s", (list(value),)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor != "postgresql":
            # no arrays (make run's SQLite): one parameter per id, as `__in` does; statements
            # are not compiled there (Statement runs the queryset), so the shape may vary
            values = list(self.rhs)
            if not values:
                raise EmptyResultSet
            marks = ", ".join(["%s"] * len(values))
            return f"{lhs} IN ({marks})", (*lhs_params, *values)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)
