"""Reads of a client's measurements: gate (`clients.selectors`), one access row, data, in one
transaction (DEVELOPERS.md "the one gate")."""

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import transaction

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.measurements.charts import KindChart, kind_chart
from clients.measurements.models import Kind, Measurement, NormalRange
from clients.models import Client
from clients.reads import access_detail
from clients.selectors import client_get_clinical, user_edits_clients
from teams.models import User

# The record page shows at most this many recent measurements (over all kinds): one query.
RECORD_LIMIT = 300
LIST_LIMIT = 500


@dataclass
class Vitals:
    """A client's measurements grouped per kind, with one chart per kind."""

    client: Client
    rows: list[Measurement]
    ranges: dict[str, NormalRange] = field(default_factory=dict)
    can_edit: bool = False

    @property
    def charts(self) -> list[KindChart]:
        per_kind: dict[str, list[Measurement]] = {}
        for m in self.rows:
            per_kind.setdefault(m.kind, []).append(m)
        charts = []
        for kind in Kind:
            chart = kind_chart(kind.value, str(kind.label), per_kind.get(kind.value, []))
            if chart is not None:
                charts.append(chart)
        return charts


def client_record_part(*, client: Client) -> dict[str, Any]:
    """The record page's measurements section (settings.CLIENT_RECORD_PARTS): one query.
    Called inside `clients.reads.client_record_open`, which gates and logs the record."""
    rows = list(Measurement.objects.filter(client=client).order_by("-measured_at")[:RECORD_LIMIT])
    return {"vitals": Vitals(client=client, rows=rows)}


@transaction.atomic
def measurements_read(*, actor: User, public_id: UUID | str, kind: str = "") -> Vitals:
    """Every measurement of a client (newest first, at most LIST_LIMIT), with normal ranges."""
    client = client_get_clinical(user=actor, public_id=public_id)
    rows = Measurement.objects.for_client(client).order_by("-measured_at")
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    vitals = Vitals(
        client=client,
        rows=list(rows[:LIST_LIMIT]),
        ranges={r.kind: r for r in NormalRange.objects.filter(client=client)},
        can_edit=user_edits_clients(user=actor) and client.is_active,
    )
    access_log_write(
        actor=actor,
        action=Action.VIEW,
        client_public_id=client.public_id,
        part="measurements",
        detail=access_detail(kind),
    )
    return vitals
