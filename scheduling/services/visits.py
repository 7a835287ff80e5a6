"""Planning and logging visits, recurring series, and the calendar feed token.

Rules, each with its message here and a database backstop where one is possible:
- a nurse is never double-booked (nurse row lock + overlap check; PostgreSQL exclusion),
- visits go only to nurses of the client's team, or of a team covering it that day,
- not on a discharged client, not during the nurse's leave,
- a billed visit is read-only (check here; PostgreSQL trigger); a change is a correction row.

Every public write that a person makes writes one access row (who changed which client's
visit) in its own transaction, so a refused change leaves none. Internal steps (`_visit_schedule`,
`_visit_log`, `_series_create`) do not log: the public service that calls them writes the one
row, and the nightly series materialiser is the system, not a person reading a record.
"""

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtzorg.audit.models import Action
from buurtzorg.audit.services import access_log_write
from clients.models import Client, ClientProblem, ClientStatus, Intervention
from clients.services import outcome_rating_append
from scheduling.models import (
    CalendarToken,
    CareService,
    CoverArrangement,
    NotDoneReason,
    Visit,
    VisitLogKey,
    VisitSeries,
    VisitService,
    VisitStatus,
)
from scheduling.selectors import nurse_visit_q
from scheduling.services.rota import (
    END_BEFORE_START,
    ON_LEAVE,
    _fmt,
    _leave_text,
    _lock_nurse,
    format_date,
    is_member_on,
    leave_during,
    local_datetime,
    utc,
)
from teams.models import Role, Team, User

CLIENT_DISCHARGED = _("{client} was discharged on {date}; no visits can be planned after that.")
NURSE_NOT_ELIGIBLE = _(
    "{nurse} is not a nurse of {team} or of a team covering it on {date}; choose another nurse."
)
VISIT_OVERLAP = _("{nurse} already has a visit then: {other}.")
VISIT_BILLED = _(
    "This visit was billed on {date} and is read-only. Record a correction instead; billing "
    "will pick it up in the next run."
)
VISIT_NOT_OPEN = _("This visit is {status}; only a planned visit can be changed.")
VISIT_NOT_YOURS = _("You can only log your own visits.")
DEVIATION_NEEDS_REASON = _("The time differs from the plan ({planned} min): give a short reason.")
MINUTES_NEEDED = _("Give the minutes spent (or a start and end time).")
INTERVENTION_NOT_IN_PLAN = _("An intervention is not in this client's care plan.")
NOT_ON_TEAM = _("You can only plan visits for clients of your own team.")
WEEKDAYS_NEEDED = _("Choose at least one weekday.")
SERIES_UNTIL_BEFORE_START = _("The end date ({until}) cannot be before the first day ({start}).")
CORRECTION_ONLY_BILLED = _("Only a billed visit needs a correction; change this visit itself.")
CORRECTION_NEEDS_REASON = _("Say why the billed visit is corrected.")
DONE_BEFORE_START = _(
    "This visit starts at {start}; it cannot be logged as done before it has started."
)
NOT_DONE_BEFORE_START = _(
    "This visit starts at {start}; it can be recorded as not done once its time has come."
)
NOT_DONE_NEEDS_REASON = _("Choose why the visit was not done.")
NOT_DONE_OTHER_NEEDS_WORDS = _("Say in a few words why the visit was not done.")
LOGGED_IN_FUTURE = _("{when} is in the future; a visit is logged once it has happened.")
# Offline logs (issue 18): the phone's clock may run a little ahead of the server's.
OFFLINE_CLOCK_SLACK = dt.timedelta(minutes=5)
ACTED_IN_FUTURE = _("The time of this log lies in the future; check the phone's clock.")
KEY_USED_ELSEWHERE = _("This offline log's key was already used for another visit.")

MATERIALISE_HORIZON_DAYS = 28


# --- helpers ----------------------------------------------------------------------------------


def describe_visit(visit: Visit) -> str:
    return f"{visit.client} {_fmt(visit.starts_at)}-{timezone.localtime(visit.ends_at):%H:%M}"


def _check_not_billed(visit: Visit) -> None:
    if visit.billed_at is not None:
        raise ValidationError(
            VISIT_BILLED.format(date=format_date(timezone.localtime(visit.billed_at).date())),
            code="billed",
        )


def _check_client_open(client: Client, day: dt.date) -> None:
    if client.status == ClientStatus.DISCHARGED or (
        client.discharged_on is not None and client.discharged_on < day
    ):
        raise ValidationError(
            {
                "client": [
                    CLIENT_DISCHARGED.format(
                        client=client,
                        date=format_date(client.discharged_on) if client.discharged_on else "-",
                    )
                ]
            },
            code="discharged",
        )


