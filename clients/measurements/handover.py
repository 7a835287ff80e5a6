"""Out-of-range measurements on the handover (scheduling.carenotes reads
settings.HANDOVER_SOURCES): each source is f(team=, since=, user=) returning items with
`kind`, `client`, `when`, `text`, `url` and a stable `key`. This one is a
`clients.handover.HandoverQuery`: one branch of the page's one query, bounded."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet, TextField
from django.db.models.functions import Cast, JSONObject
from django.urls import reverse
from django.utils.translation import gettext

from clients.handover import HandoverQuery, HandoverRow
from clients.measurements.models import Measurement
from teams.models import Team, User


def _rows(*, team: Team, since: dt.datetime, user: User) -> QuerySet[Measurement]:
    return (
        Measurement.objects.filter(client__team=team, out_of_range=True, measured_at__gte=since)
        .order_by("-measured_at")
        .annotate(
            h_at=F("measured_at"),
            h_object=F("public_id"),
            # the values as text: JSON numbers would come back as floats, not decimals
            h_detail=JSONObject(
                kind=F("kind"),
                value=Cast("value", TextField()),
                value2=Cast("value2", TextField()),
            ),
        )
    )


def _item(row: HandoverRow) -> dict[str, Any]:
    detail = row.detail
    m = Measurement(
        kind=detail["kind"],
        value=Decimal(detail["value"]),
        value2=None if detail["value2"] is None else Decimal(detail["value2"]),
    )
    return {
        "kind": "measurement",
        "client": row.client,
        "when": row.at,
        "text": gettext("%(kind)s %(value)s: outside the normal range")
        % {"kind": m.get_kind_display(), "value": m.display_value},
        "url": reverse("measurements:list", args=[row.client.public_id]) + f"?kind={m.kind}",
        "key": f"measurement:{row.object_id}",
    }


out_of_range = HandoverQuery(rows=_rows, client="client", item=_item)
"""Measurements of the team's clients since `since` that were outside the client's normal
range, newest first."""
