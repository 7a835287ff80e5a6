"""Rota writes (shifts, leave, coverage rules, cover arrangements) and the 24/7 coverage check.

Double-booking: each write that books a nurse locks her user row first, then looks for a
colliding booking and names it. On PostgreSQL an exclusion constraint is the backstop, so a
path that skips this (or a lost race) still cannot store an overlap.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import dateformat, formats, timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext

from scheduling.models import (
    MAX_SHIFT_HOURS,
    SHIFT_PATTERNS,
    CoverageRule,
    CoverArrangement,
    CoverStatus,
    Leave,
    Shift,
    ShiftKind,
    Visit,
    VisitSeries,
    VisitStatus,
)
from teams.models import Membership, Role, Team, User

END_BEFORE_START = _("The end ({end}) must be after the start ({start}).")
SHIFT_TOO_LONG = _("A shift can last at most {limit} hours; this one lasts {hours:g} hours.")
SHIFT_OVERLAP = _("{nurse} already has a shift then: {other}.")
NOT_IN_TEAM = _("{nurse} is not a nurse of {team} on {date}.")
ON_LEAVE = _("{nurse} is on leave then ({leave}).")
LEAVE_HAS_SHIFTS = _("{nurse} has shifts during this leave: {shifts}. Move them first.")
LEAVE_HAS_VISITS = _("{nurse} has planned visits during this leave: {visits}. Reassign them first.")
RULE_OVERLAP = _("This part of the day overlaps the rule {other}.")
COVER_SELF = _("A team cannot cover itself.")
COVER_OVERLAP = _("{covering} already covers {covered} in that period.")
COVER_NOT_PROPOSER = _("Only a nurse of {team} can offer its night shifts as cover.")
COVER_NOT_COVERED_TEAM = _("Only a nurse of {team}, the team being covered, can accept this cover.")
COVER_ALREADY_ACCEPTED = _("This cover arrangement was already accepted.")
COVER_NOT_A_PARTY = _("Only a nurse of {covering} or {covered} can remove this cover arrangement.")
PATTERN_NEEDS_TIMES = _("Give a start and end time for a shift with free times.")

LOCAL_TZ_NAME = "Europe/Amsterdam"

# A shift as the coverage sweep reads it: (team_id, nurse_id, starts_at, ends_at, kind, public_id).
ShiftRow = tuple[int, int, dt.datetime, dt.datetime, str, UUID]


def local_tz() -> dt.tzinfo:
    return timezone.get_default_timezone()


def local_datetime(day: dt.date, time: dt.time) -> dt.datetime:
    """Wall-clock time in Europe/Amsterdam as an aware UTC datetime.

    Converted to UTC on purpose: Python compares and subtracts two datetimes sharing one
    tzinfo by wall-clock time, which is an hour off across a DST change.
    """
    return dt.datetime.combine(day, time, tzinfo=local_tz()).astimezone(dt.UTC)


def local_span(day: dt.date, start: dt.time, end: dt.time) -> tuple[dt.datetime, dt.datetime]:
    """The aware interval from `start` on `day` to `end`, which is the next day if not later.

    Each end is computed from its own wall-clock date, so the span is 1 hour longer on the night
    the clocks go back and 1 hour shorter on the night they go forward.
    """
    end_day = day if end > start else day + dt.timedelta(days=1)
    return local_datetime(day, start), local_datetime(end_day, end)


def utc(moment: dt.datetime) -> dt.datetime:
    """Normalise an aware datetime to UTC before any arithmetic (see `local_datetime`)."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(dt.UTC)


def shift_pattern_times(*, day: dt.date, kind: str) -> tuple[dt.datetime, dt.datetime]:
    if kind not in SHIFT_PATTERNS:
        raise ValidationError({"kind": [PATTERN_NEEDS_TIMES]})
    start, end = SHIFT_PATTERNS[kind]
    return local_span(day, start, end)


def _fmt(moment: dt.datetime) -> str:
    """Weekday, day, month and time in the active language: "Wed 02 Dec 14:30" in English,
    "wo 2 dec 14:30" in Dutch (the format itself is translated: a Dutch month is lower case)."""
    return dateformat.format(timezone.localtime(moment), pgettext("rota moment", "D d M H:i"))


