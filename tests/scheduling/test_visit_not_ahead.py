"""Only what has happened is logged: no "done" before the start, no call-out in the future.

Billing declares logged visits, so a tap on next week's visit would bill care never given.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from scheduling.models import Visit, VisitStatus
from scheduling.services import visits as services
from scheduling.services.rota import local_datetime

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> object:
    with translation.override("en"):
        yield


def plan_at(world, starts_at: dt.datetime) -> Visit:
    return services.visit_schedule(
        client=world.client_record,
        nurse=world.nurse,
        starts_at=starts_at,
        planned_minutes=30,
        actor=world.nurse,
        service=world.service,
    )


def test_visit_three_days_ahead_cannot_be_marked_done(world) -> None:
    # given a visit planned three days from now
    visit = plan_at(world, local_datetime(timezone.localdate() + dt.timedelta(days=3), dt.time(9)))
    # when the nurse taps "done" now, then it is refused and the visit stays planned
    with pytest.raises(ValidationError, match="cannot be logged as done before it has started"):
        services.visit_log(visit=visit, actor=world.nurse)
    visit.refresh_from_db()
    assert (visit.status, visit.logged_at, visit.services.count()) == (VisitStatus.PLANNED, None, 0)


def test_visit_may_be_logged_within_the_tolerance_before_its_start(world) -> None:
    start = local_datetime(timezone.localdate() + dt.timedelta(days=1), dt.time(9))
    visit = plan_at(world, start)
    logged = services.visit_log(
        visit=visit, actor=world.nurse, now=start - dt.timedelta(minutes=10)
    )
    assert logged.status == VisitStatus.DONE


@override_settings(VISIT_DONE_TOLERANCE_MINUTES=5)
def test_tolerance_is_a_setting(world) -> None:
    start = local_datetime(timezone.localdate() + dt.timedelta(days=1), dt.time(9))
    visit = plan_at(world, start)
    with pytest.raises(ValidationError, match="before it has started"):
        services.visit_log(visit=visit, actor=world.nurse, now=start - dt.timedelta(minutes=10))


def test_logged_times_in_the_future_are_refused_at_the_field(world) -> None:
    start = local_datetime(timezone.localdate() + dt.timedelta(days=2), dt.time(9))
    visit = plan_at(world, start)
    with pytest.raises(ValidationError, match="is in the future") as exc:
        services.visit_log(
            visit=visit,
            actor=world.nurse,
            started_at=start,
            ended_at=start + dt.timedelta(minutes=30),
        )
    assert "started_at" in exc.value.message_dict


def test_unplanned_visit_in_the_future_is_refused_and_nothing_is_stored(world) -> None:
    when = local_datetime(dt.date(2031, 3, 4), dt.time(10))
    with pytest.raises(ValidationError, match="is in the future") as exc:
        services.visit_log_unplanned(
            client=world.client_record,
            actor=world.nurse,
            started_at=when,
            minutes=20,
            service=world.service,
        )
    assert "started_at" in exc.value.message_dict
    assert not Visit.objects.filter(client=world.client_record).exists()
