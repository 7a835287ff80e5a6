"""What the handover page shows: items from every source in `settings.HANDOVER_SOURCES`.

A source is a function `f(team=, since=, user=)` returning items about the clients of `team`
since `since`: objects or mappings with `kind`, `client`, `when`, `text`, `url` and, when it
has one, a stable `key` for the nurse's "read" mark (else one is made from kind and url).
Other apps plug their own in (unsigned doses, out-of-range measurements) by adding a dotted
path to the setting: this module need not change. `scheduling.carenotes.reads.handover_read`
gates the team, keeps only items about the team's clients, and logs the read.

The sources below are `clients.handover.HandoverQuery`s: the page reads them all in one UNION
ALL query (each its newest `SOURCE_LIMIT` rows), so the page costs the same few queries
whatever a team wrote and however many such sources there are.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.handover import HandoverQuery, HandoverRow, detail_time
from clients.models import Client, ClientProblem, Intervention, ProblemStatus
from scheduling.carenotes.models import CareReport
from scheduling.models import Visit, VisitStatus
from teams.models import Team, User
from teams.names import name_display

KIND_LABELS = {
    "report": _("Report"),
    "care-plan": _("Care plan"),
    "problem": _("Problem"),
    "visit": _("Visit"),
    "medication-overdue": _("Medication"),
    "measurement": _("Measurement"),
}


@dataclass(frozen=True)
class HandoverItem:
    kind: str
    client: Client
    when: dt.datetime
    text: str
    url: str
    key: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


def as_item(raw: Any) -> HandoverItem:
    """A source's item as a HandoverItem (sources may return mappings or their own objects)."""
    get = raw.get if isinstance(raw, Mapping) else (lambda name: getattr(raw, name, None))
    kind, url = str(get("kind")), str(get("url") or "")
    return HandoverItem(
        kind=kind,
        client=cast(Client, get("client")),
        when=cast(dt.datetime, get("when")),
        text=str(get("text") or ""),
        url=url,
        key=str(get("key") or f"{kind}:{url}")[:120],
    )


def _timeline_url(client: Client) -> str:
    return reverse("carenotes:timeline", args=[client.public_id])


def _person(prefix: str) -> JSONObject:
    """A user's name parts in a row's `detail` (`prefix` is the lookup path to the user)."""
    return JSONObject(
        username=F(f"{prefix}__username"),
        first_name=F(f"{prefix}__first_name"),
        name_prefix=F(f"{prefix}__name_prefix"),
        last_name=F(f"{prefix}__last_name"),
    )


def _person_name(person: Mapping[str, Any] | None) -> str:
    """What `str(user)` shows (her name, else her username), from `_person`'s parts."""
    if not person or person.get("username") is None:
        return ""
    name = name_display(person["first_name"], person["name_prefix"], person["last_name"])
    return name or person["username"]


# --- reports marked "for handover" ----------------------------------------------------------


def _report_rows(*, team: Team, since: dt.datetime, user: User) -> QuerySet[CareReport]:
    return (
        CareReport.objects.filter(
            client__team=team, for_handover=True, written_at__gte=since, replaced_by__isnull=True
        )
        .order_by("-written_at")
        .annotate(
            h_at=F("written_at"),
            h_object=F("public_id"),
            h_detail=JSONObject(
                problem=F("client_problem__problem__name"), text=F("text"), author=_person("author")
            ),
        )
    )


def _report_item(row: HandoverRow) -> HandoverItem:
    about = row.detail["problem"] or gettext("General")
    author = _person_name(row.detail["author"])
    return HandoverItem(
        kind="report",
        client=row.client,
        when=row.at,
        text=f"{about} ({author}): {row.detail['text']}",
        url=_timeline_url(row.client) + f"#report-{row.object_id}",
        key=f"report:{row.object_id}",
    )


reports_for_handover = HandoverQuery(rows=_report_rows, client="client", item=_report_item)
"""Reports marked "for handover" (their newest version) about the team's clients."""


# --- care-plan changes ----------------------------------------------------------------------


def _intervention_rows(*, team: Team, since: dt.datetime, user: User) -> QuerySet[Intervention]:
    return (
        Intervention.objects.filter(client_problem__client__team=team)
        .filter(Q(created_at__gte=since) | Q(is_active=False, updated_at__gte=since))
        .order_by("-updated_at")
        .annotate(
            h_at=Case(When(is_active=False, then=F("updated_at")), default=F("created_at")),
            h_object=F("public_id"),
            h_detail=JSONObject(
                active=F("is_active"),
                problem=F("client_problem__problem__name"),
                other=F("target_other_text"),
                target=F("target__name"),
                description=F("description"),
            ),
        )
    )


