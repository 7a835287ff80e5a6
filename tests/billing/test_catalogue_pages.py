"""Insurers and care services have pages and an API of their own (issue 19, item 7), for back
office and administrators, written through services; nurses and coaches get 404."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clients import services as clients_services
from clients.models import Insurer
from scheduling import services as scheduling_services
from scheduling.models import CareService
from tests.factories import (
    AdminFactory,
    BackOfficeFactory,
    CareServiceFactory,
    CoachFactory,
    InsurerFactory,
    NurseFactory,
)

pytestmark = pytest.mark.django_db


def test_a_taken_uzovi_code_is_refused_at_the_field() -> None:
    InsurerFactory(uzovi="3311")
    with pytest.raises(ValidationError, match="Another insurer already has UZOVI code 3311"):
        clients_services.insurer_create(name="Twee", uzovi="3311", actor=AdminFactory())
    with pytest.raises(ValidationError, match="A UZOVI code is 4 digits."):
        clients_services.insurer_create(name="Drie", uzovi="33", actor=AdminFactory())
    assert Insurer.objects.count() == 1


def test_a_taken_care_service_code_is_refused() -> None:
    CareServiceFactory(code="1004")
    with pytest.raises(ValidationError, match="Another care service already has code 1004"):
        scheduling_services.care_service_create(
            code="1004", name="Dubbel", is_billable=True, actor=BackOfficeFactory()
        )


@pytest.mark.parametrize("make_user", [BackOfficeFactory, AdminFactory])
def test_insurer_pages_create_and_edit(client, make_user) -> None:
    client.force_login(make_user())
    # a bad code: the message at the field, what was typed kept, nothing stored
    response = client.post(reverse("billing:insurer-create"), {"name": "Zilver", "uzovi": "12a"})
    assert response.status_code == 200
    assert response.context["form"].errors["uzovi"] == ["A UZOVI code is 4 digits."]
    assert 'value="Zilver"' in response.content.decode()
    assert not Insurer.objects.exists()
    # then saved, listed and edited
    response = client.post(reverse("billing:insurer-create"), {"name": "Zilver", "uzovi": "3311"})
    assert response.status_code == 302
    insurer = Insurer.objects.get()
    assert "Zilver" in client.get(reverse("billing:insurer-list")).content.decode()
    edit = reverse("billing:insurer-edit", args=[insurer.public_id])
    client.post(edit, {"name": "Zilveren Kruis", "uzovi": "3311"})
    insurer.refresh_from_db()
    assert insurer.name == "Zilveren Kruis"


def test_care_service_pages_show_the_code_list_and_save(client) -> None:
    client.force_login(BackOfficeFactory())
    CareServiceFactory(code="1004", name="Verpleging en verzorging")
    CareServiceFactory(code="XYZ9", name="Eigen code")
    body = client.get(reverse("billing:care-service-list")).content.decode()
    assert "77 (Verpleging en verzorging)" in body  # the official list's indicator
    assert "not in the list" in body
    response = client.post(
        reverse("billing:care-service-create"), {"code": "1008", "name": "Casemanagement"}
    )
    assert response.status_code == 302
    service = CareService.objects.get(code="1008")
    assert service.is_billable is False  # an unticked box
    client.post(
        reverse("billing:care-service-edit", args=[service.pk]),
        {"code": "1008", "name": "Casemanagement dementie", "is_billable": "on"},
    )
    service.refresh_from_db()
    assert (service.name, service.is_billable) == ("Casemanagement dementie", True)


def test_api_lists_creates_and_changes(client) -> None:
    client.force_login(AdminFactory())
    created = client.post(
        reverse("api-billing-insurer-list"),
        {"name": "VGZ", "uzovi": "7029"},
        content_type="application/json",
    )
    assert created.status_code == 201
    insurer_id = created.json()["id"]
    refused = client.put(
        reverse("api-billing-insurer-detail", args=[insurer_id]),
        {"name": "VGZ", "uzovi": "70"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["uzovi"] == ["A UZOVI code is 4 digits."]
    assert client.get(reverse("api-billing-insurer-list")).json() == [
        {"id": insurer_id, "name": "VGZ", "uzovi": "7029"}
    ]
    service = client.post(
        reverse("api-billing-care-service-list"),
        {"code": "1004", "name": "Verpleging en verzorging"},
        content_type="application/json",
    )
    assert service.status_code == 201
    assert service.json()["is_billable"] is True
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/billing/insurers/" in schema
    assert "/api/billing/care-services/" in schema


@pytest.mark.parametrize("make_user", [NurseFactory, CoachFactory])
def test_nurses_and_coaches_get_404(client, make_user) -> None:
    client.force_login(make_user())
    assert client.get(reverse("billing:insurer-list")).status_code == 404
    assert client.get(reverse("billing:care-service-list")).status_code == 404
    assert client.get(reverse("api-billing-insurer-list")).status_code == 404


def test_contracts_api_adds_a_contract_and_sets_a_tariff(client) -> None:
    # given an insurer and a billable service
    insurer = InsurerFactory(uzovi="3311")
    CareServiceFactory(code="1004", is_billable=True)
    client.force_login(AdminFactory())
    # when a contract is added, twice for the same year
    url = reverse("api-billing-contract-list")
    created = client.post(url, {"insurer_uzovi": "3311", "year": 2027}, "application/json")
    again = client.post(url, {"insurer_uzovi": "3311", "year": 2027}, "application/json")
    # then the second is refused at the year
    assert created.status_code == 201
    assert again.status_code == 400
    assert "already has a contract for 2027" in again.json()["year"][0]
    # and its tariffs are set through the same service as the page's (0 refused)
    detail = reverse("api-billing-contract-detail", args=[created.json()["id"]])
    start = "2027-01-01"
    zero = client.post(
        detail,
        {"service_code": "1004", "hourly_rate": "0", "valid_from": start},
        "application/json",
    )
    assert zero.status_code == 400
    assert zero.json()["hourly_rate"] == ["The hourly tariff must be more than 0."]
    unknown = client.post(
        detail,
        {"service_code": "ZZZ", "hourly_rate": "80", "valid_from": start},
        "application/json",
    )
    assert unknown.json()["service_code"] == ["There is no care service with this code."]
    saved = client.post(
        detail,
        {"service_code": "1004", "hourly_rate": "80.50", "valid_from": start},
        "application/json",
    )
    assert saved.status_code == 200
    assert saved.json()["tariffs"][0]["hourly_rate"] == "80.50"
    assert saved.json()["tariffs"][0]["valid_from"] == start
    assert saved.json()["insurer"]["uzovi"] == insurer.uzovi
    assert client.get(reverse("billing:contract-list")).status_code == 200  # admins too
