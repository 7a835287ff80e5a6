"""The whole Omaha record of a client as a FHIR R4 Bundle of type "collection".

Omaha terms are coded in the HL7 code system for the Omaha System
(`http://terminology.hl7.org/CodeSystem/oms`, OID 2.16.840.1.113883.6.98, listed in HL7
Terminology (THO) with `content: not-present`: HL7 holds no codes, the Omaha System's own are
used). The Omaha System numbers each of its axes from 01, so a bare number is ambiguous under
the one system URI ("01" is the problem Income and the category Teaching, Guidance and
Counseling). Every code therefore carries its axis as a prefix, so one code means one concept
whichever element it sits in:

    D<n>        domain (Condition.category)                      D4
    P<nn>       problem (Condition.code)                         P24      Pain
    S<nn>.<nn>  sign/symptom of a problem (Condition.evidence)   S24.03
    C<nn>       intervention category (activity extension)       C01
    T<nn>       intervention target (activity.detail.code)       T50
    R<K|B|S>    Problem Rating Scale for Outcomes concept        RK       Knowledge
    M<code>     modifier (scope, severity)                       Mfamily, Mactual

Every entry has a `fullUrl` (`urn:uuid:`) and every reference inside the bundle is to one of
them, so a receiving system resolves them without a server. Resources without a uuid of their
own (Coverage, CarePlan) get a stable uuid5 derived from the client's public id. Dutch
identifiers use the Nictiz naming systems.

This module only builds the bundle; `clients.reads.client_record_export` gates and logs it.
"""

import uuid
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from clients.models import Client, ClientProblem, ClientStatus, ProblemStatus
from clients.selectors import client_indications, client_network, client_problems
from omaha.models import OMAHA_SYSTEM_URI, RatingConcept
from teams.names import Sex, join_name_prefix

BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"
UZOVI_SYSTEM = "http://fhir.nl/fhir/NamingSystem/uzovi"
AGB_SYSTEM = "http://fhir.nl/fhir/NamingSystem/agb-z"
CLINICAL_STATUS = "http://terminology.hl7.org/CodeSystem/condition-clinical"
EXT = "https://buurtzorg.example/fhir/StructureDefinition/"


def omaha_coding(axis: str, code: str, display: str) -> dict[str, str]:
    """A coding in the Omaha System with its axis prefix (see the module docstring)."""
    return {"system": OMAHA_SYSTEM_URI, "code": f"{axis}{code}", "display": display}


def urn(value: object) -> str:
    """The bundle-local address of a resource whose id is the uuid `value`."""
    return f"urn:uuid:{value}"


def ref(value: object) -> dict[str, str]:
    """A reference that resolves to an entry of this bundle."""
    return {"reference": urn(value)}


def derived_id(client: Client, kind: str) -> str:
    """A stable uuid for a resource the client has one of (Coverage, CarePlan)."""
    return str(uuid.uuid5(client.public_id, kind))


# Vektis COD046 (teams.names.Sex) to FHIR's administrative gender; the exact code goes along
# in an extension, so "not specified" (9) stays apart from "unknown" (0).
FHIR_GENDER: dict[str, str] = {
    Sex.UNKNOWN: "unknown",
    Sex.MALE: "male",
    Sex.FEMALE: "female",
    Sex.NOT_SPECIFIED: "unknown",
}
HUMANNAME_OWN_PREFIX = "http://hl7.org/fhir/StructureDefinition/humanname-own-prefix"
HUMANNAME_OWN_NAME = "http://hl7.org/fhir/StructureDefinition/humanname-own-name"
EN_QUALIFIER = "http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier"


