"""Writes of wound care: open a wound, assess it (with photos), close it; erase photos.

Callers pass a client resolved through `clients.selectors.client_get_editable` (nurses of the
client's team) and a wound/assessment resolved through `clients.wounds.selectors`. Each write
logs its own access row. Photos are checked and re-encoded (buurtzorg.images) BEFORE anything
is stored, so a bad photo leaves no assessment behind; files written for a transaction that
then fails are removed again.
"""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from buurtzorg.images import CleanImage, image_clean
from clients.models import Client
from clients.wounds.models import (
    FUTURE_MARGIN,
    MAX_DEPTH_MM,
    MAX_LENGTH_MM,
    Wound,
    WoundAssessment,
    WoundPhoto,
    private_storage,
)
from teams.models import User

START_IN_FUTURE = _("A wound cannot start in the future.")
ASSESSED_IN_FUTURE = _("This time is in the future: enter when the wound was assessed.")
ASSESSED_BEFORE_START = _("The assessment cannot be before the wound started.")
SIZE_IMPLAUSIBLE = _("Enter a size from %(low)s to %(high)s mm.")
PAIN_OUT_OF_RANGE = _("Pain is a score from 0 to 10.")
WOUND_CLOSED = _("This wound is closed: it takes no new assessments or photos.")
CLOSE_BEFORE_START = _("A wound cannot close before it started.")
CLOSE_IN_FUTURE = _("A wound cannot close in the future.")
CLOSE_REASON_REQUIRED = _("Say why the wound is closed (healed, amputation, ...).")
CLIENT_DISCHARGED = _("This client is discharged: the record is closed.")
MAX_PHOTOS = 6
TOO_MANY_PHOTOS = _("At most %(limit)s photos per assessment.")


def _log(actor: User, action: str, client: Client, detail: str) -> None:
    access_log_write(
        actor=actor, action=action, client_public_id=client.public_id, part="wounds", detail=detail
    )


def photos_clean(files: Sequence[IO[bytes]]) -> list[CleanImage]:
    """Check every photo by content (a ValidationError on the `photo` field otherwise)."""
    if len(files) > MAX_PHOTOS:
        raise ValidationError(
            {"photo": ValidationError(TOO_MANY_PHOTOS, params={"limit": MAX_PHOTOS})}
        )
    try:
        return [
            image_clean(
                f,
                max_bytes=settings.WOUND_PHOTO_MAX_BYTES,
                max_pixels=settings.WOUND_PHOTO_MAX_PIXELS,
            )
            for f in files
        ]
    except ValidationError as exc:
        raise ValidationError({"photo": exc}) from exc


@transaction.atomic
def wound_open(
    *,
    client: Client,
    actor: User,
    body_site: str,
    kind: str,
    started_on: dt.date,
    cause: str = "",
) -> Wound:
    if not client.is_active:
        raise ValidationError(CLIENT_DISCHARGED, code="discharged")
    if started_on > timezone.localdate():
        raise ValidationError({"started_on": ValidationError(START_IN_FUTURE, code="future")})
    wound = Wound(
        client=client,
        body_site=body_site,
        kind=kind,
        cause=cause,
        started_on=started_on,
        created_by=actor,
    )
    wound.full_clean()
    wound.save()
    _log(actor, Action.CREATE, client, f"wound {wound.public_id}")
    return wound


def assessment_check(
    *,
    wound: Wound,
    assessed_at: dt.datetime,
    length_mm: Decimal,
    width_mm: Decimal,
    depth_mm: Decimal,
    pain: int,
) -> None:
    errors: dict = {}
    for field, value, low, high in (
        ("length_mm", length_mm, Decimal("0.1"), MAX_LENGTH_MM),
        ("width_mm", width_mm, Decimal("0.1"), MAX_LENGTH_MM),
        ("depth_mm", depth_mm, Decimal(0), MAX_DEPTH_MM),
    ):
        if not low <= value <= high:
            errors[field] = ValidationError(
                SIZE_IMPLAUSIBLE, code="implausible", params={"low": low, "high": high}
            )
    if not 0 <= pain <= 10:
        errors["pain"] = ValidationError(PAIN_OUT_OF_RANGE, code="pain_range")
    if assessed_at > timezone.now() + FUTURE_MARGIN:
        errors["assessed_at"] = ValidationError(ASSESSED_IN_FUTURE, code="future")
    elif timezone.localtime(assessed_at).date() < wound.started_on:
        errors["assessed_at"] = ValidationError(ASSESSED_BEFORE_START, code="before_start")
    if errors:
        raise ValidationError(errors)


