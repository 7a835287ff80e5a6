"""Actions that cannot be undone ask first: GET shows "are you sure?" and what will happen
(and changes nothing), POST does it. Works without JavaScript: a link, then a form."""

import pytest
from django.urls import reverse

from buurtzorg.audit.models import AccessEvent, Action
from clients.models import Intervention, NetworkContact
from teams.models import User
from tests.factories import InterventionFactory, NetworkContactFactory

pytestmark = pytest.mark.django_db


def _stop_url(iv: Intervention) -> str:
    cp = iv.client_problem
    return reverse(
        "clients:intervention-stop", args=[cp.client.public_id, cp.public_id, iv.public_id]
    )


def _remove_url(contact: NetworkContact) -> str:
    return reverse("clients:network-remove", args=[contact.client.public_id, contact.public_id])


def test_record_links_to_the_confirmation_instead_of_posting(
    client, access_world, client_record
) -> None:
    iv = InterventionFactory(client_problem__client=client_record)
    contact = NetworkContactFactory(client=client_record)
    client.force_login(access_world.nurse_a)
    page = client.get(client_record.get_absolute_url()).content.decode()
    assert f'href="{_stop_url(iv)}"' in page
    assert f'href="{_remove_url(contact)}"' in page
    assert f'action="{_stop_url(iv)}"' not in page


def test_get_asks_before_stopping_and_changes_nothing(client, access_world, client_record) -> None:
    # given
    iv = InterventionFactory(client_problem__client=client_record)
    client.force_login(access_world.nurse_a)
    # when
    response = client.get(_stop_url(iv))
    # then
    body = response.content.decode()
    assert response.status_code == 200
    assert "Stop “" in body
    assert "cannot be undone" in body
    assert f'action="{_stop_url(iv)}"' in body
    assert Intervention.objects.get(pk=iv.pk).is_active
    event = AccessEvent.objects.get()
    assert (event.action, event.part) == (Action.VIEW, "intervention-stop-confirm")


def test_post_stops_the_intervention(client, access_world, client_record) -> None:
    iv = InterventionFactory(client_problem__client=client_record)
    client.force_login(access_world.nurse_a)
    response = client.post(_stop_url(iv))
    assert response.status_code == 302
    assert not Intervention.objects.get(pk=iv.pk).is_active


def test_get_asks_before_removing_a_contact_and_post_removes(
    client, access_world, client_record
) -> None:
    # given
    contact = NetworkContactFactory(client=client_record, name="Els de Boer")
    client.force_login(access_world.nurse_a)
    # when asked
    body = client.get(_remove_url(contact)).content.decode()
    # then nothing is gone yet
    assert "Remove Els de Boer from the network?" in body
    assert NetworkContact.objects.filter(pk=contact.pk).exists()
    # when confirmed
    assert client.post(_remove_url(contact)).status_code == 302
    assert not NetworkContact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("who", ["nurse_b", "coach_a", "back_office"])
def test_others_get_404_for_the_confirmation_too(client, access_world, client_record, who) -> None:
    iv = InterventionFactory(client_problem__client=client_record)
    contact = NetworkContactFactory(client=client_record)
    client.force_login(getattr(access_world, who))
    assert client.get(_stop_url(iv)).status_code == 404
    assert client.get(_remove_url(contact)).status_code == 404
    assert not AccessEvent.objects.exists()


def test_confirmation_is_dutch_for_a_dutch_nurse(client, access_world, client_record) -> None:
    contact = NetworkContactFactory(client=client_record, name="Els de Boer")
    User.objects.filter(pk=access_world.nurse_a.pk).update(language="nl")
    client.force_login(access_world.nurse_a)
    body = client.get(_remove_url(contact)).content.decode()
    assert "Els de Boer uit het netwerk verwijderen?" in body
    assert "Annuleren" in body
