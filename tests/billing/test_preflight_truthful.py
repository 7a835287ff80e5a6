"""The pre-flight tells the truth (issue 19, item 5): it no longer says "No problems found"
while visits of the month are planned and unlogged, logged ahead of time, over the indication,
past an expired indication, or while our own AGB code is not set."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import F
from django.urls import reverse

from scheduling.billing import services
from scheduling.billing.selectors import billing_run_preflight
from scheduling.models import Visit
from teams.models import Organisation
from tests.billing.conftest import MARCH

pytestmark = pytest.mark.django_db


@pytest.fixture
def preflight(django_capture_on_commit_callbacks):
    """Run March (its task runs on commit, as in production) and check it."""

    def check() -> dict[str, list]:
        with django_capture_on_commit_callbacks(execute=True):
            result = services.billing_run_request(period=MARCH, insurer=None, actor=None)
        result.run.refresh_from_db()
        by_code: dict[str, list] = {}
        for problem in billing_run_preflight(run=result.run):
            by_code.setdefault(problem.code, []).append(problem)
        return by_code

    return check


def test_a_planned_visit_of_the_month_not_logged_is_listed(billing_world, preflight) -> None:
    # given Bram's visit of 20 March is still planned (billing_world); when checked
    found = preflight()["planned_not_logged"]
    # then it is named, as a warning (it may follow as a late entry)
    assert len(found) == 1
    assert found[0].message.startswith("The visit to Bram Bakker on 20 Mar 2026")
    assert "not logged" in found[0].message
    assert not found[0].blocking


def test_a_visit_logged_before_it_started_blocks(billing_world, preflight) -> None:
    # given Anna's visit of 3 March was logged two hours before it started
    Visit.objects.filter(pk=billing_world.anna_visit_1.pk).update(
        logged_at=F("starts_at") - dt.timedelta(hours=2)
    )
    # when checked, then it is named and blocks finalising
    found = preflight()["logged_ahead"]
    assert [p.message.split(" on ")[0] for p in found] == ["The visit to Anna Jansen"]
    assert "logged before it started" in found[0].message
    assert found[0].blocking


def test_a_visit_logged_within_the_tolerance_is_not_listed(billing_world, preflight) -> None:
    Visit.objects.filter(pk=billing_world.anna_visit_1.pk).update(
        logged_at=F("starts_at") - dt.timedelta(minutes=10)
    )
    assert "logged_ahead" not in preflight()


def test_a_client_over_the_indicated_hours_is_listed(billing_world, preflight) -> None:
    # given Anna is indicated half an hour a week (about 2.2 hours in March) and got 3.7 hours
    billing_world.anna.indications.update(hours_per_week=Decimal("0.50"))
    # when checked
    found = preflight()["over_indication"]
    # then only Anna is named, with her hours
    assert len(found) == 1
    assert found[0].message == (
        "Anna Jansen received 3.7 hours this month, more than the indication allows "
        "(0.50 hours a week)."
    )


def test_an_indication_that_ended_in_the_month_is_listed(billing_world, preflight) -> None:
    # given Cees' indication ended on 15 March and nothing follows it
    billing_world.cees.indications.update(valid_until=dt.date(2026, 3, 15))
    found = preflight()["expired_indication"]
    assert [p.message for p in found] == [
        "Cees Visser's indication ended on 15-03-2026; ask for a new indication before "
        "billing more care."
    ]
    assert found[0].blocking


def test_clients_within_a_current_indication_are_not_listed(billing_world, preflight) -> None:
    found = preflight()
    assert "over_indication" not in found
    assert "expired_indication" not in found
    assert "missing_agb" not in found


def test_our_missing_agb_code_is_listed(billing_world, preflight) -> None:
    Organisation.objects.update(agb_code="")
    found = preflight()["missing_agb"][0]
    assert "AGB code is not set" in found.message
    assert found.blocking
    assert found.link == reverse("teams:organisation")


def test_incomplete_organisation_details_block_finalising(billing_world, preflight) -> None:
    Organisation.objects.update(iban="")
    found = preflight()["organisation_incomplete"][0]
    assert "IBAN" in found.message
    assert found.blocking
