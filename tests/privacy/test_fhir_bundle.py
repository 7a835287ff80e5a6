"""The client's FHIR bundle (portability) is one a receiving system can read: it validates
against the FHIR R4B models (fhir.resources), every entry has a urn:uuid fullUrl, every
reference resolves inside the bundle, and one Omaha code means one concept."""

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

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
    ratings, a contact, an indication, medication and a dose sign-off."""
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
