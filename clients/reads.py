"""Every read of a client record: one service per way a person reads it.

Each service checks visibility through `clients.selectors` (404, and no access row, for a
record the actor may not see), writes exactly one access row and returns the data, in one
transaction: a read whose access row cannot be written returns nothing. Views and API views
call these and render; they neither log nor open transactions themselves.

The `part` and `detail` of each row are what the access-log pages and a client's "who saw my
record" report show; a read through the API says so in `detail` ("api ...").
"""

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.module_loading import import_string

from buurtzorg.audit.context import current_request
from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from buurtzorg.dbrouter import replica_reads
from buurtzorg.paging import UncountedPage, page_without_count
from clients.export import client_record_fhir
from clients.models import (
    Client,
    ClientProblem,
    Intervention,
    NetworkContact,
    OutcomeRating,
    ProblemStatus,
)
from clients.selectors import (
    client_get_clinical,
    client_get_editable,
    client_get_visible,
    client_interventions,
    client_list_with_problem_names,
    client_problem_get_visible,
    client_problems,
    client_ratings,
    client_record_get_visible,
    client_record_problems,
    client_rows_problem_names,
    client_search,
    user_edits_clients,
    user_reads_clinical,
)
from teams.models import User

PAGE_SIZE = 25


def access_detail(*parts: str) -> str:
    """An access row's `detail`: the given parts, after "api" when the request came through
    the API (how the log has always told API reads from page reads)."""
    request = current_request()
    via = ("api",) if request is not None and request.via_api else ()
    return " ".join(part for part in (*via, *parts) if part)


def _log(actor: User, action: str, client: Client | None, part: str, detail: str = "") -> None:
    access_log_write(
        actor=actor,
        action=action,
        client_public_id=client.public_id if client is not None else None,
        part=part,
        detail=detail,
    )


# --- the client list and search ------------------------------------------------------------------


@dataclass(frozen=True)
class ClientList:
    """One page of the clients an actor may see, and how much of each she may read."""

    page: Page | UncountedPage
    rows: list[Client]
    clinical: bool
    can_edit: bool


@transaction.atomic
def client_list_read(
    *,
    actor: User,
    query: str = "",
    status: str = "",
    problem_code: str = "",
    page: Any = 1,
    per_page: int = PAGE_SIZE,
    strict: bool = False,
    problem_names: bool = True,
) -> ClientList:
    """Search the visible clients and read one page; one LIST row naming the search.

    Filtering on a problem is clinical, so it is dropped for back office. `strict` raises
    `InvalidPage` for a page that does not exist (the API answers 404; its answer carries the
    count). Otherwise (the page) the list is cut without a COUNT(*): for back office that
    count ran over all ~100,000 clients on every view, growing with the organisation.
    `problem_names` adds each row's active problems (the page shows them; the API does not),
    in the same query on PostgreSQL.
    """
    clinical = user_reads_clinical(user=actor)
    problem = problem_code if clinical else ""
    clients = client_search(user=actor, query=query, status=status, problem_code=problem)
    names = clinical and problem_names
    if names:
        clients = client_list_with_problem_names(clients=clients)
    cut: Page | UncountedPage
    if strict:
        paginator = Paginator(clients, per_page)
        cut = paginator.page(paginator.num_pages if page == "last" else page)
    else:
        cut = page_without_count(clients, page, per_page)
    rows = list(cut.object_list)
    if names:
        client_rows_problem_names(rows=rows)  # no query on PostgreSQL (see the selector)
    searched = f"q={query!r} status={status!r} problem={problem!r}"
    request = current_request()
    if request is not None and request.via_api:
        detail = f"api {searched}"
    else:
        detail = f"{searched} page={cut.number}"
    _log(actor, Action.LIST, None, "client-list", detail)
    return ClientList(
        page=cut, rows=rows, clinical=clinical, can_edit=user_edits_clients(user=actor)
    )


# --- one record ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientRecord:
    """A client record with the parts the actor may read: administrative fields and care
    indications for everyone who sees it, the Omaha record and network for nurses and coaches."""

    client: Client
    clinical: bool
    can_edit: bool
    problems: list[ClientProblem] = field(default_factory=list)
    # What the apps above clients add to the page (settings.CLIENT_RECORD_PARTS), by name.
    parts: dict[str, Any] = field(default_factory=dict)

    @property
    def part(self) -> str:
        return "record" if self.clinical else "administrative"

    @property
    def active_problems(self) -> list[ClientProblem]:
        return [p for p in self.problems if p.status == ProblemStatus.ACTIVE]

    @property
    def resolved_problems(self) -> list[ClientProblem]:
        return [p for p in self.problems if p.status != ProblemStatus.ACTIVE]


def _record_parts(client: Client) -> dict[str, Any]:
    """The clinical sections other apps add to the record page (medication, ...): each
    `settings.CLIENT_RECORD_PARTS` entry is called as f(client=) inside the record's read,
    which gates and logs them with the record."""
    parts: dict[str, Any] = {}
    for path in settings.CLIENT_RECORD_PARTS:
        parts |= import_string(path)(client=client)
    return parts


