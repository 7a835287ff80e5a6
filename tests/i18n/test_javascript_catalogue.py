"""Our scripts' texts (static/js) come from Django's JavaScript catalogue in the page's language.

The base template loads the catalogue (/jsi18n/) before our scripts, which call gettext();
`make messages` collects those texts into locale/nl/LC_MESSAGES/djangojs.po.
"""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.i18n.po import read_po

STATIC_JS = Path(__file__).resolve().parents[2] / "static/js"
DJANGOJS_PO = Path(__file__).resolve().parents[2] / "locale/nl/LC_MESSAGES/djangojs.po"


def test_every_script_text_is_in_the_javascript_catalogue() -> None:
    """`make messages` was run after a gettext() was added to a script (ours, not vendored)."""
    in_scripts = {
        text
        for path in STATIC_JS.glob("*.js")
        if not path.name.endswith(".min.js")
        for text in re.findall(r'gettext\("((?:[^"\\]|\\.)*)"\)', path.read_text("utf-8"))
    }
    in_catalogue = {entry.msgid for entry in read_po(DJANGOJS_PO) if not entry.obsolete}
    assert len(in_scripts) >= 4
    assert in_scripts - in_catalogue == set()


@pytest.mark.django_db
def test_the_javascript_catalogue_serves_dutch_to_a_dutch_page(
    client: Client,
) -> None:
    response = client.get(reverse("javascript-catalog"), HTTP_ACCEPT_LANGUAGE="nl")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert '"The visit could not be moved.": "Het bezoek kon niet worden verplaatst."' in body


@pytest.mark.django_db
def test_the_javascript_catalogue_leaves_english_scripts_in_english(
    client: Client,
) -> None:
    # English is the scripts' own language: its catalogue is empty, gettext() returns the text
    response = client.get(reverse("javascript-catalog"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert "globals.gettext = django.gettext" in body
    assert "Het bezoek" not in body


@pytest.mark.django_db
def test_the_base_page_loads_the_catalogue_before_the_scripts(client: Client) -> None:
    html = client.get(reverse("login")).content.decode()
    catalogue = html.index(f'src="{reverse("javascript-catalog")}"')
    assert catalogue < html.index("js/app.js")