def _human_name(client: Client) -> dict[str, Any]:
    """The Dutch name the nl-core way: `family` whole ("de Jong") with the tussenvoegsel and
    the achternaam in their own extensions, the roepnaam (CL) and the initials (IN) as givens."""
    family_parts = [{"url": HUMANNAME_OWN_NAME, "valueString": client.last_name}]
    if client.name_prefix:
        family_parts.insert(0, {"url": HUMANNAME_OWN_PREFIX, "valueString": client.name_prefix})
    given: list[str] = []
    qualifiers: list[dict[str, Any]] = []
    for value, code in ((client.first_name, "CL"), (client.initials, "IN")):
        if value:
            given.append(value)
            qualifiers.append({"extension": [{"url": EN_QUALIFIER, "valueCode": code}]})
    return {
        "use": "official",
        "text": client.display_name,
        "family": join_name_prefix(client.name_prefix, client.last_name),
        "_family": {"extension": family_parts},
        "given": given,
        "_given": qualifiers,
    }


def _patient(client: Client) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(client.public_id),
        "identifier": [{"system": BSN_SYSTEM, "value": client.bsn}] if client.bsn else [],
        "active": client.status == ClientStatus.ACTIVE,
        "name": [_human_name(client)],
        "gender": FHIR_GENDER[client.sex],
        "_gender": {"extension": [{"url": f"{EXT}vektis-cod046", "valueCode": client.sex}]},
        "birthDate": client.date_of_birth.isoformat(),
        "address": [
            {
                "line": [f"{client.street} {client.house_number}"],
                "postalCode": client.postcode,
                "city": client.city,
                "country": "NL",
            }
        ],
    }
    if client.phone:
        patient["telecom"] = [{"system": "phone", "value": client.phone}]
    if client.gp_name or client.gp_agb:
        gp: dict[str, Any] = {"display": client.gp_name}
        if client.gp_agb:
            gp["identifier"] = {"system": AGB_SYSTEM, "value": client.gp_agb}
        patient["generalPractitioner"] = [gp]
    return patient


def _coverage(client: Client) -> dict[str, Any]:
    return {
        "resourceType": "Coverage",
        "id": derived_id(client, "coverage"),
        "status": "active",
        "beneficiary": ref(client.public_id),
        "subscriberId": client.policy_number,
        "payor": [
            {
                "identifier": {"system": UZOVI_SYSTEM, "value": client.insurer.uzovi},
                "display": client.insurer.name,
            }
        ],
    }


def _condition(client: Client, cp: ClientProblem) -> dict[str, Any]:
    status = "active" if cp.status == ProblemStatus.ACTIVE else "resolved"
    condition: dict[str, Any] = {
        "resourceType": "Condition",
        "id": str(cp.public_id),
        "subject": ref(client.public_id),
        "clinicalStatus": {"coding": [{"system": CLINICAL_STATUS, "code": status}]},
        "category": [
            {"coding": [omaha_coding("D", cp.problem.domain.code, cp.problem.domain.name)]}
        ],
        "code": {
            "coding": [omaha_coding("P", cp.problem.code, cp.problem.name)],
            "text": cp.problem.name,
        },
        "extension": [
            {
                "url": EXT + "omaha-scope",
                "valueCoding": omaha_coding("M", cp.scope, cp.get_scope_display()),
            },
            {
                "url": EXT + "omaha-severity",
                "valueCoding": omaha_coding("M", cp.severity, cp.get_severity_display()),
            },
            {"url": EXT + "priority", "valueCode": cp.priority},
        ],
        "recordedDate": cp.identified_on.isoformat(),
    }
    if cp.resolved_on:
        condition["abatementDateTime"] = cp.resolved_on.isoformat()
    evidence = []
    for row in cp.signs.all():
        item: dict[str, Any] = {
            "code": [{"coding": [omaha_coding("S", row.sign.key, row.sign.name)]}]
        }
        if row.sign.is_other:
            item["code"][0]["text"] = row.other_text
            item["extension"] = [{"url": EXT + "other-reason", "valueString": row.other_reason}]
        evidence.append(item)
    if evidence:
        condition["evidence"] = evidence
    return condition


