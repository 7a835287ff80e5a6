"""Removing a shift, stopping the calendar feed and replacing its address ask first: GET shows
"are you sure?" and what will happen (and changes nothing), POST does it. Works without
JavaScript: a link, then a form."""

import pytest
from django.urls import reverse

from scheduling.models import CalendarToken, Shift
from scheduling.services import visits as services
from teams.models import User
from tests.factories import ShiftFactory

pytestmark = pytest.mark.django_db


def _delete_url(shift: Shift) -> str:
    return reverse("scheduling:shift-delete", args=[shift.public_id])


STOP_URL = reverse("scheduling:calendar-stop")
RENEW_URL = reverse("scheduling:calendar-renew")


# --- Removing a shift ---------------------------------------------------------------------------


def test_shift_form_links_to_the_confirmation_instead_of_posting(client, world) -> None:
    shift = ShiftFactory(team=world.team, nurse=world.nurse)
    client.force_login(world.nurse)
    page = client.get(reverse("scheduling:shift-edit", args=[shift.public_id])).content.decode()
    assert f'href="{_delete_url(shift)}"' in page
    assert f'action="{_delete_url(shift)}"' not in page


def test_get_asks_before_removing_a_shift_and_changes_nothing(client, world) -> None:
    # given
    shift = ShiftFactory(team=world.team, nurse=world.nurse)
    client.force_login(world.colleague)
    # when
    response = client.get(_delete_url(shift))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert f"Remove this shift of {world.nurse}?" in body
    assert "Early shift for Team A" in body
    assert "cannot be undone" in body
    assert f'action="{_delete_url(shift)}"' in body
    assert Shift.objects.filter(pk=shift.pk).exists()


def test_post_removes_the_shift(client, world) -> None:
    shift = ShiftFactory(team=world.team, nurse=world.nurse)
    client.force_login(world.nurse)
    response = client.post(_delete_url(shift))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("scheduling:rota"))
    assert not Shift.objects.filter(pk=shift.pk).exists()


@pytest.mark.parametrize("who", ["other_nurse", "coach", "back_office"])
def test_others_get_404_for_the_shift_confirmation_too(client, world, who) -> None:
    shift = ShiftFactory(team=world.team, nurse=world.nurse)
    client.force_login(getattr(world, who))
    assert client.get(_delete_url(shift)).status_code == 404
    assert client.post(_delete_url(shift)).status_code == 404
    assert Shift.objects.filter(pk=shift.pk).exists()


def test_shift_confirmation_is_dutch_for_a_dutch_nurse(client, world) -> None:
    shift = ShiftFactory(team=world.team, nurse=world.nurse)
    User.objects.filter(pk=world.nurse.pk).update(language="nl")
    client.force_login(world.nurse)
    body = client.get(_delete_url(shift)).content.decode()
    assert "Deze dienst van" in body
    assert "Dienst verwijderen" in body
    assert "Annuleren" in body


# --- Stopping the calendar feed -----------------------------------------------------------------


def test_calendar_page_links_to_the_confirmation_instead_of_posting(client, world) -> None:
    services.calendar_token_rotate(user=world.nurse)
    client.force_login(world.nurse)
    page = client.get(reverse("scheduling:calendar")).content.decode()
    assert f'href="{STOP_URL}"' in page
    assert 'name="revoke"' not in page


def test_get_asks_before_stopping_the_feed_and_changes_nothing(client, world) -> None:
    # given
    token = services.calendar_token_rotate(user=world.nurse)
    client.force_login(world.nurse)
    # when
    response = client.get(STOP_URL)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Stop your calendar feed?" in body
    assert "cannot be undone" in body
    assert f'action="{STOP_URL}"' in body
    assert client.get(reverse("scheduling:ical-feed", args=[token.token])).status_code == 200


