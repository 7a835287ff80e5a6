"""Reads of wound care: gate (the client through `clients.selectors`, nurses and coaches of
her team only), one access row, data, in one transaction. Photos too: `photo_read` is the only
way a photo's bytes leave the private root."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.models import Client
from clients.reads import access_detail
from clients.selectors import client_get_clinical, user_edits_clients, user_reads_clinical
from clients.wounds.charts import size_chart
from clients.wounds.models import Wound, WoundAssessment, WoundPhoto
from teams.models import User


def _log(actor: User, action: str, client: Client, part: str, detail: str = "") -> None:
    access_log_write(
        actor=actor,
        action=action,
        client_public_id=client.public_id,
        part=part,
        detail=access_detail(detail),
    )


def wounds_visible(*, user: User) -> QuerySet[Wound]:
    """Wounds of the clients whose clinical record `user` reads (nurses and coaches of the
    client's team); none for back office and administrators."""
    if not user_reads_clinical(user=user):
        return Wound.objects.none()
    return Wound.objects.filter(client__in=Client.objects.visible_to(user)).select_related(
        "client", "client__team"
    )


def wound_get_visible(*, user: User, public_id: UUID | str) -> Wound:
    try:
        return wounds_visible(user=user).get(public_id=public_id)
    except (Wound.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No wound matches the given query.") from exc


def wound_get_editable(*, user: User, public_id: UUID | str) -> Wound:
    """A wound `user` may assess or close: nurses of the client's team (404 for anyone else)."""
    if not user_edits_clients(user=user):
        raise Http404("No wound matches the given query.")
    return wound_get_visible(user=user, public_id=public_id)


def assessment_get_editable(*, user: User, public_id: UUID | str) -> WoundAssessment:
    if not user_edits_clients(user=user):
        raise Http404("No assessment matches the given query.")
    try:
        return WoundAssessment.objects.select_related("wound__client").get(
            public_id=public_id, wound__in=wounds_visible(user=user)
        )
    except (WoundAssessment.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No assessment matches the given query.") from exc


def _with_assessments(wounds: QuerySet[Wound], photos: bool) -> QuerySet[Wound]:
    assessments = WoundAssessment.objects.select_related("assessed_by")
    if photos:
        assessments = assessments.prefetch_related("photos")
    return wounds.prefetch_related(Prefetch("assessments", queryset=assessments))


def _chart(wound: Wound) -> Wound:
    wound.chart = size_chart(list(wound.assessments.all()))  # type: ignore[attr-defined]
    return wound


def client_record_part(*, client: Client) -> dict[str, Any]:
    """The record page's wounds (settings.CLIENT_RECORD_PARTS): the open ones with their size
    charts, in two queries. Called inside `clients.reads.client_record_open` (gated, logged)."""
    wounds = _with_assessments(Wound.objects.filter(client=client).open(), photos=False)
    return {"wounds": [_chart(w) for w in wounds]}


@dataclass(frozen=True)
class ClientWounds:
    client: Client
    wounds: list[Wound]
    can_edit: bool


@transaction.atomic
def wound_list_read(*, actor: User, public_id: UUID | str) -> ClientWounds:
    """Every wound of a client (open first), with assessments and photos."""
    client = client_get_clinical(user=actor, public_id=public_id)
    wounds = _with_assessments(Wound.objects.filter(client=client), photos=True)
    rows = sorted((_chart(w) for w in wounds), key=lambda w: (not w.is_open, w.started_on))
    _log(actor, Action.VIEW, client, "wounds")
    return ClientWounds(
        client=client, wounds=rows, can_edit=user_edits_clients(user=actor) and client.is_active
    )


@transaction.atomic
def wound_read(*, actor: User, public_id: UUID | str) -> Wound:
    """One wound with its assessments, photos and size chart."""
    wound = _chart(
        _with_assessments(wounds_visible(user=actor), photos=True).get(
            pk=wound_get_visible(user=actor, public_id=public_id).pk
        )
    )
    _log(actor, Action.VIEW, wound.client, "wound", str(wound.public_id))
    return wound


@transaction.atomic
def photo_read(
    *, actor: User, public_id: UUID | str, thumbnail: bool = False
) -> tuple[WoundPhoto, bytes]:
    """A wound photo's bytes (or its thumbnail's), for nurses and coaches of the client's
    team: anyone else gets 404, and no access row. One VIEW row per photo served."""
    try:
        photo = WoundPhoto.objects.select_related("assessment__wound__client").get(
            public_id=public_id, assessment__wound__in=wounds_visible(user=actor)
        )
    except (WoundPhoto.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("No photo matches the given query.") from exc
    field = photo.thumbnail if thumbnail else photo.file
    with field.open("rb") as handle:
        data = handle.read()
    client = photo.assessment.wound.client
    _log(
        actor,
        Action.VIEW,
        client,
        "wound-photo",
        f"{photo.public_id}{' thumb' if thumbnail else ''}",
    )
    return photo, data


@transaction.atomic
def wound_form_open(
    *, actor: User, public_id: UUID | str, form: str, wound: Wound | None = None
) -> Wound:
    """A form page of a wound the actor may change (assess, close): logged as a VIEW of
    "<form>-form" (the page shows the wound); a saved form is logged by its write service.
    `wound`: the one a refused POST already resolved through `wound_get_editable`."""
    if wound is None or wound.public_id != public_id:
        wound = wound_get_editable(user=actor, public_id=public_id)
    _log(actor, Action.VIEW, wound.client, f"{form}-form", str(wound.public_id))
    return wound
