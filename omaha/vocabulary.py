"""Load the Omaha System vocabulary from the JSON shipped in `omaha/data/`.

One loader serves the data migration (with historical models) and `manage.py load_omaha`
(with the current ones). It is idempotent: terms are matched on their official code and
updated in place, so running it twice changes nothing, and retired 1992 codes are never loaded.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

EXPECTED_COUNTS = {
    "domains": 4,
    "problems": 42,
    "signs": 377,
    "categories": 4,
    "targets": 76,
    "concepts": 3,
    "modifiers": 6,
}


def read_json(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    """update_or_create that writes only when something changed (keeps reruns quiet)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=[*changed, "updated_at"])
    return obj


def load_vocabulary(get_model: Callable[[str, str], Any] | None = None) -> dict[str, int]:
    """Create or update every term; return the counts loaded. Raises if the data is off."""
    if get_model is None:
        from django.apps import apps

        get_model = apps.get_model
    domain_model = get_model("omaha", "Domain")
    problem_model = get_model("omaha", "Problem")
    sign_model = get_model("omaha", "SignSymptom")
    modifier_model = get_model("omaha", "ModifierTerm")
    category_model = get_model("omaha", "InterventionCategory")
    target_model = get_model("omaha", "InterventionTarget")
    concept_model = get_model("omaha", "RatingConcept")
    label_model = get_model("omaha", "RatingScoreLabel")

    problems_data = read_json("problems.json")
    interventions_data = read_json("interventions.json")
    scale_data = read_json("rating_scale.json")
    retired_problems = {p["code"] for p in problems_data["retired_1992_codes"]["problems"]}
    retired_signs = {s["key"] for s in problems_data["retired_1992_codes"]["signs_symptoms"]}
    retired_targets = {t["code"] for t in interventions_data["retired_1992_target_codes"]}

    counts = dict.fromkeys(EXPECTED_COUNTS, 0)
    domains = {}
    for row in problems_data["domains"]:
        domains[row["code"]] = _upsert(
            domain_model,
            {"code": row["code"]},
            {"number": row["number"], "name": row["name"], "definition": row["definition"]},
        )
        counts["domains"] += 1
    for row in problems_data["problems"]:
        if row["code"] in retired_problems:
            raise ValueError(f"Problem code {row['code']} is retired and must not be offered")
        problem = _upsert(
            problem_model,
            {"code": row["code"]},
            {
                "number": row["number"],
                "name": row["name"],
                "definition": row["definition"],
                "domain": domains[row["domain_code"]],
            },
        )
        counts["problems"] += 1
        for sign in row["signs_symptoms"]:
            if sign["key"] in retired_signs:
                raise ValueError(f"Sign/symptom {sign['key']} is retired and must not be offered")
            _upsert(
                sign_model,
                {"key": sign["key"]},
                {
                    "problem": problem,
                    "code": sign["code"],
                    "number": sign["number"],
                    "name": sign["name"],
                    "is_other": sign["is_other"],
                },
            )
            counts["signs"] += 1
    for kind in ("scope", "severity"):
        for number, row in enumerate(problems_data["modifiers"][kind], start=1):
            _upsert(
                modifier_model,
                {"kind": kind, "code": row["code"]},
                {"number": number, "name": row["name"], "definition": row["definition"]},
            )
            counts["modifiers"] += 1
    for row in interventions_data["categories"]:
        _upsert(
            category_model,
            {"code": row["code"]},
            {"number": row["number"], "name": row["name"], "definition": row["definition"]},
        )
        counts["categories"] += 1
    for row in interventions_data["targets"]:
        if row["code"] in retired_targets:
            raise ValueError(f"Target code {row['code']} is retired and must not be offered")
        _upsert(
            target_model,
            {"code": row["code"]},
            {
                "number": row["number"],
                "name": row["name"],
                "definition": row["definition"],
                "is_other": row["is_other"],
            },
        )
        counts["targets"] += 1
    for number, row in enumerate(scale_data["concepts"], start=1):
        concept = _upsert(
            concept_model,
            {"code": row["code"]},
            {"number": number, "name": row["name"], "definition": row["definition"]},
        )
        counts["concepts"] += 1
        for rating in row["ratings"]:
            _upsert(
                label_model,
                {"concept": concept, "score": rating["score"]},
                {"label": rating["label"]},
            )
    if counts != EXPECTED_COUNTS:
        raise ValueError(f"Omaha data counts {counts} differ from {EXPECTED_COUNTS}")
    return counts


def ensure_vocabulary() -> None:
    """Load the vocabulary if the database lacks it.

    The data migration loads it into every database, but a transactional test's flush empties
    all tables, including this migration data, for the tests that run after it.
    """
    from omaha.models import InterventionTarget, Problem, SignSymptom

    if (
        Problem.objects.count() != EXPECTED_COUNTS["problems"]
        or SignSymptom.objects.count() != EXPECTED_COUNTS["signs"]
        or InterventionTarget.objects.count() != EXPECTED_COUNTS["targets"]
    ):
        load_vocabulary()
