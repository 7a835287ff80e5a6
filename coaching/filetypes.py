"""Recognise an uploaded file's type from its first bytes, never from its name.

A name or a browser-sent Content-Type is whatever the sender says; the magic bytes are what a
viewer will actually open. Only types that a browser shows inertly are allowed (no HTML, SVG,
office macros or archives).
"""

from typing import BinaryIO

from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
TEXT = "text/plain"

EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", GIF: ".gif", WEBP: ".webp", TEXT: ".txt"}
ALLOWED_DESCRIPTION = _("PDF, PNG, JPEG, GIF, WebP or plain text")

SNIFF_BYTES = 8192


def _looks_like_text(head: bytes) -> bool:
    """UTF-8 without NUL bytes, and not markup a browser could render as a page."""
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the sniff boundary is still text.
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8")
    lowered = text.lstrip().lower()
    return not lowered.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script"))


def sniff_content_type(head: bytes) -> str | None:
    """The allowed MIME type these leading bytes belong to, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head and _looks_like_text(head):
        return TEXT
    return None


def sniff_file(file: BinaryIO) -> str | None:
    """Sniff an open (uploaded) file and rewind it."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return sniff_content_type(head)
