"""Photos people upload: checked by what they are, not by what they claim to be.

`image_clean` opens the bytes with Pillow (never trusting the file name or the browser's
content type), accepts only JPEG, PNG and WebP, refuses files over a byte limit and images
over a pixel limit (a decompression bomb is refused before it is decoded), and re-encodes
the pixels into a new file, so no metadata survives: no EXIF, no GPS position, no camera
serial, no embedded thumbnail. It also makes a small thumbnail. Wound photos use it; message
attachments can later.
"""

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

# Format Pillow detects -> (extension, content type, what we save it as).
ALLOWED_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
THUMBNAIL_SIZE = (320, 320)

NOT_AN_IMAGE = _("This file is not a photo: choose a JPEG, PNG or WebP image.")
TOO_LARGE = _("This photo is larger than %(limit)s MB: take it again at a lower resolution.")
TOO_MANY_PIXELS = _(
    "This photo has more than %(limit)s megapixels: take it again at a lower resolution."
)


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image without metadata, and its thumbnail (same format)."""

    content: bytes
    thumbnail: bytes
    extension: str
    content_type: str
    width: int
    height: int


# WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process when it is imported
# (it renders what it can of a broken image). An upload must decode completely, so it is off
# while an upload is decoded; the lock keeps two uploads in threads from restoring it early.
_DECODING = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    with _DECODING:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=88)
    return out.getvalue()


def image_clean(
    upload: IO[bytes],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> CleanImage:
    """The upload as a clean image, or a ValidationError saying what is wrong with it.

    Reads at most `max_bytes + 1` bytes (a larger file is refused without reading it all).
    The pixel limit is checked from the header, before any pixel is decoded.
    """
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            TOO_LARGE, code="too_large", params={"limit": max_bytes // (1024 * 1024)}
        )
    too_many = ValidationError(
        TOO_MANY_PIXELS, code="too_many_pixels", params={"limit": max_pixels // 1_000_000}
    )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format or ""
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError(NOT_AN_IMAGE, code="not_an_image")
            if probe.width * probe.height > max_pixels:
                raise too_many
            probe.verify()  # structure and checksums; the image cannot be used after this
        with _strict_decoding(), Image.open(io.BytesIO(data)) as image:
            image.load()
            # Turn the pixels upright as the camera meant, then drop every tag with them.
            upright = ImageOps.exif_transpose(image) or image
            mode = "RGBA" if upright.mode in ("RGBA", "LA", "P") and fmt != "JPEG" else "RGB"
            pixels = Image.new(mode, upright.size)
            pixels.paste(upright.convert(mode))
    except Image.DecompressionBombError as exc:
        raise too_many from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from exc
    thumb = pixels.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    extension, content_type = ALLOWED_FORMATS[fmt]
    return CleanImage(
        content=_encode(pixels, fmt),
        thumbnail=_encode(thumb, fmt),
        extension=extension,
        content_type=content_type,
        width=pixels.width,
        height=pixels.height,
    )