def _care_plan(client: Client, problems: list[ClientProblem]) -> dict[str, Any]:
    activities = []
    for cp in problems:
        for iv in cp.interventions.all():
            target = omaha_coding("T", iv.target.code, iv.target.name)
            detail: dict[str, Any] = {
                "status": "in-progress" if iv.is_active else "stopped",
                "code": {"coding": [target], "text": iv.target_other_text or iv.target.name},
                "reasonReference": [ref(cp.public_id)],
                "description": iv.description,
                "extension": [
                    {
                        "url": EXT + "omaha-intervention-category",
                        "valueCoding": omaha_coding("C", iv.category.code, iv.category.name),
                    }
                ],
            }
            if iv.frequency:
                detail["scheduledString"] = iv.frequency
            activities.append({"detail": detail})
    return {
        "resourceType": "CarePlan",
        "id": derived_id(client, "careplan"),
        "status": "active" if client.status == ClientStatus.ACTIVE else "completed",
        "intent": "plan",
        "subject": ref(client.public_id),
        "addresses": [ref(cp.public_id) for cp in problems],
        "activity": activities,
    }


def _observations(problems: list[ClientProblem], concepts: dict[str, str]) -> list[dict]:
    out = []
    for cp in problems:
        for rating in cp.ratings.all():
            components = []
            for code, field in (("K", "knowledge"), ("B", "behavior"), ("S", "status")):
                component: dict[str, Any] = {
                    "code": {"coding": [omaha_coding("R", code, concepts[code])]},
                    "valueInteger": getattr(rating, field),
                }
                expected = getattr(rating, f"expected_{field}")
                if expected is not None:
                    component["extension"] = [
                        {"url": EXT + "expected-rating", "valueInteger": expected}
                    ]
                components.append(component)
            out.append(
                {
                    "resourceType": "Observation",
                    "id": str(rating.public_id),
                    "status": "final",
                    "code": {"text": "Omaha System Problem Rating Scale for Outcomes"},
                    "focus": [ref(cp.public_id)],
                    "effectiveDateTime": rating.rated_on.isoformat(),
                    "performer": [{"display": str(rating.rated_by)}],
                    "extension": [{"url": EXT + "rating-moment", "valueCode": rating.moment}],
                    "component": components,
                    **({"note": [{"text": rating.note}]} if rating.note else {}),
                }
            )
    return out


def client_record_fhir(*, client: Client) -> dict[str, Any]:
    """Bundle: Patient, Coverage, Conditions, CarePlan, Observations, RelatedPersons."""
    problems = list(client_problems(client=client))
    concepts = dict(RatingConcept.objects.values_list("code", "name"))
    resources: list[dict[str, Any]] = [_patient(client), _coverage(client)]
    resources += [_condition(client, cp) for cp in problems]
    resources.append(_care_plan(client, problems))
    resources += _observations(problems, concepts)
    for contact in client_network(client=client):
        resources.append(
            {
                "resourceType": "RelatedPerson",
                "id": str(contact.public_id),
                "patient": ref(client.public_id),
                "relationship": [{"text": contact.relation}],
                "name": [{"text": contact.name}],
                **(
                    {"telecom": [{"system": "phone", "value": contact.phone}]}
                    if contact.phone
                    else {}
                ),
                "extension": [
                    {"url": EXT + "helps-with", "valueString": contact.helps_with},
                    {"url": EXT + "available-when", "valueString": contact.available_when},
                ],
            }
        )
    for indication in client_indications(client=client):
        resources.append(
            {
                "resourceType": "ServiceRequest",
                "id": str(indication.public_id),
                "status": "active",
                "intent": "order",
                "subject": ref(client.public_id),
                "code": {"text": indication.products},
                "quantityQuantity": {
                    "value": float(indication.hours_per_week),
                    "unit": "h/wk",
                },
                "occurrencePeriod": {
                    "start": indication.valid_from.isoformat(),
                    **(
                        {"end": indication.valid_until.isoformat()}
                        if indication.valid_until
                        else {}
                    ),
                },
            }
        )
    for path in settings.CLIENT_FHIR_HOOKS:  # medication, ... (apps above clients)
        resources += import_string(path)(client=client)
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "meta": {"source": "buurtzorg"},
        "entry": [{"fullUrl": urn(r["id"]), "resource": r} for r in resources],
    }
