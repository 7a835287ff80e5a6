"""Wound pages: a client's wounds, one wound, opening/assessing/closing, and the photo view.

Thin adapters over `clients.wounds.reads` (gate and access row) and `clients.wounds.services`
(which log the change). The photo view is the only way to a photo: it answers 404 to anyone
who may not read the client's record, and serves the bytes with nosniff, no-store and an inline
Content-Disposition naming the sniffed format.
"""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from clients import reads as client_reads
from clients.selectors import client_get_editable
from clients.wounds import reads, services
from clients.wounds.forms import AssessmentForm, CloseForm, WoundForm
from teams.http import AuthenticatedHttpRequest
from teams.models import Role


def _page(
    request: AuthenticatedHttpRequest, form: Any, title: Any, submit: Any, **context: Any
) -> HttpResponse:
    context |= {"form": form, "title": title, "submit": submit}
    return render(request, "wounds/wound_form.html", context)


@require_GET
@role_required(Role.NURSE, Role.COACH)
def wound_list(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    listing = reads.wound_list_read(actor=request.user, public_id=public_id)
    context = {
        "client_record": listing.client,
        "wounds": listing.wounds,
        "can_edit": listing.can_edit,
    }
    return render(request, "wounds/wound_list.html", context)


@require_GET
@role_required(Role.NURSE, Role.COACH)
def wound_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    wound = reads.wound_read(actor=request.user, public_id=public_id)
    can_edit = request.user.role == Role.NURSE and wound.is_open and wound.client.is_active
    context = {"wound": wound, "client_record": wound.client, "can_edit": can_edit}
    return render(request, "wounds/wound_detail.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def wound_add(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    form = WoundForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST":
        client = client_get_editable(user=request.user, public_id=public_id)
        if form.is_valid():
            try:
                wound = services.wound_open(client=client, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Wound recorded: add its first assessment."))
                return redirect(reverse("wounds:assess", args=[wound.public_id]))
    page = client_reads.record_form_open(actor=request.user, public_id=public_id, form="wound")
    return _page(request, form, _("Record a wound"), _("Save wound"), client_record=page.client)


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def wound_assess(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    now = timezone.localtime().replace(second=0, microsecond=0)
    wound = None
    form = AssessmentForm(request.POST or None, request.FILES or None, initial={"assessed_at": now})
    if request.method == "POST":
        wound = reads.wound_get_editable(user=request.user, public_id=public_id)
        if form.is_valid():
            data = dict(form.cleaned_data)
            photo = data.pop("photo", None)
            try:
                services.wound_assess(
                    wound=wound, actor=request.user, photos=[photo] if photo else [], **data
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Assessment saved."))
                return redirect(reverse("wounds:detail", args=[wound.public_id]))
    wound = reads.wound_form_open(
        actor=request.user, public_id=public_id, form="wound-assessment", wound=wound
    )
    return _page(
        request,
        form,
        _("Assess the wound"),
        _("Save assessment"),
        client_record=wound.client,
        wound=wound,
        multipart=True,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def wound_close(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    form = CloseForm(request.POST or None, initial={"closed_on": timezone.localdate()})
    wound = None
    if request.method == "POST":
        wound = reads.wound_get_editable(user=request.user, public_id=public_id)
        if form.is_valid():
            try:
                services.wound_close(wound=wound, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Wound closed."))
                return redirect(reverse("wounds:list", args=[wound.client.public_id]))
    wound = reads.wound_form_open(
        actor=request.user, public_id=public_id, form="wound-close", wound=wound
    )
    return _page(
        request,
        form,
        _("Close the wound"),
        _("Close wound"),
        client_record=wound.client,
        wound=wound,
    )


def photo_response(photo: Any, data: bytes, thumbnail: bool = False) -> HttpResponse:
    """The photo's bytes, inline, never sniffed or cached (pages and API alike)."""
    response = HttpResponse(data, content_type=photo.content_type)
    stem = f"wound-{photo.public_id}{'-thumb' if thumbnail else ''}"
    response["Content-Disposition"] = f'inline; filename="{stem}.{photo.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    return response


@require_GET
@role_required(Role.NURSE, Role.COACH)
def photo_file(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    photo, data = reads.photo_read(actor=request.user, public_id=public_id)
    return photo_response(photo, data)


@require_GET
@role_required(Role.NURSE, Role.COACH)
def photo_thumbnail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    photo, data = reads.photo_read(actor=request.user, public_id=public_id, thumbnail=True)
    return photo_response(photo, data, thumbnail=True)
