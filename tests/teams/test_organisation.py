"""The organisation's own details (issue 19, item 7): one row, checked formats (KvK and AGB 8
digits, IBAN with its mod-97 check digits), a page and an API for back office and
administrators, and the settings of old installs as its initial values."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from teams import services
from teams.models import Organisation, iban_is_valid
from teams.selectors import organisation_details
from tests.factories import AdminFactory, BackOfficeFactory, CoachFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Wijkzorg West",
    "address": "Zorgstraat 12",
    "postcode": "1234ab",
    "city": "Almelo",
    "kvk_number": "12345678",
    "agb_code": "87654321",
    "iban": "nl91 abna 0417 1643 00",
    "vat_exemption_note": "Vrijgesteld van btw.",
    "payment_term_days": 14,
}


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("NL91ABNA0417164300", True),
        ("NL02ABNA0123456789", True),
        ("DE89370400440532013000", True),
        ("NL92ABNA0417164300", False),  # one check digit off
        ("NL91ABNA0417164301", False),  # one account digit off
        ("NL91", False),
    ],
)
def test_iban_check_digits(iban: str, valid: bool) -> None:
    assert iban_is_valid(iban) is valid


def test_first_save_creates_the_one_row_normalised() -> None:
    # given no details yet
    assert organisation_details().pk is None
    # when
    organisation = services.organisation_update(actor=AdminFactory(), **VALID)
    # then
    assert Organisation.objects.count() == 1
    assert organisation.iban == "NL91ABNA0417164300"
    assert organisation.iban_display == "NL91 ABNA 0417 1643 00"
    assert organisation.postcode == "1234 AB"
    assert organisation.is_complete
    # and a second save changes the same row
    services.organisation_update(actor=BackOfficeFactory(), **{**VALID, "city": "Hengelo"})
    assert Organisation.objects.get().city == "Hengelo"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("iban", "NL92ABNA0417164300", "This is not a valid IBAN"),
        ("kvk_number", "1234567", "A KvK number is 8 digits."),
        ("agb_code", "1234567A", "An AGB code is 8 digits."),
        ("postcode", "12345", "A Dutch postcode is 4 digits and 2 letters"),
    ],
)
def test_bad_details_are_refused_at_their_field_and_nothing_is_stored(
    field: str, value: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        services.organisation_update(actor=AdminFactory(), **{**VALID, field: value})
    assert field in caught.value.message_dict
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("kvk_number", "123"), ("agb_code", "ABCDEFGH"), ("iban", "12"), ("payment_term_days", 0)],
)
def test_the_database_refuses_bad_formats_whatever_writes(field: str, value: object) -> None:
    OrganisationFactory()
    with pytest.raises(IntegrityError, match="organisation_"), transaction.atomic():
        Organisation.objects.update(**{field: value})


def test_a_second_row_is_impossible() -> None:
    OrganisationFactory()
    with pytest.raises(IntegrityError, match="organisation_single_row"), transaction.atomic():
        Organisation.objects.create(key=2, name="Tweede")


def test_settings_become_the_initial_values(settings) -> None:
    migration = importlib.import_module("teams.migrations.0007_organisation_from_settings")
    # the placeholder AGB and no name: no row
    settings.ORGANISATION_NAME, settings.ORGANISATION_AGB = "", "00000000"
    migration.forwards(apps, None)
    assert not Organisation.objects.exists()
    # an install that had them set keeps them
    settings.ORGANISATION_NAME, settings.ORGANISATION_AGB = "Wijkzorg Oost", "11223344"
    migration.forwards(apps, None)
    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.agb_code) == ("Wijkzorg Oost", "11223344")
    assert organisation.payment_term_days == 30


def test_page_saves_and_refuses_with_the_message_at_the_field(client) -> None:
    client.force_login(BackOfficeFactory())
    url = reverse("teams:organisation")
    # a bad IBAN: the message at the field, everything typed kept, nothing stored
    response = client.post(url, {**VALID, "iban": "NL92 ABNA 0417 1643 00"})
    assert response.status_code == 200
    assert response.context["form"].errors["iban"][0].startswith("This is not a valid IBAN")
    body = response.content.decode()
    assert 'value="NL92 ABNA 0417 1643 00"' in body
    assert 'value="Zorgstraat 12"' in body
    assert not Organisation.objects.exists()
    # then a good one is saved
    response = client.post(url, VALID)
    assert response.status_code == 302
    assert Organisation.objects.get().kvk_number == "12345678"
    assert 'value="NL91 ABNA 0417 1643 00"' in client.get(url).content.decode()


def test_api_reads_and_changes_the_details(client) -> None:
    client.force_login(AdminFactory())
    url = reverse("api-organisation")
    assert client.get(url).json()["is_complete"] is False
    refused = client.put(url, {**VALID, "kvk_number": "123"}, content_type="application/json")
    assert refused.status_code == 400
    assert "A KvK number is 8 digits." in refused.json()["kvk_number"][0]
    saved = client.put(url, VALID, content_type="application/json")
    assert saved.status_code == 200
    assert saved.json()["iban"] == "NL91ABNA0417164300"
    assert saved.json()["is_complete"] is True


def test_coaches_get_404_and_403() -> None:
    from django.test import Client

    http = Client()
    http.force_login(CoachFactory())
    assert http.get(reverse("teams:organisation")).status_code == 404
    assert http.get(reverse("api-organisation")).status_code == 403
