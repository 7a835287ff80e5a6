"""The vocabulary in the database matches the shipped JSON, and reloading changes nothing."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from omaha.models import (
    RETIRED_PROBLEM_CODES,
    RETIRED_TARGET_CODES,
    Domain,
    InterventionCategory,
    InterventionTarget,
    ModifierTerm,
    Problem,
    RatingConcept,
    RatingScoreLabel,
    SignSymptom,
)
from omaha.vocabulary import EXPECTED_COUNTS, load_vocabulary, read_json

pytestmark = pytest.mark.django_db


def test_migration_loaded_the_full_vocabulary() -> None:
    assert Domain.objects.count() == 4
    assert Problem.objects.count() == 42
    assert SignSymptom.objects.count() == 377
    assert SignSymptom.objects.filter(is_other=True).count() == 42
    assert InterventionCategory.objects.count() == 4
    assert InterventionTarget.objects.count() == 76
    assert InterventionTarget.objects.filter(is_other=True).get().code == "63"
    assert RatingConcept.objects.count() == 3
    assert RatingScoreLabel.objects.count() == 15
    assert ModifierTerm.objects.count() == 6


def test_codes_and_numbers_match_the_json() -> None:
    data = read_json("problems.json")
    expected = {p["code"]: (p["number"], p["name"], p["domain_code"]) for p in data["problems"]}
    stored = {
        p.code: (p.number, p.name, p.domain.code) for p in Problem.objects.select_related("domain")
    }
    assert stored == expected
    expected_signs = {
        s["key"]: (s["number"], s["name"], s["is_other"])
        for p in data["problems"]
        for s in p["signs_symptoms"]
    }
    stored_signs = {s.key: (s.number, s.name, s.is_other) for s in SignSymptom.objects.all()}
    assert stored_signs == expected_signs
    targets = read_json("interventions.json")["targets"]
    assert {t.code: t.number for t in InterventionTarget.objects.all()} == {
        t["code"]: t["number"] for t in targets
    }


def test_problem_codes_have_the_1992_gaps_and_printed_order() -> None:
    oral = Problem.objects.get(code="45")
    assert (oral.name, oral.number) == ("Oral health", 20)
    assert list(Problem.objects.values_list("number", flat=True)) == list(range(1, 43))
    pain_signs = list(Problem.objects.get(code="24").signs.values_list("is_other", flat=True))
    assert pain_signs[-1] is True  # "other" is printed last


def test_retired_codes_are_not_offered() -> None:
    assert not Problem.objects.filter(code__in=RETIRED_PROBLEM_CODES).exists()
    assert not InterventionTarget.objects.filter(code__in=RETIRED_TARGET_CODES).exists()
    retired = read_json("problems.json")["retired_1992_codes"]
    assert {p["code"] for p in retired["problems"]} == set(RETIRED_PROBLEM_CODES)
    assert {t["code"] for t in read_json("interventions.json")["retired_1992_target_codes"]} == (
        set(RETIRED_TARGET_CODES)
    )


def test_database_refuses_a_retired_problem_code() -> None:
    with pytest.raises(IntegrityError, match="problem_code_not_retired"), transaction.atomic():
        Problem.objects.create(
            code="22", number=43, name="Dentition", definition="", domain=Domain.objects.first()
        )


def test_reloading_is_idempotent() -> None:
    # given
    before = {p.pk: p.updated_at for p in Problem.objects.all()}
    # when
    counts = load_vocabulary()
    call_command("load_omaha", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # then
    assert counts == EXPECTED_COUNTS
    assert {p.pk: p.updated_at for p in Problem.objects.all()} == before
    assert SignSymptom.objects.count() == 377


def test_rating_scale_labels() -> None:
    knowledge = RatingConcept.objects.get(code="K")
    assert list(knowledge.scores.values_list("score", "label"))[0] == (1, "No knowledge")
    assert RatingConcept.objects.get(code="S").scores.get(score=5).label == "No signs/symptoms"
