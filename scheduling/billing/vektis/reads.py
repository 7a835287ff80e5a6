"""Read and write entry points for the run page's return-message section (page and API).

Rejections name clients and their BSN-bearing lines: reading them is a read of client data,
so it goes through the billing gate (back office only, 404 otherwise) and writes an access
row in the same transaction, like `scheduling.billing.reads`.
"""

from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from scheduling.billing import selectors
from scheduling.billing.models import BillingRun, Rejection, ReturnFile
from scheduling.billing.vektis import returns
from scheduling.billing.vektis.codes import return_code_text
from teams.models import User


@dataclass(frozen=True)
class RejectionRow:
    rejection: Rejection
    reasons: list[tuple[str, str]]  # (code, text)


def run_rejections(run: BillingRun) -> QuerySet[Rejection]:
    """The rejections of a run's return files (selector: no logging)."""
    return (
        Rejection.objects.filter(return_file__run=run)
        .select_related("line__client", "return_file", "redeclared_in")
        .order_by("return_file__created_at", "record_number")
    )


def rejection_rows(rejections: QuerySet[Rejection]) -> list[RejectionRow]:
    return [
        RejectionRow(r, [(code, str(return_code_text(code))) for code in r.codes])
        for r in rejections
    ]


def log_rejections_shown(*, actor: User, run: BillingRun) -> None:
    access_log_write(actor=actor, action=Action.LIST, part="billing-rejections", detail=str(run))


@transaction.atomic
def billing_rejections_read(*, actor: User, public_id: UUID | str) -> list[RejectionRow]:
    """A run's rejections with their reasons (API); one access row when any are shown."""
    run = selectors.billing_run_get_visible(user=actor, public_id=public_id)
    rows = rejection_rows(run_rejections(run))
    if rows:
        log_rejections_shown(actor=actor, run=run)
    return rows


def return_file_upload(
    *, actor: User, run: BillingRun, filename: str, content: bytes
) -> ReturnFile:
    """Store an insurer's return message for a run gated by `billing_run_get_visible`."""
    from scheduling.billing.services import invoice_number  # cycle: services import vektis

    return returns.return_file_store(
        run=run, filename=filename, content=content, actor=actor, number_for=invoice_number
    )


def rejection_get_visible(*, user: User, public_id: UUID | str) -> Rejection:
    runs = selectors.billing_run_list_visible(user=user)
    return get_object_or_404(
        Rejection.objects.filter(return_file__run__in=runs).select_related("return_file__run"),
        public_id=public_id,
    )


def rejection_fixed(*, actor: User, rejection: Rejection) -> Rejection:
    """Back office marks a rejection (gated by `rejection_get_visible`) fixed."""
    return returns.rejection_mark_ready(rejection=rejection, actor=actor)
