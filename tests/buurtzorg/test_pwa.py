"""The installable web app's files (issue 18): manifest, service worker and favicon."""

import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_manifest_has_what_an_install_needs(client) -> None:
    response = client.get(reverse("manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["short_name"] == "Buurtzorg"
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#1f6f4a"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        path = icon["src"].removeprefix("/static/")
        found = finders.find(path)
        assert found, icon["src"]
        with open(found, "rb") as png:
            assert png.read(8) == b"\x89PNG\r\n\x1a\n"


def test_manifest_speaks_the_readers_language(client) -> None:
    response = client.get(reverse("manifest"), headers={"Accept-Language": "nl"})
    manifest = json.loads(response.content)
    assert manifest["lang"] == "nl"
    assert manifest["name"] == "Buurtzorg wijkverpleging"


def test_service_worker_is_served_from_the_root_for_the_whole_site(client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    config = json.loads(body.split("\n", 1)[0].removeprefix("self.BZ = ").removesuffix(";"))
    assert config["myDay"] == reverse("scheduling:my-day")
    assert config["logout"] == reverse("logout")
    assert "/static/css/app.css" in config["shell"]
    assert 'addEventListener("fetch"' in body


def test_favicon_points_at_the_static_icon(client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url == "/static/icons/favicon.ico"


def test_nurse_pages_link_the_manifest_and_register_the_worker(client, access_world) -> None:
    client.force_login(access_world.nurse_a)
    page = client.get(reverse("teams:team-list")).content.decode()
    assert f'<link rel="manifest" href="{reverse("manifest")}">' in page
    assert '<meta name="theme-color" content="#1f6f4a">' in page
    assert 'data-sw="/sw.js"' in page
