"""A report written at a visit without a network, sent later from the phone's queue (issue 18).

Named in `settings.OFFLINE_ACTION_HANDLERS` as the "report" kind; scheduling's
`offline_action_apply` holds the key, the visit's lock and its checks, and calls this inside
its transaction. The payload has the shape of the visit page's report forms (`ReportForm`):
the problem (or none for a general note), the text, the handover mark, an optional K/B/S
rating and S/O/A/P. The report is dated when she wrote it on the phone.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError

from scheduling.carenotes.forms import ReportForm
from scheduling.carenotes.services import care_report_write
from scheduling.models import Visit
from teams.models import User


def offline_report_write(
    *, visit: Visit, actor: User, acted_at: dt.datetime, payload: Mapping[str, Any]
) -> None:
    """Write the report about the visit's client, at the visit, written at `acted_at`."""
    problems = list(visit.client.problems.filter(status="active").select_related("problem"))
    data = {k: v for k, v in payload.items() if k != "written_at"}
    form = ReportForm(data, problems=problems)
    if not form.is_valid():
        raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
    care_report_write(
        client=visit.client,
        actor=actor,
        text=form.cleaned_data["text"],
        visit=visit,
        client_problem=form.problem(),
        written_at=acted_at,
        rating=form.rating(),
        **form.soap(),
    )
