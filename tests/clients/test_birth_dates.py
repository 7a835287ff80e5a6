"""A client is not born in the future and not admitted before birth (form, service, DB)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from clients.models import ADMISSION_BEFORE_BIRTH, BIRTH_IN_FUTURE, Client
from tests.factories import ClientFactory, InsurerFactory, make_bsn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


def test_birth_date_in_the_future_is_refused_at_the_field() -> None:
    client_record = ClientFactory.build(date_of_birth=dt.date(2030, 1, 1))
    with pytest.raises(ValidationError, match="cannot be in the future") as exc:
        client_record.full_clean(exclude=["team", "insurer"])
    assert exc.value.message_dict["date_of_birth"] == [str(BIRTH_IN_FUTURE)]


def test_tomorrow_as_birth_date_is_refused_today_is_not() -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        ClientFactory.build(date_of_birth=tomorrow, admitted_on=tomorrow).clean()
    today = timezone.localdate()
    ClientFactory.build(date_of_birth=today, admitted_on=today).clean()


def test_admission_before_birth_is_refused_at_the_field() -> None:
    client_record = ClientFactory.build(
        date_of_birth=dt.date(1950, 3, 1), admitted_on=dt.date(1949, 1, 1)
    )
    with pytest.raises(ValidationError, match="cannot be before the date of birth") as exc:
        client_record.clean()
    assert exc.value.message_dict["admitted_on"] == [str(ADMISSION_BEFORE_BIRTH)]


def test_database_refuses_admission_before_birth_whatever_the_path() -> None:
    client_record = ClientFactory()
    with (
        pytest.raises(IntegrityError, match="client_admitted_after_birth"),
        transaction.atomic(),
    ):
        Client.objects.filter(pk=client_record.pk).update(
            admitted_on=client_record.date_of_birth - dt.timedelta(days=1)
        )


def test_register_page_shows_a_future_birth_date_at_the_field(client, access_world) -> None:
    # given a nurse on the register page
    client.force_login(access_world.nurse_a)
    form = {
        "first_name": "Jan",
        "last_name": "de Groot",
        "date_of_birth": "2030-04-02",
        "bsn": make_bsn(),
        "street": "Javastraat",
        "house_number": "12",
        "postcode": "1094 AB",
        "city": "Amsterdam",
        "insurer": InsurerFactory().pk,
        "policy_number": "ZK-123",
        "admitted_on": "2030-05-01",
    }
    # when she types a birth date in 2030
    response = client.post(reverse("clients:client-register"), form)
    # then the page says so at the field, keeps what was typed and stores nothing
    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"] == [str(BIRTH_IN_FUTURE)]
    assert 'value="2030-04-02"' in response.content.decode()
    assert not Client.objects.filter(bsn=form["bsn"]).exists()