@transaction.atomic
def client_record_open(*, actor: User, public_id: UUID | str) -> ClientRecord:
    """The record page: the client with its indications (and network), and for nurses and
    coaches the Omaha record with its ratings, in a fixed number of queries."""
    client = client_record_get_visible(user=actor, public_id=public_id)
    clinical = user_reads_clinical(user=actor)
    record = ClientRecord(
        client=client,
        clinical=clinical,
        can_edit=user_edits_clients(user=actor) and client.is_active,
        problems=client_record_problems(client=client) if clinical else [],
        parts=_record_parts(client) if clinical else {},
    )
    _log(actor, Action.VIEW, client, record.part, access_detail())
    return record


@transaction.atomic
def client_detail_read(*, actor: User, public_id: UUID | str) -> ClientRecord:
    """The API's detail of a client: its fields and care indications (no Omaha record)."""
    client = client_get_visible(user=actor, public_id=public_id)
    prefetch_related_objects([client], "indications")
    record = ClientRecord(
        client=client,
        clinical=user_reads_clinical(user=actor),
        can_edit=user_edits_clients(user=actor) and client.is_active,
    )
    _log(actor, Action.VIEW, client, record.part, access_detail())
    return record


@transaction.atomic
def client_problems_read(*, actor: User, public_id: UUID | str) -> list[ClientProblem]:
    """The Omaha problems of a client with modifiers, signs, care plan and ratings."""
    client = client_get_clinical(user=actor, public_id=public_id)
    problems = list(client_problems(client=client))
    _log(actor, Action.VIEW, client, "problems", access_detail())
    return problems


@transaction.atomic
def care_plan_read(*, actor: User, public_id: UUID | str) -> list[Intervention]:
    """The care plan: the interventions of every problem of a client."""
    client = client_get_clinical(user=actor, public_id=public_id)
    interventions = list(client_interventions(client=client))
    _log(actor, Action.VIEW, client, "care-plan", access_detail())
    return interventions


@transaction.atomic
def client_ratings_read(*, actor: User, public_id: UUID | str) -> list[OutcomeRating]:
    """Every outcome rating of a client, per problem over time."""
    client = client_get_clinical(user=actor, public_id=public_id)
    ratings = list(client_ratings(client=client))
    _log(actor, Action.VIEW, client, "ratings", access_detail())
    return ratings


@transaction.atomic
def client_record_export(*, actor: User, public_id: UUID | str) -> dict[str, Any]:
    """The whole Omaha record as FHIR-style JSON, logged as an export (pages and API alike)."""
    client = client_get_clinical(user=actor, public_id=public_id)
    with replica_reads(caught_up=True):  # the export from the replica; the gate and log: primary
        bundle = client_record_fhir(client=client)
    _log(actor, Action.EXPORT, client, "omaha-record", "FHIR JSON (HL7 oms)")
    return bundle


# --- the pages of the record's forms -------------------------------------------------------------


@dataclass(frozen=True)
class RecordForm:
    """What a form page of a record shows: the client, and the problem for a problem's form."""

    client: Client
    client_problem: ClientProblem | None = None


@dataclass(frozen=True)
class ConfirmPage:
    """What a confirmation page shows before an action that cannot be undone."""

    client: Client
    client_problem: ClientProblem | None = None
    intervention: Intervention | None = None
    contact: NetworkContact | None = None


@transaction.atomic
def confirm_page_open(
    *,
    actor: User,
    public_id: UUID | str,
    action: str,
    problem_id: UUID | str | None = None,
    intervention_id: UUID | str | None = None,
    contact_id: UUID | str | None = None,
) -> ConfirmPage:
    """The "are you sure?" page of stopping an intervention or removing a network contact.

    Only a nurse who may change the record gets it (404 otherwise, like the action itself);
    logged as a VIEW of "<action>-confirm": the page names what will be changed.
    """
    client = client_get_editable(user=actor, public_id=public_id)
    client_problem = intervention = contact = None
    detail = ""
    if problem_id is not None:
        client_problem = client_problem_get_visible(user=actor, client=client, public_id=problem_id)
        detail = client_problem.problem.code
    if intervention_id is not None:
        intervention = get_object_or_404(
            Intervention.objects.select_related("category", "target"),
            client_problem=client_problem,
            public_id=intervention_id,
        )
    if contact_id is not None:
        contact = get_object_or_404(NetworkContact, client=client, public_id=contact_id)
    _log(actor, Action.VIEW, client, f"{action}-confirm", detail)
    return ConfirmPage(client, client_problem, intervention, contact)


@transaction.atomic
def record_form_open(
    *, actor: User, public_id: UUID | str, form: str, problem_id: UUID | str | None = None
) -> RecordForm:
    """A form page of a record the actor may change (edit, discharge, problem, rating, ...).

    Logged as a VIEW of "<form>-form" (naming the problem's code for a problem's form): the
    page shows the record's data. A submitted form that is saved is logged by the write
    service instead, so a request writes one row either way.
    """
    client = client_get_editable(user=actor, public_id=public_id)
    client_problem = None
    if problem_id is not None:
        client_problem = client_problem_get_visible(user=actor, client=client, public_id=problem_id)
    detail = client_problem.problem.code if client_problem is not None else ""
    _log(actor, Action.VIEW, client, f"{form}-form", detail)
    return RecordForm(client=client, client_problem=client_problem)
