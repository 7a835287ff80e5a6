"""What the handover page shows: items from every source in `settings.HANDOVER_SOURCES`.

A source is a function `f(team=, since=, user=)` returning items about the clients of `team`
since `since`: objects or mappings with `kind`, `client`, `when`, `text`, `url` and, when it
has one, a stable `key` for the nurse's "read" mark (else one is made from kind and url).
Other apps plug their own in (unsigned doses, out-of-range measurements) by adding a dotted
path to the setting: this module need not change. `scheduling.carenotes.reads.handover_read`
gates the team, keeps only items about the team's clients, and logs the read.

Each source below is one query, limited to `SOURCE_LIMIT` rows: the page stays bounded
whatever a team wrote.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import Client, ClientProblem, Intervention, ProblemStatus
from scheduling.carenotes.models import CareReport
from scheduling.models import Visit, VisitStatus
from teams.models import Team, User

SOURCE_LIMIT = 100

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


def reports_for_handover(*, team: Team, since: dt.datetime, user: User) -> Iterable[HandoverItem]:
    """Reports marked "for handover" (their newest version) about the team's clients."""
    reports = (
        CareReport.objects.filter(
            client__team=team, for_handover=True, written_at__gte=since, replaced_by__isnull=True
        )
        .select_related("client", "author", "client_problem__problem")
        .order_by("-written_at")[:SOURCE_LIMIT]
    )
    for r in reports:
        about = r.client_problem.problem.name if r.client_problem else gettext("General")
        yield HandoverItem(
            kind="report",
            client=r.client,
            when=r.written_at,
            text=f"{about} ({r.author.get_full_name() or r.author}): {r.text}",
            url=_timeline_url(r.client) + f"#report-{r.public_id}",
            key=f"report:{r.public_id}",
        )


def care_plan_changes(*, team: Team, since: dt.datetime, user: User) -> Iterable[HandoverItem]:
    """Interventions added to, or stopped in, the care plans of the team's clients."""
    interventions = (
        Intervention.objects.filter(client_problem__client__team=team)
        .filter(Q(created_at__gte=since) | Q(is_active=False, updated_at__gte=since))
        .select_related("client_problem__client", "client_problem__problem", "target")
        .order_by("-updated_at")[:SOURCE_LIMIT]
    )
    for iv in interventions:
        stopped = not iv.is_active
        what = gettext("Intervention stopped") if stopped else gettext("Intervention added")
        client = iv.client_problem.client
        yield HandoverItem(
            kind="care-plan",
            client=client,
            when=iv.updated_at if stopped else iv.created_at,
            text=f"{what}: {iv.client_problem.problem.name}, "
            f"{iv.target_other_text or iv.target.name}: {iv.description}",
            url=client.get_absolute_url(),
            key=f"intervention-{'stopped' if stopped else 'added'}:{iv.public_id}",
        )


def problem_changes(*, team: Team, since: dt.datetime, user: User) -> Iterable[HandoverItem]:
    """Problems newly identified, or resolved, for the team's clients."""
    problems = (
        ClientProblem.objects.filter(client__team=team)
        .filter(
            Q(created_at__gte=since) | (~Q(status=ProblemStatus.ACTIVE) & Q(updated_at__gte=since))
        )
        .select_related("client", "problem")
        .order_by("-updated_at")[:SOURCE_LIMIT]
    )
    for cp in problems:
        resolved = cp.status != ProblemStatus.ACTIVE
        what = gettext("Problem resolved") if resolved else gettext("New problem")
        yield HandoverItem(
            kind="problem",
            client=cp.client,
            when=cp.updated_at if resolved else cp.created_at,
            text=f"{what}: {cp.problem.name}",
            url=cp.client.get_absolute_url(),
            key=f"problem-{'resolved' if resolved else 'new'}:{cp.public_id}",
        )


def visits_missed_or_cancelled(
    *, team: Team, since: dt.datetime, user: User
) -> Iterable[HandoverItem]:
    """Visits of the team cancelled since then, planned visits whose time has passed
    without being started or logged (missed), and visits recorded as not done since then
    (missed too, with the reason)."""
    now = timezone.now()
    visits = (
        Visit.objects.filter(team=team, corrects__isnull=True)
        .filter(
            Q(status=VisitStatus.CANCELLED, updated_at__gte=since)
            | Q(status=VisitStatus.PLANNED, ends_at__gte=since, ends_at__lt=now)
            | Q(status=VisitStatus.NOT_DONE, logged_at__gte=since)
        )
        .select_related("client", "nurse")
        .order_by("-starts_at")[:SOURCE_LIMIT]
    )
    for v in visits:
        cancelled = v.status == VisitStatus.CANCELLED
        what = gettext("Visit cancelled") if cancelled else gettext("Visit missed (not logged)")
        when, key = (v.updated_at, "cancelled") if cancelled else (v.ends_at, "missed")
        if v.status == VisitStatus.NOT_DONE:  # she came, but gave no care: missed, with why
            what = gettext("Visit missed (not done: %(reason)s)") % {
                "reason": v.get_not_done_reason_display()
            }
            when, key = v.logged_at or v.ends_at, "not-done"
        local = timezone.localtime(v.starts_at)
        yield HandoverItem(
            kind="visit",
            client=v.client,
            when=when,
            text=f"{what}: {local:%d-%m %H:%M}, {v.nurse or gettext('nobody')}",
            url=reverse("scheduling:visit-edit", args=[v.public_id]),
            key=f"visit-{key}:{v.public_id}",
        )