def covering_team_ids(*, team: Team, day: dt.date) -> list[int]:
    """Teams covering `team` on `day` by an accepted arrangement (a proposal counts nowhere)."""
    return list(
        CoverArrangement.objects.in_force(on=day)
        .filter(covered_team=team)
        .values_list("covering_team_id", flat=True)
    )


def nurse_may_visit(*, nurse: User, team: Team, day: dt.date) -> bool:
    """A nurse of the client's team, or of a team covering it by arrangement on that day."""
    if nurse.role != Role.NURSE:
        return False
    if is_member_on(nurse=nurse, team=team, day=day):
        return True
    for covering_id in covering_team_ids(team=team, day=day):
        if is_member_on(nurse=nurse, team=Team(pk=covering_id), day=day):
            return True
    return False


def _visit_overlap(
    *, nurse: User, start: dt.datetime, end: dt.datetime, exclude_pk: int | None
) -> Visit | None:
    visits = Visit.objects.filter(
        nurse=nurse, corrects__isnull=True, starts_at__lt=end, ends_at__gt=start
    ).exclude(status=VisitStatus.CANCELLED)
    if exclude_pk:
        visits = visits.exclude(pk=exclude_pk)
    return visits.select_related("client").first()


def _check_booking(visit: Visit) -> None:
    """Everything about who and when; the caller holds the nurse's lock."""
    day = timezone.localtime(visit.starts_at).date()
    _check_client_open(visit.client, day)
    if visit.nurse is None:
        return
    if not nurse_may_visit(nurse=visit.nurse, team=visit.team, day=day):
        raise ValidationError(
            {
                "nurse": [
                    NURSE_NOT_ELIGIBLE.format(
                        nurse=visit.nurse, team=visit.team, date=format_date(day)
                    )
                ]
            }
        )
    leave = leave_during(nurse=visit.nurse, start=visit.starts_at, end=visit.ends_at)
    if leave:
        raise ValidationError(
            {"nurse": [ON_LEAVE.format(nurse=visit.nurse, leave=_leave_text(leave))]}
        )
    other = _visit_overlap(
        nurse=visit.nurse, start=visit.starts_at, end=visit.ends_at, exclude_pk=visit.pk
    )
    if other:
        raise ValidationError(
            {"starts_at": [VISIT_OVERLAP.format(nurse=visit.nurse, other=describe_visit(other))]},
            code="overlap",
        )


# What `full_clean` would check with a query each although the database holds the rule:
# every foreign key (an existence query) and every constraint (a query in a savepoint of its
# own, 3 statements apiece). A log or a "not done" changes a row read under lock, keeping its
# client, team and nurse, so those are the database's to enforce; a check it refuses becomes
# the constraint's own message in `_save_visit`.
_DB_CHECKED_ON_LOG = [
    "series",
    "occurrence_date",
    "client",
    "team",
    "nurse",
    "service",
    "logged_by",
    "corrects",
]


def _clean_logged_visit(visit: Visit) -> None:
    """Check the fields of a visit being logged (choices, lengths, required values) in
    Python, leaving its foreign keys and constraints to the database (`_save_visit`)."""
    visit.full_clean(exclude=_DB_CHECKED_ON_LOG, validate_unique=False, validate_constraints=False)


def _violated_check(exc: IntegrityError) -> models.CheckConstraint | None:
    """The visit's check constraint that the database refused in `exc`, if any."""
    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    for constraint in Visit._meta.constraints:
        if isinstance(constraint, models.CheckConstraint) and (
            constraint.name == name or (name is None and constraint.name in str(exc))
        ):
            return constraint
    return None


def _save_visit(visit: Visit) -> None:
    """Save; a lost race against the PostgreSQL exclusion constraint becomes a clear message,
    and so does a check constraint left to the database (`_clean_logged_visit`): the same
    message, as a non-field error, that `full_clean` would have given."""
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError as exc:
        violated = _violated_check(exc)
        if violated is not None:
            error = ValidationError(
                violated.get_violation_error_message(), code=violated.violation_error_code
            )
            raise ValidationError({NON_FIELD_ERRORS: [error]}) from exc
        if "visit_no_overlap" in str(exc):
            # (the constraint holds only visits with a nurse, so `nurse` is set here)
            other = (
                _visit_overlap(
                    nurse=visit.nurse, start=visit.starts_at, end=visit.ends_at, exclude_pk=visit.pk
                )
                if visit.nurse is not None
                else None
            )
            text = describe_visit(other) if other else _("another visit")
            raise ValidationError(
                {"starts_at": [VISIT_OVERLAP.format(nurse=visit.nurse, other=text)]},
                code="overlap",
            ) from exc
        if "visit_billed_read_only" in str(exc):
            raise ValidationError(VISIT_BILLED.format(date="-"), code="billed") from exc
        raise


