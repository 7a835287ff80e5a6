"""A nurse who moved team, end to end over every route (issue 20 item 4, "what the own suite
missed").

The matrix world is built with nurse A in team A (her client, visit, care plan, shift, report,
thread, ...). Then her membership ends and she joins team B, and a visit of team A is made to
name her again, as the hole in item 4 left it. From then on she is a team-B nurse: every route
must answer her what the access table says nurse B gets for team A's objects (404 for what is
team A's), and a refused request writes nothing. Her own things (her leave, her calendar
link) stay hers. A rating on her old client, through the page and the API, is refused and
stores nothing.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent
from clients.models import OutcomeRating
from scheduling.models import Visit
from teams import services as team_services
from tests.security.access_table import ROWS
from tests.security.routes import all_routes
from tests.security.world import World

pytestmark = pytest.mark.django_db

# Routes about her own person, not her team: they stay hers after a move.
HER_OWN = {"scheduling:leave-delete", "scheduling:ical-feed"}


def _move(world: World) -> None:
    membership = world.nurse_a.memberships.active().get()
    team_services.membership_end(membership=membership, ended_on=timezone.localdate())
    team_services.team_add_nurse(team=world.team_b, nurse=world.nurse_a)


def _rating_payload(world: World) -> dict:
    return {
        "client_problem": str(world.client_problem_a.public_id),
        "rated_on": timezone.localdate().isoformat(),
        "knowledge": 3,
        "behavior": 3,
        "status": 3,
        "moment": "interim",
    }


def test_after_a_move_every_route_answers_her_as_a_nurse_of_the_other_team() -> None:
    # given the world's team-A objects, all made while she was in team A
    world = World()
    urls = {}
    for name, _route, _ in all_routes():
        row = ROWS.get(name)
        if row is not None and not _route.startswith("/admin/"):
            urls[name] = reverse(name, kwargs=row.kwargs(world) if row.kwargs else None)
    # when she moves to team B, and a visit of team A still names her
    _move(world)
    Visit.objects.filter(pk=world.visit_a.pk).update(nurse=world.nurse_a)
    http = Client()
    http.force_login(world.nurse_a)
    # then every team-A route answers her what it answers nurse B
    failures, compared = [], 0
    for name, url in urls.items():
        row = ROWS[name]
        if name in HER_OWN or 404 not in row.expected("nurse_b"):
            continue  # (only routes that refuse the other team's nurse say anything here)
        with transaction.atomic():
            before = AccessEvent.objects.count()
            if row.method == "post":
                response = http.post(url, row.data or {})
            else:
                response = http.get(url, row.data or {})
            logged = AccessEvent.objects.count() - before
            transaction.set_rollback(True)
        compared += 1
        if response.status_code not in row.expected("nurse_b"):
            failures.append(
                f"{name} {url}: {response.status_code}, nurse B gets {row.raw('nurse_b')}"
            )
        elif logged:
            failures.append(f"{name} {url}: refused but wrote {logged} access rows")
    assert compared > 40
    assert not failures, "\n".join(failures)


def test_after_a_move_she_cannot_rate_her_old_client_by_page_or_api() -> None:
    world = World()
    problem = world.client_problem_a
    page = reverse(
        "clients:rating-add",
        kwargs={"public_id": world.client_a.public_id, "problem_id": problem.public_id},
    )
    api = reverse("api-client-ratings", kwargs={"id": world.client_a.public_id})
    http = Client()
    http.force_login(world.nurse_a)
    # given the payload is one the API takes from her while she is in team A
    with transaction.atomic():
        accepted = http.post(api, _rating_payload(world), content_type="application/json")
        transaction.set_rollback(True)
    assert accepted.status_code == 201, accepted.content
    # when she has moved
    _move(world)
    logged_before = AccessEvent.objects.filter(user_id=world.nurse_a.pk).count()
    before = OutcomeRating.objects.count()
    by_page = http.post(page, {"knowledge": 3, "behavior": 3, "status": 3})
    by_api = http.post(api, _rating_payload(world), content_type="application/json")
    assert (by_page.status_code, by_api.status_code) == (404, 404)
    assert OutcomeRating.objects.count() == before
    assert AccessEvent.objects.filter(user_id=world.nurse_a.pk).count() == logged_before
