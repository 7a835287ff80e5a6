"""The subject access copy as a document a person reads: sections of items, each a list of
(label, value) pairs in the reader's language.

Labels are the fields' own (translated) names, values are shown the way the app shows them:
choices by their label, dates and times in the reader's format, yes/no for booleans, lists and
changes written out. An empty value is an empty cell beside its label, never a shifted one.
Database keys (ids, foreign keys, public ids) are left out: they mean nothing to the reader and
the machine-readable copies (JSON, FHIR) carry them.
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from buurtzorg.l10n import format_number

Pairs = list[tuple[str, str]]


@dataclass
class Item:
    rows: Pairs
    children: list[tuple[str, list["Item"]]] = field(default_factory=list)


@dataclass
class Section:
    title: str
    items: list[Item]


def text(value: Any) -> str:  # noqa: ANN401 - any stored value
    """One value as the reader sees it; None and "" are empty."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, dt.time):
        return formats.time_format(value, "TIME_FORMAT")
    if isinstance(value, Decimal | float):
        return format_number(value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {text(v)}" for key, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(text(v) for v in value)
    return str(value)


HIDDEN = {"id", "public_id", "password"}


def _own_labels() -> dict[str, str]:
    """Labels for the shared timestamp columns (their models name them only in English)."""
    return {"created_at": _("Recorded on"), "updated_at": _("Last changed on")}


def rows(obj: models.Model, *, related: Iterable[str] = ()) -> Pairs:
    """(label, value) for every stored field of `obj` but its keys; the foreign keys named in
    `related` (prefetched by the caller) are shown by their name."""
    out: Pairs = []
    own = _own_labels()
    for f in obj._meta.concrete_fields:
        if f.name in HIDDEN or f.primary_key:
            continue
        label = own.get(f.name) or capfirst(str(f.verbose_name))
        if f.is_relation:
            if f.name in related:
                out.append((label, text(getattr(obj, f.name))))
            continue
        value = getattr(obj, f.attname)
        if f.choices and value not in (None, ""):
            value = getattr(obj, f"get_{f.name}_display")()
        out.append((label, text(value)))
    return out


def _items(objects: Iterable[models.Model], **kwargs: Any) -> list[Item]:  # noqa: ANN401
    return [Item(rows(obj, **kwargs)) for obj in objects]


def client_document(*, client: models.Model, data: dict[str, Any]) -> list[Section]:
    """The sections of the readable copy of `client` (already gated by the caller); `data` is
    the plain copy of the same read (for the change history and the access log)."""
    from clients.intake.models import intake_requests_about
    from scheduling.carenotes.models import CareReport

    c: Any = client
    problems = c.problems.select_related("problem").prefetch_related(
        "signs__sign", "interventions__category", "interventions__target", "ratings"
    )
    problem_items = [
        Item(
            rows(p, related=("problem",)),
            [
                (_("Signs and symptoms"), _items(p.signs.all(), related=("sign",))),
                (
                    _("Interventions"),
                    _items(p.interventions.all(), related=("category", "target")),
                ),
                (_("Ratings"), _items(p.ratings.all())),
            ],
        )
        for p in problems
    ]
    sections = [
        Section(_("Personal details"), [Item(rows(client, related=("insurer", "team")))]),
        Section(_("Care indications"), _items(c.indications.all())),
        Section(_("Network"), _items(c.network.all())),
        Section(_("Problems, interventions and ratings"), problem_items),
    ]
    if hasattr(client, "visits"):
        visits = c.visits.prefetch_related("services")
        sections.append(
            Section(
                _("Visits"),
                [Item(rows(v), [(_("Services"), _items(v.services.all()))]) for v in visits],
            )
        )
    if hasattr(client, "medications"):
        medications = c.medications.prefetch_related("signoffs")
        sections.append(
            Section(
                _("Medication"),
                [
                    Item(rows(m), [(_("Administrations"), _items(m.signoffs.all()))])
                    for m in medications
                ],
            )
        )
    sections.append(
        Section(
            _("Reports"),
            _items(CareReport.objects.filter(client=c).order_by("written_at", "pk")),
        )
    )
    intake = intake_requests_about(bsn=c.bsn, public_id=c.public_id)
    sections.append(Section(_("Intake requests"), _items(intake)))
    if hasattr(client, "invoice_lines"):
        sections.append(Section(_("Invoice lines"), _items(c.invoice_lines.all())))
    sections.append(Section(_("Privacy requests"), _items(c.privacy_requests.all())))
    sections.append(
        Section(
            _("Change history"),
            [
                Item(
                    [
                        (_("When"), text(_parse_at(change["at"]))),
                        (_("What"), _model_label(change["what"])),
                        (_("Action"), text(change["action"])),
                        (_("Changes"), _changes(change["what"], change["changes"])),
                    ]
                )
                for change in data["change_history"]
            ],
        )
    )
    sections.append(
        Section(
            _("Who saw the record"),
            [
                Item(
                    [
                        (_("When"), text(_parse_at(event["at"]))),
                        (_("Who"), text(event["who"])),
                        (_("Role"), text(event["role"])),
                        (_("Action"), text(event["action"])),
                        (_("Part"), text(event["part"])),
                    ]
                )
                for event in data["access_log"]
            ],
        )
    )
    return sections


def _model(model_name: str) -> type[models.Model] | None:
    return next((m for m in apps.get_models() if m._meta.model_name == model_name), None)


def _model_label(model_name: str) -> str:
    model = _model(model_name)
    return capfirst(str(model._meta.verbose_name)) if model else model_name


def _changes(model_name: str, changes: dict[str, list[Any]]) -> str:
    """ "Label: old → new" for each changed field a reader knows (keys and ids left out); a
    choice by its label, as on the record ("Client not home", not "not_home")."""
    model = _model(model_name)
    fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
    labels = {name: capfirst(str(f.verbose_name)) for name, f in fields.items()}
    choices = {name: dict(f.flatchoices) for name, f in fields.items() if f.choices}

    def shown(key: str, value: Any) -> str:  # noqa: ANN401 - a value from the JSON copy
        if key in choices and value not in (None, ""):
            return text(choices[key].get(value, value))
        return _iso_text(value)

    return "; ".join(
        f"{labels.get(key, key)}: {shown(key, old)} → {shown(key, new)}"
        for key, (old, new) in changes.items()
        if key not in HIDDEN and not key.endswith("_id")
    )


def _iso_text(value: Any) -> str:  # noqa: ANN401 - a value from the JSON copy
    """A date or time the JSON copy wrote as ISO text, back in the reader's format."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return text(dt.date.fromisoformat(value))
    if isinstance(value, str) and re.fullmatch(
        r"\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?", value
    ):
        return text(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
    return text(value)


def _parse_at(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None
