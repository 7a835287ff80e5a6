"""A nurse who moves team takes nothing of her old team with her (issue 20, item 4).

Ending her membership unassigns her future visits (they stay planned for the team), and every
visit read checks her CURRENT team: a visit that still names her gives her no way back into
her old team's client, care plan or notes.
"""

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from scheduling import selectors
from scheduling.models import Visit, VisitStatus
from teams import services as team_services
from tests.factories import VisitFactory
from tests.scheduling.conftest import DAY

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


def _name_her_past_the_database(visit: Visit, nurse: object) -> None:
    """Since issue 20 item 12 the database refuses a visit for a nurse outside the team; the
    read gate must hold even so, so this test writes one with the triggers off (superuser)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        Visit.objects.filter(pk=visit.pk).update(nurse=nurse)
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def move_to_other_team(world) -> None:
    """Her membership of team A ends today; she joins team B."""
    membership = world.nurse.memberships.active().get()
    team_services.membership_end(membership=membership, ended_on=timezone.localdate())
    team_services.team_add_nurse(team=world.other_team, nurse=world.nurse)


def test_ending_a_membership_unassigns_her_future_visits_only(world) -> None:
    # given two future planned visits of hers, a past one she did, and a colleague's
    future = VisitFactory(client=world.client_record, nurse=world.nurse, day=TOMORROW)
    later = VisitFactory(
        client=world.client_record, nurse=world.nurse, day=TOMORROW + dt.timedelta(days=7)
    )
    past = VisitFactory(client=world.client_record, nurse=world.nurse, day=DAY)
    colleagues = VisitFactory(
        client=world.client_record, nurse=world.colleague, day=TOMORROW, at=dt.time(11)
    )
    # when
    move_to_other_team(world)
    # then her future visits stay planned for team A, unassigned
    for visit in (future, later):
        visit.refresh_from_db()
        assert (visit.nurse, visit.team, visit.status) == (None, world.team, VisitStatus.PLANNED)
    # the past visit keeps its history, the colleague keeps hers
    past.refresh_from_db()
    colleagues.refresh_from_db()
    assert past.nurse == world.nurse
    assert colleagues.nurse == world.colleague


def test_old_teams_visit_pages_api_and_record_are_404_for_her(world, client) -> None:
    # given a visit of team A that still names her (written past the services) and the client
    visit = VisitFactory(client=world.client_record, nurse=world.nurse, day=TOMORROW)
    move_to_other_team(world)
    _name_her_past_the_database(visit, world.nurse)
    client.force_login(world.nurse)
    # when / then: every page of it is 404, as for any other team's visit
    for name in ("scheduling:visit-log", "scheduling:visit-edit"):
        response = client.get(reverse(name, kwargs={"public_id": visit.public_id}))
        assert response.status_code == 404, name
    for name in ("scheduling:visit-start", "scheduling:visit-done", "scheduling:visit-log"):
        response = client.post(reverse(name, kwargs={"public_id": visit.public_id}))
        assert response.status_code == 404, name
    record = reverse("clients:client-detail", kwargs={"public_id": world.client_record.public_id})
    assert client.get(record).status_code == 404
    # and the API answers the same
    api = APIClient()
    api.force_authenticate(world.nurse)
    assert api.get(reverse("api-visit-detail", kwargs={"id": visit.public_id})).status_code == 404
    assert api.get(reverse("api-visit-log", kwargs={"id": visit.public_id})).status_code in {
        404,
        405,
    }
    listed = api.get(reverse("api-visit-list")).json()
    assert str(visit.public_id) not in str(listed)


def test_my_day_and_feed_leave_out_a_visit_of_her_old_team(world) -> None:
    # given a visit of team A still naming her after she moved
    visit = VisitFactory(client=world.client_record, nurse=world.nurse, day=TOMORROW)
    move_to_other_team(world)
    _name_her_past_the_database(visit, world.nurse)
    # when / then
    assert selectors.my_day_visits(nurse=world.nurse, day=TOMORROW) == []
    start, end = selectors.day_bounds(TOMORROW)
    assert list(selectors.nurse_feed_visits(nurse=world.nurse, start=start, end=end)) == []
    with pytest.raises(Http404, match="No Visit matches"):
        selectors.visit_get_own(user=world.nurse, public_id=visit.public_id)


def test_her_new_teams_visits_are_hers_to_read(world) -> None:
    # given she moved and gets a visit of team B
    move_to_other_team(world)
    visit = VisitFactory(client__team=world.other_team, nurse=world.nurse, day=TOMORROW)
    # when / then
    assert selectors.visit_get_own(user=world.nurse, public_id=visit.public_id) == visit
    assert selectors.my_day_visits(nurse=world.nurse, day=TOMORROW) == [visit]
