"""Rota page, shift form and the rota API: access per role, bad input, query counts."""

import datetime as dt

import pytest
from django.urls import reverse

from scheduling.models import Shift, ShiftKind
from scheduling.services.rota import local_datetime
from tests.factories import (
    AdminFactory,
    BackOfficeFactory,
    CoachAssignmentFactory,
    CoachFactory,
    CoverArrangementFactory,
    LeaveFactory,
    MembershipFactory,
    ShiftFactory,
    day_and_night_rules,
    nursing_team,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 6, 1)


@pytest.fixture
def world():
    team, (nurse, colleague) = nursing_team(2, name="Team A")
    other_team, (other_nurse,) = nursing_team(1, name="Team B")
    coach = CoachAssignmentFactory(team=team, coach=CoachFactory()).coach
    day_and_night_rules(team)
    return {
        "team": team,
        "nurse": nurse,
        "colleague": colleague,
        "other_team": other_team,
        "other_nurse": other_nurse,
        "coach": coach,
        "back_office": BackOfficeFactory(),
        "admin": AdminFactory(),
    }


def rota_url(team, week=MONDAY) -> str:
    return f"{reverse('scheduling:rota')}?team={team.public_id}&week={week.isoformat()}"


@pytest.mark.parametrize(
    ("who", "status"),
    [("nurse", 200), ("coach", 200), ("other_nurse", 404), ("back_office", 404), ("admin", 404)],
)
def test_rota_page_access(client, world, who, status) -> None:
    client.force_login(world[who])
    assert client.get(rota_url(world["team"])).status_code == status


def test_rota_page_shows_shifts_and_highlights_gaps(client, world) -> None:
    ShiftFactory(team=world["team"], nurse=world["nurse"], day=MONDAY)
    client.force_login(world["nurse"])
    body = client.get(rota_url(world["team"])).content.decode()
    assert "Early 07:00–15:00" in body
    assert 'class="pill bad">07:00–15:00 1/2' in body


def test_nurse_adds_a_night_shift_by_pattern(client, world) -> None:
    client.force_login(world["nurse"])
    response = client.post(
        f"{reverse('scheduling:shift-create')}?team={world['team'].public_id}",
        {"nurse": world["colleague"].pk, "kind": ShiftKind.NIGHT, "day": "2026-10-24", "note": ""},
    )
    assert response.status_code == 302
    shift = Shift.objects.get()
    assert shift.ends_at - shift.starts_at == dt.timedelta(hours=9)


