"""Read services of outcome reports that show client data: a per-client report and its files.

An aggregate report names no client, so reading it writes no access row; a per-client report
(a nurse's own team only) lists clients and their ratings, so showing or downloading it is a
read of client records. Each service gates through `omaha.reports.selectors` (404 for a
report the user may not see, and then no row), writes at most one access row and returns the
data, in one transaction. The pages and the API only call these.
"""

from dataclasses import dataclass
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import Http404

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from omaha.reports import selectors
from omaha.reports.models import OutcomeReport
from teams.models import User

PART = "outcome-report"


def _shows_clients(report: OutcomeReport) -> bool:
    """Whether showing the report's result shows client rows (a built per-client report)."""
    return report.per_client and bool(report.result.get("per_client"))


@transaction.atomic
def report_open(*, actor: User, public_id: UUID | str) -> OutcomeReport:
    """A report the actor may see with its result (the report page, the API detail); its
    per-client table is logged."""
    report = selectors.report_get_visible(user=actor, public_id=public_id)
    if _shows_clients(report):
        access_log_write(actor=actor, action=Action.LIST, part=PART, detail=str(report))
    return report


@dataclass(frozen=True)
class ReportList:
    """One page of the reports an actor may see, results included."""

    page: Page
    rows: list[OutcomeReport]


@transaction.atomic
def report_list_read(*, actor: User, page: int | str = 1, per_page: int) -> ReportList:
    """One page of the reports the actor may see, with their results (the API list).

    A page that shows a per-client report's client rows writes one LIST row naming every such
    report on it; a page of aggregates names nobody and writes none. A page that does not
    exist raises `InvalidPage` (and writes nothing); "last" is the last page.
    """
    paginator = Paginator(selectors.report_list_visible(user=actor), per_page)
    cut = paginator.page(paginator.num_pages if page == "last" else page)
    rows = list(cut.object_list)
    shown = [report for report in rows if _shows_clients(report)]
    if shown:
        detail = "; ".join(str(report) for report in shown)
        access_log_write(actor=actor, action=Action.LIST, part=PART, detail=detail)
    return ReportList(page=cut, rows=rows)


@dataclass(frozen=True)
class ReportFile:
    file: FieldFile
    filename: str


@transaction.atomic
def report_file_open(*, actor: User, public_id: UUID | str, kind: str) -> ReportFile:
    """The report's CSV or PDF to download; 404 for another kind or a file not made yet.

    A per-client report's file is an export of client data and is logged; the caller
    streams `file` after this returns.
    """
    report = selectors.report_get_visible(user=actor, public_id=public_id)
    field = {"csv": report.csv_file, "pdf": report.pdf_file}.get(kind)
    if not field:
        raise Http404
    if report.per_client:
        access_log_write(actor=actor, action=Action.EXPORT, part=PART, detail=kind)
    name = f"outcomes-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.{kind}"
    return ReportFile(file=field, filename=name)