def format_moment(moment: dt.datetime) -> str:
    """A moment as the rota and the notices show it, in the active language (see `_fmt`)."""
    return _fmt(moment)


def format_date(day: dt.date) -> str:
    """A date in a message, in the active language's DATE_FORMAT ("1 Jun 2026", "1 juni 2026")."""
    return formats.date_format(day)


def format_day(day: dt.date) -> str:
    """A day as the week grids head their columns: "Wed 02 Dec", in Dutch "wo 2 dec"."""
    return dateformat.format(day, pgettext("rota day", "D d M"))


def _lock_nurse(nurse: User) -> User:
    """Serialise every booking of one nurse: the next writer waits and then sees this one."""
    return User.objects.select_for_update().get(pk=nurse.pk)


def is_member_on(*, nurse: User, team: Team, day: dt.date) -> bool:
    return Membership.objects.active(on=day).filter(nurse=nurse, team=team).exists()


def leave_during(*, nurse: User, start: dt.datetime, end: dt.datetime) -> Leave | None:
    return Leave.objects.filter(nurse=nurse, starts_at__lt=end, ends_at__gt=start).first()


def check_interval(*, start: dt.datetime, end: dt.datetime, field: str = "ends_at") -> None:
    if end <= start:
        raise ValidationError({field: [END_BEFORE_START.format(start=_fmt(start), end=_fmt(end))]})


# --- shifts -------------------------------------------------------------------------------


def _shift_overlap(
    *, nurse: User, start: dt.datetime, end: dt.datetime, exclude_pk: int | None
) -> Shift | None:
    shifts = Shift.objects.filter(nurse=nurse, starts_at__lt=end, ends_at__gt=start)
    if exclude_pk:
        shifts = shifts.exclude(pk=exclude_pk)
    return shifts.select_related("team").first()


def describe_shift(shift: Shift) -> str:
    return _("{kind} shift for {team} {start}-{end}").format(
        kind=shift.get_kind_display(),
        team=shift.team,
        start=_fmt(shift.starts_at),
        end=f"{timezone.localtime(shift.ends_at):%H:%M}",
    )


def _check_shift(shift: Shift) -> None:
    check_interval(start=shift.starts_at, end=shift.ends_at)
    hours = (shift.ends_at - shift.starts_at).total_seconds() / 3600
    if hours > MAX_SHIFT_HOURS:
        raise ValidationError(
            {"ends_at": [SHIFT_TOO_LONG.format(limit=MAX_SHIFT_HOURS, hours=round(hours, 2))]}
        )
    day = timezone.localtime(shift.starts_at).date()
    if shift.nurse.role != Role.NURSE or not is_member_on(
        nurse=shift.nurse, team=shift.team, day=day
    ):
        raise ValidationError(
            {
                "nurse": [
                    NOT_IN_TEAM.format(nurse=shift.nurse, team=shift.team, date=format_date(day))
                ]
            }
        )
    leave = leave_during(nurse=shift.nurse, start=shift.starts_at, end=shift.ends_at)
    if leave:
        raise ValidationError(
            {"nurse": [ON_LEAVE.format(nurse=shift.nurse, leave=_leave_text(leave))]}
        )
    other = _shift_overlap(
        nurse=shift.nurse, start=shift.starts_at, end=shift.ends_at, exclude_pk=shift.pk
    )
    if other:
        raise ValidationError(
            {"starts_at": [SHIFT_OVERLAP.format(nurse=shift.nurse, other=describe_shift(other))]},
            code="overlap",
        )


