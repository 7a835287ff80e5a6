"""Measurement pages: the list with charts, recording one, and the client's normal ranges.

Thin adapters: reads through `clients.measurements.reads` (gate and access row), writes
through `clients.measurements.services` (which log the change), form pages through
`clients.reads.record_form_open`. A refused value comes back at its field, the input kept.
"""

from collections.abc import Callable
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
from clients.measurements import reads, services
from clients.measurements.forms import MeasurementForm, NormalRangeForm
from clients.selectors import client_get_editable
from teams.http import AuthenticatedHttpRequest
from teams.models import Role


@require_GET
@role_required(Role.NURSE, Role.COACH)
def measurement_list(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    kind = request.GET.get("kind", "")
    vitals = reads.measurements_read(actor=request.user, public_id=public_id, kind=kind)
    context = {"vitals": vitals, "client_record": vitals.client, "kind": kind}
    return render(request, "measurements/measurement_list.html", context)


def _form_page(
    service: Callable[..., Any],
    form_class: type,
    part: str,
    title: Any,
    submit: Any,
    done: Any,
    initial: Callable[[], dict],
) -> Callable[..., HttpResponse]:
    @require_http_methods(["GET", "POST"])
    @role_required(Role.NURSE)
    def view(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
        form = form_class(request.POST or None, initial=initial())
        if request.method == "POST":
            client = client_get_editable(user=request.user, public_id=public_id)
            if form.is_valid():
                try:
                    service(client=client, actor=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, done)
                    return redirect(reverse("measurements:list", args=[client.public_id]))
        page = client_reads.record_form_open(actor=request.user, public_id=public_id, form=part)
        context = {"form": form, "client_record": page.client, "title": title, "submit": submit}
        return render(request, "clients/record_form.html", context)

    view.__name__ = view.__qualname__ = part.replace("-", "_") + "_form"
    return view


measurement_add = _form_page(
    services.measurement_record,
    MeasurementForm,
    "measurement",
    _("Record a measurement"),
    _("Save measurement"),
    _("Measurement saved."),
    lambda: {"measured_at": timezone.localtime().replace(second=0, microsecond=0)},
)
normal_range_set = _form_page(
    services.normal_range_set,
    NormalRangeForm,
    "normal-range",
    _("Set a normal range"),
    _("Save normal range"),
    _("Normal range saved."),
    dict,
)
