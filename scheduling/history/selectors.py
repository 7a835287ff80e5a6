"""Reading the change history: which field went from what to what, by whom, when."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models
from pghistory.models import Context

from scheduling.history import models as history

PGH_FIELDS = {"pgh_id", "pgh_created_at", "pgh_label", "pgh_obj", "pgh_context"}


@dataclass
class Change:
    """One event: the tracked model, the operation, who and what changed (old, new)."""

    model: str
    object_id: int
    label: str
    at: datetime
    user_id: int | None
    url: str
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


def _tracked_fields(event_model: type[models.Model]) -> list[str]:
    return [f.attname for f in event_model._meta.concrete_fields if f.name not in PGH_FIELDS]


def changes_for(event_model: type[models.Model], events: models.QuerySet) -> list[Change]:
    """Diff consecutive snapshots of each object, oldest first.

    `events` must be a queryset of `event_model`; every event of the objects it covers is
    read so that the first change in the window has its "before" value.
    """
    names = _tracked_fields(event_model)
    object_ids = set(events.values_list("pgh_obj_id", flat=True))
    rows = list(
        event_model._default_manager.filter(pgh_obj_id__in=object_ids)
        .order_by("pgh_obj_id", "pgh_id")
        .values("pgh_obj_id", "pgh_label", "pgh_created_at", "pgh_context_id", *names)
    )
    contexts = {
        c.id: c.metadata
        for c in Context.objects.filter(id__in={r["pgh_context_id"] for r in rows} - {None})
    }
    result: list[Change] = []
    previous: dict[int, dict] = {}
    for row in rows:
        before = previous.get(row["pgh_obj_id"], {})
        after = {name: row[name] for name in names}
        if row["pgh_label"] == "delete":
            diff = {name: (value, None) for name, value in after.items()}
        else:
            diff = {n: (before.get(n), v) for n, v in after.items() if before.get(n) != v}
        previous[row["pgh_obj_id"]] = after
        meta = contexts.get(row["pgh_context_id"], {})
        result.append(
            Change(
                model=event_model.__name__.lower().removesuffix("event"),
                object_id=row["pgh_obj_id"],
                label=row["pgh_label"],
                at=row["pgh_created_at"],
                user_id=meta.get("user"),
                url=meta.get("url", ""),
                changes=diff,
            )
        )
    return result


def client_history(*, client_pk: int) -> list[Change]:
    """Every change to one client's record and its parts, oldest first."""
    problems = history.ClientProblemEvent.objects.filter(client_id=client_pk)
    problem_ids = set(problems.values_list("pgh_obj_id", flat=True))
    indications = history.CareIndicationEvent.objects.filter(client_id=client_pk)
    network = history.NetworkContactEvent.objects.filter(client_id=client_pk)
    parts: list[tuple[type[models.Model], models.QuerySet]] = [
        (history.ClientEvent, history.ClientEvent.objects.filter(pgh_obj_id=client_pk)),
        (history.CareIndicationEvent, indications),
        (history.NetworkContactEvent, network),
        (history.ClientProblemEvent, problems),
        (
            history.ClientProblemSignEvent,
            history.ClientProblemSignEvent.objects.filter(client_problem_id__in=problem_ids),
        ),
        (
            history.InterventionEvent,
            history.InterventionEvent.objects.filter(client_problem_id__in=problem_ids),
        ),
        (
            history.OutcomeRatingEvent,
            history.OutcomeRatingEvent.objects.filter(client_problem_id__in=problem_ids),
        ),
    ]
    parts.append((history.VisitEvent, history.VisitEvent.objects.filter(client_id=client_pk)))
    changes = [change for model, events in parts for change in changes_for(model, events)]
    return sorted(changes, key=lambda c: c.at)