def _save_booking(obj: Any, *, constraint: str, on_overlap: Any) -> None:
    """Save, turning the PostgreSQL exclusion constraint (a lost race) into a clear message."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        if constraint in str(exc):
            on_overlap()
        raise


def _raise_shift_overlap_after_race(shift: Shift) -> None:
    other = _shift_overlap(
        nurse=shift.nurse, start=shift.starts_at, end=shift.ends_at, exclude_pk=shift.pk
    )
    text = describe_shift(other) if other else _("another shift")
    raise ValidationError(
        {"starts_at": [SHIFT_OVERLAP.format(nurse=shift.nurse, other=text)]}, code="overlap"
    )


def _resolve_times(
    *, kind: str, day: dt.date | None, starts_at: dt.datetime | None, ends_at: dt.datetime | None
) -> tuple[dt.datetime, dt.datetime]:
    if starts_at is None or ends_at is None:
        if day is None or kind not in SHIFT_PATTERNS:
            raise ValidationError({"starts_at": [PATTERN_NEEDS_TIMES]})
        return shift_pattern_times(day=day, kind=kind)
    return utc(starts_at), utc(ends_at)


@transaction.atomic
def shift_create(
    *,
    nurse: User,
    team: Team,
    kind: str,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    day: dt.date | None = None,
    note: str = "",
) -> Shift:
    """Book a shift. Without times, a pattern kind (early/late/night) on `day` sets them."""
    starts_at, ends_at = _resolve_times(kind=kind, day=day, starts_at=starts_at, ends_at=ends_at)
    _lock_nurse(nurse)
    shift = Shift(
        nurse=nurse, team=team, kind=kind, starts_at=starts_at, ends_at=ends_at, note=note
    )
    _check_shift(shift)
    shift.full_clean()
    _save_booking(
        shift,
        constraint="shift_no_overlap",
        on_overlap=lambda: _raise_shift_overlap_after_race(shift),
    )
    return shift


@transaction.atomic
def shift_update(
    *,
    shift: Shift,
    nurse: User,
    kind: str,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    day: dt.date | None = None,
    note: str = "",
) -> Shift:
    starts_at, ends_at = _resolve_times(kind=kind, day=day, starts_at=starts_at, ends_at=ends_at)
    _lock_nurse(nurse)
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    shift.nurse, shift.kind, shift.starts_at, shift.ends_at, shift.note = (
        nurse,
        kind,
        starts_at,
        ends_at,
        note,
    )
    _check_shift(shift)
    shift.full_clean()
    _save_booking(
        shift,
        constraint="shift_no_overlap",
        on_overlap=lambda: _raise_shift_overlap_after_race(shift),
    )
    return shift


@transaction.atomic
def shift_delete(*, shift: Shift) -> None:
    Shift.objects.filter(pk=shift.pk).delete()


# --- leave ----------------------------------------------------------------------------------


def _leave_text(leave: Leave) -> str:
    return _("{start} to {end}").format(start=_fmt(leave.starts_at), end=_fmt(leave.ends_at))


@transaction.atomic
def leave_create(
    *, nurse: User, starts_at: dt.datetime, ends_at: dt.datetime, reason: str = ""
) -> Leave:
    """Record leave. Refused while shifts or planned visits fall in it: move those first."""
    starts_at, ends_at = utc(starts_at), utc(ends_at)
    check_interval(start=starts_at, end=ends_at)
    _lock_nurse(nurse)
    shifts = list(
        Shift.objects.filter(nurse=nurse, starts_at__lt=ends_at, ends_at__gt=starts_at)[:3]
    )
    if shifts:
        raise ValidationError(
            {
                "starts_at": [
                    LEAVE_HAS_SHIFTS.format(
                        nurse=nurse, shifts="; ".join(describe_shift(s) for s in shifts)
                    )
                ]
            }
        )
    _check_leave_visits(nurse=nurse, start=starts_at, end=ends_at)
    leave = Leave(nurse=nurse, starts_at=starts_at, ends_at=ends_at, reason=reason)
    leave.full_clean()
    leave.save()
    return leave


def _check_leave_visits(*, nurse: User, start: dt.datetime, end: dt.datetime) -> None:
    """Planned visits block leave too: reassign them first."""
    visits = list(
        Visit.objects.filter(
            nurse=nurse,
            status__in=[VisitStatus.PLANNED, VisitStatus.IN_PROGRESS],
            starts_at__lt=end,
            ends_at__gt=start,
        ).select_related("client")[:3]
    )
    if visits:
        text = "; ".join(f"{v.client} {_fmt(v.starts_at)}" for v in visits)
        raise ValidationError({"starts_at": [LEAVE_HAS_VISITS.format(nurse=nurse, visits=text)]})


@transaction.atomic
def leave_delete(*, leave: Leave) -> None:
    Leave.objects.filter(pk=leave.pk).delete()


# --- coverage rules and cover arrangements ----------------------------------------------------


def _minutes_of_day(rule_start: dt.time, rule_end: dt.time) -> list[tuple[int, int]]:
    """A daily part as minute ranges within 0..1440 (a wrapping part becomes two)."""
    s = rule_start.hour * 60 + rule_start.minute
    e = rule_end.hour * 60 + rule_end.minute
    return [(s, e)] if e > s else [(s, 1440), (0, e)]


@transaction.atomic
def coverage_rule_set(
    *, team: Team, starts_at: dt.time, ends_at: dt.time, min_nurses: int
) -> CoverageRule:
    """Add a part-of-day rule. Parts of one team's day may not overlap (the team row is locked)."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    new_parts = _minutes_of_day(starts_at, ends_at)
    for other in team.coverage_rules.all():
        for a, b in _minutes_of_day(other.starts_at, other.ends_at):
            if any(a < y and x < b for x, y in new_parts):
                raise ValidationError({"starts_at": [RULE_OVERLAP.format(other=other)]})
    rule = CoverageRule(team=team, starts_at=starts_at, ends_at=ends_at, min_nurses=min_nurses)
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def coverage_rule_delete(*, rule: CoverageRule) -> None:
    CoverageRule.objects.filter(pk=rule.pk).delete()


