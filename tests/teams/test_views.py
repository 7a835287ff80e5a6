import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from teams.models import Membership, Neighbourhood, Team, User
from tests.factories import NeighbourhoodFactory, NurseFactory, TeamFactory, team_with_nurses

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "teams:neighbourhood-list",
    "teams:neighbourhood-create",
    "teams:team-create",
    "teams:user-list",
    "teams:user-create",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("nurse_a", 404), ("coach_a", 404), ("back_office", 404)],
)
def test_admin_pages_are_for_administrators_only(client, access_world, name, who, status) -> None:
    client.force_login(getattr(access_world, who))
    assert client.get(reverse(name)).status_code == status


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(reverse("teams:team-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "sees_a", "sees_b"),
    [
        ("admin", True, True),
        ("back_office", True, True),
        ("coach_a", True, False),
        ("nurse_a", True, False),
        ("nurse_b", False, True),
    ],
)
def test_team_list_shows_only_visible_teams(client, access_world, who, sees_a, sees_b) -> None:
    client.force_login(getattr(access_world, who))
    body = client.get(reverse("teams:team-list")).content.decode()
    assert ("Team A" in body) is sees_a
    assert ("Team B" in body) is sees_b


def test_other_teams_page_answers_404(client, access_world) -> None:
    client.force_login(access_world.nurse_a)
    assert client.get(access_world.team_b.get_absolute_url()).status_code == 404
    assert client.get(access_world.team_a.get_absolute_url()).status_code == 200


def test_admin_creates_neighbourhood_with_population_warning(client, admin_user) -> None:
    client.force_login(admin_user)
    response = client.post(
        reverse("teams:neighbourhood-create"),
        {"name": "Groot", "postcodes": "3011, 3012", "population_estimate": 12000},
        follow=True,
    )
    assert response.status_code == 200
    hood = Neighbourhood.objects.get(name="Groot")
    assert sorted(hood.postcode_areas.values_list("code", flat=True)) == ["3011", "3012"]
    assert "over 10,000 inhabitants" in response.content.decode()


def test_duplicate_postcode_form_keeps_input_and_names_the_owner(client, admin_user) -> None:
    client.force_login(admin_user)
    client.post(
        reverse("teams:neighbourhood-create"),
        {"name": "Oost", "postcodes": "1091", "population_estimate": 5000},
    )
    response = client.post(
        reverse("teams:neighbourhood-create"),
        {"name": "West", "postcodes": "1050, 1091", "population_estimate": 5000},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Postcode area 1091 already belongs to Oost." in body
    assert 'value="West"' in body
    assert 'value="1050, 1091"' in body
    assert not Neighbourhood.objects.filter(name="West").exists()


def test_admin_creates_team_and_adds_nurse(client, admin_user) -> None:
    client.force_login(admin_user)
    hood = NeighbourhoodFactory()
    client.post(
        reverse("teams:team-create"),
        {"name": "Team Zuid", "neighbourhood": hood.pk, "is_active": "on"},
    )
    team = Team.objects.get(name="Team Zuid")
    nurse = NurseFactory()
    response = client.post(
        reverse("teams:team-add-nurse", args=[team.public_id]),
        {"nurse": nurse.pk, "started_on": "2026-01-01", "contracted_hours": "32"},
    )
    assert response.status_code == 302
    assert Membership.objects.get(team=team).nurse == nurse


def test_full_team_page_names_the_limit(client, admin_user) -> None:
    team, _ = team_with_nurses(12)
    nurse = NurseFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("teams:team-add-nurse", args=[team.public_id]),
        {"nurse": nurse.pk, "started_on": "2026-01-01", "contracted_hours": "32"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "already has 12 nurses" in body
    assert "<html" not in body  # only the members partial is swapped
    assert not Membership.objects.filter(nurse=nurse).exists()


def test_admin_creates_account_with_password_rules(client, admin_user) -> None:
    client.force_login(admin_user)
    bad = client.post(
        reverse("teams:user-create"), {"username": "kim", "role": "coach", "password": "short"}
    )
    assert "at least 12 characters" in bad.content.decode()
    assert not User.objects.filter(username="kim").exists()
    client.post(
        reverse("teams:user-create"),
        {"username": "kim", "role": "coach", "password": "a-long-passphrase-1"},
    )
    assert User.objects.get(username="kim").role == "coach"


def test_django_admin_is_for_superusers_only(client, admin_user) -> None:
    client.force_login(admin_user)  # administrator role, but not a superuser
    assert client.get("/admin/").status_code == 302
    admin_user.is_superuser = admin_user.is_staff = True
    admin_user.save()
    assert client.get("/admin/").status_code == 200


def test_healthz_reports_database_and_redis(client) -> None:
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_is_503_when_redis_is_unreachable(client, settings) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["redis"].startswith("error")


def test_team_list_query_count_is_flat(client, admin_user, django_assert_max_num_queries) -> None:
    client.force_login(admin_user)
    TeamFactory.create_batch(3)
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("teams:team-list"))
    TeamFactory.create_batch(30)
    with django_assert_max_num_queries(8) as large:
        client.get(reverse("teams:team-list"))
    assert len(small.captured_queries) == len(large.captured_queries)


def test_team_list_counts_active_nurses_per_team_without_grouping_all_memberships(
    client, admin_user
) -> None:
    # given a full team, a team with an ended membership and an empty team
    full, _ = team_with_nurses(12, name="Team Vol")
    half, nurses = team_with_nurses(3, name="Team Half")
    Membership.objects.filter(nurse=nurses[0]).update(ended_on=timezone.localdate())
    TeamFactory(name="Team Leeg")
    client.force_login(admin_user)
    # when
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("teams:team-list"))
    # then
    counts = {team.name: team.active_nurses for team in response.context["page"]}
    assert counts == {"Team Half": 2, "Team Leeg": 0, "Team Vol": 12}
    assert "full" in response.content.decode()
    assert not [q for q in queries if "GROUP BY" in q["sql"] and "LIMIT" not in q["sql"]]