def _interventions(client: Client, items: Iterable[Intervention]) -> list[Intervention]:
    items = list(items)
    if not items:
        return []
    ids = {i.pk for i in items}
    found = list(
        Intervention.objects.filter(pk__in=ids, client_problem__client=client, is_active=True)
    )
    if len(found) != len(ids):
        raise ValidationError({"planned_interventions": [INTERVENTION_NOT_IN_PLAN]})
    return found


def _log_change(actor: User, action: str, client: Client, detail: str, part: str = "visit") -> None:
    access_log_write(
        actor=actor, action=action, client_public_id=client.public_id, part=part, detail=detail
    )


def _check_actor_plans_for(actor: User, client: Client) -> None:
    if actor.role != Role.NURSE or not is_member_on(
        nurse=actor, team=client.team, day=timezone.localdate()
    ):
        raise ValidationError({"client": [NOT_ON_TEAM]})


# --- planning ---------------------------------------------------------------------------------


@transaction.atomic
def visit_schedule(
    *,
    client: Client,
    starts_at: dt.datetime,
    planned_minutes: int,
    actor: User,
    nurse: User | None = None,
    planned_interventions: Iterable[Intervention] = (),
    notes: str = "",
    service: CareService | None = None,
    check_actor: bool = True,
) -> Visit:
    """Plan one visit (unassigned when `nurse` is None). The nurse's row is locked first.

    `actor` plans for her own team's clients; `check_actor=False` (demo data) skips that
    check, and the access row still names her.
    """
    visit = _visit_schedule(
        client=client,
        starts_at=starts_at,
        planned_minutes=planned_minutes,
        planner=actor if check_actor else None,
        nurse=nurse,
        planned_interventions=planned_interventions,
        notes=notes,
        service=service,
    )
    _log_change(actor, Action.CREATE, visit.client, f"visit {visit.public_id}")
    return visit


def _visit_schedule(
    *,
    client: Client,
    starts_at: dt.datetime,
    planned_minutes: int,
    planner: User | None,
    nurse: User | None = None,
    planned_interventions: Iterable[Intervention] = (),
    notes: str = "",
    service: CareService | None = None,
    series: VisitSeries | None = None,
    occurrence_date: dt.date | None = None,
) -> Visit:
    """`visit_schedule` without the access row (the caller logs, or it is the system).

    `planner` is the nurse who plans it, who must be of the client's team; None when no
    person plans it now (the series materialiser: the series' creator was checked then).
    """
    if planner is not None:
        _check_actor_plans_for(planner, client)
    starts_at = utc(starts_at)
    if nurse is not None:
        _lock_nurse(nurse)
    client = Client.objects.select_for_update().get(pk=client.pk)
    visit = Visit(
        client=client,
        team=client.team,
        nurse=nurse,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=planned_minutes or 0),
        planned_minutes=planned_minutes,
        notes=notes,
        service=service,
        series=series,
        occurrence_date=occurrence_date,
    )
    visit.full_clean(exclude=["series", "occurrence_date"])
    _check_booking(visit)
    plan = _interventions(client, planned_interventions)
    _save_visit(visit)
    visit.planned_interventions.set(plan)
    return visit


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    actor: User,
    starts_at: dt.datetime,
    planned_minutes: int,
    nurse: User | None,
    notes: str = "",
    planned_interventions: Iterable[Intervention] | None = None,
    service: CareService | None = None,
) -> Visit:
    """Change one planned visit (one occurrence of a series stays tied to its date)."""
    visit = Visit.objects.select_for_update().select_related("client").get(pk=visit.pk)
    _check_not_billed(visit)
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(VISIT_NOT_OPEN.format(status=visit.get_status_display().lower()))
    _check_actor_plans_for(actor, visit.client)
    if nurse is not None:
        _lock_nurse(nurse)
    starts_at = utc(starts_at)
    visit.starts_at, visit.planned_minutes, visit.nurse, visit.notes = (
        starts_at,
        planned_minutes,
        nurse,
        notes,
    )
    visit.ends_at = starts_at + dt.timedelta(minutes=planned_minutes or 0)
    if service is not None:
        visit.service = service
    visit.full_clean(exclude=["series", "occurrence_date"])
    _check_booking(visit)
    plan = (
        _interventions(visit.client, planned_interventions)
        if planned_interventions is not None
        else None
    )
    _save_visit(visit)
    if plan is not None:
        visit.planned_interventions.set(plan)
    _log_change(actor, Action.UPDATE, visit.client, f"visit {visit.public_id}")
    return visit


