"""The access log learns the request's id, address and path from the request being served."""

import uuid

import pytest
from django.urls import reverse

from buurtzorg.audit.context import current_request
from buurtzorg.audit.models import AccessEvent, Action
from buurtzorg.audit.services import access_log_write
from tests.factories import NurseFactory

pytestmark = pytest.mark.django_db


def test_request_id_is_made_by_the_server_whatever_the_client_sends(client) -> None:
    # given a nurse who sends her own request id
    nurse = NurseFactory()
    client.force_login(nurse)
    sent = uuid.uuid4()
    # when she opens the client list (a read that writes one access row)
    response = client.get(reverse("clients:client-list"), headers={"X-Request-ID": str(sent)})
    # then the row and the response carry the server's id, not hers
    row = AccessEvent.objects.get(user_id=nurse.pk)
    assert row.request_id != sent
    assert response["X-Request-ID"] == str(row.request_id)
    assert row.path == reverse("clients:client-list")
    assert row.ip_address == "127.0.0.1"


def test_outside_a_request_the_row_has_its_own_id_and_no_address() -> None:
    # given no request is being served (a task, the shell)
    assert current_request() is None
    # when a service writes an access row
    row = access_log_write(actor=NurseFactory(), action=Action.EXPORT, part="test")
    # then it still has an id, and no made-up address or path
    assert row.request_id is not None
    assert row.ip_address is None
    assert row.path == ""
    assert row.role == "nurse"


def test_behind_a_trusted_proxy_the_log_records_the_forwarded_client(client, settings) -> None:
    # given the app runs behind a proxy at 127.0.0.1 that it trusts
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    nurse = NurseFactory()
    client.force_login(nurse)
    # when a request arrives through it from 203.0.113.9 (with a forged hop to its left)
    client.get(
        reverse("clients:client-list"), headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}
    )
    # then the access row names the real client, not the proxy and not the forged hop
    assert AccessEvent.objects.get(user_id=nurse.pk).ip_address == "203.0.113.9"
