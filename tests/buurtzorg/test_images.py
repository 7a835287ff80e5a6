"""buurtzorg.images: photos are checked by content, capped, and re-encoded without metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import ExifTags, Image

from buurtzorg.images import image_clean
from tests.factories.wounds import jpeg_bytes


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SpyCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 22.0, 7.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 53.0, 11.0)
    return jpeg_bytes(exif=exif.tobytes())


def test_gps_and_camera_tags_are_gone_after_cleaning() -> None:
    # given a phone photo with a GPS position and a camera make
    raw = _jpeg_with_gps()
    with Image.open(io.BytesIO(raw)) as before:
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    # when
    clean = image_clean(io.BytesIO(raw))
    # then neither the photo nor its thumbnail carries any EXIF
    for data in (clean.content, clean.thumbnail):
        with Image.open(io.BytesIO(data)) as after:
            assert dict(after.getexif()) == {}
            assert "exif" not in after.info
        assert b"SpyCam" not in data
    assert (clean.extension, clean.content_type) == ("jpg", "image/jpeg")


def test_a_text_file_named_like_a_photo_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a photo"):
        image_clean(io.BytesIO(b"<html>not a jpeg</html>"))


def test_a_gif_is_refused_although_it_is_an_image() -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        image_clean(io.BytesIO(out.getvalue()))


def test_a_file_over_the_byte_limit_is_refused() -> None:
    with pytest.raises(ValidationError, match="larger than 1 MB"):
        image_clean(io.BytesIO(b"\xff" * (1024 * 1024 + 1)), max_bytes=1024 * 1024)


def test_an_image_over_the_pixel_cap_is_refused_before_decoding() -> None:
    raw = jpeg_bytes(size=(2000, 1500))  # 3 megapixels
    with pytest.raises(ValidationError, match="more than 2 megapixels"):
        image_clean(io.BytesIO(raw), max_pixels=2_000_000)


def test_a_truncated_jpeg_is_refused() -> None:
    out = io.BytesIO()
    Image.effect_noise((300, 300), 60).convert("RGB").save(out, "JPEG")  # no long flat runs
    raw = out.getvalue()
    with pytest.raises(ValidationError, match="not a photo"):
        image_clean(io.BytesIO(raw[: len(raw) // 2]))


def test_png_keeps_its_format_and_gets_a_thumbnail() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (800, 600), (0, 0, 0, 0)).save(out, "PNG")
    clean = image_clean(io.BytesIO(out.getvalue()))
    assert (clean.extension, clean.width, clean.height) == ("png", 800, 600)
    with Image.open(io.BytesIO(clean.thumbnail)) as thumb:
        assert max(thumb.size) <= 320
