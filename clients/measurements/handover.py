"""Out-of-range measurements on the handover (scheduling.carenotes reads
settings.HANDOVER_SOURCES): each source is f(team=, since=, user=) returning items with
`kind`, `client`, `when`, `text`, `url` and a stable `key`. One query, bounded."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from clients.measurements.models import Measurement
from teams.models import Team, User

SOURCE_LIMIT = 100


def out_of_range(*, team: Team, since: dt.datetime, user: User) -> Iterable[dict[str, Any]]:
    """Measurements of the team's clients since `since` that were outside the client's normal
    range, newest first."""
    rows = (
        Measurement.objects.filter(client__team=team, out_of_range=True, measured_at__gte=since)
        .select_related("client")
        .order_by("-measured_at")[:SOURCE_LIMIT]
    )
    return [
        {
            "kind": "measurement",
            "client": m.client,
            "when": m.measured_at,
            "text": gettext("%(kind)s %(value)s: outside the normal range")
            % {"kind": m.get_kind_display(), "value": m.display_value},
            "url": reverse("measurements:list", args=[m.client.public_id]) + f"?kind={m.kind}",
            "key": f"measurement:{m.public_id}",
        }
        for m in rows
    ]
