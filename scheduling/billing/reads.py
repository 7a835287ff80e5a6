"""Read services of billing that show client data: the pre-flight list and the billing files.

The pre-flight list names clients (and links to their records), and a billing file holds
their BSNs, policy numbers and minutes: reading either is a read of client records. Each
service gates through `scheduling.billing.selectors` (back office only; 404 for everyone
else, and then no access row), writes one access row and returns the data, in one
transaction. The run page, the API and the download views only call these.
"""

from dataclasses import dataclass, field
from uuid import UUID

from django.db import transaction

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from scheduling.billing import selectors
from scheduling.billing.models import BillingRun, RunFile, RunStatus
from scheduling.billing.vektis.reads import rejection_rows, run_rejections
from teams.models import User


@dataclass(frozen=True)
class Preflight:
    """A run's pre-flight list as last checked, and whether the run may be finalised now."""

    run: BillingRun
    problems: list[selectors.Problem]
    blocking: int

    @property
    def can_finalise(self) -> bool:
        return (
            self.run.status == RunStatus.DRAFT
            and self.run.preflight_at is not None
            and not self.blocking
        )


def _log_preflight(
    actor: User, run: BillingRun, problems: list[selectors.Problem], *, named: bool = False
) -> None:
    # An empty list names nobody: only a list with problems (or, on the run page, the
    # insurer's rejections) is a read of client records. One row either way.
    if problems or named:
        access_log_write(actor=actor, action=Action.LIST, part="billing-preflight", detail=str(run))


@transaction.atomic
def billing_preflight_read(*, actor: User, public_id: UUID | str) -> Preflight:
    """The stored pre-flight list of a run (`GET /api/billing/runs/<id>/preflight/`)."""
    run = selectors.billing_run_get_visible(user=actor, public_id=public_id)
    problems = selectors.stored_preflight(run) if run.preflight_at else []
    _log_preflight(actor, run, problems)
    return Preflight(
        run=run, problems=problems, blocking=selectors.preflight_blocking_count(problems)
    )


@dataclass(frozen=True)
class RunPage:
    """What the run page shows: details only once the run is a draft or final."""

    run: BillingRun
    problems: list[selectors.Problem]
    blocking: int
    files: list[RunFile]
    summary: list[dict]
    rejections: list = field(default_factory=list)  # vektis.reads.RejectionRow

    @property
    def can_finalise(self) -> bool:
        return self.run.status == RunStatus.DRAFT

    @property
    def can_rerun(self) -> bool:
        return self.run.status in (RunStatus.DRAFT, RunStatus.FAILED)


@transaction.atomic
def billing_run_open(*, actor: User, public_id: UUID | str) -> RunPage:
    """A run with its pre-flight list, files and totals per service (the run page)."""
    run = selectors.billing_run_get_visible(user=actor, public_id=public_id)
    return billing_run_page(actor=actor, run=run)


@transaction.atomic
def billing_run_page(*, actor: User, run: BillingRun) -> RunPage:
    """The run page of a run the caller already gated (`billing_run_get_visible`)."""
    show_details = run.status in (RunStatus.DRAFT, RunStatus.FINALISED)
    problems = selectors.stored_preflight(run) if show_details else []
    page = RunPage(
        run=run,
        problems=problems,
        blocking=selectors.preflight_blocking_count(problems),
        files=list(selectors.run_files(run=run)) if show_details else [],
        summary=selectors.run_service_summary(run=run) if show_details else [],
        rejections=rejection_rows(run_rejections(run)) if show_details else [],
    )
    _log_preflight(actor, run, problems, named=bool(page.rejections))
    return page


@transaction.atomic
def billing_file_open(*, actor: User, public_id: UUID | str) -> RunFile:
    """One billing file to download (page and API): logged as an export of client data.

    The caller streams `file` after this returns; the row is written first, so a download
    that cannot be logged is not served.
    """
    run_file = selectors.run_file_get_visible(user=actor, public_id=public_id)
    access_log_write(
        actor=actor, action=Action.EXPORT, part="billing-file", detail=run_file.filename
    )
    return run_file