def _is_current_member(*, nurse: User, team_id: int) -> bool:
    return (
        nurse.role == Role.NURSE
        and Membership.objects.active().filter(nurse=nurse, team_id=team_id).exists()
    )


@transaction.atomic
def cover_arrangement_create(
    *,
    covering_team: Team,
    covered_team: Team,
    valid_from: dt.date,
    actor: User,
    valid_until: dt.date | None = None,
) -> CoverArrangement:
    """Propose that `covering_team`'s night shifts also cover `covered_team`.

    Only a nurse of the covering team proposes, and the arrangement counts for nothing until
    the covered team accepts it (`cover_arrangement_accept`): otherwise any team could hide
    another's night gaps. The covered team's row is locked, so two overlapping proposals for
    the same pair cannot both pass the check; the exclusion constraint is the backstop.
    """
    if covering_team.pk == covered_team.pk:
        raise ValidationError({"covered_team": [COVER_SELF]})
    if not _is_current_member(nurse=actor, team_id=covering_team.pk):
        raise ValidationError(COVER_NOT_PROPOSER.format(team=covering_team), code="not_proposer")
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError(
            {
                "valid_until": [
                    END_BEFORE_START.format(
                        start=format_date(valid_from), end=format_date(valid_until)
                    )
                ]
            }
        )
    Team.objects.select_for_update().filter(pk=covered_team.pk).first()
    clash = CoverArrangement.objects.filter(
        covering_team=covering_team, covered_team=covered_team
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    if valid_until is not None:
        clash = clash.filter(valid_from__lte=valid_until)
    if clash.exists():
        raise ValidationError(
            {"covered_team": [COVER_OVERLAP.format(covering=covering_team, covered=covered_team)]}
        )
    arrangement = CoverArrangement(
        covering_team=covering_team,
        covered_team=covered_team,
        valid_from=valid_from,
        valid_until=valid_until,
        status=CoverStatus.PROPOSED,
    )
    arrangement.full_clean()
    arrangement.save()
    return arrangement


@transaction.atomic
def cover_arrangement_accept(*, arrangement: CoverArrangement, actor: User) -> CoverArrangement:
    """The covered team agrees: from now on the arrangement counts for its coverage, its
    nightly notice and what the covering nurses may read. The row is locked, so a removal
    racing this either happens first (404 for the caller) or sees it accepted."""
    arrangement = (
        CoverArrangement.objects.select_for_update()
        .select_related("covered_team")
        .get(pk=arrangement.pk)
    )
    if not _is_current_member(nurse=actor, team_id=arrangement.covered_team_id):
        raise ValidationError(
            COVER_NOT_COVERED_TEAM.format(team=arrangement.covered_team), code="not_covered_team"
        )
    if arrangement.status == CoverStatus.ACCEPTED:
        raise ValidationError(COVER_ALREADY_ACCEPTED, code="already_accepted")
    arrangement.status = CoverStatus.ACCEPTED
    arrangement.accepted_by = actor
    arrangement.accepted_at = timezone.now()
    arrangement.full_clean()
    arrangement.save(update_fields=["status", "accepted_by", "accepted_at", "updated_at"])
    return arrangement


@transaction.atomic
def cover_arrangement_remove(*, arrangement: CoverArrangement, actor: User) -> None:
    """Either team ends the arrangement (a proposal is declined the same way).

    The covering team's nurses lose the covered team's future visits with it: those still
    planned are unassigned (they stay planned for the covered team), as they could no longer
    read them.
    """
    arrangement = (
        CoverArrangement.objects.select_for_update()
        .select_related("covering_team", "covered_team")
        .get(pk=arrangement.pk)
    )
    if not (
        _is_current_member(nurse=actor, team_id=arrangement.covering_team_id)
        or _is_current_member(nurse=actor, team_id=arrangement.covered_team_id)
    ):
        raise ValidationError(
            COVER_NOT_A_PARTY.format(
                covering=arrangement.covering_team, covered=arrangement.covered_team
            ),
            code="not_a_party",
        )
    covering_nurses = Membership.objects.active().filter(team_id=arrangement.covering_team_id)
    _unassign_future_visits(
        Visit.objects.filter(
            team_id=arrangement.covered_team_id, nurse__in=covering_nurses.values("nurse")
        )
    )
    arrangement.delete()


def _unassign_future_visits(visits: QuerySet[Visit]) -> int:
    """Planned visits from now on lose their nurse; they stay planned for their team, so its
    planning page shows them as open. The rows are locked by the UPDATE itself."""
    return visits.filter(
        status=VisitStatus.PLANNED, corrects__isnull=True, starts_at__gte=timezone.now()
    ).update(nurse=None, updated_at=timezone.now())


def membership_ended_unassign_visits(*, membership: Membership) -> None:
    """`settings.MEMBERSHIP_ENDED_HOOKS`: a nurse who leaves her team gives up her future
    visits (her old team's, and those of teams it covered). Runs inside
    `teams.services.membership_end`, which holds her user row lock (the lock every booking of
    her takes), so no visit can be assigned to her between this and the commit."""
    _unassign_future_visits(Visit.objects.filter(nurse_id=membership.nurse_id))
    VisitSeries.objects.filter(nurse_id=membership.nurse_id, team_id=membership.team_id).update(
        nurse=None, updated_at=timezone.now()
    )


# --- coverage ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageGap:
    """An interval in which fewer nurses are on duty than the team's rule requires."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    required: int
    on_duty: int

    @property
    def missing(self) -> int:
        return self.required - self.on_duty


def _requirements(
    rules: list[CoverageRule], start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime, int]]:
    """Each rule's daily part as aware intervals, clipped to [start, end)."""
    tz = local_tz()
    first = start.astimezone(tz).date() - dt.timedelta(days=1)
    last = end.astimezone(tz).date()
    out = []
    day = first
    while day <= last:
        for rule in rules:
            s, e = local_span(day, rule.starts_at, rule.ends_at)
            s, e = max(s, start), min(e, end)
            if s < e and rule.min_nurses:
                out.append((s, e, rule.min_nurses))
        day += dt.timedelta(days=1)
    return out


def _cover_windows(
    arrangements: list[CoverArrangement], start: dt.datetime, end: dt.datetime
) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """Per covering team: the aware periods in which its night shifts count for the team."""
    windows: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for arr in arrangements:
        s = local_datetime(arr.valid_from, dt.time())
        e = (
            local_datetime(arr.valid_until + dt.timedelta(days=1), dt.time())
            if arr.valid_until
            else end
        )
        s, e = max(s, start), min(e, end)
        if s < e:
            windows.setdefault(arr.covering_team_id, []).append((s, e))
    return windows


def duty_shift_rows(
    *, team: Team, start: dt.datetime, end: dt.datetime, covering_ids: Iterable[int]
) -> "QuerySet[Shift, ShiftRow]":
    """Rows (team_id, nurse_id, starts_at, ends_at, kind, public_id) of every shift that can
    count for `team` in [start, end): its own, and the night shifts of the teams covering it.

    No ordering: Shift's default order joins the nurse, which the sweep does not need.
    """
    return (
        Shift.objects.filter(starts_at__lt=end, ends_at__gt=start)
        .filter(Q(team=team) | Q(team_id__in=list(covering_ids), kind=ShiftKind.NIGHT))
        .order_by()
        .values_list("team_id", "nurse_id", "starts_at", "ends_at", "kind", "public_id")
    )


def team_cover_arrangements_for(
    *, team: Team, start: dt.datetime, end: dt.datetime
) -> list[CoverArrangement]:
    """Arrangements under which other teams cover `team` at some time in [start, end)."""
    return list(
        CoverArrangement.objects.accepted()
        .filter(covered_team=team, valid_from__lte=end.date())
        .filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=(start - dt.timedelta(days=1)).date())
        )
        .order_by()
    )


