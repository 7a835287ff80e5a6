"""Messages built in Python for clients, outcome reports and coaching speak the reader's
language: service errors, form labels, API errors, the dashboards' figures and the notices
written into a team's space (those in the organisation's language, whoever triggers them)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from clients import services as client_services
from clients.forms import ClientForm
from clients.models import Client
from coaching import services as coaching_services
from coaching.models import Post
from omaha.reports import services as report_services
from omaha.reports.models import ReportScope
from tests.conftest import AccessWorld
from tests.factories import ClientFactory, TeamSpaceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_record(access_world: AccessWorld) -> Client:
    return ClientFactory(team=access_world.team_a, admitted_on=dt.date(2026, 1, 5))


def _refusal(call: object) -> dict[str, list[str]]:
    """The field errors of a refused service call, as a page or the API shows them."""
    with pytest.raises(ValidationError, match=".") as exc:
        call()  # type: ignore[operator]
    return exc.value.message_dict


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "De datum uit zorg kan niet vóór de opname liggen"),
        ("en", "The discharge date cannot be before admission"),
    ],
)
def test_a_refused_discharge_is_explained_in_the_readers_language(
    access_world, client_record, language: str, expected: str
) -> None:
    with translation.override(language):
        errors = _refusal(
            lambda: client_services.client_discharge(
                client=client_record,
                actor=access_world.nurse_a,
                discharged_on=client_record.admitted_on - dt.timedelta(days=1),
                reason="verhuisd",
            )
        )
    (message,) = errors["discharged_on"]
    assert message.startswith(expected)
    # the admission date inside the sentence is written the reader's way too, not ISO
    assert client_record.admitted_on.isoformat() not in message


def test_one_message_constant_serves_both_languages(access_world, client_record) -> None:
    # Given the unknown-problem message the service raises
    def add() -> None:
        client_services.client_problem_add(
            client=client_record,
            actor=access_world.nurse_a,
            problem="99",
            scope="individual",
            severity="potential",
            identified_on=client_record.admitted_on,
        )

    # When a Dutch and an English nurse make the same mistake
    with translation.override("nl"):
        dutch = _refusal(add)["problem"]
    with translation.override("en"):
        english = _refusal(add)["problem"]
    # Then each reads it in her language, the code filled in
    assert dutch == ["Er is geen Omaha-probleem met code 99."]
    assert english == ["There is no Omaha problem with code 99."]
    with translation.override("en"):
        assert english == [client_services.PROBLEM_UNKNOWN.format(code="99")]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Schrijf een bericht voordat je het plaatst."),
        ("en", "Write a message before posting."),
    ],
)
def test_an_empty_post_is_refused_in_the_readers_language(
    access_world, language: str, expected: str
) -> None:
    space = TeamSpaceFactory(team=access_world.team_a)
    with translation.override(language):
        errors = _refusal(
            lambda: coaching_services.thread_start(
                space=space, author=access_world.nurse_a, subject="", body=" "
            )
        )
    assert errors["body"] == [expected]
    assert errors["subject"] == [
        "Geef het gesprek een onderwerp." if language == "nl" else "Give the thread a subject."
    ]


def test_an_outcome_report_period_error_in_dutch(access_world) -> None:
    with translation.override("nl"):
        errors = _refusal(
            lambda: report_services.outcome_report_request(
                actor=access_world.coach_a,
                scope=ReportScope.TEAM,
                team=access_world.team_a,
                period_start=dt.date(2026, 3, 1),
                period_end=dt.date(2026, 2, 1),
            )
        )
    assert errors["period_end"] == ["De einddatum kan niet vóór de begindatum liggen."]


@pytest.mark.parametrize(
    ("language", "labels"),
    [("nl", ["Voornaam", "Achternaam", "Geboortedatum"]), ("en", ["First name", "Last name"])],
)
def test_the_registration_form_labels_follow_the_language(language: str, labels: list) -> None:
    with translation.override(language):
        html = str(ClientForm())
    for label in labels:
        assert f">{label}</label>" in html or f">{label}:</label>" in html


def test_the_api_explains_a_bad_problem_in_the_users_language(access_world, client_record) -> None:
    # Given a nurse whose account speaks Dutch, signed in on the API with her session
    nurse = access_world.nurse_a
    nurse.language = "nl"
    nurse.save(update_fields=["language"])
    api = APIClient()
    api.force_login(nurse)
    # When she sends a problem that does not exist
    response = api.post(
        reverse("api-client-problems", args=[client_record.public_id]),
        {
            "problem": "99",
            "scope": "individual",
            "severity": "potential",
            "identified_on": "2026-02-01",
        },  # fmt: skip
        format="json",
    )
    # Then the 400 names the field in Dutch
    assert response.status_code == 400
    assert response.json()["problem"] == ["Er is geen Omaha-probleem met code 99."]


@pytest.mark.parametrize(
    ("language", "present", "absent"),
    [
        ("nl", ["Actieve cliënten", "Productiviteit", "Gaten in het rooster"], "Active clients"),
        ("en", ["Active clients", "Productivity", "Rota gaps"], "Actieve cliënten"),
    ],
)
def test_the_coach_dashboard_figures_follow_her_language(
    client, access_world, language: str, present: list, absent: str
) -> None:
    # Given the dashboard was drawn once in the other language (its figure labels are cached)
    coach = access_world.coach_a
    client.force_login(coach)
    other = "en" if language == "nl" else "nl"
    coach.language = other
    coach.save(update_fields=["language"])
    client.get(reverse("coaching:dashboard"))
    # When the coach reads it in hers
    coach.language = language
    coach.save(update_fields=["language"])
    body = client.get(reverse("coaching:dashboard")).content.decode()
    # Then every label and definition is in her language
    for text in present:
        assert text in body
    assert absent not in body


@override_settings(LANGUAGE_CODE="nl")
def test_a_notice_without_subject_is_filed_in_the_organisations_language(access_world) -> None:
    # Given a Dutch organisation, and a notice posted while English is active (a worker
    # process, or a request of an English-speaking user)
    with translation.override("en"):
        post = coaching_services.space_post_system_notice(
            team=access_world.team_a, subject="", body="Drie gaten in het rooster."
        )
    # Then the stored thread's subject is Dutch: the whole team reads it
    assert post.thread.subject == "Melding"
    assert Post.objects.get(pk=post.pk).is_system


@override_settings(LANGUAGE_CODE="en")
def test_an_english_organisation_files_notices_in_english(access_world) -> None:
    with translation.override("nl"):
        post = coaching_services.space_post_system_notice(
            team=access_world.team_a, subject="", body="Three gaps in the rota."
        )
    assert post.thread.subject == "Notice"


@pytest.mark.parametrize(("language", "title"), [("nl", "Alle teams"), ("en", "All teams")])
def test_the_channel_for_all_teams_is_named_in_the_readers_language(
    language: str, title: str
) -> None:
    channel = coaching_services.organisation_space()
    with translation.override(language):
        assert channel.title == title
        assert str(channel) == title