@transaction.atomic
def visit_assign(*, visit: Visit, nurse: User | None, actor: User) -> Visit:
    """Reassign (or unassign) a planned visit: the planning page's form."""
    visit = Visit.objects.select_for_update().select_related("client").get(pk=visit.pk)
    _check_not_billed(visit)
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(VISIT_NOT_OPEN.format(status=visit.get_status_display().lower()))
    _check_actor_plans_for(actor, visit.client)
    if nurse is not None:
        _lock_nurse(nurse)
    visit.nurse = nurse
    _check_booking(visit)
    _save_visit(visit)
    _log_change(actor, Action.UPDATE, visit.client, f"visit {visit.public_id} assigned")
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit, actor: User) -> Visit:
    visit = Visit.objects.select_for_update().select_related("client").get(pk=visit.pk)
    _check_not_billed(visit)
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(VISIT_NOT_OPEN.format(status=visit.get_status_display().lower()))
    _check_actor_plans_for(actor, visit.client)
    visit.status = VisitStatus.CANCELLED
    _save_visit(visit)
    _log_change(actor, Action.UPDATE, visit.client, f"visit {visit.public_id} {visit.status}")
    return visit


# --- logging ("confirm, don't type") ------------------------------------------------------------


def _check_own(visit: Visit, actor: User) -> None:
    if visit.nurse_id != actor.pk:
        raise ValidationError(VISIT_NOT_YOURS, code="not_yours")


@transaction.atomic
def visit_start(*, visit: Visit, actor: User, now: dt.datetime | None = None) -> Visit:
    """One tap on arrival: the visit is in progress from now."""
    # (lock the visit only: the client row is read for the access row, not changed)
    visit = Visit.objects.select_for_update(of=("self",)).select_related("client").get(pk=visit.pk)
    _check_own(visit, actor)
    _check_not_billed(visit)
    if visit.status != VisitStatus.PLANNED:
        raise ValidationError(VISIT_NOT_OPEN.format(status=visit.get_status_display().lower()))
    visit.status = VisitStatus.IN_PROGRESS
    visit.started_at = utc(now or timezone.now())
    visit.save(update_fields=["status", "started_at", "updated_at"])
    _log_change(actor, Action.UPDATE, visit.client, f"visit {visit.public_id} {visit.status}")
    return visit


def _set_services(visit: Visit, minutes: int, service: CareService | None) -> None:
    visit.services.all().delete()
    if service is not None and minutes > 0:
        VisitService.objects.create(visit=visit, service=service, minutes=minutes)


def _add_ratings(visit: Visit, actor: User, ratings: Iterable[dict[str, Any]]) -> list[str]:
    """Append the ratings given with a visit's log; the codes of the problems rated.

    They write no access row of their own: the visit's log writes the request's one row
    and names the rated problems in it (`_log_detail`).
    """
    codes = []
    for rating in ratings:
        problem = rating["client_problem"]
        if isinstance(problem, ClientProblem) and problem.client_id != visit.client_id:
            raise ValidationError({"ratings": [INTERVENTION_NOT_IN_PLAN]})
        added = outcome_rating_append(
            client_problem=problem,
            actor=actor,
            rated_on=timezone.localtime(visit.starts_at).date(),
            moment=rating.get("moment", "interim"),
            knowledge=rating["knowledge"],
            behavior=rating["behavior"],
            status=rating["status"],
            note=rating.get("note", ""),
        )
        codes.append(added.client_problem.problem.code)
    return codes


def _log_detail(text: str, rated: list[str]) -> str:
    return f"{text}, rated problems {' '.join(rated)}" if rated else text


@transaction.atomic
def visit_log(
    *,
    visit: Visit,
    actor: User,
    minutes: int | None = None,
    started_at: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
    deviation_reason: str = "",
    done_interventions: Iterable[Intervention] | None = None,
    note: str = "",
    service: CareService | None = None,
    ratings: Iterable[dict[str, Any]] = (),
    now: dt.datetime | None = None,
    idempotency_key: UUID | None = None,
) -> Visit:
    """Record a visit as done. With no minutes and no times, it is done as planned.

    Only a difference from the plan needs a reason. Logged minutes are what billing counts:
    a `VisitService` row carries them for the visit's service. All or nothing.

    With `idempotency_key` (made on the phone for an offline log, `now` = when she did it) the
    log is applied once: the key's row is inserted first, and its unique constraint turns a
    repeat (or a concurrent twin, which waits for the first) into "already applied".
    """
    if idempotency_key is not None:
        if now is not None and now > timezone.now() + OFFLINE_CLOCK_SLACK:
            raise ValidationError({"acted_at": [ACTED_IN_FUTURE]})
        try:
            with transaction.atomic():
                VisitLogKey.objects.create(
                    key=idempotency_key, visit=visit, actor=actor, acted_at=now or timezone.now()
                )
        except IntegrityError:
            return _visit_log_repeated(visit=visit, actor=actor, key=idempotency_key)
    visit = _visit_log(
        visit=visit,
        actor=actor,
        minutes=minutes,
        started_at=started_at,
        ended_at=ended_at,
        deviation_reason=deviation_reason,
        done_interventions=done_interventions,
        note=note,
        service=service,
        now=now,
    )
    rated = _add_ratings(visit, actor, ratings)
    _log_change(
        actor,
        Action.UPDATE,
        visit.client,
        _log_detail(f"visit {visit.public_id}", rated),
        part="visit-log",
    )
    return visit