def _intervention_item(row: HandoverRow) -> HandoverItem:
    detail = row.detail
    stopped = not detail["active"]
    what = gettext("Intervention stopped") if stopped else gettext("Intervention added")
    return HandoverItem(
        kind="care-plan",
        client=row.client,
        when=row.at,
        text=f"{what}: {detail['problem']}, "
        f"{detail['other'] or detail['target']}: {detail['description']}",
        url=row.client.get_absolute_url(),
        key=f"intervention-{'stopped' if stopped else 'added'}:{row.object_id}",
    )


care_plan_changes = HandoverQuery(
    rows=_intervention_rows, client="client_problem__client", item=_intervention_item
)
"""Interventions added to, or stopped in, the care plans of the team's clients."""


# --- problems identified or resolved --------------------------------------------------------


def _problem_rows(*, team: Team, since: dt.datetime, user: User) -> QuerySet[ClientProblem]:
    resolved = ~Q(status=ProblemStatus.ACTIVE)
    return (
        ClientProblem.objects.filter(client__team=team)
        .filter(Q(created_at__gte=since) | (resolved & Q(updated_at__gte=since)))
        .order_by("-updated_at")
        .annotate(
            h_at=Case(When(resolved, then=F("updated_at")), default=F("created_at")),
            h_object=F("public_id"),
            h_detail=JSONObject(status=F("status"), problem=F("problem__name")),
        )
    )


def _problem_item(row: HandoverRow) -> HandoverItem:
    resolved = row.detail["status"] != ProblemStatus.ACTIVE
    what = gettext("Problem resolved") if resolved else gettext("New problem")
    return HandoverItem(
        kind="problem",
        client=row.client,
        when=row.at,
        text=f"{what}: {row.detail['problem']}",
        url=row.client.get_absolute_url(),
        key=f"problem-{'resolved' if resolved else 'new'}:{row.object_id}",
    )


problem_changes = HandoverQuery(rows=_problem_rows, client="client", item=_problem_item)
"""Problems newly identified, or resolved, for the team's clients."""


# --- visits missed or cancelled -------------------------------------------------------------


def _visit_rows(*, team: Team, since: dt.datetime, user: User) -> QuerySet[Visit]:
    cancelled = Q(status=VisitStatus.CANCELLED)
    not_done = Q(status=VisitStatus.NOT_DONE)
    return (
        Visit.objects.filter(team=team, corrects__isnull=True)
        .filter(
            (cancelled & Q(updated_at__gte=since))
            | Q(status=VisitStatus.PLANNED, ends_at__gte=since, ends_at__lt=timezone.now())
            | (not_done & Q(logged_at__gte=since))
        )
        .order_by("-starts_at")
        .annotate(
            h_at=Case(
                When(cancelled, then=F("updated_at")),
                When(not_done, then=Coalesce(F("logged_at"), F("ends_at"))),
                default=F("ends_at"),
            ),
            h_object=F("public_id"),
            h_detail=JSONObject(
                status=F("status"),
                reason=F("not_done_reason"),
                starts_at=F("starts_at"),
                nurse=_person("nurse"),
            ),
        )
    )


def _visit_item(row: HandoverRow) -> HandoverItem:
    status = row.detail["status"]
    if status == VisitStatus.CANCELLED:
        what, key = gettext("Visit cancelled"), "cancelled"
    elif status == VisitStatus.NOT_DONE:  # she came, but gave no care: missed, with why
        reason = Visit(not_done_reason=row.detail["reason"]).get_not_done_reason_display()
        what = gettext("Visit missed (not done: %(reason)s)") % {"reason": reason}
        key = "not-done"
    else:
        what, key = gettext("Visit missed (not logged)"), "missed"
    local = timezone.localtime(detail_time(row.detail["starts_at"]))
    nurse = _person_name(row.detail["nurse"]) or gettext("nobody")
    return HandoverItem(
        kind="visit",
        client=row.client,
        when=row.at,
        text=f"{what}: {local:%d-%m %H:%M}, {nurse}",
        url=reverse("scheduling:visit-edit", args=[row.object_id]),
        key=f"visit-{key}:{row.object_id}",
    )


visits_missed_or_cancelled = HandoverQuery(rows=_visit_rows, client="client", item=_visit_item)
"""Visits of the team cancelled since then, planned visits whose time has passed without
being started or logged (missed), and visits recorded as not done since then (missed too,
with the reason)."""
