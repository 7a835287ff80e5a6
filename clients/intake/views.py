"""Back office pages for intake requests (registrations whose BSN is already in care)."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from clients.intake import reads
from clients.intake.forms import ResolveForm
from clients.intake.services import intake_request_resolve
from teams.http import AuthenticatedHttpRequest
from teams.models import Role


def _page(
    request: AuthenticatedHttpRequest, form: ResolveForm | None, failed: str = ""
) -> HttpResponse:
    rows = reads.intake_request_list_read(actor=request.user)
    return render(
        request,
        "intake/intake_list.html",
        {"requests": rows, "form": form or ResolveForm(), "failed": failed},
    )


@require_GET
@role_required(Role.BACK_OFFICE)
def intake_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request, None)


@require_POST
@role_required(Role.BACK_OFFICE)
def intake_resolve(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    intake = reads.intake_request_get(actor=request.user, public_id=public_id)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            intake_request_resolve(request=intake, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The request is resolved."))
            return redirect("intake:list")
    return _page(request, form, failed=str(intake.public_id))
