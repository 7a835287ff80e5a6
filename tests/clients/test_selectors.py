"""Who sees which client records: 404 for everything else, never 403."""

import datetime as dt

import pytest
from django.http import Http404

from clients.export import client_record_fhir
from clients.models import ClientStatus
from clients.selectors import (
    client_get_clinical,
    client_get_editable,
    client_get_visible,
    client_list_visible,
    client_search,
    team_suggest_for_postcode,
    user_reads_clinical,
)
from omaha.models import OMAHA_SYSTEM_URI
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    ClientProblemSignFactory,
    InterventionFactory,
    NetworkContactFactory,
    OutcomeRatingFactory,
    PostcodeAreaFactory,
    problem_by_code,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "sees_a", "sees_b"),
    [
        ("nurse_a", True, False),
        ("nurse_b", False, True),
        ("coach_a", True, False),
        ("coach_b", False, True),
        ("back_office", True, True),
        ("admin", False, False),
    ],
)
def test_client_list_visible_by_role(
    access_world, client_record, other_client_record, who: str, sees_a: bool, sees_b: bool
) -> None:
    visible = set(client_list_visible(user=getattr(access_world, who)))
    assert (client_record in visible, other_client_record in visible) == (sees_a, sees_b)


def test_other_team_record_is_404(access_world, other_client_record) -> None:
    with pytest.raises(Http404, match="No Client matches"):
        client_get_visible(user=access_world.nurse_a, public_id=other_client_record.public_id)


@pytest.mark.parametrize("who", ["coach_a", "back_office", "admin", "nurse_b"])
def test_only_own_nurse_may_edit(access_world, client_record, who: str) -> None:
    with pytest.raises(Http404, match="No Client matches"):
        client_get_editable(user=getattr(access_world, who), public_id=client_record.public_id)
    assert client_get_editable(user=access_world.nurse_a, public_id=client_record.public_id)


@pytest.mark.parametrize("who", ["back_office", "admin", "nurse_b", "coach_b"])
def test_clinical_content_is_404_for_back_office_like_for_strangers(
    access_world, client_record, who: str
) -> None:
    # back office sees the client's administrative fields, yet its clinical content answers
    # exactly like another team's record, or one that does not exist
    assert client_get_visible(user=access_world.back_office, public_id=client_record.public_id)
    with pytest.raises(Http404, match="No Client matches the given query."):
        client_get_clinical(user=getattr(access_world, who), public_id=client_record.public_id)
    with pytest.raises(Http404, match="No Client matches the given query."):
        client_get_clinical(user=access_world.nurse_a, public_id=ClientFactory.build().public_id)


@pytest.mark.parametrize("who", ["nurse_a", "coach_a"])
def test_clinical_content_for_the_teams_nurses_and_coaches(
    access_world, client_record, who: str
) -> None:
    user = getattr(access_world, who)
    assert client_get_clinical(user=user, public_id=client_record.public_id) == client_record


def test_nurse_who_left_the_team_sees_nothing(access_world, client_record) -> None:
    membership = access_world.nurse_a.memberships.get()
    membership.ended_on = membership.started_on
    membership.save()
    assert not client_list_visible(user=access_world.nurse_a).exists()


def test_back_office_reads_no_clinical_content(access_world) -> None:
    assert not user_reads_clinical(user=access_world.back_office)
    assert not user_reads_clinical(user=access_world.admin)
    assert user_reads_clinical(user=access_world.coach_a)


def test_search_by_name_status_and_problem(access_world) -> None:
    team = access_world.team_a
    jan = ClientFactory(team=team, first_name="Jan", last_name="Smit")
    ClientFactory(team=team, first_name="Piet", last_name="Smit")
    gone = ClientFactory(
        team=team,
        first_name="Kees",
        status=ClientStatus.DISCHARGED,
        discharged_on=dt.date(2026, 2, 1),
    )
    ClientProblemFactory(client=jan, problem=problem_by_code("24"))
    nurse = access_world.nurse_a
    assert list(client_search(user=nurse, query="jan smit")) == [jan]
    assert list(client_search(user=nurse, status=ClientStatus.DISCHARGED)) == [gone]
    assert list(client_search(user=nurse, problem_code="24")) == [jan]
    # back office cannot filter on clinical content: the filter is ignored
    assert len(client_search(user=access_world.back_office, problem_code="24")) == 3


def test_postcode_suggests_the_neighbourhood_team(access_world) -> None:
    PostcodeAreaFactory(code="1093", neighbourhood=access_world.team_a.neighbourhood)
    assert team_suggest_for_postcode(postcode="1093 KL") == access_world.team_a
    assert team_suggest_for_postcode(postcode="9999 ZZ") is None


def test_fhir_export_codes_the_record_in_the_hl7_omaha_system(client_record) -> None:
    # given
    client_problem = ClientProblemSignFactory(
        client_problem=ClientProblemFactory(client=client_record, severity="actual")
    ).client_problem
    InterventionFactory(client_problem=client_problem)
    OutcomeRatingFactory(client_problem=client_problem, knowledge=3)
    NetworkContactFactory(client=client_record)
    # when
    bundle = client_record_fhir(client=client_record)
    # then
    resources = [e["resource"] for e in bundle["entry"]]
    by_type = {}
    for r in resources:
        by_type.setdefault(r["resourceType"], []).append(r)
    condition = by_type["Condition"][0]
    assert condition["code"]["coding"][0] == {
        "system": OMAHA_SYSTEM_URI,
        "code": "P24",
        "display": "Pain",
    }
    assert condition["evidence"][0]["code"][0]["coding"][0]["code"] == "S24.01"
    activity = by_type["CarePlan"][0]["activity"][0]["detail"]
    assert activity["code"]["coding"][0]["code"] == "T50"
    observation = by_type["Observation"][0]
    assert [c["valueInteger"] for c in observation["component"]] == [3, 3, 2]
    assert by_type["Patient"][0]["identifier"][0]["value"] == client_record.bsn
    assert "RelatedPerson" in by_type
