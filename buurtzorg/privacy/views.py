"""The subject access copy of a client's data: JSON and a readable PDF."""

import json
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from buurtzorg.access import role_required
from buurtzorg.audit.pdf import render_pdf
from buurtzorg.privacy.services import client_data_export
from teams.models import Role


@require_GET
@role_required(Role.NURSE, Role.COACH)
def client_export_json(request: HttpRequest, public_id: UUID) -> HttpResponse:
    data = client_data_export(request=request, public_id=public_id, kind="json")
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="client-{public_id}.json"'
    return response


@require_GET
@role_required(Role.NURSE, Role.COACH)
def client_export_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    data = client_data_export(request=request, public_id=public_id, kind="pdf")
    sections = [
        (title, data[key])
        for key, title in [
            ("care_indications", "Care indications"),
            ("network", "Network"),
            ("problems", "Problems, interventions and ratings"),
            ("visits", "Visits"),
            ("invoice_lines", "Invoice lines"),
            ("change_history", "Change history"),
            ("access_log", "Who saw the record"),
        ]
    ]
    pdf = render_pdf(
        "privacy/client_export_pdf.html",
        {"data": data, "sections": sections, "generated_at": timezone.localtime()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="client-{public_id}.pdf"'
    return response
