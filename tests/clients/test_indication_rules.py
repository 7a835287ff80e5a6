"""Indication input is checked (issue 16, item 3): hours within the maximum, no overlap of the
same products, an end after the start; a refusal stores nothing and keeps what was typed."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from clients import services
from clients.models import CareIndication

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 5)


def _add(world, client_record, **overrides):  # noqa: ANN001, ANN202
    data = {
        "hours_per_week": Decimal("6"),
        "products": "nursing",
        "valid_from": START,
        "valid_until": START + dt.timedelta(days=90),
    } | overrides
    return services.care_indication_add(client=client_record, actor=world.nurse_a, **data)


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("-1"), Decimal("40.01"), Decimal("168")])
def test_hours_outside_zero_to_the_maximum_are_refused(
    access_world, client_record, hours: Decimal
) -> None:
    with pytest.raises(ValidationError, match="above 0 and at most 40") as exc:
        _add(access_world, client_record, hours_per_week=hours)
    assert "hours_per_week" in exc.value.message_dict
    assert not CareIndication.objects.filter(client=client_record).exists()


def test_the_maximum_is_a_setting(access_world, client_record, settings) -> None:
    settings.INDICATION_MAX_HOURS_PER_WEEK = 20
    with pytest.raises(ValidationError, match="above 0 and at most 20"):
        _add(access_world, client_record, hours_per_week=Decimal("21"))
    assert _add(access_world, client_record, hours_per_week=Decimal("20")).hours_per_week == 20


def test_overlapping_indication_of_the_same_products_is_refused(
    access_world, client_record
) -> None:
    _add(access_world, client_record, valid_until=None)  # open-ended
    with pytest.raises(ValidationError, match="already has an indication for nursing") as exc:
        _add(
            access_world,
            client_record,
            products=" Nursing ",
            valid_from=dt.date(2027, 1, 1),
            valid_until=None,
        )
    assert "valid_from" in exc.value.message_dict
    assert CareIndication.objects.filter(client=client_record).count() == 1


def test_other_products_and_the_next_period_are_accepted(access_world, client_record) -> None:
    first = _add(access_world, client_record)
    _add(access_world, client_record, products="personal care")
    _add(
        access_world,
        client_record,
        valid_from=first.valid_until + dt.timedelta(days=1),
        valid_until=None,
    )
    assert CareIndication.objects.filter(client=client_record).count() == 3


def test_until_before_from_is_refused(access_world, client_record) -> None:
    with pytest.raises(ValidationError, match=re.escape(str(services.UNTIL_BEFORE_FROM))):
        _add(access_world, client_record, valid_until=START - dt.timedelta(days=1))
    assert not CareIndication.objects.exists()


def test_database_refuses_an_overlap_written_around_the_service(
    access_world, client_record
) -> None:
    _add(access_world, client_record)
    with pytest.raises(IntegrityError, match="careindication_no_overlap"), transaction.atomic():
        CareIndication.objects.create(
            client=client_record,
            hours_per_week=Decimal("3"),
            products="NURSING",
            valid_from=START + dt.timedelta(days=10),
        )


def test_form_shows_the_message_at_the_field_and_keeps_the_input(
    client, access_world, client_record
) -> None:
    client.force_login(access_world.nurse_a)
    url = reverse("clients:indication-add", args=[client_record.public_id])
    response = client.post(
        url,
        {
            "hours_per_week": "168",
            "products": "nursing at night",
            "valid_from": "2026-01-05",
            "valid_until": "",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "above 0 and at most 40" in body
    assert 'value="nursing at night"' in body
    assert 'value="168"' in body
    assert not CareIndication.objects.filter(client=client_record).exists()


def test_record_flags_an_older_indication_above_the_maximum(
    client, access_world, client_record
) -> None:
    # given a 168 h/week indication from before the maximum (kept by the migration, not changed)
    CareIndication.objects.create(
        client=client_record, hours_per_week=Decimal("168"), products="all", valid_from=START
    )
    client.force_login(access_world.nurse_a)
    response = client.get(client_record.get_absolute_url())
    assert "above the maximum of 40: check" in response.content.decode()
