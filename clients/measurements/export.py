"""Measurements as FHIR Observations (vital-signs category, LOINC codes, UCUM units), added
to the record's bundle through settings.CLIENT_FHIR_HOOKS (clients.export)."""

from typing import Any

from clients.export import EXT, ref
from clients.measurements.models import KINDS, Measurement
from clients.models import Client

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
BP_PANEL = ("85354-9", "Blood pressure panel with all children optional")


def _quantity(value: Any, spec_unit: str, ucum: str) -> dict[str, Any]:
    return {"value": float(value), "unit": spec_unit, "system": UCUM, "code": ucum}


def observation(m: Measurement) -> dict[str, Any]:
    spec = KINDS[m.kind]
    category = "vital-signs" if m.kind not in ("glucose", "pain") else "exam"
    if m.kind == "glucose":
        category = "laboratory"
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(m.public_id),
        "status": "final",
        "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": category}]}],
        "subject": ref(m.client.public_id),
        "effectiveDateTime": m.measured_at.isoformat(),
        "performer": [{"display": str(m.measured_by)}],
    }
    quantity = _quantity(m.value, spec.unit, spec.ucum)
    if spec.has_second:
        resource["code"] = {
            "coding": [{"system": LOINC, "code": BP_PANEL[0], "display": BP_PANEL[1]}]
        }
        resource["component"] = [
            {
                "code": {
                    "coding": [{"system": LOINC, "code": spec.loinc, "display": spec.loinc_display}]
                },
                "valueQuantity": quantity,
            },
            {
                "code": {
                    "coding": [
                        {"system": LOINC, "code": spec.loinc2, "display": spec.loinc2_display}
                    ]
                },
                "valueQuantity": _quantity(m.value2, spec.unit, spec.ucum),
            },
        ]
    else:
        resource["code"] = {
            "coding": [{"system": LOINC, "code": spec.loinc, "display": spec.loinc_display}]
        }
        resource["valueQuantity"] = quantity
    if m.out_of_range:
        resource["interpretation"] = [
            {"coding": [{"system": INTERPRETATION, "code": "A", "display": "Abnormal"}]}
        ]
        resource["extension"] = [{"url": EXT + "outside-client-normal-range", "valueBoolean": True}]
    return resource


def fhir_resources(*, client: Client) -> list[dict[str, Any]]:
    """Every measurement of the client as an Observation (one query)."""
    rows = Measurement.objects.filter(client=client).select_related("client", "measured_by")
    return [observation(m) for m in rows.order_by("measured_at")]
