"""A user's own language, the menu's switch, and the browser's language for anonymous pages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from teams.language import LANGUAGE_UNKNOWN, user_set_language
from teams.models import User
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse() -> User:
    return MembershipFactory().nurse


@pytest.mark.parametrize(
    ("language", "title", "absent"),
    [("nl", "Mijn dag", "My day"), ("en", "My day", "Mijn dag")],
)
def test_a_nurse_sees_my_day_in_her_own_language(client, nurse, language, title, absent) -> None:
    # Given a nurse who chose her language
    nurse.language = language
    nurse.save(update_fields=["language"])
    client.force_login(nurse)
    # When she opens My day, her browser asking for the other language
    response = client.get(reverse("scheduling:my-day"), HTTP_ACCEPT_LANGUAGE="de, fr")
    # Then the page is in hers
    body = response.content.decode()
    assert response.status_code == 200
    assert f">{title}</a>" in body
    assert f">{absent}</a>" not in body
    assert f'<html lang="{language}">' in body
    assert response["Content-Language"] == language


def test_without_a_choice_the_browser_decides(client, nurse) -> None:
    client.force_login(nurse)
    response = client.get(reverse("scheduling:my-day"), HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9")
    assert ">Mijn dag</a>" in response.content.decode()


def test_anonymous_pages_follow_the_browser(client) -> None:
    dutch = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="nl-NL,nl;q=0.9,en;q=0.5")
    english = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert "<h1>Inloggen</h1>" in dutch.content.decode()
    assert "<h1>Log in</h1>" in english.content.decode()


def test_the_switch_saves_the_choice_on_her_account(client, nurse) -> None:
    # Given a nurse on My day, in English
    client.force_login(nurse)
    my_day = reverse("scheduling:my-day")
    assert 'value="nl" lang="nl">Nederlands</button>' in client.get(my_day).content.decode()
    # When she picks Dutch in the menu
    response = client.post(reverse("teams:language"), {"language": "nl", "next": my_day})
    # Then she is back on My day, and her account (not only this browser) speaks Dutch
    assert response.status_code == 302
    assert response["Location"] == my_day
    nurse.refresh_from_db()
    assert nurse.language == "nl"
    client.cookies.clear()
    client.force_login(nurse)
    assert ">Mijn dag</a>" in client.get(my_day).content.decode()


def test_the_switch_ignores_a_language_not_offered(client, nurse) -> None:
    nurse.language = "nl"
    nurse.save(update_fields=["language"])
    client.force_login(nurse)
    response = client.post(reverse("teams:language"), {"language": "de", "next": "/"})
    assert response.status_code == 302
    nurse.refresh_from_db()
    assert nurse.language == "nl"


def test_the_switch_never_redirects_to_another_site(client, nurse) -> None:
    client.force_login(nurse)
    response = client.post(
        reverse("teams:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


def test_anonymous_switch_sets_only_the_cookie(client) -> None:
    response = client.post(reverse("teams:language"), {"language": "nl", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "nl"
    assert "<h1>Inloggen</h1>" in client.get(reverse("login")).content.decode()


def test_the_service_refuses_a_language_not_offered(nurse) -> None:
    with pytest.raises(ValidationError, match=str(LANGUAGE_UNKNOWN)):
        user_set_language(user=nurse, language="de")
    nurse.refresh_from_db()
    assert nurse.language == ""


def test_the_service_clears_the_choice_to_follow_the_browser(nurse) -> None:
    user_set_language(user=nurse, language="nl")
    user_set_language(user=nurse, language="")
    nurse.refresh_from_db()
    assert nurse.language == ""