def duty_intervals(
    *,
    team: Team,
    start: dt.datetime,
    end: dt.datetime,
    arrangements: Iterable[CoverArrangement] | None = None,
    shifts: Iterable[tuple] | None = None,
) -> list[tuple[dt.datetime, dt.datetime, int]]:
    """(start, end, nurse_id) of everyone on duty for `team` within [start, end).

    Counts the team's own shifts and the night shifts of teams covering it by arrangement,
    clipped to the arrangement's period. Two queries whatever the range, none when the caller
    passes `arrangements` (those covering the team; others are ignored) and `shifts` (rows as
    `duty_shift_rows` gives them, a superset is fine).
    """
    if arrangements is None:
        arrangements = team_cover_arrangements_for(team=team, start=start, end=end)
    # Only accepted arrangements count, whoever passes them in (a page lists proposals too).
    arrangements = [a for a in arrangements if a.covered_team_id == team.pk and a.is_accepted]
    windows = _cover_windows(arrangements, start, end)
    rows: Iterable[tuple] = (
        duty_shift_rows(team=team, start=start, end=end, covering_ids=windows)
        if shifts is None
        else shifts
    )
    out = []
    for team_id, nurse_id, s, e, kind, *_rest in rows:
        if team_id == team.pk:
            s, e = max(s, start), min(e, end)
            if s < e:
                out.append((s, e, nurse_id))
            continue
        if kind != ShiftKind.NIGHT:
            continue
        for ws, we in windows.get(team_id, []):
            cs, ce = max(s, ws), min(e, we)
            if cs < ce:
                out.append((cs, ce, nurse_id))
    return out


