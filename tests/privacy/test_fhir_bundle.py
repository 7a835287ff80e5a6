"""The client's FHIR bundle (portability) is one a receiving system can read: it validates
against the FHIR R4B models (fhir.resources), every entry has a urn:uuid fullUrl, every
reference resolves inside the bundle, one Omaha code means one concept, and every LOINC and
SNOMED CT code carries its valid check digit (LOINC mod 10, SNOMED CT Verhoeff): a code
mistyped from memory fails here instead of in a receiving system."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from clients.measurements.services import measurement_record
from omaha.models import OMAHA_SYSTEM_URI
from scheduling.medication import services as medication_services
from tests.factories import (
    CareIndicationFactory,
    ClientProblemFactory,
    ClientProblemSignFactory,
    InterventionFactory,
    NetworkContactFactory,
    OutcomeRatingFactory,
)
from tests.factories.clients import category_by_code, problem_by_code
from tests.factories.wounds import WoundAssessmentFactory, WoundFactory
from tests.medication.conftest import MedWorld, at

pytestmark = pytest.mark.django_db


def _walk(node: Any, found: list[tuple[str, Any]], key: str = "") -> None:  # noqa: ANN401
    if isinstance(node, dict):
        for k, v in node.items():
            _walk(v, found, k)
    elif isinstance(node, list):
        for v in node:
            _walk(v, found, key)
    found.append((key, node))


@pytest.fixture
def bundle(client, med: MedWorld) -> dict[str, Any]:
    """A client with every kind of data on main: two problems with signs, interventions and
    ratings, a contact, an indication, medication and a dose sign-off, a wound with an
    assessment, and measurements (one of them blood pressure, a panel of two)."""
    # Problem 01 (Income) and category 01 (Teaching...) share the bare number "01".
    for problem_code in ("24", "01"):
        cp = ClientProblemSignFactory(
            client_problem=ClientProblemFactory(
                client=med.client_record, severity="actual", problem=problem_by_code(problem_code)
            )
        ).client_problem
        InterventionFactory(client_problem=cp, category=category_by_code("01"))
        OutcomeRatingFactory(client_problem=cp, knowledge=3, expected_knowledge=4)
    NetworkContactFactory(client=med.client_record)
    CareIndicationFactory(client=med.client_record, valid_until=dt.date(2026, 12, 31))
    medication_services.dose_sign(
        visit=med.visit,
        medication=med.tablet,
        due_at=at(8),
        outcome="given",
        reason="",
        actor=med.nurse,
    )
    WoundAssessmentFactory(wound=WoundFactory(client=med.client_record, created_by=med.nurse))
    for kind, value, value2 in (("pulse", 72, None), ("bp", 135, 85), ("glucose", 7.2, None)):
        measurement_record(
            client=med.client_record,
            actor=med.nurse,
            kind=kind,
            value=Decimal(str(value)),
            value2=Decimal(value2) if value2 else None,
        )
    client.force_login(med.nurse)
    response = client.get(reverse("clients:client-export", args=[med.client_record.public_id]))
    assert response.status_code == 200
    return response.json()


def test_the_bundle_validates_as_fhir_r4(bundle) -> None:
    parsed = Bundle.model_validate(bundle)
    kinds = {entry.resource.get_resource_type() for entry in parsed.entry}
    assert kinds >= {
        "Patient",
        "Coverage",
        "Condition",
        "CarePlan",
        "Observation",
        "RelatedPerson",
        "ServiceRequest",
        "MedicationRequest",
        "MedicationAdministration",
    }


def test_every_entry_has_a_fullurl_and_every_reference_resolves(bundle) -> None:
    full_urls = [entry.get("fullUrl") for entry in bundle["entry"]]
    assert all(url and url.startswith("urn:uuid:") for url in full_urls)
    assert len(set(full_urls)) == len(full_urls)
    found: list[tuple[str, Any]] = []
    _walk(bundle["entry"], found)
    references = [value for key, value in found if key == "reference"]
    assert len(references) > 10
    assert set(references) <= set(full_urls), set(references) - set(full_urls)


def test_one_omaha_code_means_one_concept(bundle) -> None:
    found: list[tuple[str, Any]] = []
    _walk(bundle["entry"], found)
    meanings: dict[str, set[str]] = defaultdict(set)
    for _key, node in found:
        if isinstance(node, dict) and node.get("system") == OMAHA_SYSTEM_URI:
            meanings[node["code"]].add(node["display"])
    assert meanings, "no Omaha codes in the bundle"
    assert {code: names for code, names in meanings.items() if len(names) > 1} == {}
    prefixes = {code[0] for code in meanings}
    assert prefixes >= {"D", "P", "S", "C", "T", "R", "M"}


LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"


def _loinc_check_digit_ok(code: str) -> bool:
    """LOINC's mod 10 check digit: from the right, every other digit (the rightmost first)
    doubled and its digits added, the rest added; the check digit brings the sum to a ten."""
    number, _, check = code.partition("-")
    total = 0
    for i, char in enumerate(reversed(number)):
        digit = int(char) * (2 if i % 2 == 0 else 1)
        total += digit // 10 + digit % 10
    return check.isdigit() and (10 - total % 10) % 10 == int(check)


_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def _snomed_check_digit_ok(code: str) -> bool:
    """A SNOMED CT identifier ends in a Verhoeff check digit."""
    check = 0
    for i, char in enumerate(reversed(code)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(char)]]
    return code.isdigit() and check == 0


@pytest.mark.parametrize(
    ("code", "valid"),
    [("8867-4", True), ("39126-8", True), ("39126-7", False), ("85354-9", True)],
)
def test_the_loinc_check_digit_rule_tells_a_mistyped_code(code: str, valid: bool) -> None:
    assert _loinc_check_digit_ok(code) is valid


@pytest.mark.parametrize(
    ("code", "valid"), [("399912005", True), ("399912004", False), ("280137006", True)]
)
def test_the_verhoeff_rule_tells_a_mistyped_snomed_id(code: str, valid: bool) -> None:
    assert _snomed_check_digit_ok(code) is valid


def test_every_loinc_and_snomed_code_in_the_bundle_is_well_formed(bundle) -> None:
    found: list[tuple[str, Any]] = []
    _walk(bundle["entry"], found)
    codings = [n for _k, n in found if isinstance(n, dict) and n.get("system") in (LOINC, SNOMED)]
    loinc = {c["code"] for c in codings if c["system"] == LOINC}
    snomed = {c["code"] for c in codings if c["system"] == SNOMED}
    # pulse, the BP panel and its two parts, glucose, the wound's sizes and its pain score
    assert {"8867-4", "85354-9", "8480-6", "8462-4", "15074-8", "39126-8", "72514-3"} <= loinc
    assert snomed, "the pressure ulcer carries its SNOMED CT concept"
    assert sorted(c for c in loinc if not _loinc_check_digit_ok(c)) == []
    assert sorted(c for c in snomed if not _snomed_check_digit_ok(c)) == []
