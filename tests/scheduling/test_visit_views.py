"""My day, logging pages, planning, the iCal feed and the visits API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from buurtzorg.audit.models import AccessEvent
from clients.models import ClientStatus
from scheduling.models import Visit, VisitStatus
from scheduling.services import visits as services
from scheduling.services.rota import format_date, local_datetime
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    InterventionFactory,
    VisitFactory,
    problem_by_code,
)
from tests.scheduling.conftest import DAY

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def my_day_url(day: dt.date = DAY) -> str:
    return f"{reverse('scheduling:my-day')}?day={day.isoformat()}"


def planning_url(world, week: dt.date = DAY) -> str:
    return f"{reverse('scheduling:planning')}?team={world.team.public_id}&week={week.isoformat()}"


def planned(world, hour: int = 9, nurse="nurse", **kwargs) -> Visit:
    return services.visit_schedule(
        client=kwargs.pop("client", world.client_record),
        nurse=getattr(world, nurse) if nurse else None,
        starts_at=local_datetime(kwargs.pop("day", DAY), dt.time(hour)),
        planned_minutes=30,
        actor=world.nurse,
        planned_interventions=kwargs.pop("plan", [world.intervention]),
        service=world.service,
        **kwargs,
    )


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("nurse", 200), ("coach", 404), ("back_office", 404), ("admin", 404)],
)
def test_my_day_is_for_nurses(client, world, who, status) -> None:
    client.force_login(getattr(world, who))
    assert client.get(my_day_url()).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("nurse", 200), ("coach", 200), ("other_nurse", 404), ("back_office", 404), ("admin", 404)],
)
def test_planning_access(client, world, who, status) -> None:
    client.force_login(getattr(world, who))
    assert client.get(planning_url(world)).status_code == status


def test_coach_reads_visits_but_cannot_plan(client, world) -> None:
    visit = planned(world)
    client.force_login(world.coach)
    assert client.get(reverse("scheduling:visit-edit", args=[visit.public_id])).status_code == 200
    create = f"{reverse('scheduling:visit-create')}?team={world.team.public_id}"
    assert client.get(create).status_code == 404
    assert client.post(reverse("scheduling:visit-done", args=[visit.public_id])).status_code == 404


# --- My day -------------------------------------------------------------------------------------


def test_my_day_lists_the_round_in_order_with_what_to_do(client, world) -> None:
    planned(world, hour=11)
    planned(world, hour=8)
    client.force_login(world.nurse)
    body = client.get(my_day_url()).content.decode()
    assert body.index('visit-time">08:00') < body.index('visit-time">11:00')
    assert "Dapperstraat" in body
    assert 'href="tel:020-5551234"' in body
    assert "Check the pain score" in body
    assert world.problem.problem.name in body
    event = AccessEvent.objects.get(part="my-day")
    assert event.username == world.nurse.username


def test_my_day_is_a_compact_list_with_what_a_nurse_needs_at_the_door(client, world) -> None:
    # given a visit to a client with a key safe, an allergy and an alarm
    record = world.client_record
    record.key_safe_note, record.allergies, record.alarm_note = "Code 4821", "Latex", "Neck alarm"
    record.save()
    visit = planned(world, hour=8)
    client.force_login(world.nurse)
    # when she opens the day
    body = client.get(my_day_url()).content.decode()
    # then the heading has the date, the name links to the record, the address opens the maps
    assert f"<h1>{date_format(DAY, 'WEEKDAY_DATE_FORMAT')}" in body
    assert f'<a href="{record.get_absolute_url()}">Jan Jansen</a>' in body
    query = f"Dapperstraat%20{record.house_number}%2C%201091%20AB%20Amsterdam"
    assert f'href="https://www.openstreetmap.org/search?query={query}"' in body
    # and the key-info line says it all before the door; the care plan folds away
    assert "<strong>Key safe:</strong> Code 4821" in body
    assert "<strong>Allergies:</strong> Latex" in body
    assert "<strong>Alarm:</strong> Neck alarm" in body
    assert '<details class="visit-more">' in body
    assert "30 min · 1 thing to do" in body
    # and "Done as planned" is one tap, outside the folded part
    card = body[body.index(f'id="visit-{visit.public_id}"') :]
    assert card.index("Done as planned") > card.index("</details>")


def test_my_day_heading_says_today_with_the_date(client, world) -> None:
    client.force_login(world.nurse)
    body = client.get(reverse("scheduling:my-day")).content.decode()
    today = date_format(timezone.localdate(), "WEEKDAY_DATE_FORMAT")
    assert f"<h1>Today, {today}" in body


def test_one_tap_done_returns_just_the_card(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    response = client.post(reverse("scheduling:visit-done", args=[visit.public_id]), headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Logged 30 min" in body
    visit.refresh_from_db()
    assert (visit.status, visit.logged_minutes) == (VisitStatus.DONE, 30)


def test_one_tap_done_updates_the_done_counter_out_of_band(client, world) -> None:
    # given two visits today, none done: the heading says 0/2
    first = planned(world, hour=8)
    planned(world, hour=10)
    client.force_login(world.nurse)
    page = client.get(my_day_url()).content.decode()
    assert '<small id="done-count" class="muted">0/2 done</small>' in page
    # when the first is logged with one tap
    response = client.post(reverse("scheduling:visit-done", args=[first.public_id]), headers=HTMX)
    # then the same response carries the card and the counter, swapped out of band
    body = response.content.decode()
    assert f'id="visit-{first.public_id}"' in body
    assert '<small id="done-count" class="muted" hx-swap-oob="true">1/2 done</small>' in body
    # and a reload agrees
    page = client.get(my_day_url()).content.decode()
    assert '<small id="done-count" class="muted">1/2 done</small>' in page


def test_a_refused_tap_sends_the_unchanged_counter(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    response = client.post(
        reverse("scheduling:visit-done", args=[visit.public_id]), {"minutes": "45"}, headers=HTMX
    )
    body = response.content.decode()
    assert "give a short reason" in body
    assert 'hx-swap-oob="true">0/1 done</small>' in body


def test_one_tap_done_query_count_is_flat(client, world, django_assert_max_num_queries) -> None:
    # given a round of 3 visits, one of them tapped done
    client.force_login(world.nurse)
    round_ = [planned(world, hour=hour) for hour in (8, 9, 10)]
    done = reverse("scheduling:visit-done", args=[round_[0].public_id])
    with django_assert_max_num_queries(25) as few:
        client.post(done, headers=HTMX)
    # when the round has 12 visits (other clients, each with a care plan)
    for hour in range(11, 20):
        other = ClientFactory(team=world.team)
        todo = InterventionFactory(client_problem__client=other)
        round_.append(planned(world, hour=hour, client=other, plan=[todo]))
    # then tapping one costs no more: one card is read, and the counter is a COUNT
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.post(
            reverse("scheduling:visit-done", args=[round_[1].public_id]), headers=HTMX
        )
    assert 'hx-swap-oob="true">2/12 done</small>' in response.content.decode()


def test_log_form_query_count_is_flat_and_reads_its_options_once(
    client, world, django_assert_max_num_queries
) -> None:
    # given a visit with one planned intervention
    client.force_login(world.nurse)
    visit = planned(world)
    url = reverse("scheduling:visit-log", args=[visit.public_id])
    with django_assert_max_num_queries(14) as few:
        boxes = client.get(url).content.decode().count('name="done_interventions"')
    # the care plan's boxes and the services are plain reads, each once (no server-side
    # cursor, no second read of the boxes)
    assert not any("DECLARE" in q["sql"] for q in few.captured_queries)
    # when the client has four more problems, each with a planned intervention
    taken = world.intervention.client_problem.problem.code
    more = [
        InterventionFactory(
            client_problem=ClientProblemFactory(
                client=world.client_record, problem=problem_by_code(code)
            )
        )
        for code in [c for c in ("01", "21", "24", "26", "42") if c != taken][:4]
    ]
    bigger = planned(world, hour=11, plan=[world.intervention, *more])
    # then the form costs no more
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("scheduling:visit-log", args=[bigger.public_id]))
    assert page.content.decode().count('name="done_interventions"') == boxes + 4


def test_difference_on_the_card_asks_for_a_reason_and_keeps_the_minutes(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    url = reverse("scheduling:visit-done", args=[visit.public_id])
    response = client.post(url, {"minutes": "45"}, headers=HTMX)
    body = response.content.decode()
    assert "give a short reason" in body
    assert 'value="45"' in body
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED
    client.post(url, {"minutes": "45", "deviation_reason": "Extra wound care"}, headers=HTMX)
    visit.refresh_from_db()
    assert (visit.logged_minutes, visit.deviation_reason) == (45, "Extra wound care")


def test_start_button_marks_the_visit_in_progress(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    body = client.post(
        reverse("scheduling:visit-start", args=[visit.public_id]), headers=HTMX
    ).content.decode()
    assert "Stop and log" in body
    visit.refresh_from_db()
    assert visit.status == VisitStatus.IN_PROGRESS


@pytest.mark.parametrize("name", ["scheduling:visit-done", "scheduling:visit-start"])
def test_logging_someone_elses_visit_is_404(client, world, name) -> None:
    visit = planned(world)
    client.force_login(world.colleague)
    assert client.post(reverse(name, args=[visit.public_id])).status_code == 404
    assert client.get(reverse("scheduling:visit-log", args=[visit.public_id])).status_code == 404
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_log_form_with_difference_and_rating(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    url = reverse("scheduling:visit-log", args=[visit.public_id])
    form = client.get(url).content.decode()
    assert "Check the pain score" in form
    response = client.post(
        url,
        {
            "minutes": "40",
            "done_interventions": [world.other_intervention.pk],
            "note": "Calm",
            f"rating_{world.problem.pk}_knowledge": "3",
            f"rating_{world.problem.pk}_behavior": "3",
            f"rating_{world.problem.pk}_status": "2",
        },
    )
    assert response.status_code == 200
    assert "give a short reason" in response.content.decode()
    assert 'value="Calm"' in response.content.decode()
    response = client.post(
        url,
        {
            "minutes": "40",
            "deviation_reason": "Talked with daughter",
            "done_interventions": [world.other_intervention.pk],
            f"rating_{world.problem.pk}_knowledge": "3",
            f"rating_{world.problem.pk}_behavior": "3",
            f"rating_{world.problem.pk}_status": "2",
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.logged_minutes == 40
    assert list(visit.done_interventions.all()) == [world.other_intervention]
    assert world.problem.ratings.get().status == 2


def test_a_refused_log_keeps_the_chosen_rating_and_marks_a_bad_one_at_its_row(
    client, world
) -> None:
    # given her visit's log form
    visit = planned(world)
    client.force_login(world.nurse)
    url = reverse("scheduling:visit-log", args=[visit.public_id])
    key = f"rating_{world.problem.pk}"
    # when she sends it with a knowledge score and a status that is not on the scale
    response = client.post(url, {"minutes": "30", f"{key}_knowledge": "4", f"{key}_status": "9"})
    body = response.content.decode()
    # then nothing is logged and the form comes back: her score still chosen, with its word
    assert response.status_code == 200
    assert (
        f'<label class="chip kbs-chip" for="id_{key}_knowledge_3"><input type="radio" '
        f'name="{key}_knowledge" value="4" id="id_{key}_knowledge_3" checked><span><b>4</b> '
        "<small>Adequate knowledge</small></span></label>"
    ) in body
    # and the status row is marked as wrong, with the reason under it
    assert f'name="{key}_status" value="1" id="id_{key}_status_0" aria-invalid="true">' in body
    assert f'name="{key}_knowledge" value="1" id="id_{key}_knowledge_0">' in body
    assert body.count('<div class="kbs-row has-error"') == 1
    assert "Select a valid choice. 9 is not one of the available choices." in body
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_log_form_is_chips_with_no_bare_dashes_and_no_doubled_texts(client, world) -> None:
    # given a planned visit whose care plan has a surveillance intervention
    visit = planned(world)
    client.force_login(world.nurse)
    # when she opens the log
    body = client.get(reverse("scheduling:visit-log", args=[visit.public_id])).content.decode()
    # then the minutes are chips, the planned one chosen, and an "other" box for a number
    assert '<input type="radio" id="minutes-30" name="minutes" value="30" checked>' in body
    for minutes in (15, 45, 60):
        assert f'id="minutes-{minutes}" name="minutes" value="{minutes}">' in body
    assert 'name="minutes_other" inputmode="numeric"' in body
    # and the ratings are K/B/S chips with the scale's words, never a bare "-" option
    assert '<b class="kbs-code">K</b> Knowledge' in body
    assert "No knowledge" in body
    assert "Consistently appropriate behavior" in body
    assert "No signs/symptoms" in body
    assert ">-</option>" not in body
    assert ">---------</option>" not in body
    # and an intervention names its category once
    category = str(world.intervention.category)
    assert f"{category} - {category}" not in body


def test_a_different_time_saves_with_a_tapped_reason(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    url = reverse("scheduling:visit-log", args=[visit.public_id])
    # tap 1: the 45 min chip; tap 2: the reason, which saves
    response = client.post(url, {"minutes": "45", "reason_choice": "more-care"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.logged_minutes, visit.deviation_reason) == (45, "More care was needed")


def test_a_typed_number_and_reason_win_over_the_chips(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    url = reverse("scheduling:visit-log", args=[visit.public_id])
    data = {
        "minutes": "30",
        "minutes_other": "50",
        "reason_choice": "waited",
        "deviation_reason": "Waited for the GP",
    }
    assert client.post(url, data).status_code == 302
    visit.refresh_from_db()
    assert (visit.logged_minutes, visit.deviation_reason) == (50, "Waited for the GP")


def test_a_different_time_without_reason_keeps_the_typed_number(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    url = reverse("scheduling:visit-log", args=[visit.public_id])
    response = client.post(url, {"minutes": "30", "minutes_other": "50", "note": "Calm"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "give a short reason" in body
    assert 'name="minutes_other" inputmode="numeric" min="1" max="1440" value="50"' in body
    assert '<input type="radio" id="minutes-30" name="minutes" value="30">' in body
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PLANNED


def test_unplanned_visit_page_logs_directly(client, world) -> None:
    client.force_login(world.nurse)
    response = client.post(
        reverse("scheduling:visit-unplanned"),
        {
            "client": world.client_record.pk,
            "started_at": "2026-06-02T21:00",
            "minutes": "25",
            "service": world.service.pk,
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.status, visit.logged_minutes, visit.nurse) == (VisitStatus.DONE, 25, world.nurse)


def test_my_day_query_count_is_flat(client, world, django_assert_max_num_queries) -> None:
    client.force_login(world.nurse)
    planned(world, hour=8)
    with django_assert_max_num_queries(30) as few:
        client.get(my_day_url())
    for hour in range(9, 17):
        other = ClientFactory(team=world.team)
        todo = InterventionFactory(client_problem__client=other)
        planned(world, hour=hour, client=other, plan=[todo])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(my_day_url())
    assert response.content.decode().count('class="card visit') == 9


# --- planning -----------------------------------------------------------------------------------


def test_planning_shows_unassigned_visits_and_reassigns(client, world) -> None:
    visit = planned(world, nurse=None)
    client.force_login(world.nurse)
    body = client.get(planning_url(world)).content.decode()
    assert "1 unassigned" in body
    response = client.post(
        reverse("scheduling:visit-assign", args=[visit.public_id]),
        {"nurse": world.colleague.pk},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.nurse == world.colleague


def assign_json(client, visit, nurse):
    return client.post(
        reverse("scheduling:visit-assign", args=[visit.public_id]),
        {"nurse": nurse.pk},
        headers={"Accept": "application/json"},
    )


def test_planning_grid_offers_planned_visits_for_dragging(client, world) -> None:
    visit = planned(world)
    done = planned(world, hour=11)
    services.visit_log(visit=done, actor=world.nurse, minutes=None)
    client.force_login(world.nurse)
    body = client.get(planning_url(world)).content.decode()
    assign = reverse("scheduling:visit-assign", args=[visit.public_id])
    assert f'draggable="true" data-assign-url="{assign}" data-day="{DAY.isoformat()}"' in body
    assert reverse("scheduling:visit-assign", args=[done.public_id]) not in body  # done stays
    assert f'data-nurse="{world.colleague.pk}"' in body
    assert "js/planning.js" in body
    # a coach reads the week but gets neither the script nor drop targets
    client.force_login(world.coach)
    body = client.get(planning_url(world)).content.decode()
    assert "js/planning.js" not in body
    assert "data-assign-url" not in body
    assert "data-nurse=" not in body


def test_drag_to_a_colleague_answers_json_and_moves_the_visit(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    response = assign_json(client, visit, world.colleague)
    assert response.status_code == 200
    assert response.json() == {"message": f"Visit to Jan Jansen now with {world.colleague}."}
    visit.refresh_from_db()
    assert visit.nurse == world.colleague
    # no flash message is left behind for the next page
    assert "now with" not in client.get(planning_url(world)).content.decode()


def test_drag_onto_a_double_booking_shows_the_services_refusal(client, world) -> None:
    visit = planned(world, hour=9)
    other = planned(
        world, hour=9, nurse="colleague", plan=[], client=ClientFactory(team=world.team)
    )
    client.force_login(world.nurse)
    response = assign_json(client, visit, world.colleague)
    assert response.status_code == 409
    error = response.json()["error"]
    assert f"{world.colleague} already has a visit then" in error
    assert str(other.client) in error
    visit.refresh_from_db()
    assert visit.nurse == world.nurse


def test_drag_onto_a_nurse_of_another_team_is_refused_by_the_service(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    response = assign_json(client, visit, world.other_nurse)
    assert response.status_code == 409
    assert response.json()["error"] == services.NURSE_NOT_ELIGIBLE.format(
        nurse=world.other_nurse, team=world.team, date=format_date(DAY)
    )
    visit.refresh_from_db()
    assert visit.nurse == world.nurse
    # the form fallback shows the same message as a flash message
    response = client.post(
        reverse("scheduling:visit-assign", args=[visit.public_id]),
        {"nurse": world.other_nurse.pk},
        follow=True,
    )
    assert "is not a nurse of Team A" in response.content.decode()


def test_drag_with_no_such_nurse_is_a_bad_request(client, world) -> None:
    visit = planned(world)
    client.force_login(world.nurse)
    response = assign_json(client, visit, world.coach)
    assert response.status_code == 400
    assert response.json() == {"error": "Choose a nurse."}


def test_planning_query_count_is_flat(client, world, django_assert_max_num_queries) -> None:
    client.force_login(world.nurse)
    planned(world, hour=8)
    with django_assert_max_num_queries(30) as few:
        client.get(planning_url(world))
    for offset in range(5):
        for hour in (9, 10, 11):
            planned(world, hour=hour, day=DAY + dt.timedelta(days=offset - 1), nurse="colleague")
            VisitFactory(
                client=world.client_record,
                day=DAY + dt.timedelta(days=offset),
                at=dt.time(hour, 40),
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(planning_url(world))


def test_plan_visit_form_refuses_overlap_and_keeps_input(client, world) -> None:
    planned(world)
    client.force_login(world.nurse)
    url = f"{reverse('scheduling:visit-create')}?team={world.team.public_id}"
    response = client.post(
        url,
        {
            "client": world.client_record.pk,
            "nurse": world.nurse.pk,
            "day": DAY.isoformat(),
            "time": "09:15",
            "planned_minutes": "30",
            "notes": "keep this note",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "already has a visit then: Jan Jansen" in body
    assert "keep this note" in body
    assert Visit.objects.count() == 1


def test_plan_visit_on_discharged_client_is_not_offered_and_refused(client, world) -> None:
    gone = ClientFactory(
        team=world.team, status=ClientStatus.DISCHARGED, discharged_on=dt.date(2026, 3, 1)
    )
    client.force_login(world.nurse)
    url = f"{reverse('scheduling:visit-create')}?team={world.team.public_id}"
    response = client.post(
        url,
        {"client": gone.pk, "day": DAY.isoformat(), "time": "09:00", "planned_minutes": "30"},
    )
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_billed_visit_page_is_read_only(client, world) -> None:
    visit = services.visit_log(visit=planned(world), actor=world.nurse)
    Visit.objects.filter(pk=visit.pk).update(billed_at=timezone.now())
    client.force_login(world.nurse)
    url = reverse("scheduling:visit-edit", args=[visit.public_id])
    assert "is read-only" in client.get(url).content.decode()
    response = client.post(url, {"day": DAY.isoformat(), "time": "10:00", "planned_minutes": "30"})
    assert "billed on" in response.content.decode()
    visit.refresh_from_db()
    assert visit.starts_at == local_datetime(DAY, dt.time(9))


def test_series_form_creates_recurring_visits(client, world) -> None:
    client.force_login(world.nurse)
    today = timezone.localdate()
    response = client.post(
        f"{reverse('scheduling:series-create')}?team={world.team.public_id}",
        {
            "client": world.client_record.pk,
            "nurse": world.nurse.pk,
            "weekdays": ["0", "2", "4"],
            "time_of_day": "18:30",
            "planned_minutes": "20",
            "starts_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    assert 11 <= Visit.objects.count() <= 13


# --- iCalendar feed -----------------------------------------------------------------------------


def test_ical_feed_needs_only_the_token_and_dies_when_revoked(client, world) -> None:
    today = timezone.localdate()
    planned(world, day=today, hour=10)
    token = services.calendar_token_rotate(user=world.nurse)
    url = reverse("scheduling:ical-feed", args=[token.token])
    response = client.get(url)  # not logged in
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body
    assert "Visit J.J. (30 min)" in body
    assert "Dapperstraat" not in body
    assert client.get(reverse("scheduling:ical-feed", args=["wrong"])).status_code == 404
    services.calendar_token_revoke(user=world.nurse)
    assert client.get(url).status_code == 404


def test_calendar_page_makes_and_replaces_the_address(client, world) -> None:
    client.force_login(world.nurse)
    client.post(reverse("scheduling:calendar"))
    first = world.nurse.calendar_tokens.get(revoked_at__isnull=True).token
    client.post(reverse("scheduling:calendar-renew"))
    second = world.nurse.calendar_tokens.get(revoked_at__isnull=True).token
    assert first != second
    assert second in client.get(reverse("scheduling:calendar")).content.decode()


# --- API ----------------------------------------------------------------------------------------


def test_api_plans_and_filters_visits(client, world) -> None:
    client.force_login(world.nurse)
    response = client.post(
        reverse("api-visit-list"),
        {
            "client": str(world.client_record.public_id),
            "nurse": str(world.nurse.public_id),
            "starts_at": "2026-06-02T09:00:00+02:00",
            "planned_minutes": 30,
            "planned_interventions": [str(world.intervention.public_id)],
            "service": "EX-VP",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["ends_at"] == "2026-06-02T09:30:00+02:00"
    clash = client.post(
        reverse("api-visit-list"),
        {
            "client": str(world.client_record.public_id),
            "nurse": str(world.nurse.public_id),
            "starts_at": "2026-06-02T09:20:00+02:00",
            "planned_minutes": 30,
        },
        content_type="application/json",
    )
    assert clash.status_code == 400
    assert "already has a visit then" in clash.json()["starts_at"][0]
    listed = client.get(reverse("api-visit-list"), {"date": "2026-06-02"}).json()
    assert listed["count"] == 1
    assert client.get(reverse("api-visit-list"), {"date": "2026-06-03"}).json()["count"] == 0


def test_api_plans_a_series_for_the_client_the_input_resolved(client, world) -> None:
    # given her team's client (VisitInput/SeriesInput resolve it among the clients she sees)
    client.force_login(world.nurse)
    # when she plans a recurring visit through the API
    response = client.post(
        reverse("api-series-list"),
        {
            "client": str(world.client_record.public_id),
            "nurse": str(world.nurse.public_id),
            "weekdays": [1, 3],
            "time_of_day": "18:30",
            "planned_minutes": 20,
            "starts_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    # then the series is hers, for that client, with its visits, and one row says so
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["client"], body["weekdays"]) == (str(world.client_record.public_id), [1, 3])
    series = world.client_record.visit_series.get()
    assert series.visits.exists()
    assert [(r.action, r.part) for r in AccessEvent.objects.all()] == [("create", "visit-series")]


def test_api_refuses_discharged_client_and_bad_times(client, world) -> None:
    gone = ClientFactory(
        team=world.team, status=ClientStatus.DISCHARGED, discharged_on=dt.date(2026, 3, 1)
    )
    client.force_login(world.nurse)
    response = client.post(
        reverse("api-visit-list"),
        {
            "client": str(gone.public_id),
            "starts_at": "2026-06-02T09:00+02:00",
            "planned_minutes": 30,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "was discharged on 1 Mar 2026" in response.json()["client"][0]
    assert not Visit.objects.exists()


def test_api_log_one_tap_and_others_get_404(client, world) -> None:
    visit = planned(world)
    url = reverse("api-visit-log", args=[visit.public_id])
    client.force_login(world.colleague)
    assert client.post(url, {}, content_type="application/json").status_code == 404
    client.force_login(world.nurse)
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["logged_minutes"]) == ("done", 30)
    again = client.post(url, {"minutes": 50}, content_type="application/json")
    assert again.status_code == 400
    assert "deviation_reason" in again.json()


def test_api_visit_list_query_count_is_flat(client, world, django_assert_max_num_queries) -> None:
    client.force_login(world.nurse)
    planned(world, hour=8)
    with django_assert_max_num_queries(10) as few:
        response = client.get(reverse("api-visit-list"))
    assert response.json()["count"] == 1
    for offset in range(20):
        for hour in (9, 11, 13):
            planned(world, hour=hour, day=DAY + dt.timedelta(days=offset), nurse="colleague")
    VisitFactory(client=ClientFactory(team=world.other_team), nurse=world.other_nurse)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("api-visit-list"))
    # her team's visits (her own and her colleague's), not the other team's
    assert response.json()["count"] == 61
    assert len(response.json()["results"]) == 50


def test_api_pages_are_in_time_order_without_gaps_or_repeats(client, world) -> None:
    # given: 61 visits of the team, planned out of time order
    client.force_login(world.nurse)
    made = []
    for offset in reversed(range(20)):
        for hour in (13, 9, 11):
            made.append(
                planned(world, hour=hour, day=DAY + dt.timedelta(days=offset), nurse="colleague")
            )
    made.append(planned(world, hour=8))
    # when: she reads both pages (each page's keys are read first, then their rows)
    first = client.get(reverse("api-visit-list")).json()
    second = client.get(first["next"]).json()
    # then: together they hold every visit once, by start time, with its related fields
    listed = first["results"] + second["results"]
    assert (len(first["results"]), len(second["results"]), second["next"]) == (50, 11, None)
    by_time = sorted(made, key=lambda v: (v.starts_at, v.pk))
    assert [row["id"] for row in listed] == [str(v.public_id) for v in by_time]
    assert {row["client"] for row in listed} == {str(world.client_record.public_id)}
    assert listed[0]["nurse"] == str(world.nurse.public_id)
    assert listed[0]["service"] == world.service.code


def test_api_other_team_visit_is_404(client, world) -> None:
    visit = planned(world)
    client.force_login(world.other_nurse)
    assert client.get(reverse("api-visit-detail", args=[visit.public_id])).status_code == 404
    client.force_login(world.coach)
    assert client.get(reverse("api-visit-detail", args=[visit.public_id])).status_code == 200


def test_api_series_create(client, world) -> None:
    client.force_login(world.nurse)
    response = client.post(
        reverse("api-series-list"),
        {
            "client": str(world.client_record.public_id),
            "weekdays": [1, 3, 5],
            "time_of_day": "18:30",
            "planned_minutes": 20,
            "starts_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["weekdays"] == [1, 3, 5]
    assert Visit.objects.filter(nurse__isnull=True).count() >= 11
