"""Uploads (issue 20 item 15): sniffed by content, served under the sniffed extension,
image pixels capped, and an oversized body refused before it is read."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from buurtzorg.bodylimit import BODY_TOO_LARGE
from coaching import services
from coaching.filetypes import MAX_IMAGE_PIXELS, sniff_content_type
from coaching.models import Attachment, Thread
from tests.factories import TeamSpaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _png(width: int, height: int) -> bytes:
    """A real, tiny PNG file."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def _png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes whose header declares width x height pixels (a decompression bomb's
    shape: the pixels only exist once a viewer decodes it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _post_files(access_world, *files: SimpleUploadedFile) -> Thread:
    space = TeamSpaceFactory(team=access_world.team_a)
    return services.thread_start(
        space=space, author=access_world.nurse_a, subject="Files", body="See", files=list(files)
    )


@pytest.mark.parametrize(
    "content",
    [
        "\ufeff<html><script>alert(1)</script></html>".encode(),  # markup after a BOM
        b"\xef\xbb\xbf<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"Dear team,\n<script>alert(document.cookie)</script>",  # markup after text
        b"notes\r\n\r\n<IFRAME src=//evil.example>",
        b"PK\x03\x04" + b"\x14\x00" * 40,  # a zip (office document, archive)
        b"MZ\x90\x00" + b"\x00" * 60,  # a Windows executable
    ],
)
def test_markup_and_unsafe_types_are_refused_whatever_comes_first(access_world, content) -> None:
    upload = SimpleUploadedFile("notes.txt", content, content_type="text/plain")
    with pytest.raises(ValidationError, match="checked by its content"):
        _post_files(access_world, upload)
    assert not Thread.objects.exists()
    assert not Attachment.objects.exists()


def test_plain_text_with_a_bom_and_pdf_are_recognised_by_the_library() -> None:
    assert sniff_content_type("\ufeffBloeddruk 120/80, < 140".encode()) == "text/plain"
    assert sniff_content_type(b"%PDF-1.7\n1 0 obj") == "application/pdf"
    assert sniff_content_type(_png(2, 2)) == "image/png"
    assert sniff_content_type(b"<!DOCTYPE html><p>hi") is None


def test_an_image_declaring_too_many_pixels_is_refused(access_world) -> None:
    # given a 50,000 x 50,000 PNG of a few hundred bytes
    bomb = _png_declaring(50_000, 50_000)
    assert len(bomb) < 2_000
    assert 50_000 * 50_000 > MAX_IMAGE_PIXELS
    # then it is refused by its pixel count, and nothing is stored
    with pytest.raises(ValidationError, match="million pixels"):
        _post_files(access_world, SimpleUploadedFile("wound.png", bomb))
    assert not Attachment.objects.exists()


def test_a_png_signature_that_is_no_image_is_refused(access_world) -> None:
    with pytest.raises(ValidationError, match="million pixels"):
        _post_files(access_world, SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64))


def test_a_real_image_under_the_cap_is_stored(access_world) -> None:
    thread = _post_files(access_world, SimpleUploadedFile("photo.png", _png(30, 20)))
    assert thread.posts.get().attachments.get().content_type == "image/png"


def test_a_download_carries_the_sniffed_extension_and_nosniff(client, access_world) -> None:
    # given a text file uploaded under an .html name
    thread = _post_files(
        access_world, SimpleUploadedFile("page.html", b"Only words here.", content_type="text/html")
    )
    attachment = thread.posts.get().attachments.get()
    assert attachment.content_type == "text/plain"
    # when a colleague downloads it
    client.force_login(access_world.nurse_a)
    response = client.get(attachment.get_absolute_url())
    # then it comes as a .txt download, never as the name it was sent with
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="page.txt"' in disposition
    assert ".html" not in disposition
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"


class _UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body of an oversized request was read")

    readline = read


def test_a_body_over_the_cap_is_refused_before_it_is_read(client, access_world, settings) -> None:
    # given a signed-in nurse and a request declaring a 100 MB multipart body
    space = TeamSpaceFactory(team=access_world.team_a)
    client.force_login(access_world.nurse_a)
    declared = 100 * 1024 * 1024
    assert declared > settings.MAX_REQUEST_BODY_BYTES
    # when she posts it
    response = client.generic(
        "POST",
        reverse("coaching:thread-create", args=[space.public_id]),
        b"",
        content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(declared),
        **{"wsgi.input": _UnreadableBody()},
    )
    # then it is answered 413 from the header alone, and nothing is stored
    assert response.status_code == 413
    assert response.content.decode() == BODY_TOO_LARGE
    assert not Thread.objects.exists()


def test_a_json_body_over_the_cap_is_refused_on_the_api_too(client, access_world) -> None:
    client.force_login(access_world.nurse_a)
    response = client.generic(
        "POST",
        reverse("api-thread-list"),
        b"",
        content_type="application/json",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": _UnreadableBody()},
    )
    assert response.status_code == 413


def test_a_body_under_the_cap_still_reaches_the_view(client, access_world) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    client.force_login(access_world.nurse_a)
    response = client.post(
        reverse("coaching:thread-create", args=[space.public_id]),
        {"subject": "Photo", "body": "Here", "files": SimpleUploadedFile("p.png", _png(4, 4))},
    )
    assert response.status_code == 302
    assert Attachment.objects.get().content_type == "image/png"
