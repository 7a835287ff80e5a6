"""Tariffs are valid from a date (issue 19): insurers change rates per year and during one.

A visit is priced at the tariff valid on its date of service; a new rate ends the previous one
the day before; tariffs of one service in one contract never overlap (the database refuses,
the service and the pages say why at the field); the pre-flight names a visit whose date no
tariff covers.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from scheduling.billing import services
from scheduling.billing.models import RunStatus, Tariff
from scheduling.billing.selectors import billing_run_preflight
from tests.billing.conftest import HAND_TOTALS, MARCH
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_now(django_capture_on_commit_callbacks):
    """Request a run and let its task run eagerly on commit, as in production."""

    def start(period=MARCH, insurer=None):
        with django_capture_on_commit_callbacks(execute=True):
            result = services.billing_run_request(period=period, insurer=insurer, actor=None)
        result.run.refresh_from_db()
        return result.run

    return start


def _nursing_tariff(world) -> Tariff:
    return Tariff.objects.get(
        contract__insurer=world.zilveren, contract__year=2026, service=world.nursing
    )


def _history(contract, service) -> list[tuple]:
    return list(
        Tariff.objects.filter(contract=contract, service=service)
        .order_by("valid_from")
        .values_list("hourly_rate", "valid_from", "valid_until")
    )


# --- the database ------------------------------------------------------------------------------


def test_the_database_refuses_two_overlapping_tariffs_of_one_service(billing_world) -> None:
    # given: the 2026 nursing tariff, valid from 1 January until further notice
    first = _nursing_tariff(billing_world)
    # when / then: another one from 1 July, written past the service, is refused
    with pytest.raises(IntegrityError, match="tariff_no_overlap"), transaction.atomic():
        Tariff.objects.create(
            contract=first.contract,
            service=billing_world.nursing,
            hourly_rate=Decimal("80.00"),
            valid_from=dt.date(2026, 7, 1),
        )
    # and once the first ends on 30 June, the same row is accepted; so is another service
    Tariff.objects.filter(pk=first.pk).update(valid_until=dt.date(2026, 6, 30))
    Tariff.objects.create(
        contract=first.contract,
        service=billing_world.nursing,
        hourly_rate=Decimal("80.00"),
        valid_from=dt.date(2026, 7, 1),
    )
    assert len(_history(first.contract, billing_world.nursing)) == 2


def test_the_database_refuses_a_tariff_that_ends_before_it_starts(billing_world) -> None:
    contract = ContractFactory(insurer=billing_world.zilveren, year=2027)
    with pytest.raises(IntegrityError, match="tariff_until_after_from"), transaction.atomic():
        Tariff.objects.create(
            contract=contract,
            service=billing_world.nursing,
            hourly_rate=Decimal("80.00"),
            valid_from=dt.date(2027, 3, 1),
            valid_until=dt.date(2027, 2, 28),
        )
    assert not contract.tariffs.exists()


# --- the service -------------------------------------------------------------------------------


def test_a_new_rate_from_a_date_ends_the_previous_one_the_day_before(
    billing_world, access_world
) -> None:
    # given: nursing at 78.35 from 1 January 2026, until further notice
    contract = _nursing_tariff(billing_world).contract
    # when: the insurer raises the rate from 8 March
    new = services.tariff_set(
        contract=contract,
        service=billing_world.nursing,
        hourly_rate=Decimal("90.00"),
        valid_from=dt.date(2026, 3, 8),
        actor=access_world.back_office,
    )
    # then: the old rate ends on 7 March, the new one runs on; both are kept
    assert _history(contract, billing_world.nursing) == [
        (Decimal("78.35"), dt.date(2026, 1, 1), dt.date(2026, 3, 7)),
        (Decimal("90.00"), dt.date(2026, 3, 8), None),
    ]
    assert new.set_by == access_world.back_office
    # and a rate set in between later runs until the next one starts
    services.tariff_set(
        contract=contract,
        service=billing_world.nursing,
        hourly_rate=Decimal("80.00"),
        valid_from=dt.date(2026, 2, 1),
        actor=access_world.back_office,
    )
    assert _history(contract, billing_world.nursing) == [
        (Decimal("78.35"), dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
        (Decimal("80.00"), dt.date(2026, 2, 1), dt.date(2026, 3, 7)),
        (Decimal("90.00"), dt.date(2026, 3, 8), None),
    ]


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "field", "message"),
    [
        # ends before the open-ended tariff it would replace ends: the time after it would
        # lose its rate
        (
            dt.date(2026, 4, 1),
            dt.date(2026, 4, 30),
            "valid_until",
            "This period overlaps the tariff of €78.35 valid from 1 Jan 2026 until further notice.",
        ),
        (
            dt.date(2026, 5, 1),
            dt.date(2026, 4, 1),
            "valid_until",
            str(services.TARIFF_ENDS_BEFORE_START),
        ),
        (
            dt.date(2027, 1, 1),
            None,
            "valid_from",
            "Choose a date in 2026, the year of the contract.",
        ),
    ],
)
def test_a_rate_the_service_refuses_leaves_every_tariff_as_it_was(
    billing_world, access_world, valid_from, valid_until, field, message
) -> None:
    # given
    contract = _nursing_tariff(billing_world).contract
    before = _history(contract, billing_world.nursing)
    # when / then
    with pytest.raises(ValidationError, match=re.escape(message)) as refused:
        services.tariff_set(
            contract=contract,
            service=billing_world.nursing,
            hourly_rate=Decimal("90.00"),
            valid_from=valid_from,
            valid_until=valid_until,
            actor=access_world.back_office,
        )
    assert message in refused.value.message_dict[field][0]
    assert _history(contract, billing_world.nursing) == before


def test_a_rate_that_overlaps_a_later_tariff_is_refused_at_its_end(
    billing_world, access_world
) -> None:
    # given: 78.35 until 7 March, 90.00 from 8 March to 31 May, 95.00 from 1 June
    contract = _nursing_tariff(billing_world).contract
    for rate, start in (("90.00", dt.date(2026, 3, 8)), ("95.00", dt.date(2026, 6, 1))):
        services.tariff_set(
            contract=contract,
            service=billing_world.nursing,
            hourly_rate=Decimal(rate),
            valid_from=start,
            actor=access_world.back_office,
        )
    before = _history(contract, billing_world.nursing)
    # when: a rate from 1 February to 30 April is set
    with pytest.raises(ValidationError, match="overlaps the tariff of") as refused:
        services.tariff_set(
            contract=contract,
            service=billing_world.nursing,
            hourly_rate=Decimal("85.00"),
            valid_from=dt.date(2026, 2, 1),
            valid_until=dt.date(2026, 4, 30),
            actor=access_world.back_office,
        )
    # then: the end date is where it overlaps the tariff from 8 March; nothing changed
    assert (
        "€90.00 valid from 8 Mar 2026 until 31 May 2026"
        in (refused.value.message_dict["valid_until"][0])
    )
    assert _history(contract, billing_world.nursing) == before


# --- pricing ------------------------------------------------------------------------------------


def test_each_visit_is_priced_at_the_tariff_of_its_date_across_a_mid_month_change(
    billing_world, access_world, run_now
) -> None:
    # given: nursing goes from 78.35 to 90.00 on 8 March; Anna had nursing on 3 March (60 min)
    # and on 10 March (67 min), Bram on 5 March (31 min)
    services.tariff_set(
        contract=_nursing_tariff(billing_world).contract,
        service=billing_world.nursing,
        hourly_rate=Decimal("90.00"),
        valid_from=dt.date(2026, 3, 8),
        actor=access_world.back_office,
    )
    # when March is billed (after the change: the run date plays no part)
    run = run_now()
    # then: each day is a line (one service record a day), each at the rate of its date
    assert run.status == RunStatus.DRAFT, run.error
    lines = sorted(
        (ln.client.first_name, ln.service_code, ln.hourly_rate, ln.minutes, ln.units, ln.amount)
        for ln in run.lines.select_related("client")
    )
    assert lines == [
        # personal care on 10 March (43 min) and 3 March (50 min)
        ("Anna", "1000", Decimal("60.00"), 43, 9, Decimal("45.00")),
        ("Anna", "1000", Decimal("60.00"), 50, 10, Decimal("50.00")),
        # 60 min -> 12 units -> 60 * 78.35 / 60
        ("Anna", "1001", Decimal("78.35"), 60, 12, Decimal("78.35")),
        # 67 min -> 13 units -> 65 * 90.00 / 60
        ("Anna", "1001", Decimal("90.00"), 67, 13, Decimal("97.50")),
        ("Bram", "1001", Decimal("78.35"), 31, 6, Decimal("39.18")),
        ("Cees", "1001", Decimal("78.35"), 44, 9, Decimal("58.76")),
    ]
    assert run.unpriced_count == 0
    assert run.total_amount == Decimal("310.03") + HAND_TOTALS["7029"]
    # and the declaration file still passes its layout check
    assert run.files.filter(insurer=billing_world.zilveren).count() == 3


def test_the_preflight_names_a_visit_whose_date_no_tariff_covers(
    billing_world, access_world, run_now
) -> None:
    # given: the 2026 nursing tariff of the first insurer ended on 7 March, with none after
    tariff = _nursing_tariff(billing_world)
    Tariff.objects.filter(pk=tariff.pk).update(valid_until=dt.date(2026, 3, 7))
    # when March is billed and checked
    run = run_now()
    problems = [p for p in billing_run_preflight(run=run) if p.code == "no_tariff"]
    # then: Anna's visit of 10 March is named, with a link to set the tariff, blocking
    assert [p.message for p in problems] == [
        "The visit to Anna Jansen on 10 Mar 2026 10:00 has no tariff for 1001 Nursing (example) "
        "valid on that day in the 2026 contract with Zorgverzekeraar Een."
    ]
    assert problems[0].link == tariff.contract.get_absolute_url()
    assert problems[0].blocking
    # and billing left that visit out rather than price it at another date's rate: Anna's
    # nursing line is her visit of 3 March alone
    assert run.unpriced_count == 1
    nursing = run.lines.get(client=billing_world.anna, service=billing_world.nursing)
    assert (nursing.minutes, nursing.hourly_rate) == (60, Decimal("78.35"))


# --- page and API -------------------------------------------------------------------------------


def test_the_contract_page_sets_a_rate_from_a_date_and_shows_the_history(
    client, billing_world, access_world
) -> None:
    # given
    contract = _nursing_tariff(billing_world).contract
    client.force_login(access_world.back_office)
    # when
    response = client.post(
        contract.get_absolute_url(),
        {"service": billing_world.nursing.pk, "hourly_rate": "90.00", "valid_from": "2026-03-08"},
    )
    # then
    assert response.status_code == 302
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "1 Jan 2026" in page
    assert "7 Mar 2026" in page
    assert "8 Mar 2026" in page
    assert "€90.00" in page


def test_the_contract_page_refuses_an_overlap_at_the_field_and_keeps_the_input(
    client, billing_world, access_world
) -> None:
    # given: nursing at 78.35 from 1 January, until further notice
    contract = _nursing_tariff(billing_world).contract
    before = _history(contract, billing_world.nursing)
    client.force_login(access_world.back_office)
    # when: a rate for April alone is set
    response = client.post(
        contract.get_absolute_url(),
        {
            "service": billing_world.nursing.pk,
            "hourly_rate": "91.25",
            "valid_from": "2026-04-01",
            "valid_until": "2026-04-30",
        },
    )
    # then: the end date carries the message, the input is kept, nothing stored
    assert response.status_code == 200
    form = response.context["form"]
    assert "overlaps the tariff of €78.35" in form.errors["valid_until"][0]
    html = response.content.decode()
    assert 'value="91.25"' in html
    assert 'value="2026-04-30"' in html
    assert _history(contract, billing_world.nursing) == before


def test_the_api_sets_a_rate_from_a_date_and_refuses_an_end_before_the_start(
    client, billing_world, access_world
) -> None:
    # given
    contract = _nursing_tariff(billing_world).contract
    client.force_login(access_world.back_office)
    url = reverse("api-billing-contract-detail", args=[contract.public_id])
    # when
    backwards = client.post(
        url,
        {
            "service_code": "1001",
            "hourly_rate": "90.00",
            "valid_from": "2026-05-01",
            "valid_until": "2026-04-01",
        },
        "application/json",
    )
    saved = client.post(
        url,
        {"service_code": "1001", "hourly_rate": "90.00", "valid_from": "2026-03-08"},
        "application/json",
    )
    # then
    assert backwards.status_code == 400
    assert backwards.json()["valid_until"] == [str(services.TARIFF_ENDS_BEFORE_START)]
    assert saved.status_code == 200
    nursing = [t for t in saved.json()["tariffs"] if t["service_code"] == "1001"]
    assert [(t["hourly_rate"], t["valid_from"], t["valid_until"]) for t in nursing] == [
        ("78.35", "2026-01-01", "2026-03-07"),
        ("90.00", "2026-03-08", None),
    ]
