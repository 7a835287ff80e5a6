"""Writes of outcome reports: request one (checks who may ask what) and build it (the task)."""

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.dbrouter import replica_reads
from buurtzorg.l10n import reader_language
from buurtzorg.tasks import RETRYABLE_ERRORS
from omaha.reports import aggregates, selectors
from omaha.reports.files import report_csv_bytes, report_pdf_bytes
from omaha.reports.models import OutcomeReport, ReportScope, ReportStatus
from teams.models import Neighbourhood, Team, User

if TYPE_CHECKING:  # django-stubs' name for "a str or a lazy translation"; no runtime import
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

# Messages (tests import these); lazy, so each is translated in the reader's language.
PERIOD_REVERSED = _("The end date cannot be before the start date.")
PERIOD_IN_FUTURE = _("The period cannot start in the future.")
PERIOD_TOO_LONG = _("A report covers at most 3 years.")
SCOPE_NEEDS_TEAM = _("Choose the team.")
SCOPE_NEEDS_NEIGHBOURHOOD = _("Choose the neighbourhood.")
PER_CLIENT_NURSES_ONLY = _(
    "A report with client names is only for nurses of that team; ask for the aggregate report."
)
SCOPE_NOT_ALLOWED = _("You can only ask for reports about your own team(s).")


def _check_access(
    *,
    actor: User,
    scope: str,
    team: Team | None,
    neighbourhood: Neighbourhood | None,
    per_client: bool,
) -> None:
    """Who may ask what is decided in `omaha.reports.selectors` (with who may see what)."""
    if per_client and not selectors.report_may_ask_per_client(user=actor, team=team):
        raise ValidationError({"per_client": [PER_CLIENT_NURSES_ONLY]})
    if not selectors.report_may_ask(
        user=actor, scope=scope, team=team, neighbourhood=neighbourhood
    ):
        raise ValidationError({"scope": [SCOPE_NOT_ALLOWED]})


@transaction.atomic
def outcome_report_request(
    *,
    actor: User,
    scope: str,
    period_start: dt.date,
    period_end: dt.date,
    team: Team | None = None,
    neighbourhood: Neighbourhood | None = None,
    per_client: bool = False,
) -> OutcomeReport:
    """Create a report and queue its build on commit. Each request is its own report.

    Its files are written in the requester's language, which the task is given."""
    from omaha.reports.tasks import outcome_report_build_task  # cycle: tasks import services

    errors: dict[str, list[StrOrPromise]] = {}
    if period_end < period_start:
        errors["period_end"] = [PERIOD_REVERSED]
    if period_start > timezone.localdate():
        errors["period_start"] = [PERIOD_IN_FUTURE]
    if (period_end - period_start).days > 3 * 366:
        errors.setdefault("period_end", []).append(PERIOD_TOO_LONG)
    if scope == ReportScope.TEAM and team is None:
        errors["team"] = [SCOPE_NEEDS_TEAM]
    if scope == ReportScope.NEIGHBOURHOOD and neighbourhood is None:
        errors["neighbourhood"] = [SCOPE_NEEDS_NEIGHBOURHOOD]
    if errors:
        raise ValidationError(errors)
    if scope != ReportScope.TEAM:
        team = None
    if scope != ReportScope.NEIGHBOURHOOD:
        neighbourhood = None
    _check_access(
        actor=actor, scope=scope, team=team, neighbourhood=neighbourhood, per_client=per_client
    )
    report = OutcomeReport(
        scope=scope,
        team=team,
        neighbourhood=neighbourhood,
        period_start=period_start,
        period_end=period_end,
        per_client=per_client,
        requested_by=actor,
        steps_total=aggregates.STEPS + 1,
    )
    report.full_clean()
    report.save()
    outcome_report_build_task.delay_on_commit(report.pk, reader_language(actor))
    return report


@transaction.atomic
def _claim(report_id: int) -> OutcomeReport | None:
    report = OutcomeReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.status not in (ReportStatus.PENDING, ReportStatus.RUNNING):
        return None
    report.status, report.stage = ReportStatus.RUNNING, "computing"
    report.started_at, report.steps_done = timezone.now(), 0
    report.attempts = F("attempts") + 1
    report.save()
    report.refresh_from_db()
    return report


def outcome_report_build(*, report_id: int, language: str | None = None) -> OutcomeReport | None:
    """Compute, render and store; the result and files appear in one commit. Idempotent.

    The CSV and PDF are written in `language` (the requester's; default LANGUAGE_CODE)."""
    report = _claim(report_id)
    if report is None:
        return None

    def progress(step: int) -> None:
        OutcomeReport.objects.filter(pk=report.pk).update(steps_done=step)

    try:
        # The aggregates read the replica when there is one, once it has replayed everything
        # committed before now (the progress and the result are written to the primary).
        with replica_reads(caught_up=True):
            result = aggregates.compute(report, progress=progress)
        OutcomeReport.objects.filter(pk=report.pk).update(stage="writing files")
        language = language or settings.LANGUAGE_CODE
        csv_bytes = report_csv_bytes(report, result, language)
        pdf_bytes = report_pdf_bytes(report, result, language)
        with transaction.atomic():
            locked = OutcomeReport.objects.select_for_update().get(pk=report.pk)
            if locked.status != ReportStatus.RUNNING:
                return locked
            stem = f"outcomes-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}"
            locked.csv_file.save(f"{stem}.csv", ContentFile(csv_bytes), save=False)
            locked.pdf_file.save(f"{stem}.pdf", ContentFile(pdf_bytes), save=False)
            locked.result = result
            locked.client_count = result["clients"]
            locked.status, locked.stage = ReportStatus.DONE, "done"
            locked.steps_done = locked.steps_total
            locked.finished_at = timezone.now()
            locked.save()
        return locked
    except RETRYABLE_ERRORS:
        raise
    except Exception as exc:
        logger.exception("Outcome report %s failed", report.pk)
        OutcomeReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{exc.__class__.__name__}: {exc}"[:2000],
        )
        return OutcomeReport.objects.get(pk=report.pk)