def test_overlapping_shift_form_rerenders_with_the_collision_and_keeps_input(client, world) -> None:
    ShiftFactory(team=world["team"], nurse=world["nurse"], day=MONDAY)
    client.force_login(world["nurse"])
    response = client.post(
        f"{reverse('scheduling:shift-create')}?team={world['team'].public_id}",
        {
            "nurse": world["nurse"].pk,
            "kind": ShiftKind.FREE,
            "day": MONDAY.isoformat(),
            "start_time": "12:00",
            "end_time": "18:00",
            "note": "keep me",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "already has a shift then: Early shift" in body
    assert 'value="keep me"' in body
    assert Shift.objects.count() == 1


def test_coach_cannot_add_shifts(client, world) -> None:
    client.force_login(world["coach"])
    url = f"{reverse('scheduling:shift-create')}?team={world['team'].public_id}"
    assert client.get(url).status_code == 404


def test_nurse_cannot_edit_another_teams_shift(client, world) -> None:
    shift = ShiftFactory(team=world["other_team"], nurse=world["other_nurse"], day=MONDAY)
    client.force_login(world["nurse"])
    assert client.get(reverse("scheduling:shift-edit", args=[shift.public_id])).status_code == 404


def test_rota_page_query_count_is_flat(client, world, django_assert_max_num_queries) -> None:
    client.force_login(world["nurse"])
    ShiftFactory(team=world["team"], nurse=world["nurse"], day=MONDAY)
    with django_assert_max_num_queries(10) as small:
        client.get(rota_url(world["team"]))
    # more shifts, a leave, night cover by another team and a bigger team
    for i in range(1, 7):
        ShiftFactory(team=world["team"], nurse=world["nurse"], day=MONDAY + dt.timedelta(days=i))
        ShiftFactory(
            team=world["team"], nurse=world["colleague"], day=MONDAY + dt.timedelta(days=i)
        )
        ShiftFactory(
            team=world["other_team"],
            nurse=world["other_nurse"],
            kind=ShiftKind.NIGHT,
            starts_at=local_datetime(MONDAY + dt.timedelta(days=i), dt.time(23)),
            ends_at=local_datetime(MONDAY + dt.timedelta(days=i + 1), dt.time(7)),
        )
    CoverArrangementFactory(covering_team=world["other_team"], covered_team=world["team"])
    LeaveFactory(nurse=world["colleague"])
    MembershipFactory(team=world["team"], seat=3, started_on=dt.date(2020, 1, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(rota_url(world["team"])).content.decode()
    assert body.count("Early 07:00–15:00") == 13
    assert body.count(">leave</span>") == 7
    assert "Night" not in body.split("<tbody>")[1].split('class="gaps"')[0]  # cover: not ours


def test_rota_counts_night_cover_of_another_team_and_marks_leave(client, world) -> None:
    # given the other team's night nurse covers ours on Monday night, and our day is covered
    for nurse in ("nurse", "colleague"):
        ShiftFactory(team=world["team"], nurse=world[nurse], day=MONDAY)
        ShiftFactory(
            team=world["team"],
            nurse=world[nurse],
            kind=ShiftKind.LATE,
            starts_at=local_datetime(MONDAY, dt.time(15)),
            ends_at=local_datetime(MONDAY, dt.time(23)),
        )
    ShiftFactory(
        team=world["other_team"],
        nurse=world["other_nurse"],
        kind=ShiftKind.NIGHT,
        starts_at=local_datetime(MONDAY, dt.time(23)),
        ends_at=local_datetime(MONDAY + dt.timedelta(days=1), dt.time(7)),
    )
    CoverArrangementFactory(covering_team=world["other_team"], covered_team=world["team"])
    LeaveFactory(
        nurse=world["colleague"],
        starts_at=local_datetime(MONDAY + dt.timedelta(days=2), dt.time()),
        ends_at=local_datetime(MONDAY + dt.timedelta(days=3), dt.time()),
    )
    client.force_login(world["nurse"])
    body = client.get(rota_url(world["team"])).content.decode()
    gaps_row = body.split('class="gaps"')[1]
    # then Monday shows only the gap before 07:00 (the night before Monday is not covered)
    monday_cell = gaps_row.split("</td>")[1]
    assert "00:00–07:00 0/1" in monday_cell
    assert "23:00" not in monday_cell
    assert body.count(">leave</span>") == 1


def test_coverage_page_and_api_query_counts_are_flat_over_28_days(
    client, world, django_assert_max_num_queries
) -> None:
    client.force_login(world["nurse"])
    start = local_datetime(MONDAY, dt.time(0))
    end = local_datetime(MONDAY + dt.timedelta(days=28), dt.time(0))
    api = reverse("api-team-coverage", args=[world["team"].public_id])
    params = {"start": start.isoformat(), "end": end.isoformat()}
    page = f"{reverse('scheduling:coverage')}?team={world['team'].public_id}"
    ShiftFactory(team=world["team"], nurse=world["nurse"], day=MONDAY)
    with django_assert_max_num_queries(10) as api_small:
        assert client.get(api, params).status_code == 200
    with django_assert_max_num_queries(10) as page_small:
        assert client.get(page).status_code == 200
    for i in range(1, 28):
        ShiftFactory(team=world["team"], nurse=world["nurse"], day=MONDAY + dt.timedelta(days=i))
        ShiftFactory(
            team=world["other_team"],
            nurse=world["other_nurse"],
            kind=ShiftKind.NIGHT,
            starts_at=local_datetime(MONDAY + dt.timedelta(days=i), dt.time(23)),
            ends_at=local_datetime(MONDAY + dt.timedelta(days=i + 1), dt.time(7)),
        )
    CoverArrangementFactory(covering_team=world["other_team"], covered_team=world["team"])
    with django_assert_max_num_queries(len(api_small.captured_queries)):
        gaps = client.get(api, params).json()["gaps"]
    assert gaps  # one nurse by day: still under-covered
    with django_assert_max_num_queries(len(page_small.captured_queries)):
        client.get(page)


# --- API ---------------------------------------------------------------------------------------


def test_coverage_api_returns_gaps_as_json(client, world) -> None:
    client.force_login(world["coach"])
    start = local_datetime(MONDAY, dt.time(0))
    end = local_datetime(MONDAY, dt.time(12))
    response = client.get(
        reverse("api-team-coverage", args=[world["team"].public_id]),
        {"start": start.isoformat(), "end": end.isoformat()},
    )
    assert response.status_code == 200
    gaps = response.json()["gaps"]
    assert [(g["required"], g["on_duty"]) for g in gaps] == [(1, 0), (2, 0)]
    assert gaps[1]["starts_at"] == "2026-06-01T07:00:00+02:00"


def test_coverage_api_is_404_for_another_team(client, world) -> None:
    client.force_login(world["other_nurse"])
    response = client.get(
        reverse("api-team-coverage", args=[world["team"].public_id]),
        {"start": "2026-06-01T00:00", "end": "2026-06-02T00:00"},
    )
    assert response.status_code == 404


def test_shift_api_refuses_thirty_hours_and_overlaps_with_400(client, world) -> None:
    client.force_login(world["nurse"])
    base = {"nurse": world["nurse"].public_id, "team": world["team"].public_id, "kind": "free"}
    response = client.post(
        reverse("api-shift-list"),
        {**base, "starts_at": "2026-06-01T07:00+02:00", "ends_at": "2026-06-02T13:00+02:00"},
    )
    assert response.status_code == 400
    assert "at most 12 hours" in response.json()["ends_at"][0]
    ok = client.post(
        reverse("api-shift-list"),
        {**base, "starts_at": "2026-06-01T07:00+02:00", "ends_at": "2026-06-01T15:00+02:00"},
    )
    assert ok.status_code == 201
    clash = client.post(
        reverse("api-shift-list"),
        {**base, "starts_at": "2026-06-01T14:00+02:00", "ends_at": "2026-06-01T20:00+02:00"},
    )
    assert clash.status_code == 400
    assert "Free times shift" in clash.json()["starts_at"][0]
    end_first = client.post(
        reverse("api-shift-list"),
        {**base, "starts_at": "2026-06-02T15:00+02:00", "ends_at": "2026-06-02T07:00+02:00"},
    )
    assert end_first.status_code == 400
    assert Shift.objects.count() == 1


def test_shift_api_lists_only_visible_shifts(client, world) -> None:
    ShiftFactory(team=world["team"], nurse=world["nurse"], day=MONDAY)
    ShiftFactory(team=world["other_team"], nurse=world["other_nurse"], day=MONDAY)
    client.force_login(world["nurse"])
    results = client.get(reverse("api-shift-list")).json()["results"]
    assert [r["team"] for r in results] == [str(world["team"].public_id)]
    client.force_login(world["back_office"])
    assert client.get(reverse("api-shift-list")).status_code == 403


@pytest.mark.parametrize(
    ("who", "status"),
    [("nurse", 200), ("coach", 200), ("other_nurse", 404), ("back_office", 404), ("admin", 404)],
)
def test_coverage_page_access(client, world, who, status) -> None:
    client.force_login(world[who])
    url = f"{reverse('scheduling:coverage')}?team={world['team'].public_id}"
    assert client.get(url).status_code == status


def test_coverage_page_lists_the_next_28_days_of_gaps(client, world) -> None:
    client.force_login(world["nurse"])
    body = client.get(reverse("scheduling:coverage")).content.decode()
    # nobody on duty: the first night until 07:00, then each day and each night, 28 times
    assert '<span class="pill bad">57 gaps</span>' in body
    assert body.count("<tr>") == 1 + 57


def test_night_cover_form_saves_and_refuses_self(client, world) -> None:
    client.force_login(world["nurse"])
    url = f"{reverse('scheduling:cover-arrangements')}?team={world['team'].public_id}"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"covered_team": world["other_team"].pk, "valid_from": "2026-06-01"}
    )
    assert response.status_code == 302
    assert world["team"].covers_for.get().covered_team == world["other_team"]
    again = client.post(url, {"covered_team": world["other_team"].pk, "valid_from": "2026-07-01"})
    assert "already covers" in again.content.decode()
