"""Read services of the access log: reading the log is itself logged (one row per read).

Only administrators read the log. Each service checks the role (404 for anyone else, and then
no row), writes one `audit_view` row naming what was read and returns the data, in one
transaction. The pages only call these.

The audit package depends on no clinical app: these services read `AccessEvent` rows only.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent, Action
from buurtzorg.audit.pdf import render_pdf
from buurtzorg.audit.selectors import access_event_list, client_access_report
from buurtzorg.audit.services import access_log_write
from buurtzorg.dbrouter import read_alias
from buurtzorg.paging import UncountedPage, page_without_count
from buurtzorg.roles import Role

# The role that reads the log (the kernel's role choices: the audit package imports no app).
LOG_READER_ROLES = (Role.ADMIN,)
PAGE_SIZE = 50


def _check_reader(actor: Any) -> None:
    if not (
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
        and getattr(actor, "role", None) in LOG_READER_ROLES
    ):
        raise Http404


@transaction.atomic
def access_log_read(
    *,
    actor: Any,
    query: str,
    page: object = None,
    client_public_id: UUID | None = None,
    username: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> UncountedPage:
    """One page of the log, newest first, narrowed by the filters (each optional).

    The row names the filters (`query`, without the page number) and the client, if one
    was asked for. No COUNT(*) of the whole log: it grows by a row for every record opened.
    """
    _check_reader(actor)
    access_log_write(
        actor=actor,
        action=Action.AUDIT_VIEW,
        client_public_id=client_public_id,
        part="audit-log",
        detail=query,
    )
    events = access_event_list(
        client_public_id=client_public_id,
        username=username,
        action=action,
        date_from=date_from,
        date_to=date_to,
    )
    return page_without_count(events, page, PAGE_SIZE)


def _log_client_report(actor: Any, client_public_id: UUID, kind: str) -> None:
    access_log_write(
        actor=actor,
        action=Action.AUDIT_VIEW,
        client_public_id=client_public_id,
        part="who-saw-my-record",
        detail=kind,
    )


@transaction.atomic
def client_access_report_read(*, actor: Any, client_public_id: UUID) -> QuerySet[AccessEvent]:
    """Who saw one client's record ("who saw my record"), for the page; the caller pages it."""
    _check_reader(actor)
    _log_client_report(actor, client_public_id, "page")
    return client_access_report(client_public_id=client_public_id)


@transaction.atomic
def client_access_report_csv_read(*, actor: Any, client_public_id: UUID) -> Iterator[AccessEvent]:
    """The same rows for the CSV download, read in chunks while the response streams."""
    _check_reader(actor)
    _log_client_report(actor, client_public_id, "csv")
    # Streamed after this returns: the alias is fixed now (the replica when there is one and it
    # has replayed every row committed before this request; the primary otherwise).
    events = client_access_report(client_public_id=client_public_id)
    return events.using(read_alias(caught_up=True)).iterator(chunk_size=2000)


@transaction.atomic
def client_access_report_pdf(*, actor: Any, client_public_id: UUID) -> bytes:
    """The same rows as a PDF, made here, in the transaction that logs the read."""
    _check_reader(actor)
    _log_client_report(actor, client_public_id, "pdf")
    events = client_access_report(client_public_id=client_public_id).using(
        read_alias(caught_up=True)
    )
    return render_pdf(
        "audit/accessevent_client_report_pdf.html",
        {
            "events": events.iterator(chunk_size=2000),
            "client_public_id": client_public_id,
            "generated_at": timezone.localtime(),
            "generated_by": actor,
        },
    )
