"""Wounds as FHIR resources for the record's bundle (settings.CLIENT_FHIR_HOOKS):
a Condition per wound (SNOMED CT where the kind has a well-known concept, always the Omaha
System problem P26 "Skin", its kind as text), and an Observation per assessment with LOINC wound
length/width/depth and pain components, pointing at the Condition. Photos are not embedded."""

from typing import Any

from django.db.models import Prefetch

from clients.export import CLINICAL_STATUS, EXT, omaha_coding, ref
from clients.models import Client
from clients.wounds.models import Wound, WoundAssessment, WoundKind

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
SNOMED_KIND = {
    WoundKind.PRESSURE_ULCER: ("399912005", "Pressure ulcer"),
    WoundKind.DIABETIC_FOOT: ("280137006", "Diabetic foot ulcer"),
}
COMPONENTS = (
    ("length_mm", "39126-8", "Length of Wound"),
    ("width_mm", "39125-0", "Width of Wound"),
    ("depth_mm", "39127-6", "Depth of Wound"),
)


def _condition(client: Client, wound: Wound) -> dict[str, Any]:
    coding = [omaha_coding("P", "26", "Skin")]
    if wound.kind in SNOMED_KIND:
        code, display = SNOMED_KIND[WoundKind(wound.kind)]
        coding.insert(0, {"system": SNOMED, "code": code, "display": display})
    condition: dict[str, Any] = {
        "resourceType": "Condition",
        "id": str(wound.public_id),
        "subject": ref(client.public_id),
        "clinicalStatus": {
            "coding": [
                {"system": CLINICAL_STATUS, "code": "active" if wound.is_open else "resolved"}
            ]
        },
        "category": [{"coding": [{"system": CONDITION_CATEGORY, "code": "problem-list-item"}]}],
        "code": {"coding": coding, "text": str(WoundKind(wound.kind).label)},
        "bodySite": [{"text": wound.body_site}],
        "onsetDateTime": wound.started_on.isoformat(),
        "extension": [{"url": EXT + "wound-kind", "valueCode": wound.kind}],
    }
    if wound.cause:
        condition["note"] = [{"text": wound.cause}]
    if wound.closed_on:
        condition["abatementDateTime"] = wound.closed_on.isoformat()
        condition["extension"].append(
            {"url": EXT + "close-reason", "valueString": wound.close_reason}
        )
    return condition


def _observation(client: Client, wound: Wound, a: WoundAssessment) -> dict[str, Any]:
    components: list[dict[str, Any]] = [
        {
            "code": {"coding": [{"system": LOINC, "code": code, "display": display}]},
            "valueQuantity": {
                "value": float(getattr(a, field)),
                "unit": "mm",
                "system": UCUM,
                "code": "mm",
            },
        }
        for field, code, display in COMPONENTS
    ]
    components.append(
        {
            "code": {
                "coding": [{"system": LOINC, "code": "72514-3", "display": "Pain severity 0-10"}]
            },
            "valueInteger": a.pain,
        }
    )
    return {
        "resourceType": "Observation",
        "id": str(a.public_id),
        "status": "final",
        "code": {"text": "Wound assessment"},
        "subject": ref(client.public_id),
        "focus": [ref(wound.public_id)],
        "effectiveDateTime": a.assessed_at.isoformat(),
        "performer": [{"display": str(a.assessed_by)}],
        "component": components,
        "extension": [
            {"url": EXT + "wound-tissue", "valueCode": a.tissue},
            {"url": EXT + "wound-exudate", "valueCode": a.exudate},
            {"url": EXT + "wound-edges", "valueCode": a.edges},
            {"url": EXT + "wound-photos", "valueInteger": len(a.photos.all())},
        ],
        **({"note": [{"text": a.notes}]} if a.notes else {}),
    }


def fhir_resources(*, client: Client) -> list[dict[str, Any]]:
    """The client's wounds and assessments (three queries)."""
    assessments = WoundAssessment.objects.select_related("assessed_by").prefetch_related("photos")
    wounds = Wound.objects.filter(client=client).prefetch_related(
        Prefetch("assessments", queryset=assessments)
    )
    out: list[dict[str, Any]] = []
    for wound in wounds:
        out.append(_condition(client, wound))
        out += [_observation(client, wound, a) for a in wound.assessments.all()]
    return out
