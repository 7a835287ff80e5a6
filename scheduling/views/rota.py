"""Pages of the scheduling app: the rota (week grid with gaps), My day and team planning."""

import datetime as dt
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from scheduling import services
from scheduling.forms import CoverageRuleForm, LeaveForm, ShiftForm
from scheduling.models import CoverageRule, ShiftKind
from scheduling.selectors import (
    rota_can_edit,
    rota_can_edit_visible,
    rota_team_choices,
    rota_team_get_visible,
    rota_team_with_nurses,
    shift_get_visible,
    team_cover_arrangements,
    team_coverage_rules,
    team_leave_get,
    team_week_shifts_and_leaves,
)
from scheduling.services.rota import format_day, format_moment, local_datetime, local_span
from scheduling.week import parse_week, split_by_day, week_bounds, week_days
from teams.http import AuthenticatedHttpRequest
from teams.models import Role, Team


def _done(request: AuthenticatedHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _rota_url(team: Team, day: dt.date | None = None) -> str:
    url = reverse("scheduling:rota") + f"?team={team.public_id}"
    return url + (f"&week={day.isoformat()}" if day else "")


def _team_from_request(request: AuthenticatedHttpRequest) -> Team:
    raw = request.GET.get("team") or request.POST.get("team")
    try:
        public_id = UUID(raw) if raw else None
    except ValueError as exc:
        raise Http404 from exc
    return rota_team_get_visible(user=request.user, public_id=public_id)


def _team_and_nurses(request: AuthenticatedHttpRequest) -> tuple[Team, list]:
    raw = request.GET.get("team") or request.POST.get("team")
    try:
        public_id = UUID(raw) if raw else None
    except ValueError as exc:
        raise Http404 from exc
    return rota_team_with_nurses(user=request.user, public_id=public_id)


def _editable_team(request: AuthenticatedHttpRequest) -> Team:
    team = _team_from_request(request)
    if not rota_can_edit(user=request.user, team=team):
        raise Http404
    return team


@require_GET
@role_required(Role.NURSE, Role.COACH)
def rota_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Week grid per nurse with the coverage gaps of the week highlighted.

    A constant number of queries: the team with its nurses, the rules, the arrangements, the
    shifts (the team's own and its night cover, read once for the grid and the coverage
    check) and the leaves.
    """
    team, nurses = _team_and_nurses(request)
    monday = parse_week(request.GET.get("week"))
    days = week_days(monday)
    start, end = week_bounds(monday)
    rules = list(team_coverage_rules(team=team))
    arrangements = list(team_cover_arrangements(team=team))
    covering_ids = {a.covering_team_id for a in arrangements if a.covered_team_id == team.pk}
    shifts, leaves = team_week_shifts_and_leaves(
        team=team,
        nurse_ids=[n.pk for n in nurses],
        covering_ids=covering_ids,
        start=start,
        end=end,
    )
    # Prepared here, not in the template: a reverse() and timezone filters per shift add up.
    marker = str(UUID(int=0))
    edit_url = reverse("scheduling:shift-edit", args=[marker])
    kinds = dict(ShiftKind.choices)
    cells: dict[tuple[int, dt.date], list] = {}
    for team_id, nurse_id, starts_at, ends_at, kind, public_id in shifts:
        if team_id != team.pk:
            continue  # night cover by another team: counted for gaps, not in our grid
        local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
        cells.setdefault((nurse_id, local_start.date()), []).append(
            {
                "url": edit_url.replace(marker, str(public_id)),
                "text": f"{kinds[kind]} {local_start:%H:%M}–{local_end:%H:%M}",
            }
        )
    leave_days: set[tuple[int, dt.date]] = set()
    for nurse_id, leave_start, leave_end in leaves:
        for day, _s, _e in split_by_day(max(leave_start, start), min(leave_end, end)):
            leave_days.add((nurse_id, day))
    gaps = services.coverage_gaps(
        team=team, start=start, end=end, rules=rules, arrangements=arrangements, shifts=shifts
    )
    gap_days: dict[dt.date, list] = {day: [] for day in days}
    for gap in gaps:
        for day, s, e in split_by_day(gap.starts_at, gap.ends_at):
            if day in gap_days:
                gap_days[day].append({"starts_at": s, "ends_at": e, "gap": gap})
    labels = [format_day(day) for day in days]
    rows = [
        {
            "nurse": nurse,
            "cells": [
                {
                    "label": label,
                    "shifts": cells.get((nurse.pk, day), []),
                    "leave": (nurse.pk, day) in leave_days,
                }
                for day, label in zip(days, labels, strict=True)
            ],
        }
        for nurse in nurses
    ]
    return render(
        request,
        "scheduling/rota_week.html",
        {
            "team": team,
            "teams": rota_team_choices(user=request.user, team=team),
            "monday": monday,
            "days": days,
            "prev_week": monday - dt.timedelta(days=7),
            "next_week": monday + dt.timedelta(days=7),
            "rows": rows,
            "gap_days": [(day, gap_days[day]) for day in days],
            "gaps": gaps,
            "rules": rules,
            "arrangements": arrangements,
            "can_edit": rota_can_edit_visible(user=request.user, team=team),
            "rule_form": CoverageRuleForm(),
        },
    )


def _shift_times(data: dict) -> dict:
    """Form fields (date + local times) to the service's arguments."""
    out = {"nurse": data["nurse"], "kind": data["kind"], "day": data["day"], "note": data["note"]}
    if data.get("start_time") is not None:
        out["starts_at"], out["ends_at"] = local_span(
            data["day"], data["start_time"], data["end_time"]
        )
        if data["start_time"] == data["end_time"]:  # a full day: let the service say too long
            out["ends_at"] = out["starts_at"] + dt.timedelta(days=1)
    return out


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def shift_form_page(
    request: AuthenticatedHttpRequest, public_id: UUID | None = None
) -> HttpResponse:
    shift = shift_get_visible(user=request.user, public_id=public_id) if public_id else None
    team = shift.team if shift else _editable_team(request)
    if not rota_can_edit(user=request.user, team=team):
        raise Http404
    initial: dict = {"day": request.GET.get("day") or timezone.localdate()}
    if shift:
        local_start = timezone.localtime(shift.starts_at)
        initial = {
            "nurse": shift.nurse,
            "kind": shift.kind,
            "day": local_start.date(),
            "start_time": local_start.time(),
            "end_time": timezone.localtime(shift.ends_at).time(),
            "note": shift.note,
        }
    form = ShiftForm(request.POST or None, team=team, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            args = _shift_times(form.cleaned_data)
            if shift:
                saved = services.shift_update(shift=shift, **args)
            else:
                saved = services.shift_create(team=team, **args)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Shift saved: %(shift)s.") % {"shift": services.describe_shift(saved)}
            )
            day = timezone.localtime(saved.starts_at).date()
            return _done(request, _rota_url(team, day))
    return render(
        request, "scheduling/shift_form.html", {"form": form, "team": team, "shift": shift}
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def shift_delete_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """GET asks "are you sure?" (a removed shift is gone and may open a gap), POST removes;
    works without JavaScript."""
    shift = shift_get_visible(user=request.user, public_id=public_id)
    if not rota_can_edit(user=request.user, team=shift.team):
        raise Http404
    if request.method == "GET":
        context = {
            "question": _("Remove this shift of %(nurse)s?") % {"nurse": shift.nurse},
            "detail": services.describe_shift(shift),
            "consequence": _(
                "The shift is deleted from the rota and may leave a gap. This cannot be undone; "
                "to keep it, add the shift again."
            ),
            "submit": _("Remove shift"),
            "back": reverse("scheduling:shift-edit", args=[shift.public_id]),
            "back_label": _("Edit shift"),
        }
        return render(request, "scheduling/confirm.html", context)
    services.shift_delete(shift=shift)
    messages.success(request, _("Shift removed."))
    return _done(request, _rota_url(shift.team, timezone.localtime(shift.starts_at).date()))


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def leave_form_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    team = _editable_team(request)
    form = LeaveForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leave = services.leave_create(
                nurse=data["nurse"],
                starts_at=local_datetime(data["first_day"], dt.time()),
                ends_at=local_datetime(data["last_day"] + dt.timedelta(days=1), dt.time()),
                reason=data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Leave saved for %(nurse)s.") % {"nurse": leave.nurse})
            return _done(request, _rota_url(team, data["first_day"]))
    return render(request, "scheduling/leave_form.html", {"form": form, "team": team})


@require_POST
@role_required(Role.NURSE)
def leave_delete_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    team = _editable_team(request)
    leave = team_leave_get(team=team, public_id=public_id)
    services.leave_delete(leave=leave)
    messages.success(request, _("Leave removed."))
    return _done(request, _rota_url(team))


@require_POST
@role_required(Role.NURSE)
def coverage_rule_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    team = _editable_team(request)
    if "remove" in request.POST:
        rule = get_object_or_404(CoverageRule, team=team, public_id=request.POST["remove"])
        services.coverage_rule_delete(rule=rule)
        messages.success(request, _("Coverage rule removed."))
        return _done(request, _rota_url(team))
    form = CoverageRuleForm(request.POST)
    if form.is_valid():
        try:
            services.coverage_rule_set(team=team, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Coverage rule added."))
            return _done(request, _rota_url(team))
    messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return _done(request, _rota_url(team))


@require_GET
@role_required(Role.NURSE, Role.COACH)
def coverage_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every gap in the team's rota for the next 28 days (what the nightly check warns about)."""
    team = _team_from_request(request)
    start_day = timezone.localdate()
    days = 28
    start = local_datetime(start_day, dt.time())
    end = local_datetime(start_day + dt.timedelta(days=days), dt.time())
    gaps = services.coverage_gaps(team=team, start=start, end=end)
    rota_url = reverse("scheduling:rota") + f"?team={team.public_id}&week="
    rows = [
        {
            "url": rota_url + timezone.localtime(g.starts_at).date().isoformat(),
            "from": format_moment(g.starts_at),
            "until": format_moment(g.ends_at),
            "on_duty": g.on_duty,
            "required": g.required,
        }
        for g in gaps
    ]
    return render(
        request,
        "scheduling/rota_coverage.html",
        {
            "team": team,
            "gaps": rows,
            "start_day": start_day,
            "days": days,
            "teams": rota_team_choices(user=request.user, team=team),
        },
    )
