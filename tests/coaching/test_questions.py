"""Questions to all teams, tagged with Omaha problems, findable once answered."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from rest_framework.test import APIClient

from coaching import services
from coaching.selectors import answered_questions_for_problem
from omaha.models import Problem
from tests.factories import OrganisationSpaceFactory, problem_by_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def medication() -> Problem:
    return problem_by_code("42")


def ask(world, problem: Problem, subject: str = "Forgotten pills?") -> object:
    return services.thread_start(
        space=OrganisationSpaceFactory(),
        author=world.nurse_a,
        subject=subject,
        body="What works?",
        is_question=True,
        problems=[problem],
    )


def test_only_answered_questions_are_found_by_problem(access_world, medication) -> None:
    # given two questions about medication, one answered by another team's nurse
    answered = ask(access_world, medication, "Answered")
    ask(access_world, medication, "Still open")
    services.post_reply(thread=answered, author=access_world.nurse_b, body="A pill organiser.")
    other = problem_by_code("24")
    # then only the answered one is found, and only under its problem
    assert [t.subject for t in answered_questions_for_problem(problem=medication)] == ["Answered"]
    assert list(answered_questions_for_problem(problem=other)) == []


def test_problem_answers_partial_links_to_the_question(access_world, medication) -> None:
    thread = ask(access_world, medication)
    services.post_reply(thread=thread, author=access_world.coach_b, body="Try an alarm.")
    html = Template('{% include "coaching/_problem_answers.html" %}').render(
        Context({"problem": medication})
    )
    assert "Who solved this before?" in html
    assert thread.get_absolute_url() in html
    assert "?problem=42" in html
    assert (
        Template('{% include "coaching/_problem_answers.html" %}')
        .render(Context({"problem": problem_by_code("01")}))
        .strip()
        == ""
    )


def test_channel_page_filters_by_problem(client, access_world, medication) -> None:
    thread = ask(access_world, medication, "About medication")
    services.thread_start(
        space=thread.space, author=access_world.nurse_b, subject="Unrelated", body="Hi"
    )
    client.force_login(access_world.nurse_b)
    body = client.get(thread.space.get_absolute_url() + "?problem=42").content.decode()
    assert "About medication" in body
    assert "Unrelated" not in body


def test_asking_all_teams_with_tags_through_the_form(client, access_world, medication) -> None:
    channel = OrganisationSpaceFactory()
    client.force_login(access_world.nurse_a)
    response = client.post(
        reverse("coaching:thread-create", args=[channel.public_id]),
        {
            "subject": "Wound care",
            "body": "Ideas?",
            "is_question": "on",
            "problems": [medication.pk],
        },
    )
    assert response.status_code == 302
    thread = channel.threads.get()
    assert thread.is_question
    assert list(thread.problems.all()) == [medication]


def test_api_tags_questions_by_problem_code(access_world, medication) -> None:
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    channel = OrganisationSpaceFactory()
    created = api.post(
        "/api/threads/",
        {
            "space": str(channel.public_id),
            "subject": "Q",
            "body": "B",
            "is_question": True,
            "problems": ["42"],
        },
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["problems"] == ["42"]
    assert [t["subject"] for t in api.get("/api/threads/?problem=42").json()["results"]] == ["Q"]
    bad = api.post(
        "/api/threads/",
        {"space": str(channel.public_id), "subject": "Q", "body": "B", "problems": ["99"]},
        format="json",
    )
    assert bad.status_code == 400
    assert "problems" in bad.json()


@pytest.mark.parametrize(
    ("who", "status"), [("nurse_a", 200), ("coach_b", 200), ("back_office", 404), ("admin", 404)]
)
def test_who_solved_this_before_page(client, access_world, medication, who, status) -> None:
    thread = ask(access_world, medication)
    services.post_reply(thread=thread, author=access_world.nurse_b, body="Weekly organiser.")
    client.force_login(getattr(access_world, who))
    response = client.get(reverse("coaching:problem-questions", args=["42"]))
    assert response.status_code == status
    if status == 200:
        assert thread.subject in response.content.decode()
