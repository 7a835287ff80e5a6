"""Planning, logging, series and billing read-only rules for visits."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from clients.models import RATING_OUT_OF_RANGE, ClientStatus, OutcomeRating
from scheduling.models import Visit, VisitService, VisitStatus
from scheduling.services import visits as services
from scheduling.services.rota import format_date, leave_create, local_datetime
from scheduling.services.visits import (
    CLIENT_DISCHARGED,
    DEVIATION_NEEDS_REASON,
    VISIT_BILLED,
    VISIT_NOT_YOURS,
    VISIT_OVERLAP,
)
from tests.factories import CoverArrangementFactory, LeaveFactory, VisitFactory
from tests.scheduling.conftest import DAY

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return local_datetime(day, dt.time(hour, minute))


def plan(world, **kwargs) -> Visit:
    args = {
        "client": world.client_record,
        "nurse": world.nurse,
        "starts_at": at(9),
        "planned_minutes": 30,
        "actor": world.nurse,
        "planned_interventions": [world.intervention],
        "service": world.service,
    }
    return services.visit_schedule(**{**args, **kwargs})


# --- planning ---------------------------------------------------------------------------------


def test_planned_visit_stores_its_end_and_care_plan(world) -> None:
    visit = plan(world)
    assert visit.ends_at - visit.starts_at == dt.timedelta(minutes=30)
    assert list(visit.planned_interventions.all()) == [world.intervention]
    assert visit.team == world.team


def test_visit_on_a_discharged_client_is_refused(world) -> None:
    client = world.client_record
    client.status, client.discharged_on = ClientStatus.DISCHARGED, DAY - dt.timedelta(days=1)
    client.save()
    with pytest.raises(
        ValidationError,
        match=re.escape(
            CLIENT_DISCHARGED.format(client=client, date=format_date(client.discharged_on))
        ),
    ) as exc:
        plan(world)
    assert exc.value.message_dict["client"] == [
        CLIENT_DISCHARGED.format(client=client, date=format_date(client.discharged_on))
    ]
    assert not Visit.objects.exists()


def test_nurse_of_another_team_only_when_her_team_covers_that_day(world) -> None:
    with pytest.raises(ValidationError, match="is not a nurse of Team A or of a team covering it"):
        plan(world, nurse=world.other_nurse)
    CoverArrangementFactory(covering_team=world.other_team, covered_team=world.team, valid_from=DAY)
    assert plan(world, nurse=world.other_nurse).nurse == world.other_nurse
    with pytest.raises(ValidationError, match="is not a nurse of"):
        plan(world, nurse=world.other_nurse, starts_at=at(9, day=DAY - dt.timedelta(days=1)))


def test_overlapping_visit_is_refused_and_names_the_existing_one(world) -> None:
    plan(world)
    with pytest.raises(
        ValidationError,
        match=re.escape(VISIT_OVERLAP.format(nurse=world.nurse, other="Jan Jansen").split(":")[0]),
    ) as exc:
        plan(world, starts_at=at(9, 15))
    message = exc.value.message_dict["starts_at"][0]
    assert message.startswith(f"{world.nurse} already has a visit then: Jan Jansen")
    assert "09:00-09:30" in message
    assert Visit.objects.count() == 1


def test_back_to_back_and_unassigned_visits_do_not_collide(world) -> None:
    plan(world)
    plan(world, starts_at=at(9, 30))
    plan(world, nurse=None)
    plan(world, nurse=None)
    assert Visit.objects.count() == 4


def test_leave_blocks_visits(world) -> None:
    LeaveFactory(nurse=world.nurse)  # 1-8 June
    with pytest.raises(ValidationError, match="is on leave then"):
        plan(world)
    assert not Visit.objects.exists()


def test_planned_visits_block_leave(world) -> None:
    plan(world)
    with pytest.raises(ValidationError, match="has planned visits during this leave: Jan Jansen"):
        leave_create(nurse=world.nurse, starts_at=at(0), ends_at=at(23))


def test_nurse_cannot_plan_for_another_teams_client(world) -> None:
    with pytest.raises(ValidationError, match="clients of your own team"):
        plan(world, actor=world.other_nurse, nurse=None)


def test_database_refuses_overlapping_visits_written_directly(world) -> None:
    VisitFactory(client=world.client_record, nurse=world.nurse)
    with pytest.raises(IntegrityError, match="visit_no_overlap"), transaction.atomic():
        VisitFactory(client=world.client_record, nurse=world.nurse, at=dt.time(9, 10))


# --- logging ----------------------------------------------------------------------------------


def test_one_tap_logs_the_visit_as_planned(world) -> None:
    visit = plan(world)
    logged = services.visit_log(visit=visit, actor=world.nurse)
    assert logged.status == VisitStatus.DONE
    assert logged.logged_minutes == 30
    assert logged.deviation_reason == ""
    assert list(logged.done_interventions.all()) == [world.intervention]
    assert [(s.service, s.minutes) for s in logged.services.all()] == [(world.service, 30)]


def test_a_different_time_needs_a_reason_and_nothing_is_saved_without_it(world) -> None:
    visit = plan(world)
    with pytest.raises(
        ValidationError, match=re.escape(DEVIATION_NEEDS_REASON.format(planned=30))
    ) as exc:
        services.visit_log(visit=visit, actor=world.nurse, minutes=45)
    assert exc.value.message_dict["deviation_reason"] == [DEVIATION_NEEDS_REASON.format(planned=30)]
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
    assert not VisitService.objects.exists()
    logged = services.visit_log(
        visit=visit,
        actor=world.nurse,
        minutes=45,
        deviation_reason="Wound needed extra care",
        done_interventions=[world.intervention, world.other_intervention],
    )
    assert logged.logged_minutes == 45
    assert logged.services.get().minutes == 45
    assert set(logged.done_interventions.all()) == {world.intervention, world.other_intervention}


def test_logging_with_start_and_end_and_a_rating(world) -> None:
    visit = plan(world)
    services.visit_log(
        visit=visit,
        actor=world.nurse,
        started_at=at(9, 5),
        ended_at=at(9, 35),
        ratings=[{"client_problem": world.problem, "knowledge": 3, "behavior": 3, "status": 4}],
    )
    visit.refresh_from_db()
    assert (visit.logged_minutes, visit.started_at) == (30, at(9, 5))
    rating = OutcomeRating.objects.get()
    assert (rating.status, rating.rated_on, rating.rated_by) == (4, DAY, world.nurse)


def test_end_before_start_when_logging_is_refused(world) -> None:
    visit = plan(world)
    with pytest.raises(ValidationError, match="must be after the start"):
        services.visit_log(visit=visit, actor=world.nurse, started_at=at(10), ended_at=at(9))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_a_rule_left_to_the_database_gives_its_message_and_stores_nothing(world) -> None:
    # given a visit started at 9:02 (full_clean no longer asks the database about its checks)
    visit = plan(world)
    services.visit_start(visit=visit, actor=world.nurse, now=at(9, 2))
    # when she stops it with a time before that start (a clock behind)
    with pytest.raises(ValidationError, match="cannot end before it started") as exc:
        services.visit_log(visit=visit, actor=world.nurse, now=at(9), deviation_reason="Clock")
    # then the database's check refuses it, with the constraint's own message, as before
    assert exc.value.message_dict == {"__all__": ["A visit cannot end before it started."]}
    visit.refresh_from_db()
    assert (visit.status, visit.logged_minutes) == (VisitStatus.IN_PROGRESS, None)
    assert not VisitService.objects.exists()


def test_a_too_long_reason_is_refused_at_its_field(world) -> None:
    visit = plan(world)
    with pytest.raises(ValidationError, match="at most 300 characters") as exc:
        services.visit_log(visit=visit, actor=world.nurse, minutes=45, deviation_reason="x" * 301)
    assert list(exc.value.message_dict) == ["deviation_reason"]
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_logging_someone_elses_visit_is_refused(world) -> None:
    visit = plan(world)
    with pytest.raises(ValidationError, match=re.escape(str(VISIT_NOT_YOURS))):
        services.visit_log(visit=visit, actor=world.colleague)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_bad_rating_rolls_back_the_whole_log(world) -> None:
    visit = plan(world)
    with pytest.raises(ValidationError, match=re.escape(str(RATING_OUT_OF_RANGE))):
        services.visit_log(
            visit=visit,
            actor=world.nurse,
            ratings=[{"client_problem": world.problem, "knowledge": 9, "behavior": 3, "status": 4}],
        )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
    assert not VisitService.objects.exists()


def test_start_then_stop_counts_the_real_minutes(world) -> None:
    visit = plan(world)
    services.visit_start(visit=visit, actor=world.nurse, now=at(9, 2))
    with pytest.raises(ValidationError, match="give a short reason"):
        services.visit_log(visit=visit, actor=world.nurse, now=at(9, 50))
    logged = services.visit_log(
        visit=visit, actor=world.nurse, now=at(9, 50), deviation_reason="Client fell"
    )
    assert logged.logged_minutes == 48


def test_unplanned_visit_is_logged_directly(world) -> None:
    visit = services.visit_log_unplanned(
        client=world.client_record,
        actor=world.nurse,
        started_at=at(22),
        minutes=20,
        service=world.service,
    )
    assert (visit.status, visit.nurse, visit.logged_minutes) == (VisitStatus.DONE, world.nurse, 20)
    assert visit.services.get().minutes == 20


# --- billed visits ----------------------------------------------------------------------------


def test_billed_visit_refuses_edits_and_takes_a_correction(world) -> None:
    visit = services.visit_log(visit=plan(world), actor=world.nurse)
    Visit.objects.filter(pk=visit.pk).update(billed_at=timezone.now())
    visit.refresh_from_db()
    message = VISIT_BILLED.format(date=format_date(timezone.localtime(visit.billed_at).date()))
    with pytest.raises(ValidationError, match="billed on .* and is read-only"):
        services.visit_log(visit=visit, actor=world.nurse, minutes=40, deviation_reason="x")
    with pytest.raises(ValidationError, match=re.escape(message)) as exc:
        services.visit_update(
            visit=visit, actor=world.nurse, starts_at=at(10), planned_minutes=30, nurse=world.nurse
        )
    assert exc.value.messages == [message]
    visit.refresh_from_db()
    assert visit.logged_minutes == 30
    correction = services.visit_correct(
        visit=visit, actor=world.nurse, minutes=40, reason="Forgot wound care"
    )
    assert correction.corrects == visit
    assert correction.services.get().minutes == 40


def test_database_refuses_changing_a_billed_visit(world) -> None:
    visit = services.visit_log(visit=plan(world), actor=world.nurse)
    Visit.objects.filter(pk=visit.pk).update(billed_at=timezone.now())
    with pytest.raises(IntegrityError, match="visit_billed_read_only"), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(logged_minutes=99)
    with pytest.raises(IntegrityError, match="visit_billed_read_only"), transaction.atomic():
        VisitService.objects.filter(visit=visit).update(minutes=99)


# --- series -----------------------------------------------------------------------------------

MONDAY = dt.date(2026, 6, 1)


def make_series(world, **kwargs):
    args = {
        "client": world.client_record,
        "weekdays": 0b0010101,  # Mon/Wed/Fri
        "time_of_day": dt.time(18, 30),
        "planned_minutes": 20,
        "starts_on": MONDAY,
        "nurse": world.nurse,
        "actor": world.nurse,
        "today": MONDAY,
    }
    return services.series_create(**{**args, **kwargs})


def test_series_materialises_28_days_and_is_idempotent(world) -> None:
    series = make_series(world)
    assert series.visits.count() == 12  # 4 weeks of Mon/Wed/Fri
    assert services.series_materialise(series_id=series.pk, today=MONDAY) == 0
    assert services.series_materialise(series_id=series.pk, today=MONDAY) == 0
    assert series.visits.count() == 12
    first = series.visits.order_by("starts_at").first()
    assert first.starts_at == local_datetime(MONDAY, dt.time(18, 30))
    # a day later the horizon moves on by one day and takes in Monday 29 June
    assert services.series_materialise(series_id=series.pk, today=MONDAY + dt.timedelta(days=1))
    assert series.visits.count() == 13
    assert series.visits.filter(occurrence_date=MONDAY + dt.timedelta(days=28)).exists()


def test_series_until_date_and_daily(world) -> None:
    series = make_series(world, weekdays=0b1111111, until=MONDAY + dt.timedelta(days=4))
    assert series.visits.count() == 5


def test_occurrence_the_nurse_cannot_take_is_created_unassigned(world) -> None:
    LeaveFactory(
        nurse=world.nurse,
        starts_at=local_datetime(MONDAY + dt.timedelta(days=2), dt.time()),
        ends_at=local_datetime(MONDAY + dt.timedelta(days=3), dt.time()),
    )
    series = make_series(world)
    wednesday = series.visits.get(occurrence_date=MONDAY + dt.timedelta(days=2))
    assert wednesday.nurse is None
    assert series.visits.filter(nurse=world.nurse).count() == 11


def test_edit_one_occurrence_keeps_the_rest(world) -> None:
    series = make_series(world)
    one = series.visits.order_by("starts_at")[1]
    services.visit_update(
        visit=one,
        actor=world.nurse,
        starts_at=one.starts_at + dt.timedelta(hours=1),
        planned_minutes=25,
        nurse=world.colleague,
    )
    assert services.series_materialise(series_id=series.pk, today=MONDAY) == 0
    times = {timezone.localtime(v.starts_at).time() for v in series.visits.all()}
    assert times == {dt.time(18, 30), dt.time(19, 30)}


def test_edit_this_and_following(world) -> None:
    series = make_series(world)
    from_day = MONDAY + dt.timedelta(days=14)
    new = services.series_update_following(
        series=series,
        from_date=from_day,
        actor=world.nurse,
        time_of_day=dt.time(17),
        planned_minutes=20,
        nurse=world.colleague,
        today=MONDAY,
    )
    series.refresh_from_db()
    assert series.until == from_day - dt.timedelta(days=1)
    assert series.visits.count() == 6
    assert new.visits.count() == 6
    assert {timezone.localtime(v.starts_at).time() for v in new.visits.all()} == {dt.time(17)}
    assert {v.nurse for v in new.visits.all()} == {world.colleague}


def test_series_for_a_discharged_client_is_refused(world) -> None:
    client = world.client_record
    client.status, client.discharged_on = ClientStatus.DISCHARGED, MONDAY - dt.timedelta(days=1)
    client.save()
    with pytest.raises(ValidationError, match="was discharged"):
        make_series(world)


def test_nightly_materialise_task_fills_every_series(world) -> None:
    series = make_series(world, starts_on=timezone.localdate(), today=None)
    series.visits.all().delete()
    from scheduling.tasks import series_materialise_all_task

    series_materialise_all_task.delay()
    assert series.visits.count() >= 11
