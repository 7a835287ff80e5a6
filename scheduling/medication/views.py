"""Medication pages: a client's list, add/edit/stop, a medicine's administration record, and
signing the doses due at a visit. Thin adapters: reads through `scheduling.medication.reads`
(gate, one access row, data), writes through `scheduling.medication.services` (which log)."""

import datetime as dt
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from clients.selectors import client_get_editable
from scheduling.medication import reads, services
from scheduling.medication.forms import MedicationForm, SignForm, StopForm
from scheduling.medication.models import DoseSignoff, Medication
from scheduling.medication.selectors import medication_get_editable, medication_list_editable
from scheduling.medication.table import medication_table_rows
from scheduling.selectors import visit_get_own
from teams.http import AuthenticatedHttpRequest
from teams.models import Role, User

SECOND_SIGNER_WRONG = gettext_lazy("The second nurse's username or password is not right.")


def _done(request: AuthenticatedHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _list_url(client_public_id: UUID) -> str:
    return reverse("medication:list", args=[client_public_id])


# --- the list and one medicine's record -----------------------------------------------------------


@require_GET
@role_required(Role.NURSE, Role.COACH)
def medication_list_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    listing = reads.medication_list_read(actor=request.user, client_public_id=public_id)
    return render(
        request,
        "medication/medication_list.html",
        {
            "client_record": listing.client,
            "medication_list": medication_table_rows(listing.medications),
            "can_edit": listing.can_edit,
        },
    )


@require_GET
@role_required(Role.NURSE, Role.COACH)
def medication_history_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    history = reads.medication_history_read(actor=request.user, public_id=public_id)
    corrected = {s.corrects_id for s in history.signoffs if s.corrects_id}
    return render(
        request,
        "medication/medication_history.html",
        {
            "medication": history.medication,
            "client_record": history.medication.client,
            "signoffs": history.signoffs,
            "corrected": corrected,
            "can_edit": request.user.role == Role.NURSE,
        },
    )


# --- add, edit, stop ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def medication_create_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Add a medicine. A refused save shows the form again with every field as typed (a
    read of the record, logged by `medication_form_open`; a saved one by the service)."""
    form = MedicationForm(request.POST or None)
    if request.method == "POST":
        client = client_get_editable(user=request.user, public_id=public_id)
        if form.is_valid():
            try:
                services.medication_create(
                    client=client, actor=request.user, **form.service_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Medication added."))
                return _done(request, _list_url(public_id))
    client, _none = reads.medication_form_open(actor=request.user, client_public_id=public_id)
    return render(
        request,
        "medication/medication_form.html",
        {"form": form, "client_record": client, "medication": None},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def medication_edit_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    medication = None
    if request.method == "POST":
        medication = medication_get_editable(user=request.user, public_id=public_id)
        form = MedicationForm(request.POST)
        if form.is_valid():
            try:
                services.medication_update(
                    medication=medication, actor=request.user, **form.service_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Medication changed."))
                return _done(request, _list_url(medication.client.public_id))
    client, found = reads.medication_form_open(
        actor=request.user, public_id=public_id, medication=medication
    )
    if request.method == "GET":
        form = MedicationForm(initial=MedicationForm.initial_from(found))
    return render(
        request,
        "medication/medication_form.html",
        {"form": form, "client_record": client, "medication": found},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def medication_stop_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    form = StopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        medication = medication_get_editable(user=request.user, public_id=public_id)
        services.medication_stop(
            medication=medication, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Medication stopped."))
        return _done(request, _list_url(medication.client.public_id))
    client, found = reads.medication_form_open(actor=request.user, public_id=public_id)
    return render(
        request,
        "medication/medication_stop.html",
        {"form": form, "client_record": client, "medication": found},
    )


# --- signing doses at a visit ---------------------------------------------------------------------


def _visit_log_url(visit_public_id: UUID) -> str:
    return reverse("scheduling:visit-log", args=[visit_public_id]) + "#medication"


def _second_signer(request: AuthenticatedHttpRequest, form: SignForm) -> User | None:
    """The second nurse, by her username and password typed on this phone: she stands next
    to the signing nurse for the double check, so she confirms there and then (a second
    session would need her own phone and a wait). Wrong details count towards her lockout."""
    username = form.cleaned_data.get("second_username", "").strip()
    if not username:
        return None
    user = authenticate(
        request, username=username, password=form.cleaned_data.get("second_password", "")
    )
    if not isinstance(user, User):
        form.add_error("second_username", SECOND_SIGNER_WRONG)
        return None
    return user


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def visit_doses_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """The doses due at her visit, each signed on its own (also the page a refused sign-off
    comes back to, with the message at the field and what she typed)."""
    form: SignForm | None = None
    visit = None
    if request.method == "POST":
        visit = visit_get_own(user=request.user, public_id=public_id)
        form = SignForm(request.POST)
        if form.is_valid():
            medication = Medication.objects.filter(
                client_id=visit.client_id, public_id=form.cleaned_data["medication"]
            ).first()
            second = _second_signer(request, form)
            if medication is None:
                form.add_error(None, services.WRONG_CLIENT)
            elif not form.errors:
                try:
                    services.dose_sign(
                        visit=visit,
                        medication=medication,
                        due_at=form.due_at_utc(),
                        outcome=form.cleaned_data["outcome"],
                        reason=form.cleaned_data["reason"],
                        second_signer=second,
                        actor=request.user,
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    back = request.POST.get("back")
                    if back == "doses":
                        return _done(request, reverse("medication:visit-doses", args=[public_id]))
                    return _done(request, _visit_log_url(public_id))
    # Which dose's form was refused: its form is shown with the messages and what was typed.
    sign_key = ""
    if form is not None:
        due = getattr(form, "cleaned_data", {}).get("due_at")
        when = due.astimezone(dt.UTC).isoformat() if due else ""
        sign_key = f"{form.data.get('medication', '')}@{when}"
    if visit is None:
        doses = reads.visit_doses_read(actor=request.user, visit_public_id=public_id)
    else:
        doses = reads.visit_doses_reshown(actor=request.user, visit=visit)
    return render(
        request,
        "medication/visit_doses.html",
        {
            "visit": doses.visit,
            "visit_doses": doses,
            "sign_form": form,
            "sign_key": sign_key,
            # a refused dose that is not on the page (not due): its messages go on top
            "sign_unmatched": form is not None
            and sign_key not in {d.key for d in doses.doses}
            and sign_key not in {f"{m.public_id}@" for m in doses.as_needed},
            "back": "doses",
        },
    )


@require_POST
@role_required(Role.NURSE)
def visit_all_given_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """One tap: every dose due at her visit that needs no second nurse, signed as given."""
    visit = visit_get_own(user=request.user, public_id=public_id)
    signed = services.doses_sign_all_given(visit=visit, actor=request.user)
    messages.success(
        request,
        ngettext("%(count)s dose signed as given.", "%(count)s doses signed as given.", len(signed))
        % {"count": len(signed)},
    )
    if request.POST.get("back") == "my-day":
        return _done(request, reverse("scheduling:my-day") + f"#visit-{public_id}")
    return _done(request, _visit_log_url(public_id))


# --- correcting a sign-off ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def signoff_correct_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """A correction is a new sign-off pointing at this one; this one stays as it was."""
    form = SignForm(request.POST or None)
    if request.method == "POST":
        signoff = get_object_or_404(
            DoseSignoff.objects.select_related("medication__client"),
            public_id=public_id,
            medication__in=medication_list_editable(user=request.user),
        )
        if form.is_valid():
            second = _second_signer(request, form)
            if not form.errors:
                try:
                    services.dose_signoff_correct(
                        signoff=signoff,
                        actor=request.user,
                        outcome=form.cleaned_data["outcome"],
                        reason=form.cleaned_data["reason"],
                        second_signer=second,
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Sign-off corrected."))
                    return _done(
                        request, reverse("medication:history", args=[signoff.medication.public_id])
                    )
    signoff = reads.signoff_correct_open(actor=request.user, public_id=public_id)
    if request.method == "GET":
        form = SignForm(
            initial={"medication": signoff.medication.public_id, "outcome": signoff.outcome}
        )
    return render(
        request,
        "medication/signoff_correct.html",
        {"form": form, "signoff": signoff, "medication": signoff.medication},
    )