def done_tolerance() -> dt.timedelta:
    """How long before its planned start a visit may be logged (clocks differ, a nurse may
    arrive early): settings.VISIT_DONE_TOLERANCE_MINUTES, 15 by default."""
    return dt.timedelta(minutes=int(getattr(settings, "VISIT_DONE_TOLERANCE_MINUTES", 15)))


def _check_not_ahead(
    visit: Visit,
    *,
    now: dt.datetime,
    started_at: dt.datetime | None,
    ended_at: dt.datetime | None,
) -> None:
    """Refuse logging what has not happened: a visit not yet due (one tap on next week's
    visit), or given times in the future. Billing counts logged visits, so an early tap
    would declare care that was never given."""
    latest = now + done_tolerance()
    for field, moment in (("started_at", started_at), ("ended_at", ended_at)):
        if moment is not None and utc(moment) > latest:
            raise ValidationError({field: [str(LOGGED_IN_FUTURE).format(when=_fmt(moment))]})
    if started_at is None and visit.started_at is None and visit.starts_at > latest:
        raise ValidationError(str(DONE_BEFORE_START).format(start=_fmt(visit.starts_at)))


def _visit_log_repeated(*, visit: Visit, actor: User, key: UUID) -> Visit:
    """A key sent again: nothing changes; her read of the visit is logged as a view."""
    applied = VisitLogKey.objects.get(key=key)
    if applied.visit_id != visit.pk or applied.actor_id != actor.pk:
        raise ValidationError({"idempotency_key": [KEY_USED_ELSEWHERE]})
    visit = Visit.objects.select_related("client", "service").get(pk=visit.pk)
    _log_change(actor, Action.VIEW, visit.client, f"visit {visit.public_id}, repeated log")
    return visit


def _visit_log(
    *,
    visit: Visit,
    actor: User,
    minutes: int | None = None,
    started_at: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
    deviation_reason: str = "",
    done_interventions: Iterable[Intervention] | None = None,
    note: str = "",
    service: CareService | None = None,
    now: dt.datetime | None = None,
) -> Visit:
    """`visit_log` without the ratings and the access row."""
    visit = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("client", "service")
        .get(pk=visit.pk)
    )
    _check_own(visit, actor)
    _check_not_billed(visit)
    if visit.status == VisitStatus.CANCELLED:
        raise ValidationError(VISIT_NOT_OPEN.format(status=visit.get_status_display().lower()))
    now = utc(now or timezone.now())
    _check_not_ahead(visit, now=now, started_at=started_at, ended_at=ended_at)
    if started_at is not None and ended_at is not None:
        started_at, ended_at = utc(started_at), utc(ended_at)
        if ended_at <= started_at:
            raise ValidationError(
                {"ended_at": [END_BEFORE_START.format(start=_fmt(started_at), end=_fmt(ended_at))]}
            )
        minutes = round((ended_at - started_at).total_seconds() / 60)
    elif minutes is None and visit.status == VisitStatus.IN_PROGRESS and visit.started_at:
        started_at, ended_at = visit.started_at, now
        minutes = max(1, round((now - visit.started_at).total_seconds() / 60))
    if minutes is None:
        minutes = visit.planned_minutes
    if minutes < 1 or minutes > 24 * 60:
        raise ValidationError({"minutes": [MINUTES_NEEDED]})
    if minutes != visit.planned_minutes and not deviation_reason.strip():
        raise ValidationError(
            {"deviation_reason": [DEVIATION_NEEDS_REASON.format(planned=visit.planned_minutes)]}
        )
    started_at = started_at or visit.started_at or visit.starts_at
    visit.started_at = started_at
    visit.ended_at = ended_at or started_at + dt.timedelta(minutes=minutes)
    visit.logged_minutes = minutes
    visit.logged_at = now
    visit.logged_by = actor
    visit.log_note = note.strip()
    visit.deviation_reason = deviation_reason.strip() if minutes != visit.planned_minutes else ""
    visit.status = VisitStatus.DONE
    visit.not_done_reason = ""  # (she recorded it as not done, then could give the care after all)
    if service is not None:
        visit.service = service
    _clean_logged_visit(visit)
    done = (
        list(visit.planned_interventions.all())
        if done_interventions is None
        else _interventions(visit.client, done_interventions)
    )
    _save_visit(visit)
    visit.done_interventions.set(done)
    _set_services(visit, minutes, visit.service)
    return visit


