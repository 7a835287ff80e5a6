"""Client pages: list, record, register/edit/discharge, Omaha problems, care plan, ratings.

Every view reaches rows through `clients.selectors` (404 for anything the user may not see)
and writes exactly one audit row per request. Writing views are atomic, so a change and its
audit row are stored together or not at all (a failed audit write fails the request). The two
reading pages (list and record) are not: their only write is the audit row, so a transaction
would add round trips and no guarantee (a failed audit write still fails the request).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from buurtzorg.access import role_required
from buurtzorg.audit.models import Action
from buurtzorg.audit.services import audit_record
from buurtzorg.forms import add_service_errors
from clients import services
from clients.charts import rating_chart
from clients.forms import (
    ClientEditForm,
    ClientFilterForm,
    ClientForm,
    DischargeForm,
    IndicationForm,
    InterventionForm,
    NetworkContactForm,
    ProblemForm,
    RatingForm,
    ResolveForm,
)
from clients.models import Client, Intervention, NetworkContact, ProblemStatus
from clients.selectors import (
    client_get_editable,
    client_list_with_problem_names,
    client_problem_get_visible,
    client_record_get_visible,
    client_record_problems,
    client_rows_problem_names,
    client_search,
    team_suggest_for_postcode,
    user_edits_clients,
    user_reads_clinical,
)
from clients.services import SignInput
from omaha.models import Severity, SignSymptom
from teams.models import Role
from teams.selectors import team_for_nurse

PAGE_SIZE = 25
ALL_ROLES = (Role.NURSE, Role.COACH, Role.BACK_OFFICE)


def _audit(
    request: HttpRequest, action: str, client: Client | None, part: str, detail: str = ""
) -> None:
    audit_record(
        request=request,
        action=action,
        client_public_id=client.public_id if client else None,
        part=part,
        detail=detail,
    )


def _done(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _atomic(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with transaction.atomic():
            return view(request, *args, **kwargs)

    return wrapped


# --- list -------------------------------------------------------------------------------------


@require_GET
@role_required(*ALL_ROLES)
def client_list(request: HttpRequest) -> HttpResponse:
    form = ClientFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {}) or {}
    clinical = user_reads_clinical(user=request.user)
    query, status = data.get("q", ""), data.get("status", "")
    problem = data.get("problem", "") if clinical else ""
    clients = client_search(user=request.user, query=query, status=status, problem_code=problem)
    if clinical:
        clients = client_list_with_problem_names(clients=clients)
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    if clinical:
        client_rows_problem_names(rows=rows)  # no query on PostgreSQL (see the selector)
    detail = f"q={query!r} status={status!r} problem={problem!r} page={page.number}"
    _audit(request, Action.LIST, None, "client-list", detail)
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "clinical": clinical,
        "can_edit": user_edits_clients(user=request.user),
        "querystring": querystring.urlencode(),
    }
    template = "clients/client_list.html" + ("#client-rows" if request.htmx else "")
    return render(request, template, context)


# --- record -----------------------------------------------------------------------------------


def _record_context(request: HttpRequest, client: Client) -> dict[str, Any]:
    clinical = user_reads_clinical(user=request.user)
    context: dict[str, Any] = {
        "client_record": client,
        "clinical": clinical,
        "can_edit": user_edits_clients(user=request.user) and client.is_active,
        "indications": client.indication_rows,
    }
    if clinical:
        problems = client_record_problems(client=client)
        for cp in problems:
            cp.chart = rating_chart(cp.ratings.all())
        context |= {
            "active_problems": [p for p in problems if p.status == ProblemStatus.ACTIVE],
            "resolved_problems": [p for p in problems if p.status != ProblemStatus.ACTIVE],
            "network": client.network_rows,
        }
    return context


@require_GET
@role_required(*ALL_ROLES)
def client_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    client = client_record_get_visible(user=request.user, public_id=public_id)
    context = _record_context(request, client)
    part = "record" if context["clinical"] else "administrative"
    _audit(request, Action.VIEW, client, part)
    return render(request, "clients/client_detail.html", context)


@require_GET
@role_required(Role.NURSE, Role.COACH)
@_atomic
def client_export(request: HttpRequest, public_id: UUID) -> HttpResponse:
    bundle = services.client_record_export(request=request, public_id=public_id)
    response = JsonResponse(bundle, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="omaha-record-{public_id}.json"'
    return response


# --- register / edit / discharge ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
@_atomic
def client_register(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None)
    suggestion = None
    own_team = team_for_nurse(nurse=request.user)
    if request.method == "POST" and form.is_valid():
        suggestion = team_suggest_for_postcode(postcode=form.cleaned_data["postcode"])
        try:
            client = services.client_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _audit(request, Action.CREATE, client, "registration")
            messages.success(request, f"{client.full_name} is registered.")
            if suggestion and own_team and suggestion.pk != own_team.pk:
                messages.warning(
                    request,
                    f"Postcode {client.postcode} lies in the area of {suggestion.name}; "
                    "consider handing this client over.",
                )
            return _done(request, client.get_absolute_url())
    elif request.GET.get("postcode"):
        suggestion = team_suggest_for_postcode(postcode=request.GET["postcode"])
    template = "clients/client_form.html" + ("#client-form" if request.htmx else "")
    return render(
        request,
        template,
        {"form": form, "own_team": own_team, "suggestion": suggestion, "creating": True},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
@_atomic
def client_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    client = client_get_editable(user=request.user, public_id=public_id)
    initial = {name: getattr(client, name) for name in services.CLIENT_FIELDS}
    form = ClientEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(client=client, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _audit(request, Action.UPDATE, client, "personal-details")
            messages.success(request, "Details saved.")
            return _done(request, client.get_absolute_url())
    _audit(request, Action.VIEW, client, "personal-details-form")
    template = "clients/client_form.html" + ("#client-form" if request.htmx else "")
    return render(request, template, {"form": form, "client_record": client})


def _record_form(
    service: Callable[..., Any],
    *,
    form_class: type,
    part: str,
    title: str,
    submit: str,
    done_message: str,
    on_problem: bool = False,
    action: str = Action.UPDATE,
    anchor: str = "",
    initial: Callable[[], dict] | None = None,
) -> Callable[..., HttpResponse]:
    """The page of one small record form: discharge, indication, network contact, and per
    problem resolve, intervention and rating.

    GET shows the form; a valid POST calls `service(client=... or client_problem=...,
    actor=..., **cleaned_data)` and goes back to the record (service errors land on the form).
    Nurses of the client's team only, like every edit; one audit row either way.
    """

    @require_http_methods(["GET", "POST"])
    @role_required(Role.NURSE)
    @_atomic
    def view(request: HttpRequest, public_id: UUID, problem_id: UUID | None = None) -> HttpResponse:
        client = client_get_editable(user=request.user, public_id=public_id)
        target: dict[str, Any] = {"client": client}
        client_problem, detail, back = None, "", client.get_absolute_url() + anchor
        if on_problem:
            client_problem = client_problem_get_visible(
                user=request.user, client=client, public_id=problem_id
            )
            target = {"client_problem": client_problem}
            detail = client_problem.problem.code
            back = client.get_absolute_url() + f"#p-{client_problem.public_id}"
        form = form_class(request.POST or None, initial=initial() if initial else {})
        if request.method == "POST" and form.is_valid():
            try:
                service(**target, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _audit(request, action, client, part, detail)
                messages.success(request, done_message)
                return _done(request, back)
        _audit(request, Action.VIEW, client, f"{part}-form", detail)
        template = "clients/record_form.html" + ("#record-form" if request.htmx else "")
        context = {"form": form, "client_record": client, "title": title, "submit": submit}
        if client_problem is not None:
            context["client_problem"] = client_problem
        return render(request, template, context)

    view.__name__ = view.__qualname__ = part.replace("-", "_") + "_form"
    return view


client_discharge = _record_form(
    services.client_discharge,
    form_class=DischargeForm,
    part="discharge",
    title="Discharge",
    submit="Discharge client",
    done_message="The client is discharged.",
)
indication_add = _record_form(
    services.care_indication_add,
    form_class=IndicationForm,
    part="indication",
    title="Add a care indication",
    submit="Add indication",
    done_message="Care indication added.",
)
network_add = _record_form(
    services.network_contact_add,
    form_class=NetworkContactForm,
    part="network",
    title="Add someone to the informal network",
    submit="Add contact",
    done_message="Contact added.",
    anchor="#network",
)


@require_POST
@role_required(Role.NURSE)
@_atomic
def network_remove(request: HttpRequest, public_id: UUID, contact_id: UUID) -> HttpResponse:
    client = client_get_editable(user=request.user, public_id=public_id)
    contact = get_object_or_404(NetworkContact, client=client, public_id=contact_id)
    services.network_contact_remove(contact=contact, actor=request.user)
    _audit(request, Action.DELETE, client, "network")
    messages.success(request, f"{contact.name} removed from the network.")
    return _done(request, client.get_absolute_url() + "#network")


# --- Omaha problems -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
@_atomic
def problem_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Cascading form. GETs from htmx re-render it as the nurse picks domain, problem, signs."""
    client = client_get_editable(user=request.user, public_id=public_id)
    if request.method == "POST":
        form = ProblemForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            signs = [SignInput(key) for key in data["signs"]]
            if data["other_text"] or data["other_reason"]:
                other = SignSymptom.objects.filter(
                    problem__code=data["problem"], is_other=True
                ).first()
                signs.append(
                    SignInput(other.key if other else "", data["other_text"], data["other_reason"])
                )
            try:
                client_problem = services.client_problem_add(
                    client=client,
                    actor=request.user,
                    problem=data["problem"],
                    scope=data["scope"],
                    severity=data["severity"],
                    priority=data["priority"],
                    identified_on=data["identified_on"],
                    signs=signs,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                _audit(request, Action.CREATE, client, "problem", client_problem.problem.code)
                messages.success(request, f"{client_problem.problem.name} added.")
                return _done(request, client.get_absolute_url() + f"#p-{client_problem.public_id}")
    else:
        initial = request.GET.copy()
        if not initial.get("identified_on"):
            initial["identified_on"] = timezone.localdate().isoformat()
        form = ProblemForm(initial=initial)
    _audit(request, Action.VIEW, client, "problem-form")
    template = "clients/problem_form.html" + ("#problem-form" if request.htmx else "")
    return render(
        request,
        template,
        {"form": form, "client_record": client, "actual": Severity.ACTUAL},
    )


problem_resolve = _record_form(
    services.client_problem_resolve,
    form_class=ResolveForm,
    part="problem-resolve",
    title="Resolve problem",
    submit="Resolve",
    done_message="Problem resolved.",
    on_problem=True,
    action=Action.CREATE,
)
intervention_add = _record_form(
    services.intervention_add,
    form_class=InterventionForm,
    part="intervention",
    title="Add to the care plan",
    submit="Add intervention",
    done_message="Intervention added to the care plan.",
    on_problem=True,
    action=Action.CREATE,
)


@require_POST
@role_required(Role.NURSE)
@_atomic
def intervention_stop(
    request: HttpRequest, public_id: UUID, problem_id: UUID, intervention_id: UUID
) -> HttpResponse:
    client = client_get_editable(user=request.user, public_id=public_id)
    client_problem = client_problem_get_visible(
        user=request.user, client=client, public_id=problem_id
    )
    intervention = get_object_or_404(
        Intervention, client_problem=client_problem, public_id=intervention_id
    )
    services.intervention_stop(intervention=intervention, actor=request.user)
    _audit(request, Action.UPDATE, client, "intervention", client_problem.problem.code)
    messages.success(request, "Intervention stopped.")
    return _done(request, client.get_absolute_url() + f"#p-{client_problem.public_id}")


rating_add = _record_form(
    services.outcome_rating_add,
    form_class=RatingForm,
    part="rating",
    title="Rate Knowledge, Behavior and Status",
    submit="Save rating",
    done_message="Rating saved.",
    on_problem=True,
    action=Action.CREATE,
    initial=lambda: {"rated_on": timezone.localdate()},
)
