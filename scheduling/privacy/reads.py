"""GDPR reads: everything stored about a client (the subject access copy), as an export.

`client_data_export` is the read service the JSON and PDF downloads call: it checks that the
actor may read the record clinically, reads it all and logs the export, in one transaction.
"""

import json
from typing import Any
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent, Action
from buurtzorg.audit.services import access_log_write
from buurtzorg.dbrouter import replica_reads
from clients.intake.models import intake_requests_about
from clients.models import Client
from clients.selectors import client_get_clinical
from scheduling.carenotes.models import CareReport
from scheduling.history.selectors import client_history
from scheduling.privacy.models import PrivacyRequest
from teams.models import User


def _row(obj: models.Model) -> dict[str, Any]:
    """Every stored column of a row (generic, so a field an app adds is exported too)."""
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def client_data(*, client: Client) -> dict[str, Any]:
    """Everything stored about `client`, as plain data (the GDPR subject access copy)."""
    problems = list(client.problems.prefetch_related("signs", "interventions", "ratings"))
    visits = list(client.visits.prefetch_related("services")) if hasattr(client, "visits") else []
    data: dict[str, Any] = {
        "generated_at": timezone.now(),
        "client": _row(client),
        "care_indications": [_row(i) for i in client.indications.all()],
        "network": [_row(c) for c in client.network.all()],
        "wounds": [
            {
                **_row(w),
                "assessments": [
                    {
                        **_row(a),
                        "photos": [
                            {**_row(p), "file": p.file.name, "thumbnail": p.thumbnail.name}
                            for p in a.photos.all()
                        ],
                    }
                    for a in w.assessments.all()
                ],
            }
            for w in client.wounds.prefetch_related("assessments__photos")
        ],
        "measurements": [_row(m) for m in client.measurements.all()],
        "measurement_normal_ranges": [_row(r) for r in client.normal_ranges.all()],
        "problems": [
            {
                **_row(p),
                "signs": [_row(s) for s in p.signs.all()],
                "interventions": [_row(i) for i in p.interventions.all()],
                "ratings": [_row(r) for r in p.ratings.all()],
            }
            for p in problems
        ],
        "visits": [{**_row(v), "services": [_row(s) for s in v.services.all()]} for v in visits],
        # Registrations of the same BSN that another team sent to back office (issue 20, 10).
        "intake_requests": [
            _row(r) for r in intake_requests_about(bsn=client.bsn, public_id=client.public_id)
        ],
        "medications": [
            {**_row(m), "signoffs": [_row(s) for s in m.signoffs.all()]}
            for m in client.medications.prefetch_related("signoffs")
        ]
        if hasattr(client, "medications")
        else [],
        # Reports (rapportage), corrected entries included, oldest first.
        "care_reports": [
            _row(r) for r in CareReport.objects.filter(client=client).order_by("written_at", "pk")
        ],
        "invoice_lines": [_row(line) for line in client.invoice_lines.all()]
        if hasattr(client, "invoice_lines")
        else [],
        # Incidents about the client (coaching.incidents): a report filed without the author's
        # name shown keeps that author out of the copy too.
        "incidents": [
            {
                **{k: v for k, v in _row(i).items() if i.show_author or k != "reported_by_id"},
                "actions": [_row(a) for a in i.actions.all()],
            }
            for i in client.incidents.prefetch_related("actions")
        ]
        if hasattr(client, "incidents")
        else [],
        # The client's own privacy requests (issue 21): what was asked and how it was answered.
        "privacy_requests": [_row(r) for r in PrivacyRequest.objects.filter(client=client)],
        "change_history": [
            {
                "at": c.at,
                "what": c.model,
                "action": c.label,
                "by_user_id": c.user_id,
                "changes": {k: [old, new] for k, (old, new) in c.changes.items()},
            }
            for c in client_history(client_pk=client.pk)
        ],
        "access_log": [
            {
                "at": e.occurred_at,
                "who": e.username,
                "role": e.role,
                "action": e.action,
                "part": e.part,
            }
            for e in AccessEvent.objects.filter(client_public_id=client.public_id).order_by(
                "occurred_at"
            )
        ],
    }
    # Round-trip through JSON so dates, decimals and UUIDs become text the same way everywhere.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


@transaction.atomic
def client_data_export(*, actor: User, public_id: UUID | str, kind: str) -> dict[str, Any]:
    """The subject access copy of a client `actor` may read clinically, logged as an export
    of `kind` (json, pdf). 404, and no access row, for anyone else."""
    client = client_get_clinical(user=actor, public_id=public_id)
    with replica_reads(caught_up=True):  # the copy from the replica; the gate and log: primary
        data = client_data(client=client)
    access_log_write(
        actor=actor,
        action=Action.EXPORT,
        client_public_id=client.public_id,
        part="gdpr-export",
        detail=kind,
    )
    return data


@transaction.atomic
def client_document_export(*, actor: User, public_id: UUID | str) -> list[Any]:
    """The readable copy (sections of labelled values, `scheduling.privacy.document`) of a
    client `actor` may read clinically, logged as a pdf export. 404 for anyone else."""
    from scheduling.privacy.document import client_document

    client = client_get_clinical(user=actor, public_id=public_id)
    with replica_reads(caught_up=True):  # the copy from the replica; the gate and log: primary
        data = client_data(client=client)
        sections = client_document(client=client, data=data)
    access_log_write(
        actor=actor,
        action=Action.EXPORT,
        client_public_id=client.public_id,
        part="gdpr-export",
        detail="pdf",
    )
    return sections
