"""Client pages: list, record, register/edit/discharge, Omaha problems, care plan, ratings.

Thin adapters: pages read through `clients.reads` (which checks visibility, logs the access
and returns the data) and change records through `clients.services` (which log the change).
Anything the user may not see answers 404; every request writes one access row, written by
the service it calls.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from urllib.parse import quote
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from clients import reads, services
from clients.charts import rating_chart, rating_rows_html
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
from clients.intake.models import IntakeRequest
from clients.intake.services import SENT_TO_BACK_OFFICE
from clients.models import Client, ClientProblem, Intervention, NetworkContact
from clients.selectors import (
    client_get_editable,
    client_problem_get_visible,
    team_suggest_for_postcode,
)
from clients.services import SignInput
from omaha.models import Severity, SignSymptom
from teams.http import AuthenticatedHttpRequest
from teams.models import Role
from teams.selectors import team_for_nurse

if TYPE_CHECKING:  # django-stubs' name for "a str or a lazy translation"; no runtime import
    from django_stubs_ext import StrOrPromise

ALL_ROLES = (Role.NURSE, Role.COACH, Role.BACK_OFFICE)


def _done(request: AuthenticatedHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# --- list -------------------------------------------------------------------------------------


@require_GET
@role_required(*ALL_ROLES)
def client_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ClientFilterForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {}) or {}
    listing = reads.client_list_read(
        actor=request.user,
        query=data.get("q", ""),
        status=data.get("status", ""),
        problem_code=data.get("problem", ""),
        page=request.GET.get("page"),
    )
    querystring = request.GET.copy()
    querystring.pop("page", None)
    context = {
        "form": form,
        "page": listing.page,
        "rows": listing.rows,
        "clinical": listing.clinical,
        "can_edit": listing.can_edit,
        "querystring": querystring.urlencode(),
    }
    template = "clients/client_list.html" + ("#client-rows" if request.htmx else "")
    return render(request, template, context)


# --- record -----------------------------------------------------------------------------------


# Stand for a problem's, an intervention's and an Omaha problem code's place in the links of
# the record page's problem cards.
_PROBLEM_ID = str(UUID(int=1))
_INTERVENTION_ID = str(UUID(int=2))
_PROBLEM_CODE = "problem-code"


def _add_problem_links(client: Client, problems: list[ClientProblem]) -> None:
    """`cp.links` and each intervention row's `stop_url` for the problem cards, from one
    `reverse` per kind for all cards (a `{% url %}` per link cost more than the rest of a
    card's markup), as My day's cards do (scheduling.views.visits)."""
    patterns = {
        key: reverse(name, args=[client.public_id, _PROBLEM_ID])
        for key, name in (
            ("add_intervention", "clients:intervention-add"),
            ("add_rating", "clients:rating-add"),
            ("resolve", "clients:problem-resolve"),
        )
    }
    stop = reverse(
        "clients:intervention-stop", args=[client.public_id, _PROBLEM_ID, _INTERVENTION_ID]
    )
    try:  # the link is left out where the coaching pages are not installed
        questions = reverse("coaching:problem-questions", args=[_PROBLEM_CODE])
    except NoReverseMatch:
        questions = ""
    for cp in problems:
        problem_id = str(cp.public_id)
        cp.links = {key: url.replace(_PROBLEM_ID, problem_id) for key, url in patterns.items()}
        code = quote(cp.problem.code, safe=RFC3986_SUBDELIMS + "/~:@")  # as reverse() quotes
        cp.links["questions"] = questions.replace(_PROBLEM_CODE, code)
        stop_of_problem = stop.replace(_PROBLEM_ID, problem_id)
        for iv in cp.intervention_rows:
            iv.stop_url = stop_of_problem.replace(_INTERVENTION_ID, str(iv.public_id))


@require_GET
@role_required(*ALL_ROLES)
def client_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    record = reads.client_record_open(actor=request.user, public_id=public_id)
    client = record.client
    context: dict[str, Any] = {
        "client_record": client,
        "clinical": record.clinical,
        "can_edit": record.can_edit,
        "indications": client.indication_rows,
        "indication_max": services.indication_max_hours(),
    }
    for row in client.indication_rows:  # older rows above today's maximum are flagged
        row.above_maximum = Decimal(str(row.hours_per_week)) > context["indication_max"]
    if record.clinical:
        _add_problem_links(client, record.problems)
        for cp in record.problems:
            chart = rating_chart(cp.rating_list)
            cp.chart_html = chart.html(cp.problem.name) if chart else ""
            cp.rating_rows_html = rating_rows_html(cp.rating_list)
        context |= {
            "active_problems": record.active_problems,
            "resolved_problems": record.resolved_problems,
            "network": client.network_rows,
            **record.parts,
        }
    return render(request, "clients/client_detail.html", context)


@require_GET
@role_required(Role.NURSE, Role.COACH)
def client_export(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    bundle = reads.client_record_export(actor=request.user, public_id=public_id)
    response = JsonResponse(bundle, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="omaha-record-{public_id}.json"'
    return response


# --- register / edit / discharge ---------------------------------------------------------------
#
# A form page is read through `reads.record_form_open` (one VIEW row of "<form>-form"). A
# submitted form reaches the record through the selectors and is saved by a service, which logs
# the change; only when it is refused is the page read (and logged) again to show the errors.


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def client_register(request: AuthenticatedHttpRequest) -> HttpResponse:
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
            if isinstance(client, IntakeRequest):  # BSN in care elsewhere: nothing said where
                messages.info(request, SENT_TO_BACK_OFFICE)
                return _done(request, reverse("clients:client-list"))
            messages.success(request, _("%(name)s is registered.") % {"name": client.full_name})
            if suggestion and own_team and suggestion.pk != own_team.pk:
                messages.warning(
                    request,
                    _(
                        "Postcode %(postcode)s lies in the area of %(team)s; "
                        "consider handing this client over."
                    )
                    % {"postcode": client.postcode, "team": suggestion.name},
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
def client_edit(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    if request.method == "POST":
        client = client_get_editable(user=request.user, public_id=public_id)
        initial = {name: getattr(client, name) for name in services.CLIENT_FIELDS}
        form = ClientEditForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                services.client_update(client=client, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Details saved."))
                return _done(request, client.get_absolute_url())
    page = reads.record_form_open(actor=request.user, public_id=public_id, form="personal-details")
    client = page.client
    if request.method != "POST":
        initial = {name: getattr(client, name) for name in services.CLIENT_FIELDS}
        form = ClientEditForm(initial=initial)
    template = "clients/client_form.html" + ("#client-form" if request.htmx else "")
    return render(request, template, {"form": form, "client_record": client})


def _record_form(
    service: Callable[..., Any],
    *,
    form_class: type,
    part: str,
    title: "StrOrPromise",
    submit: "StrOrPromise",
    done_message: "StrOrPromise",
    on_problem: bool = False,
    anchor: str = "",
    initial: Callable[[], dict] | None = None,
) -> Callable[..., HttpResponse]:
    """The page of one small record form: discharge, indication, network contact, and per
    problem resolve, intervention and rating.

    GET shows the form; a valid POST calls `service(client=... or client_problem=...,
    actor=..., **cleaned_data)` (which logs the change) and goes back to the record (service
    errors land on the form). Nurses of the client's team only, like every edit.
    """

    @require_http_methods(["GET", "POST"])
    @role_required(Role.NURSE)
    def view(
        request: AuthenticatedHttpRequest, public_id: UUID, problem_id: UUID | None = None
    ) -> HttpResponse:
        form = form_class(request.POST or None, initial=initial() if initial else {})
        if request.method == "POST":
            client = client_get_editable(user=request.user, public_id=public_id)
            target: dict[str, Any] = {"client": client}
            back = client.get_absolute_url() + anchor
            if on_problem:
                assert problem_id is not None  # the problem forms' URLs carry it
                client_problem = client_problem_get_visible(
                    user=request.user, client=client, public_id=problem_id
                )
                target = {"client_problem": client_problem}
                back = client.get_absolute_url() + f"#p-{client_problem.public_id}"
            if form.is_valid():
                try:
                    service(**target, actor=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, done_message)
                    return _done(request, back)
        page = reads.record_form_open(
            actor=request.user,
            public_id=public_id,
            form=part,
            problem_id=problem_id if on_problem else None,
        )
        template = "clients/record_form.html" + ("#record-form" if request.htmx else "")
        context = {"form": form, "client_record": page.client, "title": title, "submit": submit}
        if page.client_problem is not None:
            context["client_problem"] = page.client_problem
        return render(request, template, context)

    view.__name__ = view.__qualname__ = part.replace("-", "_") + "_form"
    return view


client_discharge = _record_form(
    services.client_discharge,
    form_class=DischargeForm,
    part="discharge",
    title=gettext_lazy("Discharge"),
    submit=gettext_lazy("Discharge client"),
    done_message=gettext_lazy("The client is discharged."),
)
indication_add = _record_form(
    services.care_indication_add,
    form_class=IndicationForm,
    part="indication",
    title=gettext_lazy("Add a care indication"),
    submit=gettext_lazy("Add indication"),
    done_message=gettext_lazy("Care indication added."),
)
network_add = _record_form(
    services.network_contact_add,
    form_class=NetworkContactForm,
    part="network",
    title=gettext_lazy("Add someone to the informal network"),
    submit=gettext_lazy("Add contact"),
    done_message=gettext_lazy("Contact added."),
    anchor="#network",
)


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def network_remove(
    request: AuthenticatedHttpRequest, public_id: UUID, contact_id: UUID
) -> HttpResponse:
    """GET asks "are you sure?" (it cannot be undone), POST removes; works without JS."""
    if request.method == "GET":
        page = reads.confirm_page_open(
            actor=request.user, public_id=public_id, action="network-remove", contact_id=contact_id
        )
        assert page.contact is not None  # the page was asked for this contact
        return _confirm(
            request,
            page.client,
            question=_("Remove %(name)s from the network?") % {"name": page.contact.name},
            consequence=_(
                "Their name and contact details are deleted from this record. This cannot "
                "be undone; to keep them, add them again later."
            ),
            submit=_("Remove contact"),
            back=page.client.get_absolute_url() + "#network",
        )
    client = client_get_editable(user=request.user, public_id=public_id)
    contact = get_object_or_404(NetworkContact, client=client, public_id=contact_id)
    contact.client = client  # the service logs against it: no second read of the client
    services.network_contact_remove(contact=contact, actor=request.user)
    messages.success(request, _("%(name)s removed from the network.") % {"name": contact.name})
    return _done(request, client.get_absolute_url() + "#network")


def _confirm(
    request: AuthenticatedHttpRequest,
    client: Client,
    *,
    question: str,
    consequence: str,
    submit: str,
    back: str,
) -> HttpResponse:
    """The confirmation page of an action that cannot be undone: POST to the same URL does it."""
    context = {
        "client_record": client,
        "question": question,
        "consequence": consequence,
        "submit": submit,
        "back": back,
    }
    return render(request, "clients/confirm.html", context)


# --- Omaha problems -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def problem_add(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Cascading form. GETs from htmx re-render it as the nurse picks domain, problem, signs."""
    if request.method == "POST":
        client = client_get_editable(user=request.user, public_id=public_id)
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
                messages.success(
                    request, _("%(problem)s added.") % {"problem": client_problem.problem.name}
                )
                return _done(request, client.get_absolute_url() + f"#p-{client_problem.public_id}")
    else:
        initial = request.GET.copy()
        if not initial.get("identified_on"):
            initial["identified_on"] = timezone.localdate().isoformat()
        form = ProblemForm(initial=initial)
    page = reads.record_form_open(actor=request.user, public_id=public_id, form="problem")
    template = "clients/problem_form.html" + ("#problem-form" if request.htmx else "")
    return render(
        request,
        template,
        {"form": form, "client_record": page.client, "actual": Severity.ACTUAL},
    )


problem_resolve = _record_form(
    services.client_problem_resolve,
    form_class=ResolveForm,
    part="problem-resolve",
    title=gettext_lazy("Resolve problem"),
    submit=gettext_lazy("Resolve"),
    done_message=gettext_lazy("Problem resolved."),
    on_problem=True,
)
intervention_add = _record_form(
    services.intervention_add,
    form_class=InterventionForm,
    part="intervention",
    title=gettext_lazy("Add to the care plan"),
    submit=gettext_lazy("Add intervention"),
    done_message=gettext_lazy("Intervention added to the care plan."),
    on_problem=True,
)


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def intervention_stop(
    request: AuthenticatedHttpRequest, public_id: UUID, problem_id: UUID, intervention_id: UUID
) -> HttpResponse:
    """GET asks "are you sure?" (a stopped intervention stays stopped), POST stops it."""
    if request.method == "GET":
        page = reads.confirm_page_open(
            actor=request.user,
            public_id=public_id,
            action="intervention-stop",
            problem_id=problem_id,
            intervention_id=intervention_id,
        )
        assert page.intervention is not None
        assert page.client_problem is not None
        iv = page.intervention
        return _confirm(
            request,
            page.client,
            question=_("Stop “%(intervention)s”?")
            % {"intervention": f"{iv.category.name} · {iv.target_other_text or iv.target.name}"},
            consequence=_(
                "It stays in the care plan struck through and is no longer carried out. This "
                "cannot be undone; to start it again, add it as a new intervention."
            ),
            submit=_("Stop intervention"),
            back=page.client.get_absolute_url() + f"#p-{page.client_problem.public_id}",
        )
    client = client_get_editable(user=request.user, public_id=public_id)
    client_problem = client_problem_get_visible(
        user=request.user, client=client, public_id=problem_id
    )
    intervention = get_object_or_404(
        Intervention, client_problem=client_problem, public_id=intervention_id
    )
    services.intervention_stop(intervention=intervention, actor=request.user)
    messages.success(request, _("Intervention stopped."))
    return _done(request, client.get_absolute_url() + f"#p-{client_problem.public_id}")


rating_add = _record_form(
    services.outcome_rating_add,
    form_class=RatingForm,
    part="rating",
    title=gettext_lazy("Rate Knowledge, Behavior and Status"),
    submit=gettext_lazy("Save rating"),
    done_message=gettext_lazy("Rating saved."),
    on_problem=True,
    initial=lambda: {"rated_on": timezone.localdate()},
)
