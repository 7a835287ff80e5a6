"""Omaha terms in other languages: the data slot, the loader, and the fallback to English."""

import json
from pathlib import Path

import pytest
from django.utils import translation

from omaha import vocabulary
from omaha.models import Problem, RatingScoreLabel, SignSymptom
from omaha.selectors import rating_scale
from omaha.vocabulary import load_vocabulary, read_json

pytestmark = pytest.mark.django_db

SHIPPED_DUTCH = vocabulary.TRANSLATIONS_DIR / "nl.json"


def test_the_shipped_dutch_file_has_a_slot_for_every_term_and_no_unlicensed_text() -> None:
    dutch = json.loads(SHIPPED_DUTCH.read_text(encoding="utf-8"))
    problems = read_json("problems.json")
    assert dutch["language"] == "nl"
    assert set(dutch["terms"]["problems"]) == {p["code"] for p in problems["problems"]}
    signs = {s["key"] for p in problems["problems"] for s in p["signs_symptoms"]}
    assert set(dutch["terms"]["signs"]) == signs
    assert len(dutch["terms"]["targets"]) == 76
    assert len(dutch["terms"]["scores"]) == 15
    # No licensed Dutch translation was found: every entry is empty until one is.
    texts = [t for section in dutch["terms"].values() for e in section.values() for t in e.values()]
    assert not any(texts)
    assert dutch["licence"] is None


def test_without_a_dutch_label_the_english_term_shows() -> None:
    pain = Problem.objects.get(code="24")
    with translation.override("nl"):
        assert pain.local_name == "Pain"
        assert str(pain) == "24 Pain"


def test_a_dutch_label_from_the_data_files_shows_in_dutch_and_english_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a translation file with a label for Pain, one sign and one score (test data only)
    (tmp_path / "nl.json").write_text(
        json.dumps(
            {
                "language": "nl",
                "terms": {
                    "problems": {"24": {"name": "Pijn", "definition": ""}},
                    "signs": {"24.01": {"name": "uit pijn verbaal"}},
                    "scores": {"K1": {"label": "Geen kennis"}},
                },
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(vocabulary, "TRANSLATIONS_DIR", tmp_path)
    # When the same loader runs
    load_vocabulary()
    # Then Dutch readers get the Dutch label, English readers and untranslated fields English
    pain = Problem.objects.get(code="24")
    assert pain.translations == {"nl": {"name": "Pijn"}}
    sign = SignSymptom.objects.get(key="24.01")
    score = RatingScoreLabel.objects.get(concept__code="K", score=1)
    with translation.override("nl"):
        assert (pain.local_name, str(pain)) == ("Pijn", "24 Pijn")
        assert pain.local_definition == pain.definition  # empty Dutch field: English
        assert sign.local_name == "uit pijn verbaal"
        assert score.local_name == "Geen kennis"
        assert Problem.objects.get(code="01").local_name == "Income"
    with translation.override("en"):
        assert pain.local_name == "Pain"
        assert score.local_name == "No knowledge"
    # And loading the shipped (empty) file again clears the slot
    monkeypatch.setattr(vocabulary, "TRANSLATIONS_DIR", SHIPPED_DUTCH.parent)
    load_vocabulary()
    assert Problem.objects.get(code="24").translations == {}


def test_the_rating_scale_kept_by_the_process_follows_the_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries
) -> None:
    # Given the scale read once in this process (the visit log form's words)
    rating_scale()
    with django_assert_num_queries(0):
        rating_scale()

    def k1() -> str:
        knowledge = next(c for c in rating_scale() if c.code == "K")
        with translation.override("nl"):
            return knowledge.scores.all()[0].local_name

    assert k1() == "No knowledge"
    # When the loader loads a Dutch label for K1 (test data only)
    (tmp_path / "nl.json").write_text(
        json.dumps({"language": "nl", "terms": {"scores": {"K1": {"label": "Geen kennis"}}}}),
        encoding="utf-8",
    )
    monkeypatch.setattr(vocabulary, "TRANSLATIONS_DIR", tmp_path)
    load_vocabulary()
    # Then the scale read next has it, and loading the shipped file again takes it away
    assert k1() == "Geen kennis"
    monkeypatch.setattr(vocabulary, "TRANSLATIONS_DIR", SHIPPED_DUTCH.parent)
    load_vocabulary()
    assert k1() == "No knowledge"
