"""Production settings pass the deploy check; every page carries the security headers."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import NurseFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def test_production_settings_pass_the_deploy_check_without_warnings() -> None:
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_SETTINGS_MODULE": "buurtzorg.settings.base",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_pages_carry_csp_without_inline_script_and_the_other_headers(client) -> None:
    client.force_login(NurseFactory())
    response = client.get(reverse("teams:team-list"))
    csp = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in csp["style-src"]
    assert csp["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not INLINE_SCRIPT.search(response.content.decode())


def test_api_docs_page_has_no_inline_script(client) -> None:
    client.force_login(NurseFactory())
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert not INLINE_SCRIPT.search(response.content.decode())


def _served_templates() -> list[Path]:
    """Every HTML template a browser may receive (PDF templates are rendered server-side)."""
    return [p for p in (ROOT / "templates").rglob("*.html") if not p.stem.endswith("_pdf")]


@pytest.mark.parametrize("path", _served_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_event_handlers(path: Path) -> None:
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script> (CSP forbids it): use static/js"
    assert not EVENT_HANDLER.search(text), "on*= handler attribute (CSP forbids it)"
    assert not JS_URL.search(text), "javascript: URL"
    assert "|safe" not in text, "user text must never be marked safe"
