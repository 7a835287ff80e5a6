"""Every read of reports and of the handover: gate, one access row, data, in one transaction.

Who reads reports follows the rest of the clinical record: nurses of the client's team and
the coaches of that team (coaches read the record's Omaha content and its export today, so
they read its timeline too; they write nothing). Back office and administrators never do:
they get 404, like a stranger (`clients.selectors.client_get_clinical`). The handover is a
nurse's page: her own team's.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.handover import HandoverQuery, handover_query_rows, row_team_id, row_time
from clients.models import Client, ClientProblem
from clients.reads import access_detail
from clients.selectors import client_get_clinical
from scheduling.carenotes.handover import HandoverItem, as_item
from scheduling.carenotes.models import CareReport
from scheduling.carenotes.selectors import (
    handover_team,
    report_filter,
    report_get_for_client,
    report_list_for_client,
)
from scheduling.models import Visit
from scheduling.selectors import visit_get_own
from teams.models import Role, Team, User

PAGE_SIZE = 30
CURSOR_SEP = "~"


def _log(actor: User, action: str, client: Client | None, part: str, detail: str) -> None:
    access_log_write(
        actor=actor,
        action=action,
        client_public_id=client.public_id if client is not None else None,
        part=part,
        detail=access_detail(detail),
    )


# --- the client's timeline ------------------------------------------------------------------


@dataclass(frozen=True)
class Timeline:
    client: Client
    reports: list[CareReport]
    problems: list[ClientProblem]
    authors: list[dict[str, Any]]
    next_cursor: str = ""
    can_write: bool = False


def _cursor(report: CareReport) -> str:
    return f"{report.written_at.isoformat()}{CURSOR_SEP}{report.public_id}"


def _after_cursor(reports: Any, cursor: str) -> Any:
    """Keyset paging on (written_at, public_id) descending: a page costs the same however far
    back the nurse scrolls, on a record with years of reports."""
    try:
        raw_at, raw_id = cursor.split(CURSOR_SEP, 1)
        at, key = dt.datetime.fromisoformat(raw_at), UUID(raw_id)
    except ValueError:
        return reports
    if timezone.is_naive(at):
        return reports
    return reports.filter(Q(written_at__lt=at) | Q(written_at=at, public_id__lt=key))


@transaction.atomic
def client_timeline_read(
    *,
    actor: User,
    public_id: UUID | str,
    problem: str = "",
    author: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    query: str = "",
    cursor: str = "",
    per_page: int = PAGE_SIZE,
    with_choices: bool = True,
) -> Timeline:
    """One page of a client's reports, newest first, filtered; one VIEW row ("timeline").

    Corrected entries stay in the list (marked as replaced), so the history is shown.
    `with_choices` adds the filter's problems and authors (the page; the API needs neither).
    """
    client = client_get_clinical(user=actor, public_id=public_id)
    reports = report_filter(
        report_list_for_client(client=client),
        problem=problem,
        author=author,
        start=start,
        end=end,
        query=query,
    )
    if cursor:
        reports = _after_cursor(reports, cursor)
    rows = list(reports[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    for row in rows:
        row.client = client  # (not joined: see report_list_for_client)
    problems: list[ClientProblem] = []
    authors: list[dict[str, Any]] = []
    if with_choices:
        problems = list(client.problems.select_related("problem").order_by("problem__number"))
        authors = cast(
            list[dict[str, Any]],
            list(
                User.objects.filter(care_reports__client=client)
                .distinct()
                .order_by("first_name", "last_name")
                .values("public_id", "first_name", "last_name", "username")
            ),
        )
    filters = f"problem={problem!r} author={author!r} from={start} to={end} q={query!r}"
    _log(actor, Action.VIEW, client, "timeline", filters + (" next" if cursor else ""))
    return Timeline(
        client=client,
        reports=rows,
        problems=problems,
        authors=authors,
        next_cursor=_cursor(rows[-1]) if more and rows else "",
        can_write=actor.role == Role.NURSE and client.is_active,
    )


@dataclass(frozen=True)
class ReportForm:
    client: Client
    report: CareReport | None = None
    visit: Visit | None = None
    problems: list[ClientProblem] = field(default_factory=list)


@transaction.atomic
def report_form_open(
    *,
    actor: User,
    public_id: UUID | str,
    report_id: UUID | str | None = None,
    visit_id: UUID | str | None = None,
) -> ReportForm:
    """The page of a report's form (a new report about a client, or at a visit of hers, or a
    change of one of her reports), shown first or again after a refused save: the form shows
    the record, so it is one VIEW row. Nurses only; anyone else gets 404."""
    form = report_form_get(actor=actor, public_id=public_id, report_id=report_id, visit_id=visit_id)
    detail = f"report {form.report.public_id}" if form.report else "new report"
    _log(actor, Action.VIEW, form.client, "care-report-form", detail)
    return form


@transaction.atomic
def report_form_reshown(*, actor: User, form: ReportForm) -> ReportForm:
    """A report's form shown again after its write service refused the save (which logged
    nothing): one VIEW row, as when it was first shown. `form` is the POST's gated form."""
    detail = f"report {form.report.public_id}" if form.report else "new report"
    _log(actor, Action.VIEW, form.client, "care-report-form", detail)
    return form


