"""A policy number fits the declaration file's 15 places (issue 20, item 12): refused at input,
by the database, and flagged before a run rather than failing it."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from clients.forms import ClientForm
from clients.models import POLICY_NUMBER_TOO_LONG, Client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_policy_number_longer_than_15() -> None:
    client_record = ClientFactory(policy_number="P" * 15)
    with pytest.raises(IntegrityError, match="client_policy_number_fits_declaration"):
        with transaction.atomic():
            Client.objects.filter(pk=client_record.pk).update(policy_number="P" * 16)
    client_record.refresh_from_db()
    assert client_record.policy_number == "P" * 15


def test_full_clean_names_the_rule() -> None:
    client_record = ClientFactory.build(policy_number="P" * 16)
    with pytest.raises(Exception, match="at most 15 characters") as exc:
        client_record.full_clean(exclude=["insurer", "team"])
    assert str(POLICY_NUMBER_TOO_LONG) in str(exc.value)


def test_the_form_refuses_16_characters_at_the_field_and_keeps_them() -> None:
    form = ClientForm(data={"policy_number": "P" * 16})
    assert not form.is_valid()
    assert "at most 15 characters" in form.errors["policy_number"][0]
    assert form["policy_number"].value() == "P" * 16


def test_the_api_refuses_16_characters_with_a_field_error(access_world) -> None:
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    response = api.post(reverse("api-client-list"), {"policy_number": "P" * 16})
    assert response.status_code == 400
    assert "15 characters" in response.json()["policy_number"][0]
