import datetime as dt
import io
from decimal import Decimal

import factory
from django.utils import timezone
from PIL import Image

from clients.wounds.models import Wound, WoundAssessment, WoundPhoto
from clients.wounds.services import _photo_rows, photos_clean
from teams.models import User
from tests.factories.clients import ClientFactory
from tests.factories.teams import NurseFactory


def jpeg_bytes(size: tuple[int, int] = (64, 48), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 80, 60))
    if exif is None:
        image.save(out, "JPEG")
    else:
        image.save(out, "JPEG", exif=exif)
    return out.getvalue()


class WoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wound

    client = factory.SubFactory(ClientFactory)
    body_site = "sacrum"
    kind = "pressure"
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    created_by = factory.SubFactory(NurseFactory)


class WoundAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WoundAssessment

    wound = factory.SubFactory(WoundFactory)
    assessed_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    length_mm = Decimal("40.0")
    width_mm = Decimal("25.0")
    depth_mm = Decimal("3.0")
    tissue = "granulation"
    exudate = "low"
    edges = "attached"
    pain = 2
    assessed_by = factory.LazyAttribute(lambda o: o.wound.created_by)


def wound_photo(assessment: WoundAssessment, actor: User) -> WoundPhoto:
    """A stored photo (through the same cleaning and file writing as the service)."""
    written: list[str] = []
    (photo,) = _photo_rows(assessment, photos_clean([io.BytesIO(jpeg_bytes())]), actor, written)
    photo.save()
    return photo