def coverage_gaps(
    *,
    team: Team,
    start: dt.datetime,
    end: dt.datetime,
    rules: Iterable[CoverageRule] | None = None,
    arrangements: Iterable[CoverArrangement] | None = None,
    shifts: Iterable[tuple] | None = None,
) -> list[CoverageGap]:
    """Every interval in [start, end) where fewer nurses are on duty than the rules require.

    A sweep over the boundaries of rule parts and shifts; adjacent pieces with the same
    (required, on duty) are merged. All datetimes are aware; parts of the day are in local
    time, so the check is right across daylight-saving changes. Three queries whatever the
    range (rules, arrangements, shifts); a page that has already read some of them passes
    them in (see `duty_intervals`).
    """
    start, end = utc(start), utc(end)
    check_interval(start=start, end=end, field="end")
    if rules is None:
        rules = team.coverage_rules.order_by()
    needs = _requirements(list(rules), start, end)
    if not needs:
        return []
    duties = duty_intervals(
        team=team, start=start, end=end, arrangements=arrangements, shifts=shifts
    )
    events: dict[dt.datetime, list[int]] = {}
    for s, e, count in needs:
        events.setdefault(s, [0, 0])[0] += count
        events.setdefault(e, [0, 0])[0] -= count
    for s, e, _nurse_id in duties:
        events.setdefault(s, [0, 0])[1] += 1
        events.setdefault(e, [0, 0])[1] -= 1
    gaps: list[CoverageGap] = []
    required = on_duty = 0
    points = sorted(events)
    for here, nxt in zip(points, points[1:], strict=False):
        required += events[here][0]
        on_duty += events[here][1]
        if on_duty >= required:
            continue
        last = gaps[-1] if gaps else None
        if last and last.ends_at == here and (last.required, last.on_duty) == (required, on_duty):
            gaps[-1] = CoverageGap(last.starts_at, nxt, required, on_duty)
        else:
            gaps.append(CoverageGap(here, nxt, required, on_duty))
    return gaps


