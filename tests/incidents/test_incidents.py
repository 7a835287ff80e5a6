"""Incidents, safeguarding and complaints (issue 16, item 4): filed by a nurse, reviewed and
closed by her team, counted for the coach, invisible to back office."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent
from clients.models import ERASED_NAME
from coaching.incidents import reads, services
from coaching.incidents.models import Incident, IncidentAction, IncidentStatus
from scheduling.privacy.reads import client_data
from scheduling.privacy.services import client_erase
from tests.factories import ClientFactory, MembershipFactory
from tests.factories.incidents import IncidentFactory

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)


def _file(world, **kw):  # noqa: ANN001, ANN202
    data = {"kind": "fall", "occurred_on": YESTERDAY, "description": "Fell near the bed."} | kw
    return services.incident_file(actor=world.nurse_a, **data)


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("description", {"description": "   "}, "Describe what happened"),
        ("occurred_on", {"occurred_on": timezone.localdate() + dt.timedelta(days=1)}, "future"),
    ],
)
def test_bad_input_is_refused_at_its_field(
    access_world, field: str, overrides: dict, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as exc:
        _file(access_world, **overrides)
    assert field in exc.value.message_dict
    assert not Incident.objects.exists()


def test_form_keeps_the_typed_input_and_stores_nothing(client, access_world) -> None:
    client.force_login(access_world.nurse_a)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("incidents:create"),
        {"kind": "complaint", "occurred_on": tomorrow, "description": "Daughter unhappy."},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "cannot be in the future" in body
    assert "Daughter unhappy." in body
    assert f'value="{tomorrow}"' in body
    assert not Incident.objects.exists()
    response = client.post(
        reverse("incidents:create"),
        {"kind": "complaint", "occurred_on": YESTERDAY.isoformat(), "description": ""},
    )
    assert "Describe what happened." in response.content.decode()
    assert not Incident.objects.exists()


def test_client_must_be_of_her_team(access_world) -> None:
    stranger = ClientFactory(team=access_world.team_b)
    with pytest.raises(ValidationError, match="Choose a client of your team"):
        _file(access_world, client_public_id=stranger.public_id)


def test_from_filed_to_closed_in_the_team(client, access_world) -> None:
    # given a report about a client, filed without the author's name shown
    person = ClientFactory(team=access_world.team_a, last_name="Brinkman")
    incident = _file(
        access_world, kind="safeguarding", client_public_id=person.public_id, show_author=False
    )
    colleague = MembershipFactory(team=access_world.team_a, seat=2).nurse
    client.force_login(colleague)
    # when the team opens it, records an action and closes it
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Brinkman" in page
    assert access_world.nurse_a.display_name not in page
    assert "name not shown" in page
    client.post(
        reverse("incidents:action-add", args=[incident.public_id]), {"text": "Called the GP."}
    )
    client.post(reverse("incidents:close", args=[incident.public_id]))
    # then
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert incident.reported_by == access_world.nurse_a  # stored for the audit
    assert list(incident.actions.values_list("text", flat=True)) == ["Called the GP."]
    with pytest.raises(ValidationError, match="closed"):
        services.incident_action_add(
            actor=access_world.nurse_a, public_id=incident.public_id, text="late"
        )


def test_a_refused_action_or_close_re_renders_the_page_with_its_message(
    client, access_world
) -> None:
    # given an open incident of her team (found by the malformed-input walk: a refused
    # action read the incident twice in one request and answered 500 under the suite)
    incident = _file(access_world, kind="fall")
    client.force_login(access_world.nurse_a)
    action_url = reverse("incidents:action-add", args=[incident.public_id])
    # when she records an empty action (a form post, and a body that is no form at all)
    empty = client.post(action_url, {"text": "   "})
    not_a_form = client.post(action_url, '{"text": "x"}', content_type="application/json")
    # then the page comes back with the message at the field and nothing is stored
    for response in (empty, not_a_form):
        assert response.status_code == 200
        assert "Describe the action." in response.content.decode()
    assert not IncidentAction.objects.exists()
    # when she closes it twice, the second is refused on the page, never a 500
    client.post(reverse("incidents:close", args=[incident.public_id]))
    again = client.post(reverse("incidents:close", args=[incident.public_id]))
    late = client.post(action_url, {"text": "Late action"})
    assert again.status_code == late.status_code == 200
    assert "This incident is closed." in again.content.decode()
    assert "This incident is closed." in late.content.decode()
    assert not IncidentAction.objects.exists()


@pytest.mark.parametrize("who", ["nurse_b", "coach_a", "back_office", "admin"])
def test_only_the_teams_nurses_read_an_incident(client, access_world, who: str) -> None:
    incident = _file(access_world)
    client.force_login(getattr(access_world, who))
    assert client.get(incident.get_absolute_url()).status_code == 404
    assert client.get(reverse("incidents:list")).status_code == 404 or who == "nurse_b"


def test_detail_read_writes_one_row_naming_the_client(access_world) -> None:
    person = ClientFactory(team=access_world.team_a)
    incident = IncidentFactory(
        team=access_world.team_a, client=person, reported_by=access_world.nurse_a
    )
    reads.incident_open(actor=access_world.nurse_a, public_id=incident.public_id)
    rows = AccessEvent.objects.filter(user_id=access_world.nurse_a.pk)
    assert list(rows.values_list("client_public_id", "part")) == [(person.public_id, "incident")]


def test_coach_sees_counts_per_team_without_client_details(client, access_world) -> None:
    person = ClientFactory(team=access_world.team_a, last_name="Zeldzaam")
    for kind in ("fall", "fall", "complaint"):
        IncidentFactory(
            team=access_world.team_a,
            client=person,
            reported_by=access_world.nurse_a,
            kind=kind,
            occurred_on=timezone.localdate(),
        )
    client.force_login(access_world.coach_a)
    page = client.get(reverse("incidents:trends")).content.decode()
    assert "Zeldzaam" not in page
    assert "3 open" in page
    assert "Fall: 2, Complaint: 1" in page
    api = client.get(reverse("api-incident-trends")).json()
    team_a = next(t for t in api if t["team"] == str(access_world.team_a.public_id))
    assert team_a["months"][-1]["total"] == 3
    assert team_a["months"][-1]["kinds"]["fall"] == 2


def test_counts_for_teams_passed_in_stay_limited_to_the_coachs_own_teams(access_world) -> None:
    # given a report in team A and one in team B; coach A coaches team A only
    for team, nurse in (
        (access_world.team_a, access_world.nurse_a),
        (access_world.team_b, access_world.nurse_b),
    ):
        IncidentFactory(team=team, reported_by=nurse, occurred_on=timezone.localdate())
    # when the counts are asked for both teams, as the dashboard passes the teams it has read
    trends = reads.incident_trends_read(
        actor=access_world.coach_a,
        today=timezone.localdate(),
        months=3,
        teams=[access_world.team_a, access_world.team_b],
    )
    # then team A's report is counted and team B's is not
    totals = {t["team"].pk: sum(m["total"] for m in t["months"]) for t in trends}
    assert totals == {access_world.team_a.pk: 1, access_world.team_b.pk: 0}
    assert {t["team"].pk: t["open"] for t in trends}[access_world.team_b.pk] == 0


def test_coachs_dashboard_shows_each_teams_incident_counts_without_client_details(
    client, access_world
) -> None:
    # given three reports about a client of team A this month, one of them closed
    person = ClientFactory(team=access_world.team_a, last_name="Zeldzaam")
    for kind in ("fall", "fall", "complaint"):
        IncidentFactory(
            team=access_world.team_a,
            client=person,
            reported_by=access_world.nurse_a,
            kind=kind,
            description="Vond haar naast het bed.",
            occurred_on=timezone.localdate(),
        )
    Incident.objects.filter(kind="complaint").update(
        status=IncidentStatus.CLOSED, closed_at=timezone.now(), closed_by=access_world.nurse_a
    )
    # when the coach opens her dashboard (her start page, not the incidents page)
    client.force_login(access_world.coach_a)
    page = client.get(reverse("coaching:dashboard")).content.decode()
    # then team A's row (a card on a phone) counts them: open, this month by kind, and the
    # last three months
    rows = [r.split("</tr>")[0] for r in page.split('<tr class="team-row')[1:]]
    (card,) = [r for r in rows if f">{access_world.team_a.name}</a>" in r]
    assert "2 open" in card
    assert "Fall: 2, Complaint: 1" in card
    assert card.count('class="incident-month"') == 3
    assert reverse("incidents:trends") in card
    # and nothing about the client or what happened
    assert "Zeldzaam" not in page
    assert "naast het bed" not in page


def test_api_files_a_report_and_lists_it(client, access_world) -> None:
    client.force_login(access_world.nurse_a)
    response = client.post(
        reverse("api-incident-list"),
        {"kind": "aggression", "occurred_on": YESTERDAY.isoformat(), "description": "Shouting."},
        content_type="application/json",
    )
    assert response.status_code == 201
    listed = client.get(reverse("api-incident-list")).json()
    assert [i["kind"] for i in listed] == ["aggression"]
    bad = client.post(
        reverse("api-incident-list"),
        {"kind": "fall", "occurred_on": YESTERDAY.isoformat(), "description": ""},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "description" in bad.json()
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/incidents/" in schema


def test_gdpr_export_holds_and_erasure_blanks_incidents(access_world, settings) -> None:
    person = ClientFactory(
        team=access_world.team_a,
        admitted_on=dt.date(2001, 3, 1),
        status="discharged",
        discharged_on=dt.date(2005, 6, 1),
    )
    incident = IncidentFactory(
        team=access_world.team_a, client=person, reported_by=access_world.nurse_a, show_author=False
    )
    IncidentAction.objects.create(incident=incident, author=access_world.nurse_a, text="Talked.")
    exported = client_data(client=person)["incidents"]
    assert exported[0]["description"] == incident.description
    assert "reported_by_id" not in exported[0]  # filed without her name: not in the copy either
    assert exported[0]["actions"][0]["text"] == "Talked."
    settings.PRIVACY_RETENTION_YEARS = 20
    assert client_erase(client_id=person.pk)
    incident.refresh_from_db()
    assert incident.description == ERASED_NAME
    assert incident.actions.get().text == ERASED_NAME