def test_post_stops_the_feed(client, world) -> None:
    token = services.calendar_token_rotate(user=world.nurse)
    client.force_login(world.nurse)
    response = client.post(STOP_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:calendar")
    assert not CalendarToken.objects.filter(user=world.nurse, revoked_at__isnull=True).exists()
    assert client.get(reverse("scheduling:ical-feed", args=[token.token])).status_code == 404


def test_an_old_page_posting_revoke_is_asked_first_and_keeps_the_feed(client, world) -> None:
    # given a calendar page from before the confirmation step, still open in a tab
    token = services.calendar_token_rotate(user=world.nurse)
    client.force_login(world.nurse)
    # when its "Stop the feed" button posts
    response = client.post(reverse("scheduling:calendar"), {"revoke": "1"})
    # then she is asked first, and the address neither stops nor changes
    assert response["Location"] == STOP_URL
    assert CalendarToken.objects.get(user=world.nurse, revoked_at__isnull=True) == token


def test_without_a_feed_there_is_nothing_to_confirm(client, world) -> None:
    client.force_login(world.nurse)
    response = client.get(STOP_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:calendar")


def test_stopping_one_nurses_feed_leaves_her_colleagues(client, world) -> None:
    services.calendar_token_rotate(user=world.nurse)
    colleague_token = services.calendar_token_rotate(user=world.colleague)
    client.force_login(world.nurse)
    client.post(STOP_URL)
    assert CalendarToken.objects.get(revoked_at__isnull=True) == colleague_token


def test_feed_confirmation_is_dutch_for_a_dutch_nurse(client, world) -> None:
    services.calendar_token_rotate(user=world.nurse)
    User.objects.filter(pk=world.nurse.pk).update(language="nl")
    client.force_login(world.nurse)
    body = client.get(STOP_URL).content.decode()
    assert "Je agenda-feed stoppen?" in body
    assert "Annuleren" in body


# --- Making a new calendar address ----------------------------------------------------------------


def _live_tokens(nurse: User) -> list[CalendarToken]:
    return list(CalendarToken.objects.filter(user=nurse, revoked_at__isnull=True))


def test_calendar_page_links_to_the_new_address_confirmation_instead_of_posting(
    client, world
) -> None:
    services.calendar_token_rotate(user=world.nurse)
    client.force_login(world.nurse)
    page = client.get(reverse("scheduling:calendar")).content.decode()
    assert f'href="{RENEW_URL}"' in page
    card = page.split('<section class="card narrow">', 1)[1].split("</section>", 1)[0]
    assert "<form" not in card


def test_get_asks_before_making_a_new_address_and_changes_nothing(client, world) -> None:
    # given
    token = services.calendar_token_rotate(user=world.nurse)
    client.force_login(world.nurse)
    # when
    response = client.get(RENEW_URL)
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Make a new calendar address?" in body
    assert "cannot be undone" in body
    assert f'action="{RENEW_URL}"' in body
    assert _live_tokens(world.nurse) == [token]


def test_post_makes_a_new_address_and_the_old_one_stops(client, world) -> None:
    old = services.calendar_token_rotate(user=world.nurse)
    client.force_login(world.nurse)
    response = client.post(RENEW_URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:calendar")
    [new] = _live_tokens(world.nurse)
    assert new.token != old.token
    assert client.get(reverse("scheduling:ical-feed", args=[old.token])).status_code == 404
    assert client.get(reverse("scheduling:ical-feed", args=[new.token])).status_code == 200


def test_an_old_page_posting_make_a_new_address_is_asked_first_and_keeps_it(client, world) -> None:
    # given a calendar page from before the confirmation step, still open in a tab
    token = services.calendar_token_rotate(user=world.nurse)
    client.force_login(world.nurse)
    # when its "Make a new address" button posts
    response = client.post(reverse("scheduling:calendar"))
    # then she is asked first, and the address stays as it was
    assert response["Location"] == RENEW_URL
    assert _live_tokens(world.nurse) == [token]


def test_the_first_address_is_made_without_asking(client, world) -> None:
    # (nothing is lost: no calendar app follows an address yet)
    client.force_login(world.nurse)
    assert client.get(RENEW_URL)["Location"] == reverse("scheduling:calendar")
    response = client.post(reverse("scheduling:calendar"))
    assert response["Location"] == reverse("scheduling:calendar")
    assert len(_live_tokens(world.nurse)) == 1


def test_new_address_confirmation_is_dutch_for_a_dutch_nurse(client, world) -> None:
    services.calendar_token_rotate(user=world.nurse)
    User.objects.filter(pk=world.nurse.pk).update(language="nl")
    client.force_login(world.nurse)
    body = client.get(RENEW_URL).content.decode()
    assert "Een nieuw agenda-adres maken?" in body
    assert "Een nieuw adres maken" in body
    assert "Annuleren" in body
