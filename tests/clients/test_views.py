"""Client pages: access per role (404, never 403), audit rows, forms, query counts."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtzorg.audit.models import AccessEvent, Action
from clients.models import (
    BSN_INVALID,
    Client,
    ClientProblem,
    ClientStatus,
    Intervention,
    OutcomeRating,
)
from tests.factories import (
    CareIndicationFactory,
    ClientFactory,
    ClientProblemFactory,
    ClientProblemSignFactory,
    InsurerFactory,
    InterventionFactory,
    NetworkContactFactory,
    OutcomeRatingFactory,
    problem_by_code,
)

pytestmark = pytest.mark.django_db

READ_ACCESS = [
    ("nurse_a", 200),
    ("nurse_b", 404),
    ("coach_a", 200),
    ("coach_b", 404),
    ("back_office", 200),
    ("admin", 404),
]
EDIT_ACCESS = [
    ("nurse_a", 200),
    ("nurse_b", 404),
    ("coach_a", 404),
    ("coach_b", 404),
    ("back_office", 404),
    ("admin", 404),
]


def rich_record(client_record: Client, problems: int = 2, ratings: int = 2) -> None:
    """Give a client problems with signs, interventions, ratings and a network."""
    codes = ["24", "26", "42", "38", "27", "23", "35", "07"]
    for code in codes[:problems]:
        cp = ClientProblemFactory(
            client=client_record, problem=problem_by_code(code), severity="actual"
        )
        ClientProblemSignFactory(client_problem=cp)
        InterventionFactory(client_problem=cp)
        for i in range(ratings):
            OutcomeRatingFactory(
                client_problem=cp, rated_on=dt.date(2026, 1, 5) + dt.timedelta(days=28 * i)
            )
    NetworkContactFactory(client=client_record)


@pytest.mark.parametrize(("who", "status"), READ_ACCESS)
def test_client_detail_access(client, access_world, client_record, who: str, status: int) -> None:
    client.force_login(getattr(access_world, who))
    assert client.get(client_record.get_absolute_url()).status_code == status


@pytest.mark.parametrize(
    "name",
    [
        "clients:client-edit",
        "clients:client-discharge",
        "clients:problem-add",
        "clients:indication-add",
        "clients:network-add",
    ],
)
@pytest.mark.parametrize(("who", "status"), EDIT_ACCESS)
def test_edit_pages_only_for_the_own_nurse(
    client, access_world, client_record, name: str, who: str, status: int
) -> None:
    client.force_login(getattr(access_world, who))
    assert client.get(reverse(name, args=[client_record.public_id])).status_code == status


@pytest.mark.parametrize("name", ["clients:rating-add", "clients:intervention-add"])
@pytest.mark.parametrize(("who", "status"), EDIT_ACCESS)
def test_problem_pages_only_for_the_own_nurse(
    client, access_world, client_record, name: str, who: str, status: int
) -> None:
    cp = ClientProblemFactory(client=client_record)
    client.force_login(getattr(access_world, who))
    url = reverse(name, args=[client_record.public_id, cp.public_id])
    assert client.get(url).status_code == status


def test_coach_cannot_post_a_rating(client, access_world, client_record) -> None:
    cp = ClientProblemFactory(client=client_record)
    client.force_login(access_world.coach_a)
    url = reverse("clients:rating-add", args=[client_record.public_id, cp.public_id])
    data = {"rated_on": "2026-02-01", "moment": "admission", "knowledge": 3, "behavior": 3}
    assert client.post(url, data | {"status": 3}).status_code == 404
    assert not OutcomeRating.objects.exists()


def test_anonymous_goes_to_login(client, client_record) -> None:
    response = client.get(client_record.get_absolute_url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_back_office_sees_administrative_fields_but_no_clinical_content(
    client, access_world, client_record
) -> None:
    # given
    rich_record(client_record)
    client.force_login(access_world.back_office)
    # when
    page = client.get(client_record.get_absolute_url()).content.decode()
    listing = client.get(reverse("clients:client-list")).content.decode()
    # then
    assert client_record.bsn in page
    assert client_record.policy_number in page
    assert "Pain" not in page
    assert "Outcome ratings" not in page
    assert "Informal network" not in page
    assert client_record.gp_agb not in page
    assert "Pain" not in listing
    export_url = reverse("clients:client-export", args=[client_record.public_id])
    assert client.get(export_url).status_code == 404
    assert AccessEvent.objects.filter(part="administrative").count() == 1


def test_nurse_sees_the_whole_record_with_chart(client, access_world, client_record) -> None:
    rich_record(client_record)
    client.force_login(access_world.nurse_a)
    page = client.get(client_record.get_absolute_url()).content.decode()
    assert "Pain" in page
    assert "<svg" in page
    assert "kbs-panel" in page
    assert "Informal network" in page


def test_record_view_writes_one_audit_row(client, access_world, client_record) -> None:
    client.force_login(access_world.coach_a)
    client.get(client_record.get_absolute_url())
    event = AccessEvent.objects.get()
    assert (event.action, event.client_public_id, event.username) == (
        Action.VIEW,
        client_record.public_id,
        access_world.coach_a.username,
    )


def test_refused_view_writes_no_audit_row(client, access_world, client_record) -> None:
    client.force_login(access_world.nurse_b)
    assert client.get(client_record.get_absolute_url()).status_code == 404
    assert not AccessEvent.objects.exists()


def test_list_search_is_audited_once_naming_the_query(client, access_world) -> None:
    ClientFactory.create_batch(3, team=access_world.team_a)
    client.force_login(access_world.nurse_a)
    client.get(reverse("clients:client-list"), {"q": "smit", "status": "active"})
    event = AccessEvent.objects.get()
    assert event.action == Action.LIST
    assert "smit" in event.detail


def test_list_shows_only_own_team(client, access_world, client_record, other_client_record) -> None:
    client.force_login(access_world.nurse_a)
    page = client.get(reverse("clients:client-list")).content.decode()
    assert client_record.last_name in page
    assert str(other_client_record.get_absolute_url()) not in page


def test_list_filters_by_problem(client, access_world) -> None:
    with_pain = ClientFactory(team=access_world.team_a, last_name="Pijnlijk")
    ClientFactory(team=access_world.team_a, last_name="Gezond")
    ClientProblemFactory(client=with_pain, problem=problem_by_code("24"))
    client.force_login(access_world.nurse_a)
    page = client.get(reverse("clients:client-list"), {"problem": "24"}).content.decode()
    assert "Pijnlijk" in page
    assert "Gezond" not in page


def _many_clients(team, n: int) -> None:  # noqa: ANN001
    insurer = InsurerFactory()
    for client_record in ClientFactory.create_batch(n, team=team, insurer=insurer):
        ClientProblemFactory(client=client_record)


def _list_queries(client, nurse, query: dict | None = None) -> tuple[int, str]:  # noqa: ANN001
    client.force_login(nurse)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("clients:client-list"), query or {})
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("query", [{}, {"status": "active"}, {"q": "a", "status": "discharged"}])
def test_client_list_query_count_is_the_same_for_3_and_40_clients(
    client, access_world, query: dict
) -> None:
    # given a team of 3 clients, then one of 40 (a full page and a second), each with problems
    _many_clients(access_world.team_a, 3)
    small, body = _list_queries(client, access_world.nurse_a, query)
    assert "<html" in body
    _many_clients(access_world.team_a, 37)
    big, body = _list_queries(client, access_world.nurse_a, query)

    # then the page costs the same number of queries, within the budget of 10
    assert small == big
    assert big <= 10


def test_client_list_names_active_problems_per_row(client, access_world, client_record) -> None:
    ClientProblemFactory(client=client_record, problem=problem_by_code("24"))
    resolved = ClientProblemFactory(client=client_record, problem=problem_by_code("26"))
    ClientProblem.objects.filter(pk=resolved.pk).update(
        status="resolved", resolved_on=resolved.identified_on
    )
    _, body = _list_queries(client, access_world.nurse_a)
    # the client's row, found by its link (the nurse may share the client's last name)
    row = body[body.index(f'href="{client_record.get_absolute_url()}"') :].split("</tr>")[0]
    assert problem_by_code("24").name in row
    assert problem_by_code("26").name not in row


def _page_queries(client, nurse, client_record) -> tuple[int, str]:  # noqa: ANN001
    client.force_login(nurse)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(client_record.get_absolute_url())
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_client_page_query_count_is_the_same_for_a_small_and_a_big_record(
    client, access_world
) -> None:
    # given a record of 1 problem rated once, and one of 6 problems rated 5 times each
    small_record, big_record = (
        ClientFactory(team=access_world.team_a),
        ClientFactory(team=access_world.team_a),
    )
    rich_record(small_record, problems=1, ratings=1)
    rich_record(big_record, problems=6, ratings=5)
    for products in ("personal care", "nursing", "night care"):  # the same products never overlap
        CareIndicationFactory(client=big_record, products=products)
    NetworkContactFactory.create_batch(3, client=big_record)

    small, _ = _page_queries(client, access_world.nurse_a, small_record)
    big, body = _page_queries(client, access_world.nurse_a, big_record)

    # then both cost the same number of queries, within the budget of 10, and show it all
    assert small == big
    assert big <= 10
    assert body.count('<article class="card" id="p-') == 6
    # K, B and S panels per problem, each line 4 segments over 5 ratings
    assert body.count('class="kbs-panel ') == 6 * 3
    assert body.count('class="kbs-line"') == 6 * 3 * 4
    for contact in big_record.network.all():
        assert contact.name in body
    for iv in Intervention.objects.filter(client_problem__client=big_record):
        assert iv.description in body
    assert body.count(">open</td>") + body.count("–") >= 3  # the indications' rows


def test_problem_cards_link_each_problem_and_intervention_to_its_own_forms(
    client, access_world, client_record
) -> None:
    # given a record of two problems, each with an active intervention
    rich_record(client_record, problems=2, ratings=1)
    client.force_login(access_world.nurse_a)
    # when her nurse opens the record
    body = client.get(client_record.get_absolute_url()).content.decode()
    # then each card links to its own problem's forms, each intervention to its own stop page
    for cp in client_record.problems.select_related("problem"):
        ids = [client_record.public_id, cp.public_id]
        for name in ("clients:intervention-add", "clients:rating-add", "clients:problem-resolve"):
            assert f'href="{reverse(name, args=ids)}"' in body, name
        questions = reverse("coaching:problem-questions", args=[cp.problem.code])
        assert f'href="{questions}"' in body
        for iv in cp.interventions.all():
            stop = reverse("clients:intervention-stop", args=[*ids, iv.public_id])
            assert f'href="{stop}"' in body
    # and her coach reads the same cards without the forms' links
    client.force_login(access_world.coach_a)
    body = client.get(client_record.get_absolute_url()).content.decode()
    assert body.count('<article class="card" id="p-') == 2
    assert "/ratings/new/" not in body
    assert "/stop/" not in body
    assert reverse("coaching:problem-questions", args=["24"]) in body


def test_another_teams_record_looks_like_one_that_does_not_exist(
    client, access_world, client_record
) -> None:
    client.force_login(access_world.nurse_b)
    theirs = client.get(client_record.get_absolute_url())
    missing = client.get(reverse("clients:client-detail", args=[uuid.uuid4()]))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


# --- forms ----------------------------------------------------------------------------------


def test_register_through_the_page(client, access_world) -> None:
    insurer = InsurerFactory()
    client.force_login(access_world.nurse_a)
    data = {
        "first_name": "Jan",
        "last_name": "de Groot",
        "date_of_birth": "1938-04-02",
        "bsn": "111222333",
        "street": "Javastraat",
        "house_number": "12",
        "postcode": "1094ab",
        "city": "Amsterdam",
        "insurer": insurer.pk,
        "policy_number": "ZK-1",
        "admitted_on": "2026-02-01",
    }
    response = client.post(reverse("clients:client-register"), data)
    assert response.status_code == 302
    created = Client.objects.get()
    assert created.postcode == "1094 AB"
    assert AccessEvent.objects.get().action == Action.CREATE


def test_invalid_bsn_form_rerenders_with_error_and_keeps_input(client, access_world) -> None:
    client.force_login(access_world.nurse_a)
    data = {"first_name": "Jan", "bsn": "123456789", "street": "Javastraat"}
    response = client.post(reverse("clients:client-register"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "11-test" in body
    # the 11-test message itself, shown together with the other missing fields
    assert "must pass the 11-test (elfproef)" in body
    assert str(BSN_INVALID) in body.replace("&#x27;", "'")
    assert 'value="Javastraat"' in body
    assert not Client.objects.exists()


def test_discharge_before_admission_via_page(client, access_world, client_record) -> None:
    client.force_login(access_world.nurse_a)
    url = reverse("clients:client-discharge", args=[client_record.public_id])
    response = client.post(url, {"discharged_on": "2025-01-01", "reason": "moved"})
    assert response.status_code == 200
    assert "cannot be before admission" in response.content.decode()
    client_record.refresh_from_db()
    assert client_record.status == ClientStatus.ACTIVE


def test_problem_form_cascades_domain_problem_signs(client, access_world, client_record) -> None:
    client.force_login(access_world.nurse_a)
    url = reverse("clients:problem-add", args=[client_record.public_id])
    # domain narrows the problems
    body = client.get(url, {"domain": "01"}, headers={"HX-Request": "true"}).content.decode()
    assert "Income" in body
    assert "24 Pain" not in body
    assert "<html" not in body
    # the problem brings its signs/symptoms; the search narrows them, chosen ones stay
    params = {"domain": "03", "problem": "24", "severity": "actual", "signs": "24.01"}
    body = client.get(url, params | {"sign_q": "grimace"}).content.decode()
    assert "facial grimaces" in body
    assert "restless behavior" not in body
    assert 'type="hidden" name="signs" value="24.01"' in body


def test_problem_added_through_the_page_with_other_sign(
    client, access_world, client_record
) -> None:
    client.force_login(access_world.nurse_a)
    url = reverse("clients:problem-add", args=[client_record.public_id])
    data = {
        "domain": "03",
        "problem": "24",
        "scope": "individual",
        "severity": "actual",
        "priority": "high",
        "identified_on": "2026-02-01",
        "signs": ["24.01"],
        "other_text": "burning feet",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # other without a reason is refused
    assert "a reason" in response.content.decode()
    assert not ClientProblem.objects.exists()
    response = client.post(url, data | {"other_reason": "neuropathic pain is not listed"})
    assert response.status_code == 302
    assert ClientProblem.objects.get().signs.count() == 2


def test_signs_on_potential_problem_via_page_are_refused(
    client, access_world, client_record
) -> None:
    client.force_login(access_world.nurse_a)
    url = reverse("clients:problem-add", args=[client_record.public_id])
    data = {
        "problem": "24",
        "scope": "individual",
        "severity": "potential",
        "priority": "high",
        "identified_on": "2026-02-01",
        "signs": ["24.01"],
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "only when the severity is Actual" in response.content.decode()
    assert not ClientProblem.objects.exists()


def test_rating_and_intervention_through_the_page(client, access_world, client_record) -> None:
    cp = ClientProblemFactory(client=client_record, identified_on=dt.date(2026, 1, 5))
    client.force_login(access_world.nurse_a)
    rating_url = reverse("clients:rating-add", args=[client_record.public_id, cp.public_id])
    bad = {"rated_on": "2026-02-01", "moment": "admission", "knowledge": 7}
    assert client.post(rating_url, bad | {"behavior": 3, "status": 3}).status_code == 200
    good = {"rated_on": "2026-02-01", "moment": "admission", "knowledge": 2}
    assert client.post(rating_url, good | {"behavior": 3, "status": 3}).status_code == 302
    iv_url = reverse("clients:intervention-add", args=[client_record.public_id, cp.public_id])
    data = {"category": "01", "target": "50", "description": "Teach pain diary"}
    assert client.post(iv_url, data).status_code == 302
    assert cp.ratings.count() == 1
    assert cp.interventions.count() == 1


def test_export_is_json_and_audited(client, access_world, client_record) -> None:
    rich_record(client_record)
    client.force_login(access_world.coach_a)
    response = client.get(reverse("clients:client-export", args=[client_record.public_id]))
    assert response.status_code == 200
    assert response.json()["resourceType"] == "Bundle"
    assert AccessEvent.objects.get().action == Action.EXPORT


@pytest.mark.parametrize("who", ["nurse_a", "coach_a", "back_office", "admin"])
def test_vocabulary_browser_searches_by_word_and_code(client, access_world, who: str) -> None:
    client.force_login(getattr(access_world, who))
    url = reverse("omaha:browser")
    assert "Pain" in client.get(url, {"q": "grimaces"}).content.decode()
    by_code = client.get(url, {"q": "45"}, headers={"HX-Request": "true"}).content.decode()
    assert "Oral health" in by_code
    assert "Income" not in by_code
