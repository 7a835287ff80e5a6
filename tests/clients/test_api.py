"""Client API: same rules as the pages, 400 with field errors, 404 for what is not yours."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from buurtzorg.audit.models import AccessEvent, Action
from clients import services
from clients.models import RATING_OUT_OF_RANGE, Client, ClientProblem, OutcomeRating
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    InsurerFactory,
    InterventionFactory,
    OutcomeRatingFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


ROUTES = ["api-client-detail", "api-client-problems", "api-client-interventions",
          "api-client-ratings", "api-client-export"]  # fmt: skip
CLINICAL = {"nurse_a": 200, "coach_a": 200, "nurse_b": 404, "coach_b": 404,
            "back_office": 404, "admin": 404}  # fmt: skip


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("who", list(CLINICAL))
def test_read_access_per_role(api, access_world, client_record, route: str, who: str) -> None:
    api.force_authenticate(getattr(access_world, who))
    response = api.get(reverse(route, args=[client_record.public_id]))
    expected = CLINICAL[who]
    if route == "api-client-detail" and who == "back_office":
        expected = 200  # administrative fields only
    assert response.status_code == expected


def test_back_office_detail_has_no_clinical_fields(api, access_world, client_record) -> None:
    api.force_authenticate(access_world.back_office)
    body = api.get(reverse("api-client-detail", args=[client_record.public_id])).json()
    assert body["bsn"] == client_record.bsn
    assert "gp_agb" not in body
    assert "phone" not in body


def test_list_per_role(api, access_world, client_record, other_client_record) -> None:
    api.force_authenticate(access_world.nurse_a)
    ids = [c["id"] for c in api.get(reverse("api-client-list")).json()["results"]]
    assert ids == [str(client_record.public_id)]
    api.force_authenticate(access_world.admin)
    assert api.get(reverse("api-client-list")).status_code == 404
    assert AccessEvent.objects.filter(action=Action.LIST).count() == 1


def _api_list_queries(api, nurse, n_clients: int, team) -> int:  # noqa: ANN001
    insurer = InsurerFactory()
    for client_record in ClientFactory.create_batch(n_clients, team=team, insurer=insurer):
        ClientProblemFactory(client=client_record)
    api.force_authenticate(nurse)
    with CaptureQueriesContext(connection) as captured:
        response = api.get(reverse("api-client-list"))
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(Client.objects.filter(team=team).count(), 50)
    return len(captured.captured_queries)


def test_api_client_list_query_count_is_the_same_for_3_and_60_clients(api, access_world) -> None:
    small = _api_list_queries(api, access_world.nurse_a, 3, access_world.team_a)
    big = _api_list_queries(api, access_world.nurse_a, 57, access_world.team_a)
    assert small == big
    assert big <= 10


def test_anonymous_is_refused(api, client_record) -> None:
    assert api.get(reverse("api-client-list")).status_code in (401, 403)


def register_data(insurer, **overrides):  # noqa: ANN001, ANN201
    return {
        "first_name": "Jan",
        "last_name": "de Groot",
        "date_of_birth": "1938-04-02",
        "bsn": "111222333",
        "street": "Javastraat",
        "house_number": "12",
        "postcode": "1094 AB",
        "city": "Amsterdam",
        "insurer": insurer.uzovi,
        "policy_number": "ZK-1",
        "admitted_on": "2026-02-01",
    } | overrides


def test_register_via_api(api, access_world) -> None:
    insurer = InsurerFactory()
    api.force_authenticate(access_world.nurse_a)
    response = api.post(reverse("api-client-list"), register_data(insurer), format="json")
    assert response.status_code == 201
    assert response.json()["team"] == access_world.team_a.name


def test_invalid_bsn_via_api_is_400(api, access_world) -> None:
    insurer = InsurerFactory()
    api.force_authenticate(access_world.nurse_a)
    response = api.post(
        reverse("api-client-list"), register_data(insurer, bsn="123456789"), format="json"
    )
    assert response.status_code == 400
    assert "11-test" in response.json()["bsn"][0]
    assert not Client.objects.exists()


def test_coach_cannot_register_or_add(api, access_world, client_record) -> None:
    api.force_authenticate(access_world.coach_a)
    url = reverse("api-client-problems", args=[client_record.public_id])
    data = {"problem": "24", "scope": "individual", "severity": "potential"}
    response = api.post(url, data | {"identified_on": "2026-02-01"}, format="json")
    assert response.status_code == 404
    assert not ClientProblem.objects.exists()


def problem_data(**overrides):  # noqa: ANN201
    return {
        "problem": "24",
        "scope": "individual",
        "severity": "actual",
        "identified_on": "2026-02-01",
        "signs": [{"key": "24.01"}],
    } | overrides


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"severity": "potential"}, "signs", services.SIGNS_ONLY_WHEN_ACTUAL),
        ({"signs": []}, "signs", services.SIGNS_REQUIRED_WHEN_ACTUAL),
        ({"problem": "99"}, "problem", services.PROBLEM_UNKNOWN.format(code="99")),
        ({"signs": [{"key": "24.07", "other_text": "x"}]}, "signs", services.OTHER_NEEDS_REASON),
    ],
)
def test_bad_problem_via_api_is_400(
    api, access_world, client_record, overrides: dict, field: str, message: str
) -> None:
    api.force_authenticate(access_world.nurse_a)
    url = reverse("api-client-problems", args=[client_record.public_id])
    response = api.post(url, problem_data(**overrides), format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not ClientProblem.objects.exists()


def test_second_active_problem_via_api_is_400(api, access_world, client_record) -> None:
    api.force_authenticate(access_world.nurse_a)
    url = reverse("api-client-problems", args=[client_record.public_id])
    assert api.post(url, problem_data(), format="json").status_code == 201
    response = api.post(url, problem_data(), format="json")
    assert response.status_code == 400
    assert response.json()["problem"] == [services.PROBLEM_ALREADY_ACTIVE.format(problem="Pain")]
    listed = api.get(url).json()
    assert [p["problem_code"] for p in listed] == ["24"]
    assert listed[0]["signs_symptoms"][0]["key"] == "24.01"


def test_intervention_and_rating_via_api(api, access_world, client_record) -> None:
    cp = ClientProblemFactory(client=client_record)
    api.force_authenticate(access_world.nurse_a)
    iv_url = reverse("api-client-interventions", args=[client_record.public_id])
    bad = api.post(
        iv_url,
        {"client_problem": str(cp.public_id), "category": "01", "target": "06", "description": "x"},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["target"] == [services.TARGET_UNKNOWN.format(code="06")]
    ok = api.post(
        iv_url,
        {"client_problem": str(cp.public_id), "category": "01", "target": "50", "description": "x"},
        format="json",
    )
    assert ok.status_code == 201
    rating_url = reverse("api-client-ratings", args=[client_record.public_id])
    data = {"client_problem": str(cp.public_id), "rated_on": "2026-02-01", "moment": "admission"}
    bad = api.post(rating_url, data | {"knowledge": 6, "behavior": 3, "status": 3}, format="json")
    assert bad.status_code == 400
    assert bad.json()["knowledge"] == [RATING_OUT_OF_RANGE]
    ok = api.post(rating_url, data | {"knowledge": 2, "behavior": 3, "status": 3}, format="json")
    assert ok.status_code == 201
    assert OutcomeRating.objects.count() == 1


def test_problem_of_another_client_is_404(
    api, access_world, client_record, other_client_record
) -> None:
    foreign = ClientProblemFactory(client=other_client_record)
    api.force_authenticate(access_world.nurse_a)
    rating_url = reverse("api-client-ratings", args=[client_record.public_id])
    data = {"client_problem": str(foreign.public_id), "rated_on": "2026-02-01"}
    response = api.post(
        rating_url,
        data | {"moment": "admission", "knowledge": 2, "behavior": 3, "status": 3},
        format="json",
    )
    assert response.status_code == 404


def test_export_via_api_is_fhir_and_audited(api, access_world, client_record) -> None:
    cp = ClientProblemFactory(client=client_record)
    InterventionFactory(client_problem=cp)
    OutcomeRatingFactory(client_problem=cp)
    api.force_authenticate(access_world.nurse_a)
    bundle = api.get(reverse("api-client-export", args=[client_record.public_id])).json()
    assert bundle["resourceType"] == "Bundle"
    systems = {
        c["system"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Condition"
        for c in e["resource"]["code"]["coding"]
    }
    assert systems == {"http://terminology.hl7.org/CodeSystem/oms"}
    assert AccessEvent.objects.get().action == Action.EXPORT


def test_vocabulary_api(api, access_world) -> None:
    api.force_authenticate(access_world.nurse_a)
    problems = api.get(reverse("api-omaha-problems")).json()
    assert len(problems) == 42
    assert sum(len(p["signs_symptoms"]) for p in problems) == 377
    assert len(api.get(reverse("api-omaha-targets")).json()) == 76
    assert len(api.get(reverse("api-omaha-categories")).json()) == 4


def test_routes_are_in_the_openapi_schema(api, access_world) -> None:
    api.force_authenticate(access_world.nurse_a)
    schema = api.get(reverse("api-schema"), {"format": "json"}).json()
    for path in [
        "/api/clients/",
        "/api/clients/{id}/",
        "/api/clients/{id}/problems/",
        "/api/clients/{id}/interventions/",
        "/api/clients/{id}/ratings/",
        "/api/clients/{id}/export/",
        "/api/omaha/problems/",
        "/api/omaha/targets/",
        "/api/omaha/categories/",
    ]:
        assert path in schema["paths"], path


def test_api_list_pages_like_drf_and_a_missing_page_is_404_unlogged(
    api, access_world, client_record
) -> None:
    # given
    api.force_authenticate(access_world.nurse_a)
    # when / then: page 1 has DRF's count and links; "last" is the last page
    body = api.get(reverse("api-client-list"), {"page": "last"}).json()
    assert (body["count"], body["next"], body["previous"]) == (1, None, None)
    assert AccessEvent.objects.get().detail == "api q='' status='' problem=''"
    # and a page past the end answers 404 without an access row
    response = api.get(reverse("api-client-list"), {"page": 9})
    assert response.status_code == 404
    assert AccessEvent.objects.count() == 1
