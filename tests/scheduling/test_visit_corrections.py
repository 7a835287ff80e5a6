"""Corrections of a billed visit form one chain, and exactly one row of it counts.

`visit_correct` locks the chain's first visit and always corrects the chain's latest row,
whichever row of the chain it is given. Before, correcting the original again after its
correction had itself been billed and corrected made two rows count (the correction of the
correction, and the new correction of the original), so billing and the dashboards both
counted the minutes twice.
"""

import datetime as dt
import re
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from coaching import figures, summary
from scheduling.billing.aggregation import correction_groups, month_groups
from scheduling.models import Visit
from scheduling.services import visits as services
from scheduling.services.visits import CORRECTION_ONLY_BILLED
from tests.factories import CareServiceFactory, ClientFactory, VisitFactory, nursing_team
from tests.scheduling.conftest import DAY

pytestmark = pytest.mark.django_db

MONTH = DAY.replace(day=1)
MONTH_LAST = dt.date(2026, 6, 30)


def billed(world, minutes: int = 30) -> Visit:
    """Her visit on DAY, logged with the world's (billable) service and then billed."""
    visit = VisitFactory(
        client=world.client_record, nurse=world.nurse, day=DAY, planned_minutes=minutes
    )
    visit = services.visit_log(visit=visit, actor=world.nurse, service=world.service)
    bill(visit)
    return visit


def bill(visit: Visit) -> None:
    """What finalising a billing run does to the visits it billed."""
    Visit.objects.filter(pk=visit.pk).update(billed_at=timezone.now())
    visit.refresh_from_db()


def correct(world, visit: Visit, minutes: int) -> Visit:
    return services.visit_correct(
        visit=visit, actor=world.nurse, minutes=minutes, reason=f"Really {minutes} minutes"
    )


def counted_minutes(world) -> dict[str, int]:
    """The month's minutes of the world's client as billing and the dashboards count them."""
    team, client = world.team, world.client_record
    now = dt.datetime.combine(MONTH_LAST, dt.time(23), tzinfo=timezone.get_current_timezone())
    daily = summary._visit_counts(MONTH, MONTH_LAST, now)
    return {
        "billing, month redone": sum(
            g.minutes for g in correction_groups(pairs=[(client.pk, MONTH)])
        ),
        "billing, effective unbilled": sum(
            g.minutes for g in month_groups(period=MONTH, insurer=None)
        ),
        "dashboard, live": figures._visits([team.pk], MONTH, MONTH_LAST, now)[team.pk]["minutes"],
        "dashboard, daily": sum(
            row["minutes"] or 0 for (team_id, _day), row in daily.items() if team_id == team.pk
        ),
    }


def test_correcting_the_original_again_corrects_the_latest_row(world) -> None:
    # given a billed visit of 30 minutes, corrected to 40; that correction is billed in the
    # next run and corrected to 45
    original = billed(world)
    first = correct(world, original, 40)
    bill(first)
    second = correct(world, first, 45)
    # when the original is corrected again, to 50
    third = correct(world, original, 50)
    # then the new row corrects the latest one: the chain stays a line
    assert (first.corrects, second.corrects, third.corrects) == (original, first, second)
    # and only that row counts, for billing and the dashboards alike
    effective = Visit.objects.effective().filter(client=world.client_record)
    assert list(effective) == [third]
    # (the month redone counts the whole chain's one row; billed rows are not billed again,
    # so the month's unbilled effective visits are the same 50 minutes)
    assert set(counted_minutes(world).values()) == {50}


def test_any_row_of_the_chain_takes_the_correction_to_its_end(world) -> None:
    original = billed(world)
    first = correct(world, original, 40)
    second = correct(world, original, 35)  # the chain: original <- first <- second
    # when a nurse corrects the middle row (a stale page, say)
    third = correct(world, first, 25)
    # then it corrects the chain's latest row, and the row names that one
    assert (second.corrects, third.corrects) == (first, second)
    assert list(Visit.objects.effective().filter(client=world.client_record)) == [third]
    assert third.services.get().minutes == 25
    assert set(counted_minutes(world).values()) == {25}


def test_a_visit_that_was_never_billed_takes_no_correction(world) -> None:
    visit = VisitFactory(client=world.client_record, nurse=world.nurse, day=DAY)
    visit = services.visit_log(visit=visit, actor=world.nurse, service=world.service)
    with pytest.raises(ValidationError, match=re.escape(str(CORRECTION_ONLY_BILLED))):
        correct(world, visit, 40)
    assert not Visit.objects.filter(corrects__isnull=False).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restore_vocabulary_after")
def test_two_corrections_at_once_still_make_a_line() -> None:
    # given a billed visit with one correction
    team, (nurse,) = nursing_team(1)
    service = CareServiceFactory()
    visit = VisitFactory(client=ClientFactory(team=team), nurse=nurse, day=DAY)
    original = services.visit_log(visit=visit, actor=nurse, service=service)
    bill(original)
    first = services.visit_correct(visit=original, actor=nurse, minutes=40, reason="Wound care")
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def correct_from(row: Visit, minutes: int) -> None:
        try:
            barrier.wait()
            services.visit_correct(visit=row, actor=nurse, minutes=minutes, reason="Recount")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    # when two nurses' pages correct it at the same moment, one from each row
    threads = [
        threading.Thread(target=correct_from, args=(original, 45)),
        threading.Thread(target=correct_from, args=(first, 50)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then the second waited for the first and corrected its row: every row is corrected
    # at most once, and one row of the chain counts
    assert errors == []
    corrected = list(
        Visit.objects.filter(corrects__isnull=False).values_list("corrects_id", flat=True)
    )
    assert len(corrected) == 3
    assert len(set(corrected)) == 3
    assert Visit.objects.effective().count() == 1
