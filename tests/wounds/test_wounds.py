"""Wounds: bad input at the field with nothing stored, photos cleaned and private, the photo
view's headers and access, closing, the size chart, exports and erasure."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image
from rest_framework.test import APIClient

from buurtzorg.audit.models import AccessEvent
from clients.export import client_record_fhir
from clients.wounds.models import Wound, WoundAssessment, WoundPhoto
from clients.wounds.services import client_wounds_erase, wound_assess, wound_close
from scheduling.privacy.reads import client_data
from tests.factories import ClientFactory
from tests.factories.wounds import WoundAssessmentFactory, WoundFactory, jpeg_bytes, wound_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def wound(access_world):  # noqa: ANN001, ANN201
    record = ClientFactory(team=access_world.team_a)
    return WoundFactory(client=record, created_by=access_world.nurse_a)


def _form(**extra: object) -> dict:
    return {
        "assessed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "length_mm": "42",
        "width_mm": "18.5",
        "depth_mm": "3",
        "tissue": "granulation",
        "exudate": "low",
        "edges": "attached",
        "pain": "4",
        "notes": "Cleaned with saline",
        **extra,
    }


def _gps_jpeg() -> bytes:
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 5.0, 1.0)
    return jpeg_bytes(size=(640, 480), exif=exif.tobytes())


def _private_files() -> set[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_a_photo_that_is_not_an_image_is_refused_at_its_field_and_nothing_is_stored(
    client, access_world, wound
) -> None:
    # given
    client.force_login(access_world.nurse_a)
    files_before = _private_files()
    fake = SimpleUploadedFile("wound.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    # when
    response = client.post(reverse("wounds:assess", args=[wound.public_id]), _form(photo=fake))
    # then
    assert response.status_code == 200
    assert "not a photo" in response.context["form"].errors["photo"][0]
    html = response.content.decode()
    assert 'value="42"' in html
    assert "Cleaned with saline" in html
    assert not WoundAssessment.objects.exists()
    assert _private_files() == files_before


def test_a_photo_over_the_size_limit_is_refused_at_its_field(
    client, access_world, wound, settings
) -> None:
    settings.WOUND_PHOTO_MAX_BYTES = 1024 * 1024
    client.force_login(access_world.nurse_a)
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\x00" * (1024 * 1024 + 10))
    response = client.post(reverse("wounds:assess", args=[wound.public_id]), _form(photo=big))
    assert "larger than 1 MB" in response.context["form"].errors["photo"][0]
    assert not WoundAssessment.objects.exists()


def test_a_photo_with_too_many_pixels_is_refused(access_world, wound, settings) -> None:
    settings.WOUND_PHOTO_MAX_PIXELS = 100_000
    with pytest.raises(ValidationError, match="more than 0 megapixels"):
        wound_assess(
            wound=wound,
            actor=access_world.nurse_a,
            assessed_at=timezone.now(),
            length_mm=Decimal(10),
            width_mm=Decimal(10),
            depth_mm=Decimal(1),
            tissue="granulation",
            exudate="low",
            edges="attached",
            pain=1,
            photos=[io.BytesIO(jpeg_bytes(size=(400, 300)))],
        )
    assert not WoundAssessment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("length_mm", "0", "Enter a size from 0.1 to 500 mm"),
        ("depth_mm", "250", "Enter a size from 0 to 100 mm"),
        ("pain", "11", "Pain is a score from 0 to 10"),
    ],
)
def test_implausible_assessments_are_refused_at_the_field(
    client, access_world, wound, field: str, value: str, message: str
) -> None:
    client.force_login(access_world.nurse_a)
    response = client.post(
        reverse("wounds:assess", args=[wound.public_id]), _form(**{field: value})
    )
    assert message in response.context["form"].errors[field][0]
    assert f'value="{value}"' in response.content.decode()
    assert not WoundAssessment.objects.exists()


def test_an_assessment_in_the_future_is_refused(client, access_world, wound) -> None:
    later = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.force_login(access_world.nurse_a)
    response = client.post(
        reverse("wounds:assess", args=[wound.public_id]), _form(assessed_at=later)
    )
    assert "in the future" in response.context["form"].errors["assessed_at"][0]
    assert not WoundAssessment.objects.exists()


def test_a_phone_photo_is_stored_privately_without_its_gps_position(
    client, access_world, wound
) -> None:
    # given
    client.force_login(access_world.nurse_a)
    upload = SimpleUploadedFile("IMG_0001.JPG", _gps_jpeg(), content_type="image/jpeg")
    # when
    response = client.post(reverse("wounds:assess", args=[wound.public_id]), _form(photo=upload))
    # then
    assert response.status_code == 302
    photo = WoundPhoto.objects.get()
    path = Path(photo.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    with Image.open(path) as stored:
        assert dict(stored.getexif()) == {}
    assert Path(photo.thumbnail.path).exists()


def test_the_photo_view_serves_inline_with_nosniff_no_store_and_one_access_row(
    client, access_world, wound
) -> None:
    photo = wound_photo(WoundAssessmentFactory(wound=wound), access_world.nurse_a)
    client.force_login(access_world.coach_a)
    before = AccessEvent.objects.count()
    response = client.get(reverse("wounds:photo", args=[photo.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'inline; filename="wound-{photo.public_id}.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response.content[:2] == b"\xff\xd8"
    assert AccessEvent.objects.count() == before + 1
    row = AccessEvent.objects.order_by("-pk").first()
    assert row is not None
    assert (row.part, row.client_public_id) == ("wound-photo", wound.client.public_id)


@pytest.mark.parametrize("who", ["nurse_b", "coach_b", "back_office", "admin"])
def test_the_photo_is_not_found_for_anyone_outside_the_team(
    client, access_world, wound, who: str
) -> None:
    photo = wound_photo(WoundAssessmentFactory(wound=wound), access_world.nurse_a)
    client.force_login(getattr(access_world, who))
    before = AccessEvent.objects.count()
    for name in ("wounds:photo", "wounds:photo-thumbnail"):
        assert client.get(reverse(name, args=[photo.public_id])).status_code == 404
    assert AccessEvent.objects.count() == before


def test_closing_needs_a_reason_and_a_closed_wound_takes_no_assessment(access_world, wound) -> None:
    nurse = access_world.nurse_a
    with pytest.raises(ValidationError, match="Say why the wound is closed"):
        wound_close(wound=wound, actor=nurse, closed_on=timezone.localdate(), close_reason=" ")
    wound_close(wound=wound, actor=nurse, closed_on=timezone.localdate(), close_reason="healed")
    with pytest.raises(ValidationError, match="This wound is closed"):
        wound_assess(
            wound=wound,
            actor=nurse,
            assessed_at=timezone.now(),
            length_mm=Decimal(5),
            width_mm=Decimal(5),
            depth_mm=Decimal(0),
            tissue="epithelial",
            exudate="none",
            edges="attached",
            pain=0,
        )
    assert Wound.objects.get().close_reason == "healed"


def test_the_record_shows_the_open_wounds_size_trend(client, access_world, wound) -> None:
    now = timezone.now()
    for days, length in ((20, 60), (10, 45), (1, 30)):
        WoundAssessmentFactory(
            wound=wound, assessed_at=now - dt.timedelta(days=days), length_mm=Decimal(length)
        )
    client.force_login(access_world.nurse_a)
    html = client.get(wound.client.get_absolute_url()).content.decode()
    assert 'id="wounds"' in html
    assert "Wound size over time" in html
    assert "Latest 30.0 × 25.0 × 3.0 mm (3 assessments)" in html


def test_coaches_read_wounds_but_cannot_assess(access_world, wound) -> None:
    api = APIClient()
    api.force_authenticate(access_world.coach_a)
    listing = api.get(reverse("api-client-wounds", args=[wound.client.public_id]))
    assert listing.json()[0]["id"] == str(wound.public_id)
    url = reverse("api-wound-assessments", args=[wound.public_id])
    assert api.post(url, _form(), format="json").status_code == 404
    api.force_authenticate(access_world.back_office)
    assert api.get(reverse("api-client-wounds", args=[wound.client.public_id])).status_code == 404


def test_the_api_uploads_a_photo_checked_by_content(access_world, wound) -> None:
    assessment = WoundAssessmentFactory(wound=wound)
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    url = reverse("api-wound-photo-upload", args=[assessment.public_id])
    bad = api.post(url, {"photo": SimpleUploadedFile("x.png", b"GIF89a...")}, format="multipart")
    assert bad.status_code == 400
    assert "not a photo" in str(bad.json())
    good = api.post(url, {"photo": SimpleUploadedFile("x.jpg", _gps_jpeg())}, format="multipart")
    assert good.status_code == 201
    served = api.get(reverse("api-wound-photo", args=[good.json()["id"]]))
    assert served["X-Content-Type-Options"] == "nosniff"


def test_fhir_has_a_condition_per_wound_and_coded_assessments(access_world, wound) -> None:
    WoundAssessmentFactory(wound=wound)
    resources = [e["resource"] for e in client_record_fhir(client=wound.client)["entry"]]
    condition = next(r for r in resources if r["id"] == str(wound.public_id))
    assert condition["resourceType"] == "Condition"
    assert condition["code"]["coding"][0] == {
        "system": "http://snomed.info/sct",
        "code": "399912005",
        "display": "Pressure ulcer",
    }
    observation = next(
        r for r in resources if r.get("focus") == [{"reference": f"urn:uuid:{wound.public_id}"}]
    )
    assert [c["code"]["coding"][0]["code"] for c in observation["component"]] == [
        "39126-8",
        "39125-0",
        "39127-6",
        "72514-3",
    ]


def test_gdpr_copy_and_erasure_remove_photo_files(
    access_world, wound, django_capture_on_commit_callbacks
) -> None:
    # given
    assessment = WoundAssessmentFactory(wound=wound, notes="left heel, smells")
    photo = wound_photo(assessment, access_world.nurse_a)
    paths = [Path(photo.file.path), Path(photo.thumbnail.path)]
    data = client_data(client=wound.client)
    assert data["wounds"][0]["assessments"][0]["photos"][0]["public_id"] == str(photo.public_id)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        removed = client_wounds_erase(client=wound.client, erased="[erased]")
    # then
    assert removed == 1
    assert not WoundPhoto.objects.exists()
    assert not any(p.exists() for p in paths)
    assert WoundAssessment.objects.get().notes == ""
    assert Wound.objects.get().body_site == "[erased]"