def coverage_gaps_for_teams(
    *, team_ids: list[int], start: dt.datetime, end: dt.datetime
) -> dict[int, list[CoverageGap]]:
    """`coverage_gaps` for many teams in three queries whatever their number (coaching's
    dashboards and daily summary check every team): rules, arrangements and shifts are read
    once for all teams and passed to `coverage_gaps`, which then queries nothing."""
    start, end = utc(start), utc(end)
    check_interval(start=start, end=end, field="end")
    rules: dict[int, list[CoverageRule]] = {tid: [] for tid in team_ids}
    for rule in CoverageRule.objects.filter(team_id__in=team_ids).order_by():
        rules[rule.team_id].append(rule)
    arrangements = list(
        CoverArrangement.objects.accepted()
        .filter(covered_team_id__in=team_ids, valid_from__lte=end.date())
        .filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=(start - dt.timedelta(days=1)).date())
        )
        .order_by()
    )
    covering = {a.covering_team_id for a in arrangements}
    shifts: dict[int, list[tuple]] = {}
    for row in (
        Shift.objects.filter(starts_at__lt=end, ends_at__gt=start)
        .filter(Q(team_id__in=team_ids) | Q(team_id__in=covering, kind=ShiftKind.NIGHT))
        .order_by()
        .values_list("team_id", "nurse_id", "starts_at", "ends_at", "kind", "public_id")
    ):
        shifts.setdefault(row[0], []).append(row)
    out = {}
    for tid in team_ids:
        mine = [a for a in arrangements if a.covered_team_id == tid]
        rows = list(shifts.get(tid, []))
        for cid in {a.covering_team_id for a in mine}:
            rows.extend(shifts.get(cid, []))
        out[tid] = coverage_gaps(
            team=Team(pk=tid),
            start=start,
            end=end,
            rules=rules[tid],
            arrangements=mine,
            shifts=rows,
        )
    return out


def team_shifts(*, team: Team, start: dt.datetime, end: dt.datetime) -> QuerySet[Shift]:
    return (
        Shift.objects.filter(team=team, starts_at__lt=end, ends_at__gt=start)
        .select_related("nurse")
        .order_by("starts_at")
    )


# One thread per team, found by its key (coaching's `system_key`): each night adds a post.
GAP_NOTICE_SUBJECT = _("Rota gaps")
GAP_NOTICE_KEY = "rota-gaps"
GAP_NOTICE_LINE = _("- {start} to {end}: {on_duty} of {required} nurses on duty")


def rota_notify_gaps(*, team_id: int, days: int = 14) -> list[CoverageGap]:
    """Check the next `days` days and post a notice to the team's space when gaps exist.

    Idempotent enough for a nightly job: a second run on the same night posts the same notice
    text again only if the coaching app accepts it (it owns de-duplication of notices).
    """
    team = Team.objects.get(pk=team_id)
    start = local_datetime(timezone.localdate(), dt.time())
    end = local_datetime(timezone.localdate() + dt.timedelta(days=days), dt.time())
    gaps = coverage_gaps(team=team, start=start, end=end)
    if not gaps:
        return gaps
    # A nightly task has no request and so no reader's language: the notice is written in the
    # organisation's language (teams have no language of their own), whatever the worker has.
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(GAP_NOTICE_SUBJECT)
        body = gap_notice_text(gaps, days=days)
    # The notice goes wherever settings.TEAM_NOTICE_HOOKS say (coaching: the team's space);
    # scheduling imports no app above it.
    if not settings.TEAM_NOTICE_HOOKS:
        logging.getLogger(__name__).warning("Rota gaps for %s (nowhere to post): %s", team, body)
    for path in settings.TEAM_NOTICE_HOOKS:
        import_string(path)(team=team, subject=subject, body=body, key=GAP_NOTICE_KEY)
    return gaps


def gap_notice_text(gaps: list[CoverageGap], *, days: int) -> str:
    """The notice's text in the active language: a count, then a line per gap (at most 50)."""
    intro = ngettext(
        "{count} gap in the next {days} days; this period is not fully covered:",
        "{count} gaps in the next {days} days; these periods are not fully covered:",
        len(gaps),
    ).format(count=len(gaps), days=days)
    lines = [
        GAP_NOTICE_LINE.format(
            start=_fmt(g.starts_at), end=_fmt(g.ends_at), on_duty=g.on_duty, required=g.required
        )
        for g in gaps[:50]
    ]
    if len(gaps) > 50:
        lines.append(
            ngettext(
                "... and {count} more; see the rota page.",
                "... and {count} more; see the rota page.",
                len(gaps) - 50,
            ).format(count=len(gaps) - 50)
        )
    return "\n".join([intro, *lines])
