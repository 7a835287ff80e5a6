"""Self-service password reset and the administrators' unlock page (issue 20 item 16)."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from buurtzorg.audit.models import AccessEvent
from buurtzorg.audit.unlock import LOCK_NOT_FOUND, lockout_list
from buurtzorg.passwords import PASSWORD_ORGANISATION_WORD
from tests.factories import AdminFactory, BackOfficeFactory, CoachFactory, NurseFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/factories/teams.py
NEW_PASSWORD = "lantern-orchard-57-pebble"
LOGIN = "/accounts/login/"


def _reset_link(email: str) -> str:
    """Ask for a reset for `email` and return the link from the one mail that came."""
    response = Client().post(reverse("audit:password-reset"), {"email": email})
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:password-reset-done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [email]
    match = re.search(r"https?://[^/\s]+(/\S+/)", mail.outbox[0].body)
    assert match is not None, mail.outbox[0].body
    return match.group(1)


def _failures(username: str, ip: str, count: int = 5) -> AccessAttempt:
    return AccessAttempt.objects.create(
        username=username,
        ip_address=ip,
        user_agent="test",
        failures_since_start=count,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info=LOGIN,
    )


def test_a_nurse_resets_her_password_by_mail_and_her_tokens_die() -> None:
    # given a nurse with an API token
    nurse = NurseFactory(email="noor@example.org")
    Token.objects.create(user=nurse)
    link = _reset_link("noor@example.org")
    browser = Client()
    # when she opens the link (Django moves the token into her session) and sets a new password
    opened = browser.get(link, follow=True)
    assert opened.status_code == 200
    assert opened.context["validlink"] is True
    form_url = opened.redirect_chain[-1][0]
    done = browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    # then the password is new, her tokens are gone and she can log in with it
    assert done.status_code == 302
    assert done["Location"] == reverse("audit:password-reset-complete")
    nurse.refresh_from_db()
    assert nurse.check_password(NEW_PASSWORD)
    assert not Token.objects.filter(user=nurse).exists()
    login = Client().post(LOGIN, {"username": nurse.username, "password": NEW_PASSWORD})
    assert login.status_code == 302
    # and the link works once
    assert Client().get(link, follow=True).context["validlink"] is False


def test_the_reset_refuses_a_password_the_policy_refuses() -> None:
    nurse = NurseFactory(email="ilse@example.org")
    Token.objects.create(user=nurse)
    browser = Client()
    opened = browser.get(_reset_link("ilse@example.org"), follow=True)
    form_url = opened.redirect_chain[-1][0]
    response = browser.post(
        form_url, {"new_password1": "buurtzorg2026", "new_password2": "buurtzorg2026"}
    )
    assert response.status_code == 200
    assert str(PASSWORD_ORGANISATION_WORD) in response.context["form"].errors["new_password2"]
    nurse.refresh_from_db()
    assert nurse.check_password(PASSWORD)
    assert Token.objects.filter(user=nurse).exists()


def test_an_unknown_address_gets_the_same_answer_and_no_mail() -> None:
    response = Client().post(reverse("audit:password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:password-reset-done")
    assert mail.outbox == []


def test_the_login_page_links_to_the_reset_and_the_pages_speak_dutch() -> None:
    login = Client().get(LOGIN)
    assert reverse("audit:password-reset").encode() in login.content
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl").get(reverse("audit:password-reset"))
    assert dutch.status_code == 200
    assert "Wachtwoord vergeten?" in dutch.content.decode()


def test_an_administrator_sees_and_lifts_a_lockout_and_it_is_logged() -> None:
    # given a nurse locked out by five failures
    nurse = NurseFactory()
    browser = Client()
    for _ in range(5):
        browser.post(LOGIN, {"username": nurse.username, "password": "wrong-1234-x"})
    assert (
        browser.post(LOGIN, {"username": nurse.username, "password": PASSWORD}).status_code == 429
    )
    admin = AdminFactory()
    page = Client()
    page.force_login(admin)
    # when the administrator opens the lockout page
    listing = page.get(reverse("audit:lockout-list"))
    assert listing.status_code == 200
    assert nurse.username in listing.content.decode()
    locks = [lock for lock in lockout_list() if lock.kind == "username"]
    assert [lock.value for lock in locks] == [nurse.username]
    # and unlocks her username
    before = AccessEvent.objects.count()
    response = page.post(
        reverse("audit:lockout-lift", args=[locks[0].attempt_id]), {"kind": "username"}
    )
    # then her failures are gone, one access row says so, and she can log in
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=nurse.username).exists()
    assert AccessEvent.objects.count() == before + 1
    event = AccessEvent.objects.latest("id")
    assert (event.username, event.action, event.part) == (admin.username, "delete", "login-lockout")
    assert nurse.username in event.detail
    assert (
        browser.post(LOGIN, {"username": nurse.username, "password": PASSWORD}).status_code == 302
    )


def test_an_address_lock_is_lifted_without_touching_other_addresses() -> None:
    locked = _failures("someone", "198.51.100.7")
    other = _failures("someone-else", "198.51.100.8", count=2)
    page = Client()
    page.force_login(AdminFactory())
    assert {(lock.kind, lock.value) for lock in lockout_list()} == {
        ("username", "someone"),
        ("address", "198.51.100.7"),
    }
    page.post(reverse("audit:lockout-lift", args=[locked.pk]), {"kind": "address"})
    assert not AccessAttempt.objects.filter(ip_address="198.51.100.7").exists()
    assert AccessAttempt.objects.filter(pk=other.pk).exists()


def test_a_lock_already_lifted_says_so_and_logs_nothing() -> None:
    attempt = _failures("gone", "198.51.100.9")
    attempt_id = attempt.pk
    attempt.delete()
    page = Client()
    page.force_login(AdminFactory())
    response = page.post(
        reverse("audit:lockout-lift", args=[attempt_id]), {"kind": "username"}, follow=True
    )
    assert str(LOCK_NOT_FOUND) in response.content.decode()
    assert not AccessEvent.objects.exists()


@pytest.mark.parametrize("role", ["nurse", "back_office", "coach"])
def test_only_administrators_reach_the_unlock_page(role: str) -> None:
    user = {"nurse": NurseFactory, "back_office": BackOfficeFactory, "coach": CoachFactory}[role]()
    attempt = _failures("victim", "198.51.100.10")
    page = Client()
    page.force_login(user)
    assert page.get(reverse("audit:lockout-list")).status_code == 404
    lift = page.post(reverse("audit:lockout-lift", args=[attempt.pk]), {"kind": "username"})
    assert lift.status_code == 404
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert not AccessEvent.objects.exists()
