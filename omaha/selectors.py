"""Reads of the Omaha vocabulary (public, read-only data: no row-level access rules)."""

import functools

from django.db.models import Prefetch, Q, QuerySet

from omaha.models import (
    Domain,
    InterventionCategory,
    InterventionTarget,
    ModifierTerm,
    Problem,
    RatingConcept,
    RatingScoreLabel,
    SignSymptom,
)


def problem_list(*, domain_code: str = "") -> QuerySet[Problem]:
    """Problems in printed order with their signs/symptoms (two queries)."""
    problems = Problem.objects.select_related("domain").prefetch_related(
        Prefetch("signs", queryset=SignSymptom.objects.order_by("number"))
    )
    if domain_code:
        problems = problems.filter(domain__code=domain_code)
    return problems.order_by("number")


def problem_search(*, query: str) -> QuerySet[Problem]:
    """Problems whose name, code or definition, or any of whose signs, match `query`.

    A code matches exactly: "24" is Pain, "24.03" one of its signs/symptoms.
    """
    query = query.strip()
    problems = problem_list()
    if not query:
        return problems
    condition = Q(name__icontains=query) | Q(definition__icontains=query)
    condition |= Q(code=query) | Q(domain__name__icontains=query)
    matching_signs = SignSymptom.objects.filter(Q(name__icontains=query) | Q(key=query))
    condition |= Q(pk__in=matching_signs.values("problem_id"))
    return problems.filter(condition)


def domain_list() -> QuerySet[Domain]:
    return Domain.objects.order_by("number")


def category_list() -> QuerySet[InterventionCategory]:
    return InterventionCategory.objects.order_by("number")


def target_list(*, query: str = "") -> QuerySet[InterventionTarget]:
    targets = InterventionTarget.objects.order_by("number")
    query = query.strip()
    if query:
        targets = targets.filter(
            Q(name__icontains=query) | Q(code=query) | Q(definition__icontains=query)
        )
    return targets


def modifier_list() -> QuerySet[ModifierTerm]:
    return ModifierTerm.objects.order_by("kind", "number")


@functools.cache
def rating_scale() -> tuple[RatingConcept, ...]:
    """The Problem Rating Scale: its concepts (K, B, S) in printed order, each with its score
    labels in `concept.scores.all()` (by score).

    Read once per process (the visit log form asked for it, two queries, on every view): the
    rows are the vocabulary's, which nothing in the app writes (read-only admin, no service).
    They change only when the data migration or `manage.py load_omaha` loads the JSON shipped
    with a release (omaha/vocabulary.py), before that release's web processes start; the
    loader also forgets this copy (`rating_scale.cache_clear()`) for the process it runs in.
    The labels in every language are kept (`translations`): `local_name` still picks the
    reader's language on each call. Callers only read the objects."""
    return tuple(
        RatingConcept.objects.prefetch_related(
            Prefetch("scores", queryset=RatingScoreLabel.objects.order_by("score"))
        ).order_by("number")
    )


def signs_for_problem(*, problem_code: str, query: str = "") -> QuerySet[SignSymptom]:
    """Listed signs/symptoms of a problem for the pick list ("other" excluded: it is separate)."""
    signs = SignSymptom.objects.filter(problem__code=problem_code, is_other=False)
    if query.strip():
        signs = signs.filter(Q(name__icontains=query.strip()) | Q(key=query.strip()))
    return signs.order_by("number")