def wound_assess(
    *,
    wound: Wound,
    actor: User,
    assessed_at: dt.datetime,
    length_mm: Decimal,
    width_mm: Decimal,
    depth_mm: Decimal,
    tissue: str,
    exudate: str,
    edges: str,
    pain: int,
    notes: str = "",
    photos: Sequence[IO[bytes]] = (),
) -> WoundAssessment:
    """Add an assessment (with its photos) to an open wound, all or nothing.

    Field rules and the photos are checked before anything is written; the wound row is
    locked so an assessment cannot slip in as it is closed."""
    assessment_check(
        wound=wound,
        assessed_at=assessed_at,
        length_mm=length_mm,
        width_mm=width_mm,
        depth_mm=depth_mm,
        pain=pain,
    )
    images = photos_clean(photos)
    written: list[str] = []
    try:
        with transaction.atomic():
            wound = Wound.objects.select_for_update().select_related("client").get(pk=wound.pk)
            if not wound.is_open:
                raise ValidationError(WOUND_CLOSED, code="closed")
            if not wound.client.is_active:
                raise ValidationError(CLIENT_DISCHARGED, code="discharged")
            assessment = WoundAssessment(
                wound=wound,
                assessed_at=assessed_at,
                length_mm=length_mm,
                width_mm=width_mm,
                depth_mm=depth_mm,
                tissue=tissue,
                exudate=exudate,
                edges=edges,
                pain=pain,
                notes=notes,
                assessed_by=actor,
            )
            assessment.full_clean(exclude={"created_at"})  # the not-in-future check: above
            assessment.save()
            for photo in _photo_rows(assessment, images, actor, written):
                photo.full_clean()
                photo.save()
            _log(actor, Action.CREATE, wound.client, f"assessment {assessment.public_id}")
    except BaseException:
        _delete_files(written)
        raise
    return assessment


def _photo_rows(
    assessment: WoundAssessment, images: Sequence[CleanImage], actor: User, written: list[str]
) -> list[WoundPhoto]:
    """Write each image's files (recording their names in `written`) and return the rows."""
    rows = []
    for image in images:
        photo = WoundPhoto(
            assessment=assessment,
            content_type=image.content_type,
            extension=image.extension,
            width=image.width,
            height=image.height,
            taken_by=actor,
        )
        name = f"{photo.public_id}.{image.extension}"
        photo.file.save(name, ContentFile(image.content), save=False)
        written.append(photo.file.name or "")
        photo.thumbnail.save(f"thumb-{name}", ContentFile(image.thumbnail), save=False)
        written.append(photo.thumbnail.name or "")
        rows.append(photo)
    return rows


def _delete_files(names: Sequence[str]) -> None:
    storage = private_storage()
    for name in names:
        if name:
            storage.delete(name)


def photo_add(
    *, assessment: WoundAssessment, actor: User, photos: Sequence[IO[bytes]]
) -> list[WoundPhoto]:
    """Add photos to an assessment of an open wound (the API's upload)."""
    images = photos_clean(photos)
    written: list[str] = []
    try:
        with transaction.atomic():
            wound = (
                Wound.objects.select_for_update()
                .select_related("client")
                .get(pk=assessment.wound_id)
            )
            if not wound.is_open:
                raise ValidationError(WOUND_CLOSED, code="closed")
            if assessment.photos.count() + len(images) > MAX_PHOTOS:
                raise ValidationError(
                    {"photo": ValidationError(TOO_MANY_PHOTOS, params={"limit": MAX_PHOTOS})}
                )
            rows = _photo_rows(assessment, images, actor, written)
            for photo in rows:
                photo.full_clean()
                photo.save()
            _log(actor, Action.CREATE, wound.client, f"photos {assessment.public_id}")
    except BaseException:
        _delete_files(written)
        raise
    return rows


@transaction.atomic
def wound_close(*, wound: Wound, actor: User, closed_on: dt.date, close_reason: str) -> Wound:
    wound = Wound.objects.select_for_update().select_related("client").get(pk=wound.pk)
    if not wound.is_open:
        raise ValidationError(WOUND_CLOSED, code="closed")
    errors: dict = {}
    if closed_on < wound.started_on:
        errors["closed_on"] = ValidationError(CLOSE_BEFORE_START, code="before_start")
    elif closed_on > timezone.localdate():
        errors["closed_on"] = ValidationError(CLOSE_IN_FUTURE, code="future")
    if not close_reason.strip():
        errors["close_reason"] = ValidationError(CLOSE_REASON_REQUIRED, code="required")
    if errors:
        raise ValidationError(errors)
    wound.closed_on = closed_on
    wound.close_reason = close_reason.strip()
    wound.full_clean()
    wound.save(update_fields=["closed_on", "close_reason", "updated_at"])
    _log(actor, Action.UPDATE, wound.client, f"wound closed {wound.public_id}")
    return wound


def client_wounds_erase(*, client: Client, erased: str) -> int:
    """GDPR erasure: every photo file and row of the client goes, free text is blanked; the
    wounds and their sizes stay (anonymous once the client is). Returns the photos removed.
    Files are deleted after the commit, so a rolled-back erasure keeps them."""
    photos = WoundPhoto.objects.filter(assessment__wound__client=client)
    names = [n for pair in photos.values_list("file", "thumbnail") for n in pair]
    count = photos.count()
    photos.delete()
    WoundAssessment.objects.filter(wound__client=client).update(notes="")
    client.wounds.update(cause="", body_site=erased)
    client.wounds.exclude(closed_on__isnull=True).update(close_reason=erased)
    transaction.on_commit(lambda: _delete_files(names))
    return count
