"""Load the Omaha System vocabulary from the JSON shipped in `omaha/data/`.

One loader serves the data migration (with historical models) and `manage.py load_omaha`
(with the current ones). It is idempotent: terms are matched on their official code and
updated in place, so running it twice changes nothing, and retired 1992 codes are never loaded.

Labels in other languages come from `data/translations/<language>.json` (one file per language,
keyed like the English files: domain/problem/category/target code, sign key, "scope.family",
concept code, "K1" for a score) into each term's `translations`. Empty entries are skipped, so
the shipped Dutch file, an empty slot, leaves every term in English.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models

from omaha.models import InterventionTarget, Problem, SignSymptom
from omaha.selectors import rating_scale

DATA_DIR = Path(__file__).resolve().parent / "data"
TRANSLATIONS_DIR = DATA_DIR / "translations"

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


def read_translations() -> dict[str, dict[str, dict[str, dict[str, str]]]]:
    """{section: {term key: {language: {field: text}}}} from data/translations/*.json."""
    merged: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
    for path in sorted(TRANSLATIONS_DIR.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        language = data["language"]
        for section, terms in data.get("terms", {}).items():
            for key, fields in terms.items():
                filled = {field: text for field, text in fields.items() if text}
                if filled:
                    merged.setdefault(section, {}).setdefault(key, {})[language] = filled
    return merged


def _differs(obj: Any, field: str, value: Any) -> bool:
    if isinstance(value, models.Model):  # compare keys: no query per foreign key
        return getattr(obj, f"{field}_id") != value.pk
    return getattr(obj, field) != value


class _Upserter:
    """Create or update rows of one model, matched on a natural key, in few queries.

    Existing rows are read once; only rows whose values differ are written, so a rerun on an
    up-to-date database reads and writes nothing else.
    """

    def __init__(self, model: Any, key: Callable[[Any], Any]) -> None:
        self.model = model
        self.key = key
        self.existing = {key(obj): obj for obj in model.objects.all()}
        # The data migration 0002 runs with historical models from before `translations`.
        self.translated = any(f.name == "translations" for f in model._meta.get_fields())

    def __call__(self, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        if "translations" in values and not self.translated:
            values = {k: v for k, v in values.items() if k != "translations"}
        probe = self.model(**lookup)
        obj = self.existing.get(self.key(probe))
        if obj is None:
            obj = self.model.objects.create(**lookup, **values)
            self.existing[self.key(obj)] = obj
            return obj
        changed = [field for field, value in values.items() if _differs(obj, field, value)]
        if changed:
            for field in changed:
                setattr(obj, field, values[field])
            obj.save(update_fields=[*changed, "updated_at"])
        return obj


def load_vocabulary(get_model: Callable[[str, str], Any] | None = None) -> dict[str, int]:
    """Create or update every term; return the counts loaded. Raises if the data is off."""
    if get_model is None:
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
    translations = read_translations()

    def labels(section: str, key: str) -> dict[str, dict[str, str]]:
        return translations.get(section, {}).get(key, {})

    upsert_domain = _Upserter(domain_model, lambda o: o.code)
    upsert_problem = _Upserter(problem_model, lambda o: o.code)
    upsert_sign = _Upserter(sign_model, lambda o: o.key)
    upsert_modifier = _Upserter(modifier_model, lambda o: (o.kind, o.code))
    upsert_category = _Upserter(category_model, lambda o: o.code)
    upsert_target = _Upserter(target_model, lambda o: o.code)
    upsert_concept = _Upserter(concept_model, lambda o: o.code)
    upsert_label = _Upserter(label_model, lambda o: (o.concept_id, o.score))

    counts = dict.fromkeys(EXPECTED_COUNTS, 0)
    domains = {}
    for row in problems_data["domains"]:
        domains[row["code"]] = upsert_domain(
            {"code": row["code"]},
            {
                "number": row["number"],
                "name": row["name"],
                "definition": row["definition"],
                "translations": labels("domains", row["code"]),
            },
        )
        counts["domains"] += 1
    for row in problems_data["problems"]:
        if row["code"] in retired_problems:
            raise ValueError(f"Problem code {row['code']} is retired and must not be offered")
        problem = upsert_problem(
            {"code": row["code"]},
            {
                "number": row["number"],
                "name": row["name"],
                "definition": row["definition"],
                "domain": domains[row["domain_code"]],
                "translations": labels("problems", row["code"]),
            },
        )
        counts["problems"] += 1
        for sign in row["signs_symptoms"]:
            if sign["key"] in retired_signs:
                raise ValueError(f"Sign/symptom {sign['key']} is retired and must not be offered")
            upsert_sign(
                {"key": sign["key"]},
                {
                    "problem": problem,
                    "code": sign["code"],
                    "number": sign["number"],
                    "name": sign["name"],
                    "is_other": sign["is_other"],
                    "translations": labels("signs", sign["key"]),
                },
            )
            counts["signs"] += 1
    for kind in ("scope", "severity"):
        for number, row in enumerate(problems_data["modifiers"][kind], start=1):
            upsert_modifier(
                {"kind": kind, "code": row["code"]},
                {
                    "number": number,
                    "name": row["name"],
                    "definition": row["definition"],
                    "translations": labels("modifiers", f"{kind}.{row['code']}"),
                },
            )
            counts["modifiers"] += 1
    for row in interventions_data["categories"]:
        upsert_category(
            {"code": row["code"]},
            {
                "number": row["number"],
                "name": row["name"],
                "definition": row["definition"],
                "translations": labels("categories", row["code"]),
            },
        )
        counts["categories"] += 1
    for row in interventions_data["targets"]:
        if row["code"] in retired_targets:
            raise ValueError(f"Target code {row['code']} is retired and must not be offered")
        upsert_target(
            {"code": row["code"]},
            {
                "number": row["number"],
                "name": row["name"],
                "definition": row["definition"],
                "is_other": row["is_other"],
                "translations": labels("targets", row["code"]),
            },
        )
        counts["targets"] += 1
    for number, row in enumerate(scale_data["concepts"], start=1):
        concept = upsert_concept(
            {"code": row["code"]},
            {
                "number": number,
                "name": row["name"],
                "definition": row["definition"],
                "translations": labels("concepts", row["code"]),
            },
        )
        counts["concepts"] += 1
        for rating in row["ratings"]:
            upsert_label(
                {"concept": concept, "score": rating["score"]},
                {
                    "label": rating["label"],
                    "translations": labels("scores", f"{row['code']}{rating['score']}"),
                },
            )
    if counts != EXPECTED_COUNTS:
        raise ValueError(f"Omaha data counts {counts} differ from {EXPECTED_COUNTS}")
    rating_scale.cache_clear()  # this process's copy of the scale (omaha.selectors)
    return counts


def ensure_vocabulary() -> None:
    """Load the vocabulary if the database lacks it.

    The data migration loads it into every database, but a transactional test's flush empties
    all tables, including this migration data, for the tests that run after it.
    """
    if (
        Problem.objects.count() != EXPECTED_COUNTS["problems"]
        or SignSymptom.objects.count() != EXPECTED_COUNTS["signs"]
        or InterventionTarget.objects.count() != EXPECTED_COUNTS["targets"]
    ):
        load_vocabulary()
