"""Two requests booking the same nurse at the same time: exactly one wins."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from scheduling.models import Shift, ShiftKind
from scheduling.services.rota import local_datetime, shift_create
from tests.factories import nursing_team

pytestmark = pytest.mark.usefixtures("restore_vocabulary_after")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_overlapping_shifts_exactly_one_succeeds() -> None:
    # given a nurse
    team, (nurse,) = nursing_team(1)
    day = dt.date(2026, 6, 1)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def book(start_hour: int) -> None:
        try:
            barrier.wait()
            shift_create(
                nurse=nurse,
                team=team,
                kind=ShiftKind.FREE,
                starts_at=local_datetime(day, dt.time(start_hour)),
                ends_at=local_datetime(day, dt.time(start_hour + 6)),
            )
            results.append("ok")
        except ValidationError as exc:
            results.append(str(exc))
        finally:
            connection.close()

    # when two overlapping bookings race
    threads = [threading.Thread(target=book, args=(h,)) for h in (8, 10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then one is stored and the other is told which shift collides
    assert sorted(r == "ok" for r in results) == [False, True]
    assert "already has a shift then" in next(r for r in results if r != "ok")
    assert Shift.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_overlapping_visits_exactly_one_succeeds() -> None:
    from scheduling.models import Visit
    from scheduling.services.visits import visit_schedule
    from tests.factories import ClientFactory

    # given a nurse and a client of her team
    team, (nurse,) = nursing_team(1)
    client_record = ClientFactory(team=team)
    day = dt.date(2026, 6, 1)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def book(minute: int) -> None:
        try:
            barrier.wait()
            visit_schedule(
                client=client_record,
                nurse=nurse,
                starts_at=local_datetime(day, dt.time(9, minute)),
                planned_minutes=30,
                actor=nurse,
            )
            results.append("ok")
        except ValidationError as exc:
            results.append(str(exc))
        finally:
            connection.close()

    # when two overlapping visits are planned at the same moment
    threads = [threading.Thread(target=book, args=(m,)) for m in (0, 10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly one is stored and the other names the colliding visit
    assert sorted(r == "ok" for r in results) == [False, True]
    assert "already has a visit then" in next(r for r in results if r != "ok")
    assert Visit.objects.count() == 1