@transaction.atomic
def visit_record_not_done(
    *,
    visit: Visit,
    actor: User,
    reason: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Visit:
    """She came, but gave no care: the client was not home, refused, is in hospital (or
    another reason, in her words). Not a cancel (that is the planner's, before the time) and
    not a log: no minutes, so billing never counts it (only DONE visits count), the pre-flight
    sees it handled, and the handover shows it as missed with the reason. Only her own
    planned or started visit, once its time has come; the visit row is locked, like a log.
    She may still log it as done afterwards (the client came home after all)."""
    visit = (
        Visit.objects.select_for_update(of=("self",))
        .select_related("client", "service")
        .get(pk=visit.pk)
    )
    _check_own(visit, actor)
    _check_not_billed(visit)
    if visit.status not in (VisitStatus.PLANNED, VisitStatus.IN_PROGRESS):
        raise ValidationError(VISIT_NOT_OPEN.format(status=visit.get_status_display().lower()))
    now = utc(now or timezone.now())
    if visit.started_at is None and visit.starts_at > now + done_tolerance():
        raise ValidationError(str(NOT_DONE_BEFORE_START).format(start=_fmt(visit.starts_at)))
    if reason not in NotDoneReason.values:
        raise ValidationError({"reason": [NOT_DONE_NEEDS_REASON]})
    note = note.strip()
    if reason == NotDoneReason.OTHER and not note:
        raise ValidationError({"note": [NOT_DONE_OTHER_NEEDS_WORDS]})
    visit.status = VisitStatus.NOT_DONE
    visit.not_done_reason = reason
    visit.log_note = note
    visit.logged_minutes = None
    visit.logged_at = now
    visit.logged_by = actor
    visit.deviation_reason = ""
    _clean_logged_visit(visit)
    _save_visit(visit)
    visit.done_interventions.clear()
    visit.services.all().delete()
    _log_change(
        actor,
        Action.UPDATE,
        visit.client,
        f"visit {visit.public_id} not done: {reason}",
        part="visit-not-done",
    )
    return visit


@transaction.atomic
def visit_log_unplanned(
    *,
    client: Client,
    actor: User,
    started_at: dt.datetime,
    minutes: int,
    service: CareService | None = None,
    done_interventions: Iterable[Intervention] = (),
    note: str = "",
    ratings: Iterable[dict[str, Any]] = (),
) -> Visit:
    """A visit that was not planned (a call-out): planned and logged in one step.

    Only what has happened: a start in the future (beyond the clock tolerance) is refused."""
    if utc(started_at) > timezone.now() + done_tolerance():
        raise ValidationError({"started_at": [str(LOGGED_IN_FUTURE).format(when=_fmt(started_at))]})
    visit = _visit_schedule(
        client=client,
        starts_at=started_at,
        planned_minutes=minutes,
        planner=actor,
        nurse=actor,
        service=service,
    )
    visit = _visit_log(
        visit=visit,
        actor=actor,
        minutes=minutes,
        done_interventions=list(done_interventions),
        note=note,
    )
    rated = _add_ratings(visit, actor, ratings)
    _log_change(
        actor,
        Action.CREATE,
        visit.client,
        _log_detail(f"unplanned visit {visit.public_id}", rated),
        part="visit-log",
    )
    return visit


def _correction_chain_locked(visit: Visit) -> tuple[Visit, Visit]:
    """The first visit of `visit`'s correction chain, locked, and the chain's latest row.

    Every correction of a chain is made under the lock of its first visit, and always
    corrects the latest row, so a chain stays a line: each row is corrected at most once.
    The latest row is found the way `visit_counts_q` (the one definition) reads a chain: the
    correction with the highest id, followed down; it is the row that counts now. Rows are
    only ever added and `corrects` never changes, so the walk up needs no lock.
    """
    first_id, above = visit.pk, visit.corrects_id
    while above is not None:
        first_id = above
        above = Visit.objects.filter(pk=above).values_list("corrects_id", flat=True).get()
    first = Visit.objects.select_for_update(of=("self",)).get(pk=first_id)
    latest_id = first.pk
    while (
        below := Visit.objects.filter(corrects_id=latest_id)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    ) is not None:
        latest_id = below
    latest = Visit.objects.select_related("client", "service").get(pk=latest_id)
    return first, latest


CORRECTION_NOT_YOURS = _(
    "Only a nurse of the visit's team, or back office for an administrative fix, can correct it."
)


def _check_may_correct(visit: Visit, actor: User) -> None:
    """A nurse of the team that reads the visit (she may not have made it: a colleague on
    leave, a wrong count found later), or back office for an administrative fix."""
    if actor.is_active and actor.role == Role.BACK_OFFICE:
        return
    if (
        actor.is_active
        and actor.role == Role.NURSE
        and Visit.objects.filter(nurse_visit_q(actor), pk=visit.pk).exists()
    ):
        return
    raise ValidationError(str(CORRECTION_NOT_YOURS), code="not_yours")


@transaction.atomic
def visit_correct(*, visit: Visit, actor: User, minutes: int, reason: str) -> Visit:
    """A billed visit is never edited: a correction row carries the new minutes.

    `visit` is any row of a billed visit's chain (the visit or one of its corrections): the
    new row corrects the chain's latest row, so the chain stays a line and exactly one of
    its rows counts (`Visit.objects.effective()`). Billing credits the month and bills it
    again from the effective visits in its next run.
    """
    first, latest = _correction_chain_locked(visit)
    _check_may_correct(latest, actor)
    if first.billed_at is None:
        raise ValidationError(CORRECTION_ONLY_BILLED)
    if not reason.strip():
        raise ValidationError({"deviation_reason": [CORRECTION_NEEDS_REASON]})
    if minutes < 0 or minutes > 24 * 60:
        raise ValidationError({"minutes": [MINUTES_NEEDED]})
    now = timezone.now()
    correction = Visit(
        client_id=latest.client_id,
        team_id=latest.team_id,
        nurse_id=latest.nurse_id,
        starts_at=latest.starts_at,
        ends_at=latest.ends_at,
        planned_minutes=latest.planned_minutes,
        status=VisitStatus.DONE,
        service=latest.service,
        started_at=latest.started_at,
        ended_at=latest.ended_at,
        logged_minutes=minutes,
        logged_at=now,
        logged_by=actor,
        deviation_reason=reason.strip(),
        corrects=latest,
    )
    correction.save()
    _set_services(correction, minutes, latest.service)
    _log_change(
        actor,
        Action.CREATE,
        latest.client,
        f"correction {correction.public_id} of visit {latest.public_id}",
    )
    return correction


# --- recurring series -------------------------------------------------------------------------


@transaction.atomic
def series_create(
    *,
    client: Client,
    weekdays: int,
    time_of_day: dt.time,
    planned_minutes: int,
    starts_on: dt.date,
    actor: User,
    until: dt.date | None = None,
    nurse: User | None = None,
    planned_interventions: Iterable[Intervention] = (),
    notes: str = "",
    service: CareService | None = None,
    today: dt.date | None = None,
) -> VisitSeries:
    """Create a recurring visit and materialise its next 28 days at once."""
    series = _series_create(
        client=client,
        weekdays=weekdays,
        time_of_day=time_of_day,
        planned_minutes=planned_minutes,
        starts_on=starts_on,
        actor=actor,
        until=until,
        nurse=nurse,
        planned_interventions=planned_interventions,
        notes=notes,
        service=service,
        today=today,
    )
    _log_change(
        actor, Action.CREATE, series.client, f"series {series.public_id}", part="visit-series"
    )
    return series


def _series_create(
    *,
    client: Client,
    weekdays: int,
    time_of_day: dt.time,
    planned_minutes: int,
    starts_on: dt.date,
    actor: User,
    until: dt.date | None = None,
    nurse: User | None = None,
    planned_interventions: Iterable[Intervention] = (),
    notes: str = "",
    service: CareService | None = None,
    today: dt.date | None = None,
) -> VisitSeries:
    """`series_create` without the access row."""
    _check_actor_plans_for(actor, client)
    if not weekdays:
        raise ValidationError({"weekdays": [WEEKDAYS_NEEDED]})
    if until is not None and until < starts_on:
        raise ValidationError(
            {
                "until": [
                    SERIES_UNTIL_BEFORE_START.format(
                        until=format_date(until), start=format_date(starts_on)
                    )
                ]
            }
        )
    _check_client_open(client, starts_on)
    if nurse is not None and not nurse_may_visit(nurse=nurse, team=client.team, day=starts_on):
        raise ValidationError(
            {
                "nurse": [
                    NURSE_NOT_ELIGIBLE.format(
                        nurse=nurse, team=client.team, date=format_date(starts_on)
                    )
                ]
            }
        )
    series = VisitSeries(
        client=client,
        team=client.team,
        nurse=nurse,
        weekdays=weekdays,
        time_of_day=time_of_day,
        planned_minutes=planned_minutes,
        starts_on=starts_on,
        until=until,
        notes=notes,
        service=service,
        created_by=actor,
    )
    series.full_clean()
    series.save()
    series.planned_interventions.set(_interventions(client, planned_interventions))
    series_materialise(series_id=series.pk, today=today)
    return series


def series_materialise(
    *, series_id: int, today: dt.date | None = None, horizon_days: int = MATERIALISE_HORIZON_DAYS
) -> int:
    """Make sure every occurrence in the next `horizon_days` exists. Idempotent.

    (series, occurrence date) is unique, so a second run (or two workers at once) adds
    nothing. An occurrence the nurse cannot take (leave, another visit) is created
    unassigned, so it stands out on the planning page instead of silently missing.
    """
    series = VisitSeries.objects.select_related("client", "nurse", "service").get(pk=series_id)
    today = today or timezone.localdate()
    first = max(series.starts_on, today)
    last = today + dt.timedelta(days=horizon_days - 1)
    if series.until is not None:
        last = min(last, series.until)
    existing = set(
        Visit.objects.filter(series=series, occurrence_date__range=(first, last)).values_list(
            "occurrence_date", flat=True
        )
    )
    plan = list(series.planned_interventions.all())
    created = 0
    day = first
    while day <= last:
        if series.occurs_on(day) and day not in existing:
            created += _materialise_one(series, day, plan)
        day += dt.timedelta(days=1)
    return created


def _materialise_one(series: VisitSeries, day: dt.date, plan: list[Intervention]) -> int:
    def schedule(nurse: User | None) -> None:
        with transaction.atomic():
            _visit_schedule(
                client=series.client,
                starts_at=local_datetime(day, series.time_of_day),
                planned_minutes=series.planned_minutes,
                planner=None,
                nurse=nurse,
                planned_interventions=plan,
                notes=series.notes,
                service=series.service,
                series=series,
                occurrence_date=day,
            )

    try:
        schedule(series.nurse)
        return 1
    except ValidationError as exc:
        if "client" in getattr(exc, "error_dict", {}):
            return 0  # discharged: nothing more to plan
        if series.nurse is None:
            return 0
    except IntegrityError:
        return 0  # another run made this occurrence first
    try:
        schedule(None)
        return 1
    except (ValidationError, IntegrityError):
        return 0


@transaction.atomic
def series_update_following(
    *,
    series: VisitSeries,
    from_date: dt.date,
    actor: User,
    time_of_day: dt.time,
    planned_minutes: int,
    nurse: User | None,
    weekdays: int | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
) -> VisitSeries:
    """Edit this and the following occurrences: the old series ends the day before
    `from_date`, its planned (not logged) occurrences from then on are removed, and a new
    series carries the change.
    """
    series = VisitSeries.objects.select_for_update().select_related("client").get(pk=series.pk)
    _check_actor_plans_for(actor, series.client)
    plan = list(series.planned_interventions.all())
    Visit.objects.filter(
        series=series, occurrence_date__gte=from_date, status=VisitStatus.PLANNED
    ).delete()
    new_until = until if until is not None else series.until
    client, notes, service = series.client, series.notes, series.service  # (before a delete)
    if from_date <= series.starts_on:
        series.delete()  # nothing left of the old series; logged visits keep their rows
    else:
        series.until = from_date - dt.timedelta(days=1)
        series.save(update_fields=["until", "updated_at"])
    new = _series_create(
        weekdays=weekdays if weekdays is not None else series.weekdays,
        time_of_day=time_of_day,
        planned_minutes=planned_minutes,
        starts_on=from_date,
        until=new_until,
        nurse=nurse,
        planned_interventions=plan,
        actor=actor,
        today=today,
        client=client,
        notes=notes,
        service=service,
    )
    _log_change(
        actor,
        Action.UPDATE,
        new.client,
        f"series {series.public_id} from {from_date.isoformat()}: now series {new.public_id}",
        part="visit-series",
    )
    return new


# --- calendar feed token ------------------------------------------------------------------------


@transaction.atomic
def calendar_token_rotate(*, user: User) -> CalendarToken:
    """Revoke the current feed URL (if any) and issue a new secret one."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return CalendarToken.objects.create(user=user, token=secrets.token_urlsafe(32))


@transaction.atomic
def calendar_token_revoke(*, user: User) -> None:
    CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


VISITS_AFTER_DISCHARGE = (
    "{client} has visits started or done after {date}; correct those visits or choose a later "
    "discharge date."
)


def client_discharged_cancel_visits(*, client: Client, discharged_on: dt.date) -> int:
    """`settings.CLIENT_DISCHARGED_HOOKS`: cancel the client's planned visits after the
    discharge day, before the discharge is saved (a trigger refuses a discharge that leaves
    booked visits after it). A visit started or done after that day is refused with a message:
    that is for a person to sort out, not for a cancel. Runs inside `client_discharge`, which
    holds the client's row lock (every booking for her takes it)."""
    after = Visit.objects.filter(
        client=client,
        corrects__isnull=True,
        starts_at__gte=local_datetime(discharged_on + dt.timedelta(days=1), dt.time()),
    ).exclude(status=VisitStatus.CANCELLED)
    if after.exclude(status=VisitStatus.PLANNED).exists():
        raise ValidationError(
            {"discharged_on": [VISITS_AFTER_DISCHARGE.format(client=client, date=discharged_on)]},
            code="visits_after_discharge",
        )
    return after.update(status=VisitStatus.CANCELLED, updated_at=timezone.now())
