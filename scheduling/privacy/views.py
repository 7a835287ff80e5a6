"""The subject access copy of a client's data: JSON and a readable PDF (thin adapters)."""

import json
from uuid import UUID

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from buurtzorg.access import role_required
from buurtzorg.audit.pdf import render_pdf
from scheduling.privacy.reads import client_data_export, client_document_export
from teams.http import AuthenticatedHttpRequest
from teams.models import Role


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
    sections = client_document_export(actor=request.user, public_id=public_id)
    pdf = render_pdf(
        "privacy/client_export_pdf.html",
        {"sections": sections, "generated_at": timezone.localtime()},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="client-{public_id}.pdf"'
    return response
