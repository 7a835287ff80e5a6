"""The privacy request register pages (back office and administrators): thin adapters."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from scheduling.privacy import register
from scheduling.privacy.forms import RequestHandleForm, RequestRecordForm
from teams.http import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
@role_required(*register.REGISTER_ROLES)
def request_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RequestRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = register.privacy_request_record(
                actor=request.user,
                client_public_id=data["client"],
                kind=data["kind"],
                requested_on=data["requested_on"],
                note=data["note"],
            )
        except Http404:
            form.add_error("client", _("No client with this ID."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Request recorded."))
            return redirect("privacy:request-detail", public_id=created.public_id)
    rows = register.privacy_register_read(actor=request.user)
    return render(request, "privacy/request_list.html", {"rows": rows, "form": form})


@require_http_methods(["GET", "POST"])
@role_required(*register.REGISTER_ROLES)
def request_detail(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    form = RequestHandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            register.privacy_request_handle(
                actor=request.user, public_id=public_id, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Request handled."))
            return redirect("privacy:request-detail", public_id=public_id)
    row = register.privacy_request_read(actor=request.user, public_id=public_id)
    return render(request, "privacy/request_detail.html", {"row": row, "form": form})
