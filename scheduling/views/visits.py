"""My day (the nurse's round), logging, team planning, visit and series forms, iCal feed."""

import datetime as dt
from html import escape as escape_html
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from buurtzorg.access import role_required
from buurtzorg.forms import add_service_errors
from clients.models import ClientStatus
from clients.selectors import client_list_visible
from scheduling import reads
from scheduling.forms import (
    AssignForm,
    SeriesForm,
    UnplannedVisitForm,
    VisitEditForm,
    VisitForm,
    VisitLogForm,
    VisitNotDoneForm,
)
from scheduling.medication.reads import visit_doses_part
from scheduling.models import CalendarToken, Visit, VisitStatus
from scheduling.selectors import (
    assignable_nurses,
    rota_can_edit,
    rota_team_choices,
    rota_team_get_visible,
    team_nurses,
    visit_get_own,
    visit_get_visible,
    visit_log_options,
)
from scheduling.services import visits as services
from scheduling.services.rota import format_day, local_datetime
from scheduling.week import parse_week, week_days
from teams.http import AuthenticatedHttpRequest
from teams.models import Role, Team, User
from teams.names import join_name_prefix

ASSIGN_CHOOSE_NURSE = _("Choose a nurse.")


def _done(request: AuthenticatedHttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _parse_day(raw: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _uuid_or_none(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


def _my_team(user: User) -> Team:
    return rota_team_get_visible(user=user)


def _planning_url(team: Team, day: dt.date | None = None) -> str:
    url = reverse("scheduling:planning") + f"?team={team.public_id}"
    return url + (f"&week={day.isoformat()}" if day else "")


# --- My day -----------------------------------------------------------------------------------

# Each card's links: (URL name, the card's object whose public id the URL takes).
CARD_LINKS = {
    "client": ("clients:client-detail", "client"),
    "start": ("scheduling:visit-start", "visit"),
    "done": ("scheduling:visit-done", "visit"),
    "offline": ("api-visit-offline", "visit"),
    "log": ("scheduling:visit-log", "visit"),
}
_CARD_ID = str(UUID(int=0))  # stands for a card's public id in its links


def _add_card_links(visits: list[Visit]) -> None:
    """`visit.links`: each card's links, from one `reverse` per kind for all cards (a
    `{% url %}` per link was about a fifth of My day's template time)."""
    patterns = {key: reverse(name, args=[_CARD_ID]) for key, (name, _) in CARD_LINKS.items()}
    for visit in visits:
        ids = {"visit": str(visit.public_id), "client": str(visit.client.public_id)}
        visit.links = {  # type: ignore[attr-defined]
            key: patterns[key].replace(_CARD_ID, ids[of]) for key, (_, of) in CARD_LINKS.items()
        }


@require_GET
@role_required(Role.NURSE)
def my_day_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The nurse's start page: today's visits in order, with what she needs at the door."""
    day = _parse_day(request.GET.get("day"))
    visits = reads.my_day_read(actor=request.user, day=day)
    _add_card_links(visits)
    return render(
        request,
        "scheduling/visit_my_day.html",
        {
            "visits": visits,
            "day": day,
            "is_today": day == timezone.localdate(),
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            **_done_counts(visits),
        },
    )


@require_GET
@role_required(Role.NURSE)
def day_clients_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Today's clients in a few lines each, kept on the phone for a round without a network."""
    day = timezone.localdate()
    visits = reads.day_clients_read(actor=request.user, day=day)
    return render(request, "scheduling/day_clients.html", {"visits": visits, "day": day})


def _done_counts(visits: list[Visit]) -> dict[str, int]:
    return {
        "done_count": sum(1 for v in visits if v.status == VisitStatus.DONE),
        "visit_total": len(visits),
    }


def _card(
    request: AuthenticatedHttpRequest, visit: Visit, error: str = "", minutes: int | None = None
) -> HttpResponse:
    """Re-read the one visit with what the card shows and render just the card.

    `visit` is the one the view already fetched through visit_get_own (its day does not
    change when it is started or logged). After a change the write service logged it; after
    a refusal showing the card again is a read, logged by `my_day_card_open`.
    """
    if error:
        card = reads.my_day_card_open(actor=request.user, visit=visit)
    else:
        card = reads.my_day_card(actor=request.user, visit=visit)
    _add_card_links([card.visit])
    html = render_to_string(
        "scheduling/visit_my_day.html#visit-card",
        {"visit": card.visit, "card_error": error, "stop_minutes": minutes},
        request=request,
    )
    # The page heading's "n/m done" is outside the card: an out-of-band swap updates it in
    # the same response, from a count of the day's visits.
    counter = render_to_string(
        "scheduling/visit_my_day.html#done-counter",
        {"oob": True, "done_count": card.done_count, "visit_total": card.visit_total},
    )
    return HttpResponse(html + counter)


@require_POST
@role_required(Role.NURSE)
def visit_start_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    visit = visit_get_own(user=request.user, public_id=public_id)
    error = ""
    try:
        services.visit_start(visit=visit, actor=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        return _card(request, visit, error)
    if error:
        messages.error(request, error)
    return redirect(reverse("scheduling:my-day"))


@require_POST
@role_required(Role.NURSE)
def visit_done_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """One tap: done as planned (or, for a started visit, stopped now). A difference asks a
    reason on the card itself; the minutes stay filled in."""
    visit = visit_get_own(user=request.user, public_id=public_id)
    raw_minutes = request.POST.get("minutes")
    reason = request.POST.get("deviation_reason", "")
    minutes = int(raw_minutes) if raw_minutes and raw_minutes.isdigit() else None
    if minutes is None and visit.status == VisitStatus.IN_PROGRESS and visit.started_at:
        minutes = max(1, round((timezone.now() - visit.started_at).total_seconds() / 60))
    error = ""
    try:
        services.visit_log(
            visit=visit, actor=request.user, minutes=minutes, deviation_reason=reason
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        return _card(request, visit, error, minutes)
    if error:
        messages.error(request, error)
        return redirect(reverse("scheduling:visit-log", args=[public_id]))
    return redirect(reverse("scheduling:my-day"))


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def visit_log_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Log with a difference: other minutes (and why), other interventions, a note, ratings.

    Showing the form (and showing it again after a refused save) is a read of the record;
    a save is logged by `visit_log`.
    """
    if request.method == "POST":
        visit = visit_get_own(user=request.user, public_id=public_id)
    else:
        visit = reads.visit_log_form_open(actor=request.user, public_id=public_id)
    options = visit_log_options(visit=visit)
    initial = {
        "minutes": visit.logged_minutes or visit.planned_minutes,
        "done_interventions": [pk for pk, _problem in options.planned],
        "service": visit.service,
        "note": visit.log_note,
    }
    form = VisitLogForm(request.POST or None, visit=visit, options=options, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_log(
                visit=visit,
                actor=request.user,
                minutes=data["minutes"],
                deviation_reason=data["deviation_reason"],
                done_interventions=data["done_interventions"],
                note=data["note"],
                service=data["service"],
                ratings=form.ratings(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Visit to %(client)s logged.") % {"client": visit.client})
            return _done(request, reverse("scheduling:my-day"))
    if request.method == "POST":
        reads.visit_form_reshown(actor=request.user, visit=visit, part="visit-log")
    # The doses due at this visit (scheduling.medication): part of this page's read, logged above.
    doses = visit_doses_part(visit=visit)
    return render(
        request, "scheduling/visit_log.html", {"form": form, "visit": visit, "visit_doses": doses}
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def visit_not_done_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """She came, but the client was not home, refused care or is in hospital: the visit is
    recorded as not done with the reason. Works without JS; a refused save keeps her input."""
    if request.method == "POST":
        visit = visit_get_own(user=request.user, public_id=public_id)
    else:
        visit = reads.visit_not_done_form_open(actor=request.user, public_id=public_id)
    form = VisitNotDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record_not_done(
                visit=visit,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Visit to %(client)s recorded as not done.") % {"client": visit.client},
            )
            return _done(request, reverse("scheduling:my-day"))
    if request.method == "POST":
        reads.visit_form_reshown(actor=request.user, visit=visit, part="visit-not-done")
    return render(request, "scheduling/visit_not_done.html", {"form": form, "visit": visit})


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def visit_unplanned_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A call-out, logged after the fact. The client picker lists her clients: showing the
    page (again, after a refused save) is one list row; a save is logged by its service."""
    if request.method == "POST":
        picker = reads.client_picker(actor=request.user)
    else:
        picker = reads.client_picker_open(actor=request.user, form="visit-unplanned")
    form = UnplannedVisitForm(
        request.POST or None,
        clients=picker.clients,
        initial={"started_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_log_unplanned(
                client=data["client"],
                actor=request.user,
                started_at=data["started_at"],
                minutes=data["minutes"],
                service=data["service"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Unplanned visit to %(client)s logged.") % {"client": visit.client}
            )
            return _done(request, reverse("scheduling:my-day"))
    if request.method == "POST":
        reads.client_picker_reshown(actor=request.user, form="visit-unplanned", picker=picker)
    return render(request, "scheduling/visit_unplanned.html", {"form": form})


# --- team planning ------------------------------------------------------------------------------


def _planning_team(request: AuthenticatedHttpRequest) -> Team:
    raw = request.GET.get("team") or request.POST.get("team")
    try:
        public_id = UUID(raw) if raw else None
    except ValueError as exc:
        raise Http404 from exc
    return rota_team_get_visible(user=request.user, public_id=public_id)


@require_GET
@role_required(Role.NURSE, Role.COACH)
def planning_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Week view of the team's visits per nurse; unassigned visits on top, to be given out."""
    raw = request.GET.get("team")
    try:
        public_id = UUID(raw) if raw else None
    except ValueError as exc:
        raise Http404 from exc
    monday = parse_week(request.GET.get("week"))
    week = reads.planning_week_read(actor=request.user, team_public_id=public_id, monday=monday)
    team, nurses, visits, can_edit = week.team, week.nurses, week.visits, week.can_edit
    days = week_days(monday)
    # Prepared here rather than in the template: a team's week is several hundred visits, and
    # a reverse(), a timezone filter or a template loop per visit costs more than the query.
    # Each cell's pills are built as one HTML string (format_html costs ~20 µs a call).
    marker = str(UUID(int=0))
    edit_url = reverse("scheduling:visit-edit", args=[marker])
    assign_url = reverse("scheduling:visit-assign", args=[marker])
    cells: dict[tuple[int | None, dt.date], list] = {}
    unassigned = []
    for visit in visits:
        day = visit["local_day"]
        time = f"{visit['local_hour']:02d}:{visit['local_minute']:02d}"
        first, prefix = visit["client__first_name"], visit["client__name_prefix"]
        last = join_name_prefix(prefix, visit["client__last_name"])  # "de Jong" on the pill
        visit_id = str(visit["public_id"])
        done = visit["status"] == VisitStatus.DONE
        # Only a planned visit can move to another nurse (the service says so too); the
        # drag-and-drop script posts to this URL, the same one the assign form uses.
        movable = can_edit and visit["status"] == VisitStatus.PLANNED
        item = {
            "url": edit_url.replace(marker, visit_id),
            "time": time,
            "day": day.isoformat(),
            "name": last,
            "assign_url": assign_url.replace(marker, visit_id) if movable else "",
        }
        if visit["nurse_id"] is None:
            item.update(
                when=f"{format_day(day)} {time}",
                client=f"{first} {last}",
                minutes=visit["planned_minutes"],
            )
            unassigned.append(item)
            continue
        # URLs, day and time are built here from UUIDs and digits; the name is escaped.
        drag = (
            f' draggable="true" data-assign-url="{item["assign_url"]}" data-day="{item["day"]}"'
            if movable
            else ""
        )
        css = " ok" if done else (" drag-visit" if movable else "")
        cells.setdefault((visit["nurse_id"], day), []).append(
            f'<a class="pill{css}" href="{item["url"]}"{drag}>{time} {escape_html(last)}</a> '
        )
    known = {n.pk for n in nurses}
    outsider_ids = {v["nurse_id"] for v in visits if v["nurse_id"] and v["nurse_id"] not in known}
    outsiders = list(User.objects.filter(pk__in=outsider_ids)) if outsider_ids else []
    labels = [format_day(day) for day in days]
    empty = mark_safe('<span class="muted small empty-cell">–</span>')  # noqa: S308
    rows = [
        {
            "nurse": nurse,
            "cells": [
                {
                    "label": label,
                    "day": day.isoformat(),
                    "pills": mark_safe("".join(cells[(nurse.pk, day)]))  # noqa: S308 (escaped)
                    if (nurse.pk, day) in cells
                    else empty,
                }
                for day, label in zip(days, labels, strict=True)
            ],
        }
        for nurse in [*nurses, *sorted(outsiders, key=str)]
    ]
    return render(
        request,
        "scheduling/visit_planning.html",
        {
            "team": team,
            "teams": rota_team_choices(user=request.user, team=team),
            "monday": monday,
            "days": days,
            "prev_week": monday - dt.timedelta(days=7),
            "next_week": monday + dt.timedelta(days=7),
            "rows": rows,
            "unassigned": unassigned,
            "can_edit": can_edit,
            "assign_nurses": nurses if can_edit else [],
            "visit_count": len(visits),
        },
    )


def _wants_json(request: AuthenticatedHttpRequest) -> bool:
    """The planning page's drag-and-drop script asks for JSON; the form fallback does not."""
    return request.headers.get("Accept", "").startswith("application/json")


@require_POST
@role_required(Role.NURSE)
def visit_assign_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """Give a visit to another nurse (or to nobody): the assign form and drag and drop.

    Every nurse may be named here; whether she may take the visit (her team or a covering
    team on that day, no leave, no double booking) is the service's rule, and its message is
    what the page shows: as a flash message after the form, as JSON for the script.
    """
    visit = visit_get_visible(user=request.user, public_id=public_id)
    if not rota_can_edit(user=request.user, team=visit.team):
        raise Http404
    form = AssignForm(request.POST, nurses=assignable_nurses())
    error = ""
    text = ""
    if form.is_valid():
        try:
            services.visit_assign(visit=visit, nurse=form.cleaned_data["nurse"], actor=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            nurse = form.cleaned_data["nurse"]
            if nurse is None:
                text = _("Visit to %(client)s now with nobody.") % {"client": visit.client}
            else:
                text = _("Visit to %(client)s now with %(nurse)s.") % {
                    "client": visit.client,
                    "nurse": nurse,
                }
    else:
        error = str(ASSIGN_CHOOSE_NURSE)
    if _wants_json(request):
        if error:
            return JsonResponse({"error": error}, status=409 if form.is_valid() else 400)
        return JsonResponse({"message": text})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, text)
    day = timezone.localtime(visit.starts_at).date()
    return _done(request, _planning_url(visit.team, day))


def _visit_choices(request: AuthenticatedHttpRequest, team: Team) -> dict:
    return {
        "clients": client_list_visible(user=request.user).filter(
            team=team, status=ClientStatus.ACTIVE
        ),
        "nurses": team_nurses(team=team),
    }


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def visit_create_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Plan one visit for a client of the team. The client picker lists the team's clients
    (and a client chosen in advance shows her care plan): showing the page (again, after a
    refused save) is one list row; a save is logged by its service."""
    team = _planning_team(request)
    if not rota_can_edit(user=request.user, team=team):
        raise Http404
    chosen = _uuid_or_none(request.GET.get("client") or request.POST.get("client_id"))
    if request.method == "POST":
        picker = reads.client_picker(actor=request.user, team=team, chosen=chosen)
    else:
        picker = reads.client_picker_open(
            actor=request.user, form="visit-create", team=team, chosen=chosen
        )
    client = picker.chosen
    initial: dict[str, object] = {
        "day": _parse_day(request.GET.get("day")),
        "planned_minutes": 30,
    }
    if client:
        initial["client"] = client
    form = VisitForm(
        request.POST or None,
        client=client,
        initial=initial,
        clients=picker.clients,
        nurses=team_nurses(team=team),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_schedule(
                client=data["client"],
                nurse=data["nurse"],
                starts_at=local_datetime(data["day"], data["time"]),
                planned_minutes=data["planned_minutes"],
                planned_interventions=data.get("planned_interventions") or [],
                notes=data["notes"],
                service=data["service"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Visit to %(client)s planned.") % {"client": visit.client})
            return _done(request, _planning_url(team, data["day"]))
    if request.method == "POST":
        reads.client_picker_reshown(actor=request.user, form="visit-create", picker=picker)
    return render(
        request, "scheduling/visit_form.html", {"form": form, "team": team, "client": client}
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE, Role.COACH)
def visit_edit_page(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    """The visit's page: its plan, and for the team's own nurses the form to change it.

    Showing it (and showing it again after a refused change) is a read of the record; a
    change is logged by its write service.
    """
    if request.method == "POST":
        visit = visit_get_visible(user=request.user, public_id=public_id)
    else:
        visit = reads.visit_open(actor=request.user, public_id=public_id)
    can_edit = rota_can_edit(user=request.user, team=visit.team) and not visit.is_billed
    if request.method == "POST" and not rota_can_edit(user=request.user, team=visit.team):
        raise Http404
    local = timezone.localtime(visit.starts_at)
    initial = {
        "nurse": visit.nurse,
        "day": local.date(),
        "time": local.time().replace(second=0),
        "planned_minutes": visit.planned_minutes,
        "service": visit.service,
        "notes": visit.notes,
        "planned_interventions": list(visit.planned_interventions.all()),
    }
    form = VisitEditForm(
        request.POST or None,
        initial=initial,
        client=visit.client,
        in_series=visit.series_id is not None,
        **_visit_choices(request, visit.team),
    )
    if request.method == "POST" and "cancel_visit" in request.POST:
        try:
            services.visit_cancel(visit=visit, actor=request.user)
        except ValidationError as exc:
            form = VisitEditForm(
                initial=initial,
                client=visit.client,
                in_series=visit.series_id is not None,
                **_visit_choices(request, visit.team),
            )
            form.add_error(None, exc)
        else:
            messages.success(request, _("Visit cancelled."))
            return _done(request, _planning_url(visit.team, local.date()))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("following") and visit.series is not None:
                services.series_update_following(
                    series=visit.series,
                    from_date=visit.occurrence_date or local.date(),
                    time_of_day=data["time"],
                    planned_minutes=data["planned_minutes"],
                    nurse=data["nurse"],
                    actor=request.user,
                )
            else:
                services.visit_update(
                    visit=visit,
                    actor=request.user,
                    starts_at=local_datetime(data["day"], data["time"]),
                    planned_minutes=data["planned_minutes"],
                    nurse=data["nurse"],
                    notes=data["notes"],
                    planned_interventions=data.get("planned_interventions") or [],
                    service=data["service"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Visit to %(client)s saved.") % {"client": visit.client})
            return _done(request, _planning_url(visit.team, data["day"]))
    if request.method == "POST":
        reads.visit_form_reshown(actor=request.user, visit=visit, part="visit")
    return render(
        request,
        "scheduling/visit_edit.html",
        {"form": form, "visit": visit, "can_edit": can_edit},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def series_create_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Plan a recurring visit. Like the visit form, showing the page is one list row (the
    client picker); a save is logged by its service."""
    team = _planning_team(request)
    if not rota_can_edit(user=request.user, team=team):
        raise Http404
    if request.method == "POST":
        picker = reads.client_picker(actor=request.user, team=team)
    else:
        picker = reads.client_picker_open(actor=request.user, form="series-create", team=team)
    form = SeriesForm(
        request.POST or None,
        initial={"starts_on": timezone.localdate(), "planned_minutes": 30},
        clients=picker.clients,
        nurses=team_nurses(team=team),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            series = services.series_create(
                client=data["client"],
                nurse=data["nurse"],
                weekdays=form.weekday_mask(),
                time_of_day=data["time_of_day"],
                planned_minutes=data["planned_minutes"],
                starts_on=data["starts_on"],
                until=data["until"],
                service=data["service"],
                notes=data["notes"],
                actor=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Recurring visit planned: %(series)s.") % {"series": series}
            )
            return _done(request, _planning_url(team, data["starts_on"]))
    if request.method == "POST":
        reads.client_picker_reshown(actor=request.user, form="series-create", picker=picker)
    return render(request, "scheduling/series_form.html", {"form": form, "team": team})


# --- iCalendar feed ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def calendar_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the nurse's secret feed URL, or make her first one. Replacing it and stopping it
    end the address her calendar apps use, so each asks first, on its own page."""
    if request.method == "POST":
        if "revoke" in request.POST:  # a page from before the confirmation step: ask first
            return _done(request, reverse("scheduling:calendar-stop"))
        if _has_calendar_feed(request.user):  # replacing it (an old page, a second tab): ask
            return _done(request, reverse("scheduling:calendar-renew"))
        services.calendar_token_rotate(user=request.user)
        messages.success(request, _("Calendar link made: subscribe to it in your calendar app."))
        return _done(request, reverse("scheduling:calendar"))
    token = CalendarToken.objects.filter(user=request.user, revoked_at__isnull=True).first()
    feed_url = (
        request.build_absolute_uri(reverse("scheduling:ical-feed", args=[token.token]))
        if token
        else ""
    )
    return render(request, "scheduling/calendar.html", {"feed_url": feed_url})


def _has_calendar_feed(user: User) -> bool:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).exists()


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def calendar_renew_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET asks "are you sure?" (the current address stops working, so every calendar app must
    subscribe to the new one), POST makes the new address; works without JavaScript."""
    if request.method == "POST":
        services.calendar_token_rotate(user=request.user)
        messages.success(request, _("New calendar link made; the old one no longer works."))
        return _done(request, reverse("scheduling:calendar"))
    if not _has_calendar_feed(request.user):
        return redirect("scheduling:calendar")  # nothing to replace: make one there
    context = {
        "question": _("Make a new calendar address?"),
        "consequence": _(
            "The current address stops working at once: calendar apps subscribed to it no "
            "longer show your visits. This cannot be undone; subscribe to the new address "
            "again in every app."
        ),
        "submit": _("Make a new address"),
        "back": reverse("scheduling:calendar"),
        "back_label": _("Calendar feed"),
    }
    return render(request, "scheduling/confirm.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.NURSE)
def calendar_stop_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET asks "are you sure?" (calendar apps subscribed to the address stop updating, and a
    new address must be subscribed again), POST stops the feed; works without JavaScript."""
    if request.method == "POST":
        services.calendar_token_revoke(user=request.user)
        messages.success(request, _("The calendar link no longer works."))
        return _done(request, reverse("scheduling:calendar"))
    if not _has_calendar_feed(request.user):
        return redirect("scheduling:calendar")  # nothing to stop
    context = {
        "question": _("Stop your calendar feed?"),
        "consequence": _(
            "The address stops working at once: calendar apps subscribed to it no longer "
            "show your visits. This cannot be undone; a new address must be subscribed to "
            "again in every app."
        ),
        "submit": _("Stop the feed"),
        "back": reverse("scheduling:calendar"),
        "back_label": _("Calendar feed"),
    }
    return render(request, "scheduling/confirm.html", context)


@never_cache
@require_GET
def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No login: the secret URL is the key. Wrong or revoked tokens answer 404.

    Only times and a first name + initial go in the feed: no address or care details, because
    calendar apps sync the feed to third-party servers.
    """
    body = reads.ical_feed_read(token=token)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="buurtzorg.ics"'
    return response