def report_form_get(
    *,
    actor: User,
    public_id: UUID | str,
    report_id: UUID | str | None = None,
    visit_id: UUID | str | None = None,
) -> ReportForm:
    """The gate of a report's form, for a POST (whose write service logs). Not logged."""
    client = client_get_clinical(user=actor, public_id=public_id)
    if actor.role != Role.NURSE:
        raise Http404
    report = report_get_for_client(client=client, public_id=report_id) if report_id else None
    visit = None
    if visit_id:
        visit = visit_get_own(user=actor, public_id=UUID(str(visit_id)))
        if visit.client_id != client.pk:
            raise Http404
    problems = list(client.problems.filter(status="active").select_related("problem"))
    return ReportForm(client=client, report=report, visit=visit, problems=problems)


# --- the handover ---------------------------------------------------------------------------


SINCE_CHOICES = ("shift", "8h", "24h", "72h")
# The page shows the newest this many items (and says how many more there are): a
# night nurse reads a page, not a dump, and it keeps the page's cost bounded.
HANDOVER_MAX_ITEMS = 100


@dataclass(frozen=True)
class Handover:
    team: Team
    since: dt.datetime
    since_choice: str
    shift_found: bool
    items: list[HandoverItem]
    read_keys: set[str]
    total: int = 0

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.items))

    @property
    def unread_count(self) -> int:
        return sum(1 for item in self.items if item.key not in self.read_keys)


def handover_since(
    *, choice: str, now: dt.datetime, shift_start: dt.datetime | None
) -> tuple[dt.datetime, bool]:
    """When the handover starts: her shift's start (else 24 hours ago), or the chosen span."""
    if choice in ("8h", "24h", "72h"):
        return now - dt.timedelta(hours=int(choice[:-1])), False
    if shift_start is None:
        return now - dt.timedelta(hours=24), False
    return shift_start, True


def handover_sources() -> list[Callable[..., Any]]:
    return [import_string(path) for path in settings.HANDOVER_SOURCES]


def _item_of_row(
    query: HandoverQuery, raw: Mapping[str, Any], clients: dict[int, Client]
) -> HandoverItem:
    return as_item(query.make(raw, clients))


def _same(item: HandoverItem) -> HandoverItem:
    return item


@transaction.atomic
def handover_read(*, actor: User, since: str = "shift", now: dt.datetime | None = None) -> Handover:
    """The handover of the nurse's own team: every source's items since `since`, newest first,
    with her read marks; one LIST row naming the team, the start and how many items.

    Only items about the team's own clients are kept, whatever a source returns.
    """
    if actor.role != Role.NURSE:
        raise Http404
    now = now or timezone.now()
    team, shift_start, read = handover_team(nurse=actor, now=now)
    choice = since if since in SINCE_CHOICES else "shift"
    start, shift_found = handover_since(choice=choice, now=now, shift_start=shift_start)
    # Every HandoverQuery source comes from one query, as rows: only the rows shown become
    # items. Other sources (overdue doses) are called and give their items.
    sources = handover_sources()
    queries = [source for source in sources if isinstance(source, HandoverQuery)]
    query_rows = iter(handover_query_rows(queries, team=team, since=start, user=actor))
    clients: dict[int, Client] = {}
    found: list[tuple[dt.datetime, Callable[[], HandoverItem]]] = []
    for source in sources:
        if isinstance(source, HandoverQuery):
            found += [
                (row_time(raw), partial(_item_of_row, source, raw, clients))
                for raw in next(query_rows)
                if row_team_id(raw) == team.pk
            ]
            continue
        for raw in source(team=team, since=start, user=actor):
            item = as_item(raw)
            if item.client is not None and item.client.team_id == team.pk:
                found.append((item.when, partial(_same, item)))
    found.sort(key=lambda pair: pair[0], reverse=True)  # stable: sources keep their order
    total = len(found)
    items = [make() for _, make in found[:HANDOVER_MAX_ITEMS]]
    access_log_write(
        actor=actor,
        action=Action.LIST,
        part="handover",
        detail=access_detail(
            f"{team.name} since {start.isoformat()}: {len(items)} of {total} items"
        ),
    )
    return Handover(
        team=team,
        since=start,
        since_choice=choice,
        shift_found=shift_found,
        items=items,
        read_keys=read & {item.key for item in items},
        total=total,
    )
