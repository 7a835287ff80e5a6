"""Read services of outcome reports that show client data: a per-client report and its files.

An aggregate report names no client, so reading it writes no access row; a per-client report
(a nurse's own team only) lists clients and their ratings, so showing or downloading it is a
read of client records. Each service gates through `omaha.reports.selectors` (404 for a
report the user may not see, and then no row), writes at most one access row and returns the
data, in one transaction. The pages only call these.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import Http404

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from omaha.reports import selectors
from omaha.reports.models import OutcomeReport
from teams.models import User


@transaction.atomic
def report_open(*, actor: User, public_id: UUID | str) -> OutcomeReport:
    """A report the actor may see (the report page); its per-client table is logged."""
    report = selectors.report_get_visible(user=actor, public_id=public_id)
    if report.per_client and report.result.get("per_client"):
        access_log_write(actor=actor, action=Action.LIST, part="outcome-report", detail=str(report))
    return report


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
        access_log_write(actor=actor, action=Action.EXPORT, part="outcome-report", detail=kind)
    name = f"outcomes-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.{kind}"
    return ReportFile(file=field, filename=name)
