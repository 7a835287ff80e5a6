"""Recognise an uploaded file's type from its content, never from its name.

A name or a browser-sent Content-Type is whatever the sender says; the content is what a
viewer will actually open. The magic bytes are read by puremagic (a maintained, pure-Python
signature table: no libmagic to install) and only types that a browser shows inertly are
allowed (no HTML, SVG, office macros or archives). Plain text is what no signature matches
and decodes as UTF-8 with no markup anywhere in its head: a browser that sniffs (or a viewer
that ignores the served type) treats `\\ufeff<html>` or `Hello<script>` as a page, so markup
after a byte-order mark or after leading text is refused as well. Images are opened by Pillow
(header only) and refused beyond MAX_IMAGE_PIXELS: a small PNG can declare 50,000 x 50,000
pixels and take gigabytes to decode in whatever viewer or thumbnailer opens it.
"""

import re
import warnings
from typing import BinaryIO

import puremagic
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
TEXT = "text/plain"

EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", GIF: ".gif", WEBP: ".webp", TEXT: ".txt"}
ALLOWED_DESCRIPTION = _("PDF, PNG, JPEG, GIF, WebP or plain text")
IMAGES = {PNG: "PNG", JPEG: "JPEG", GIF: "GIF", WEBP: "WEBP"}  # MIME type -> Pillow format
# 40 megapixels: more than any phone camera or scanner page, far below a decompression bomb.
MAX_IMAGE_PIXELS = 40_000_000

SNIFF_BYTES = 8192

# Tags that make a browser (or an XML viewer) treat text as a document that can run script.
_MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|\?xml|iframe|object|embed|meta|style|link"
    rb"|xsl|xml|math|frameset|img|form|base)",
    re.IGNORECASE,
)


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 without NUL bytes, and no markup a browser could render as a page."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the sniff boundary is still text.
        if exc.start < len(head) - 3:
            return False
    return _MARKUP.search(head) is None


def _magic_type(head: bytes) -> str | None:
    """The MIME type puremagic recognises, or None when no signature matches."""
    try:
        return puremagic.from_string(head, mime=True) or None
    except puremagic.PureError:
        return None


def sniff_content_type(head: bytes) -> str | None:
    """The allowed MIME type these leading bytes belong to, or None."""
    if not head:
        return None
    found = _magic_type(head)
    if found in EXTENSIONS and found != TEXT:
        return found
    if found is None and _looks_like_text(head):
        return TEXT
    return None  # a recognised type that is not allowed (HTML, a zip, an executable, ...)


def image_within_limits(file: BinaryIO, content_type: str) -> bool:
    """The image opens as the sniffed format and has at most MAX_IMAGE_PIXELS.

    Only the header is read (Pillow decodes lazily). Pillow's own bomb guard is set to the
    same cap for this call, so an image past twice the cap raises instead of warning.
    """
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file, formats=[IMAGES[content_type]]) as image:
                width, height = image.size
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return False
    except (OSError, SyntaxError, ValueError):  # a truncated or malformed header
        return False
    finally:
        file.seek(0)
    return width * height <= MAX_IMAGE_PIXELS


def sniff_file(file: BinaryIO) -> str | None:
    """Sniff an open (uploaded) file and rewind it."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return sniff_content_type(head)


def served_name(original_name: str, content_type: str) -> str:
    """The download name: the uploader's stem with the extension of the sniffed type.

    `page.html` that sniffed as plain text downloads as `page.txt`, so no browser or file
    manager opens it as what its name claimed.
    """
    stem = original_name.rsplit(".", 1)[0] if "." in original_name else original_name
    return f"{stem or 'file'}{EXTENSIONS.get(content_type, '.bin')}"
