"""Medication in the client's FHIR-style export (`settings.CLIENT_FHIR_HOOKS`).

Each medicine is a MedicationRequest (its dose and schedule in `dosageInstruction`, its ATC
code in the WHO ATC system when given) and each sign-off a MedicationAdministration pointing at
it; a sign-off that a later row corrects is `entered-in-error`, the correction names it in
`partOf`-like `extension`. `clients.reads.client_record_export` gates and logs the export.
"""

from typing import Any

from django.utils import timezone

from clients.export import ref
from clients.models import Client
from scheduling.medication.models import ATC_SYSTEM, DoseSignoff, Medication, Outcome

EXT = "https://buurtzorg.example/fhir/StructureDefinition/"
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _concept(med: Medication) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": str(med)}
    if med.code:
        concept["coding"] = [{"system": ATC_SYSTEM, "code": med.code, "display": med.name}]
    return concept


def _status(med: Medication) -> str:
    if med.stopped_at is not None:
        return "stopped"
    if med.ends_on is not None and med.ends_on < timezone.localdate():
        return "completed"
    return "active"


def _request(client: Client, med: Medication) -> dict[str, Any]:
    repeat: dict[str, Any] = {
        "boundsPeriod": {
            "start": med.starts_on.isoformat(),
            **({"end": med.ends_on.isoformat()} if med.ends_on else {}),
        }
    }
    if not med.as_needed:
        repeat["timeOfDay"] = [f"{t}:00" for t in med.times_of_day]
        repeat["dayOfWeek"] = [d for i, d in enumerate(DAYS) if med.weekdays & (1 << i)]
    dosage: dict[str, Any] = {
        "timing": {"repeat": repeat},
        "asNeededBoolean": med.as_needed,
        "route": {"text": med.get_route_display()},
    }
    if med.instructions:
        dosage["text"] = med.instructions
    if med.dose_amount is not None:
        dosage["doseAndRate"] = [
            {"doseQuantity": {"value": float(med.dose_amount), "unit": med.dose_unit}}
        ]
    if med.as_needed and med.max_per_day:
        dosage["maxDosePerPeriod"] = {
            "numerator": {"value": med.max_per_day},
            "denominator": {"value": 1, "unit": "d"},
        }
    resource: dict[str, Any] = {
        "resourceType": "MedicationRequest",
        "id": str(med.public_id),
        "status": _status(med),
        "intent": "order",
        "subject": ref(client.public_id),
        "medicationCodeableConcept": _concept(med),
        "authoredOn": med.created_at.isoformat(),
        "dosageInstruction": [dosage],
        "extension": [
            {"url": EXT + "high-risk", "valueBoolean": med.high_risk},
            {"url": EXT + "form", "valueCode": med.form},
            {"url": EXT + "strength", "valueString": med.strength},
        ],
    }
    if med.prescriber:
        resource["requester"] = {"display": med.prescriber}
    return resource


def _administration(client: Client, med: Medication, s: DoseSignoff, corrected: set[int]) -> dict:
    done = s.outcome in (Outcome.GIVEN, Outcome.SELF_ADMINISTERED)
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": str(s.public_id),
        "status": "entered-in-error"
        if s.pk in corrected
        else ("completed" if done else "not-done"),
        "medicationCodeableConcept": _concept(med),
        "subject": ref(client.public_id),
        "request": ref(med.public_id),
        "effectiveDateTime": s.due_at.isoformat(),
        "performer": [{"actor": {"display": str(s.signed_by)}}]
        + ([{"actor": {"display": str(s.second_signer)}}] if s.second_signer else []),
        "extension": [{"url": EXT + "outcome", "valueCode": s.outcome}],
    }
    if s.reason:
        resource["statusReason"] = [{"text": s.reason}]
    if s.corrects_id is not None and s.corrects is not None:
        resource["extension"].append(
            {
                "url": EXT + "corrects",
                "valueString": f"MedicationAdministration/{s.corrects.public_id}",
            }
        )
    return resource


def fhir_resources(*, client: Client) -> list[dict[str, Any]]:
    """MedicationRequests and MedicationAdministrations of `client` (2 queries)."""
    meds = list(
        Medication.objects.filter(client=client)
        .order_by("starts_on", "pk")
        .prefetch_related("signoffs__signed_by", "signoffs__second_signer", "signoffs__corrects")
    )
    out: list[dict[str, Any]] = []
    for med in meds:
        out.append(_request(client, med))
        rows = list(med.signoffs.all())
        corrected = {r.corrects_id for r in rows if r.corrects_id is not None}
        out += [_administration(client, med, s, corrected) for s in rows]
    return out
