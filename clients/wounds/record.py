"""The record page's wounds and measurements sections in ONE query (settings.CLIENT_RECORD_PARTS).

The client record page has a budget of 10 queries whatever the record's size, shared with the
other sections other apps add. On PostgreSQL both sections are read as JSON arrays of one
row (array subqueries), so they cost one query together; elsewhere (the SQLite demo) each
section reads its own rows. Called inside `clients.reads.client_record_open`, which gates and
logs the record.
"""

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, router
from django.db.models import OuterRef
from django.db.models.functions import JSONObject
from django.utils.dateparse import parse_datetime

from clients.measurements import reads as measurement_reads
from clients.measurements.models import Measurement
from clients.models import Client
from clients.wounds import reads as wound_reads
from clients.wounds.charts import size_chart
from clients.wounds.models import Wound, WoundAssessment


def _when(value: str) -> dt.datetime:
    parsed = parse_datetime(value)
    assert parsed is not None
    return parsed


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# Stands for the client's id in the compiled statement; no real id is negative.
_CLIENT_PLACEHOLDER = -5_120_774_903
_record_sqls: list[tuple[str, tuple[Any, ...]]] = []


def _record_sql() -> tuple[str, tuple[Any, ...]]:
    """The statement of both sections as SQL and parameters, the client's id standing as
    `_CLIENT_PLACEHOLDER`: built by the ORM once per process, as the Messages badge's count
    is (coaching.selectors). Building it (two array subqueries of JSON objects, one nested)
    cost the worker more CPU on every record page than PostgreSQL spends running it."""
    if not _record_sqls:
        measurements = Measurement.objects.filter(client=OuterRef("pk")).order_by("-measured_at")
        assessments = WoundAssessment.objects.filter(wound=OuterRef("pk")).order_by("assessed_at")
        wounds = Wound.objects.filter(client=OuterRef("pk"), closed_on__isnull=True).order_by(
            "-started_on", "pk"
        )
        rows = (
            Client.objects.filter(pk=_CLIENT_PLACEHOLDER)
            .annotate(
                m=ArraySubquery(
                    measurements.values(
                        json=JSONObject(
                            kind="kind",
                            value="value",
                            value2="value2",
                            measured_at="measured_at",
                            out_of_range="out_of_range",
                        )
                    )[: measurement_reads.RECORD_LIMIT]
                ),
                w=ArraySubquery(
                    wounds.values(
                        json=JSONObject(
                            id="id",
                            public_id="public_id",
                            kind="kind",
                            body_site="body_site",
                            started_on="started_on",
                            a=ArraySubquery(
                                assessments.values(
                                    json=JSONObject(
                                        assessed_at="assessed_at",
                                        length_mm="length_mm",
                                        width_mm="width_mm",
                                        depth_mm="depth_mm",
                                    )
                                )
                            ),
                        )
                    )
                ),
            )
            .values_list("m", "w")
        )
        sql, params = rows.query.sql_with_params()
        if _CLIENT_PLACEHOLDER not in params:
            raise ImproperlyConfigured("the record's wounds statement no longer names its client")
        _record_sqls.append((sql, tuple(params)))
    return _record_sqls[0]


def _json_rows(column: list[Any] | None) -> list[dict[str, Any]]:
    """A JSON array column as read by the cursor: each element decoded (Django's psycopg
    set-up hands jsonb over as text, which its JSONField would decode)."""
    return [json.loads(v) if isinstance(v, str) else v for v in column or []]


def client_record_part(*, client: Client) -> dict[str, Any]:
    if connection.vendor != "postgresql":
        return measurement_reads.client_record_part(client=client) | wound_reads.client_record_part(
            client=client
        )
    sql, params = _record_sql()
    with connections[router.db_for_read(Client)].cursor() as cursor:
        cursor.execute(
            sql, [client.pk if value == _CLIENT_PLACEHOLDER else value for value in params]
        )
        row = cursor.fetchone()
    if row is None:
        raise Client.DoesNotExist
    m_json, w_json = (_json_rows(column) for column in row)
    rows = [
        Measurement(
            client=client,
            kind=m["kind"],
            value=Decimal(str(m["value"])),
            value2=_decimal(m["value2"]),
            measured_at=_when(m["measured_at"]),
            out_of_range=m["out_of_range"],
        )
        for m in m_json
    ]
    open_wounds = []
    for w in w_json:
        wound = Wound(
            pk=w["id"],
            client=client,
            public_id=UUID(w["public_id"]),
            kind=w["kind"],
            body_site=w["body_site"],
            started_on=dt.date.fromisoformat(w["started_on"]),
        )
        wound.chart = size_chart(  # type: ignore[attr-defined]
            [
                WoundAssessment(
                    assessed_at=_when(a["assessed_at"]),
                    length_mm=Decimal(str(a["length_mm"])),
                    width_mm=Decimal(str(a["width_mm"])),
                    depth_mm=Decimal(str(a["depth_mm"])),
                )
                for a in w["a"]
            ]
        )
        open_wounds.append(wound)
    return {
        "vitals": measurement_reads.Vitals(client=client, rows=rows),
        "wounds": open_wounds,
    }
