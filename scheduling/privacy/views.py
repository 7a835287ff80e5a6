"""The subject access copy of a client's data: JSON and a readable PDF (thin adapters)."""

import json
from uuid import UUID

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from buurtzorg.access import role_required
from buurtzorg.audit.pdf import render_pdf
from scheduling.privacy.reads import client_data_export
from teams.http import AuthenticatedHttpRequest
from teams.models import Role

PDF_SECTIONS = [
    ("care_indications", _("Care indications")),
    ("network", _("Network")),
    ("problems", _("Problems, interventions and ratings")),
    ("visits", _("Visits")),
    ("intake_requests", _("Intake requests")),
    ("invoice_lines", _("Invoice lines")),
    ("change_history", _("Change history")),
    ("access_log", _("Who saw the record")),
]


@require_GET
@role_required(Role.NURSE, Role.COACH)
def client_export_json(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    data = client_data_export(actor=request.user, public_id=public_id, kind="json")
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="client-{public_id}.json"'
    return response


@require_GET
@role_required(Role.NURSE, Role.COACH)
def client_export_pdf(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    data = client_data_export(actor=request.user, public_id=public_id, kind="pdf")
    sections = [(title, data[key]) for key, title in PDF_SECTIONS]
    pdf = render_pdf(
        "privacy/client_export_pdf.html",
        {"data": data, "sections": sections, "generated_at": timezone.localtime()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="client-{public_id}.pdf"'
    return response
