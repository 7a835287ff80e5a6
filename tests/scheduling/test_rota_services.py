"""The rota: shifts, leave, coverage rules, cover arrangements and the coverage check."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from scheduling.models import Shift, ShiftKind
from scheduling.services import rota
from scheduling.services.rota import (
    END_BEFORE_START,
    NOT_IN_TEAM,
    ON_LEAVE,
    SHIFT_OVERLAP,
    coverage_gaps,
    local_datetime,
    shift_create,
)
from tests.factories import (
    CoverArrangementFactory,
    LeaveFactory,
    ShiftFactory,
    TeamFactory,
    day_and_night_rules,
    nursing_team,
)

pytestmark = pytest.mark.django_db

LAST_SUNDAY_OCTOBER = dt.date(2026, 10, 25)  # clocks go back 03:00 -> 02:00
LAST_SUNDAY_MARCH = dt.date(2026, 3, 29)  # clocks go forward 02:00 -> 03:00
HOUR = dt.timedelta(hours=1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return local_datetime(day, dt.time(hour, minute))


# --- DST ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("night_of", "hours"),
    [
        (LAST_SUNDAY_OCTOBER - dt.timedelta(days=1), 9),
        (LAST_SUNDAY_MARCH - dt.timedelta(days=1), 7),
    ],
)
def test_night_shift_lasts_nine_hours_in_october_and_seven_in_march(night_of, hours) -> None:
    # given a nurse of a team
    team, (nurse,) = nursing_team(1)
    # when she takes the night shift that runs into the last Sunday of the month
    shift = shift_create(nurse=nurse, team=team, kind=ShiftKind.NIGHT, day=night_of)
    # then it runs from 23:00 to 07:00 local time, which is 9 hours in October, 7 in March
    assert shift.ends_at - shift.starts_at == dt.timedelta(hours=hours)
    assert shift.starts_at == at(night_of, 23)
    assert shift.ends_at == at(night_of + dt.timedelta(days=1), 7)


@pytest.mark.parametrize(
    ("night_of", "hours"),
    [
        (LAST_SUNDAY_OCTOBER - dt.timedelta(days=1), 9),
        (LAST_SUNDAY_MARCH - dt.timedelta(days=1), 7),
    ],
)
def test_coverage_across_dst_night(night_of, hours) -> None:
    # given a team that needs one nurse at night and nobody by day
    team, (nurse,) = nursing_team(1)
    day_and_night_rules(team, day=0, night=1)
    start, end = at(night_of, 12), at(night_of + dt.timedelta(days=1), 12)
    # when nobody is on duty, the whole night is one gap of the night's real length
    (gap,) = coverage_gaps(team=team, start=start, end=end)
    assert (gap.starts_at, gap.ends_at) == (
        at(night_of, 23),
        at(night_of + dt.timedelta(days=1), 7),
    )
    assert gap.ends_at - gap.starts_at == dt.timedelta(hours=hours)
    assert (gap.required, gap.on_duty) == (1, 0)
    # and the night shift covers it completely
    shift_create(nurse=nurse, team=team, kind=ShiftKind.NIGHT, day=night_of)
    assert coverage_gaps(team=team, start=start, end=end) == []


# --- coverage -------------------------------------------------------------------------------


def test_coverage_gaps_report_required_and_on_duty_per_interval() -> None:
    # given 2 nurses by day and 1 at night, with one early shift only
    team, (anna, bea) = nursing_team(2)
    day_and_night_rules(team)
    day = dt.date(2026, 6, 2)
    shift_create(nurse=anna, team=team, kind=ShiftKind.EARLY, day=day)
    # when checking that day from midnight to midnight
    gaps = coverage_gaps(team=team, start=at(day, 0), end=at(day + dt.timedelta(days=1), 0))
    # then each under-covered interval says how many are needed and how many are on duty
    assert [(g.starts_at, g.ends_at, g.required, g.on_duty) for g in gaps] == [
        (at(day, 0), at(day, 7), 1, 0),
        (at(day, 7), at(day, 15), 2, 1),
        (at(day, 15), at(day, 23), 2, 0),
        (at(day, 23), at(day + dt.timedelta(days=1), 0), 1, 0),
    ]


def test_full_rota_has_no_gaps_over_a_week() -> None:
    team, nurses = nursing_team(7)
    day_and_night_rules(team)
    monday = dt.date(2026, 6, 1)
    for i in range(7):
        day = monday + dt.timedelta(days=i)
        n = [nurses[(i + k) % 7] for k in range(5)]
        for nurse, kind in zip(
            n,
            [ShiftKind.EARLY, ShiftKind.EARLY, ShiftKind.LATE, ShiftKind.LATE, ShiftKind.NIGHT],
            strict=True,
        ):
            shift_create(nurse=nurse, team=team, kind=kind, day=day)
    # the night before Monday is not in the rota, so start at Monday 07:00
    gaps = coverage_gaps(team=team, start=at(monday, 7), end=at(monday + dt.timedelta(days=7), 7))
    assert gaps == []


def test_night_shift_of_covering_team_closes_the_gap_only_during_the_arrangement() -> None:
    # given a small team Y that needs one nurse at night, and team X with a night nurse
    covered, _ = nursing_team(1)
    day_and_night_rules(covered, day=0, night=1)
    covering, (night_nurse,) = nursing_team(1)
    day = dt.date(2026, 6, 3)
    shift_create(nurse=night_nurse, team=covering, kind=ShiftKind.NIGHT, day=day)
    window = {"start": at(day, 12), "end": at(day + dt.timedelta(days=1), 12)}
    # without an arrangement, team Y has a gap that night
    assert len(coverage_gaps(team=covered, **window)) == 1
    # with an arrangement from that day, X's night nurse covers Y too
    arrangement = CoverArrangementFactory(
        covering_team=covering, covered_team=covered, valid_from=day
    )
    assert coverage_gaps(team=covered, **window) == []
    # an arrangement that ended the day before no longer counts
    arrangement.valid_from, arrangement.valid_until = (
        day - dt.timedelta(days=9),
        day - dt.timedelta(days=1),
    )
    arrangement.save()
    assert len(coverage_gaps(team=covered, **window)) == 1


def test_covering_teams_day_shifts_do_not_count() -> None:
    covered, _ = nursing_team(1)
    day_and_night_rules(covered, day=1, night=0)
    covering, (nurse,) = nursing_team(1)
    CoverArrangementFactory(covering_team=covering, covered_team=covered)
    day = dt.date(2026, 6, 3)
    shift_create(nurse=nurse, team=covering, kind=ShiftKind.EARLY, day=day)
    gaps = coverage_gaps(team=covered, start=at(day, 7), end=at(day, 23))
    assert [(g.starts_at, g.ends_at) for g in gaps] == [(at(day, 7), at(day, 23))]


def test_coverage_end_before_start_is_refused() -> None:
    team = TeamFactory()
    with pytest.raises(ValidationError, match="must be after the start"):
        coverage_gaps(team=team, start=at(dt.date(2026, 6, 2), 0), end=at(dt.date(2026, 6, 1), 0))


# --- bad input --------------------------------------------------------------------------------


def test_shift_ending_before_it_starts_is_refused() -> None:
    team, (nurse,) = nursing_team(1)
    start = at(dt.date(2026, 6, 1), 15)
    with pytest.raises(ValidationError, match=re.escape(END_BEFORE_START.split("(")[0])) as exc:
        shift_create(
            nurse=nurse,
            team=team,
            kind=ShiftKind.FREE,
            starts_at=start,
            ends_at=start - HOUR,
        )
    assert "must be after the start" in str(exc.value)
    assert END_BEFORE_START.split("(")[0] in str(exc.value)
    assert not Shift.objects.exists()


def test_thirty_hour_shift_is_refused() -> None:
    team, (nurse,) = nursing_team(1)
    start = at(dt.date(2026, 6, 1), 7)
    with pytest.raises(ValidationError, match="at most 12 hours; this one lasts 30 hours"):
        shift_create(
            nurse=nurse,
            team=team,
            kind=ShiftKind.FREE,
            starts_at=start,
            ends_at=start + 30 * HOUR,
        )
    assert not Shift.objects.exists()


def test_overlapping_shift_is_refused_and_names_the_existing_one() -> None:
    team, (nurse,) = nursing_team(1)
    day = dt.date(2026, 6, 1)
    shift_create(nurse=nurse, team=team, kind=ShiftKind.EARLY, day=day)
    with pytest.raises(
        ValidationError,
        match=re.escape(SHIFT_OVERLAP.format(nurse=nurse, other="Early shift").split(":")[0]),
    ) as exc:
        shift_create(
            nurse=nurse,
            team=team,
            kind=ShiftKind.FREE,
            starts_at=at(day, 14),
            ends_at=at(day, 18),
        )
    message = exc.value.message_dict["starts_at"][0]
    assert message.startswith(f"{nurse} already has a shift then")
    assert "Early shift" in message
    assert "07:00-15:00" in message
    assert Shift.objects.count() == 1


def test_adjacent_shifts_do_not_collide() -> None:
    team, (nurse,) = nursing_team(1)
    day = dt.date(2026, 6, 1)
    shift_create(nurse=nurse, team=team, kind=ShiftKind.EARLY, day=day)
    shift_create(nurse=nurse, team=team, kind=ShiftKind.LATE, day=day)
    assert Shift.objects.count() == 2


def test_shift_for_a_team_she_is_not_in_is_refused() -> None:
    _team, (nurse,) = nursing_team(1)
    other = TeamFactory()
    with pytest.raises(ValidationError, match="is not a nurse of"):
        shift_create(nurse=nurse, team=other, kind=ShiftKind.EARLY, day=dt.date(2026, 6, 1))
    assert NOT_IN_TEAM


def test_leave_blocks_shifts_and_shifts_block_leave() -> None:
    team, (nurse, other) = nursing_team(2)
    LeaveFactory(nurse=nurse)  # 1-8 June
    with pytest.raises(ValidationError, match="is on leave then"):
        shift_create(nurse=nurse, team=team, kind=ShiftKind.EARLY, day=dt.date(2026, 6, 3))
    assert ON_LEAVE
    shift_create(nurse=other, team=team, kind=ShiftKind.EARLY, day=dt.date(2026, 6, 3))
    with pytest.raises(ValidationError, match="has shifts during this leave"):
        rota.leave_create(
            nurse=other,
            starts_at=at(dt.date(2026, 6, 3), 0),
            ends_at=at(dt.date(2026, 6, 4), 0),
        )


def test_overlapping_coverage_rules_are_refused() -> None:
    team, (nurse,) = nursing_team(1)
    rota.coverage_rule_set(team=team, starts_at=dt.time(23), ends_at=dt.time(7), min_nurses=1)
    with pytest.raises(ValidationError, match="overlaps the rule"):
        rota.coverage_rule_set(team=team, starts_at=dt.time(6), ends_at=dt.time(12), min_nurses=2)
    rota.coverage_rule_set(team=team, starts_at=dt.time(7), ends_at=dt.time(23), min_nurses=2)
    assert team.coverage_rules.count() == 2


# --- the database backstop -------------------------------------------------------------------


def test_database_refuses_overlapping_shifts_written_directly() -> None:
    shift = ShiftFactory()
    with pytest.raises(IntegrityError, match="shift_no_overlap"), transaction.atomic():
        Shift.objects.create(
            nurse=shift.nurse,
            team=shift.team,
            kind=ShiftKind.FREE,
            starts_at=shift.starts_at + HOUR,
            ends_at=shift.ends_at + HOUR,
        )


def test_database_refuses_a_thirty_hour_shift_written_directly() -> None:
    team, (nurse,) = nursing_team(1)
    start = at(dt.date(2026, 6, 1), 7)
    with pytest.raises(IntegrityError, match="shift_at_most_12_hours"), transaction.atomic():
        Shift.objects.create(
            nurse=nurse, team=team, kind=ShiftKind.FREE, starts_at=start, ends_at=start + 30 * HOUR
        )


POSTED_NOTICES: list[dict] = []


def _record_notice(**notice: object) -> None:
    POSTED_NOTICES.append(notice)


def test_nightly_check_posts_a_notice_when_gaps_exist(settings) -> None:
    # given the notices go to a recorder instead of coaching's spaces (TEAM_NOTICE_HOOKS)
    settings.TEAM_NOTICE_HOOKS = [f"{__name__}._record_notice"]
    POSTED_NOTICES.clear()
    team, _ = nursing_team(1)
    day_and_night_rules(team)
    nursing_team(1)  # a team without coverage rules has no gaps
    from scheduling.tasks import rota_check_all_teams_task

    # when
    rota_check_all_teams_task.delay()
    # then only the team with gaps is told, with subject, body and the thread key
    assert [p["team"] for p in POSTED_NOTICES] == [team]
    assert "gap" in str(POSTED_NOTICES[0]["subject"])
    assert "on duty" in str(POSTED_NOTICES[0]["body"])
    assert POSTED_NOTICES[0]["key"] == "rota-gaps"
