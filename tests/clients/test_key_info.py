"""Key info for the door (issue 18, My day): key safe, allergies, alarm on the client record.

Edited on the client form through `client_update`, shown on the record, in the API, and (as
care data) in the GDPR copy and erased with the record (tests/privacy/test_gdpr.py)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from buurtzorg.audit.models import AccessEvent, Action
from clients import services
from clients.models import KEY_INFO_MAX_LENGTH, Client
from scheduling.privacy.reads import client_data_export

pytestmark = pytest.mark.django_db

KEY_INFO = {
    "key_safe_note": "Key safe left of the door, code 4821",
    "allergies": "Penicillin",
    "alarm_note": "Neck alarm; the control room calls the daughter",
}


def _edit_data(record: Client, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        name: getattr(record, name) for name in services.CLIENT_FIELDS if name != "insurer"
    }
    data["insurer"] = record.insurer_id
    data["date_of_birth"] = record.date_of_birth.isoformat()
    data.update(changes)
    return data


def test_the_edit_form_saves_key_info_through_the_service(client, access_world, client_record):
    # given the client's nurse on the edit form
    client.force_login(access_world.nurse_a)
    url = reverse("clients:client-edit", args=[client_record.public_id])
    assert 'name="key_safe_note"' in client.get(url).content.decode()
    # when she fills in the key info
    response = client.post(
        url, _edit_data(client_record, **{k: f" {v} " for k, v in KEY_INFO.items()})
    )
    # then it is saved (trimmed), the change is logged once, and the record shows it
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert {name: getattr(client_record, name) for name in KEY_INFO} == KEY_INFO
    assert AccessEvent.objects.filter(action=Action.UPDATE, part="personal-details").count() == 1
    page = client.get(client_record.get_absolute_url()).content.decode()
    for value in KEY_INFO.values():
        assert value in page


def test_too_long_key_info_is_refused_at_the_field_and_keeps_the_input(
    client, access_world, client_record
) -> None:
    client.force_login(access_world.nurse_a)
    url = reverse("clients:client-edit", args=[client_record.public_id])
    long_note = "x" * (KEY_INFO_MAX_LENGTH + 1)
    response = client.post(
        url, _edit_data(client_record, allergies="Latex", key_safe_note=long_note)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "at most 200 characters" in body
    assert 'value="Latex"' in body
    client_record.refresh_from_db()
    assert (client_record.allergies, client_record.key_safe_note) == ("", "")


def test_the_api_reads_and_changes_key_info(access_world, client_record) -> None:
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    url = reverse("api-client-detail", args=[client_record.public_id])
    response = api.patch(url, {"allergies": "Latex"}, format="json")
    assert response.status_code == 200
    body = api.get(url).json()
    assert (body["allergies"], body["key_safe_note"], body["alarm_note"]) == ("Latex", "", "")
    # back office reads no care detail
    api.force_authenticate(access_world.back_office)
    assert "allergies" not in api.get(url).json()


def test_the_gdpr_copy_holds_the_key_info(access_world, client_record) -> None:
    Client.objects.filter(pk=client_record.pk).update(**KEY_INFO)
    data = client_data_export(
        actor=access_world.nurse_a, public_id=client_record.public_id, kind="json"
    )
    assert {name: data["client"][name] for name in KEY_INFO} == KEY_INFO
