import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from coaching import services
from coaching.models import Post, Thread
from tests.factories import OrganisationSpaceFactory, TeamSpaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_spaces_api_lists_own_team_and_channel(api, access_world) -> None:
    TeamSpaceFactory(team=access_world.team_a)
    TeamSpaceFactory(team=access_world.team_b)
    OrganisationSpaceFactory()
    api.force_authenticate(access_world.nurse_a)
    names = sorted(s["name"] for s in api.get("/api/spaces/").json()["results"])
    assert names == ["All teams", "Team A"]
    api.force_authenticate(access_world.back_office)
    assert api.get("/api/spaces/").json()["results"] == []


def test_thread_and_post_api_round_trip(api, access_world) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    api.force_authenticate(access_world.coach_a)
    created = api.post(
        "/api/threads/",
        {"space": str(space.public_id), "subject": "Plan", "body": "Shall we meet?"},
        format="json",
    )
    assert created.status_code == 201
    thread_id = created.json()["id"]
    api.force_authenticate(access_world.nurse_a)
    reply = api.post(
        f"/api/threads/{thread_id}/posts/",
        {"body": "Yes, Monday.", "files": [SimpleUploadedFile("a.txt", b"agenda\n")]},
        format="multipart",
    )
    assert reply.status_code == 201
    assert reply.json()["attachments"][0]["content_type"] == "text/plain"
    posts = api.get(f"/api/threads/{thread_id}/posts/").json()["results"]
    assert [p["body"] for p in posts] == ["Shall we meet?", "Yes, Monday."]
    listed = api.get(f"/api/threads/?space={space.public_id}").json()["results"]
    assert [t["subject"] for t in listed] == ["Plan"]


def test_api_bad_input_is_400_and_saves_nothing(api, access_world) -> None:
    space_b = TeamSpaceFactory(team=access_world.team_b)
    space_a = TeamSpaceFactory(team=access_world.team_a)
    api.force_authenticate(access_world.nurse_a)
    other = api.post(
        "/api/threads/",
        {"space": str(space_b.public_id), "subject": "S", "body": "Hi"},
        format="json",
    )
    assert other.status_code == 400
    assert other.json()["space"] == [services.SPACE_NOT_YOURS]
    empty = api.post(
        "/api/threads/",
        {"space": str(space_a.public_id), "subject": "S", "body": ""},
        format="json",
    )
    assert empty.status_code == 400
    assert empty.json()["body"] == [services.EMPTY_POST]
    assert not Thread.objects.exists()


def test_other_teams_thread_posts_are_404(api, access_world) -> None:
    thread = services.thread_start(
        space=TeamSpaceFactory(team=access_world.team_b),
        author=access_world.nurse_b,
        subject="S",
        body="B",
    )
    api.force_authenticate(access_world.nurse_a)
    assert api.get(f"/api/threads/{thread.public_id}/posts/").status_code == 404
    assert api.post(f"/api/threads/{thread.public_id}/posts/", {"body": "x"}).status_code == 404
    assert Post.objects.count() == 1


def test_messaging_api_is_in_the_schema(api, access_world) -> None:
    api.force_authenticate(access_world.nurse_a)
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/spaces/", "/api/threads/", "/api/threads/{id}/posts/"):
        assert path in schema["paths"]
