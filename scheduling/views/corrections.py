"""The correction of a billed visit, from a page (issue 19, item 4).

A billed visit is never edited: `visit_correct` adds a correction row, and the next billing
run credits the old line and bills the new one. A nurse of the team corrects what she or a
colleague logged; back office makes an administrative fix (no care notes on this page).
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from scheduling import reads
from scheduling.forms import VisitCorrectForm
from scheduling.selectors import visit_get_correctable
from scheduling.services import visits as services
from teams.http import AuthenticatedHttpRequest
from teams.models import Role

CORRECTION_RECORDED = _("Correction recorded; the next billing run credits the old line.")


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE, Role.BACK_OFFICE)
def visit_correct_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    # Showing the page is a read (one access row); a POST is logged by the write service.
    if request.method == "POST":
        visit = visit_get_correctable(user=request.user, public_id=public_id)
    else:
        visit = reads.visit_correction_open(actor=request.user, public_id=public_id)
    form = VisitCorrectForm(
        request.POST or None,
        initial={"minutes": visit.logged_minutes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.visit_correct(
                visit=visit,
                actor=request.user,
                minutes=form.cleaned_data["minutes"],
                reason=form.cleaned_data["deviation_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, CORRECTION_RECORDED)
            return redirect("scheduling:visit-correct", public_id=correction.public_id)
    return render(request, "scheduling/visit_correct.html", {"visit": visit, "form": form})
