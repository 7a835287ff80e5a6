"""A BSN in care with another team never says so (issue 20, item 10): neither when a nurse
changes a client's BSN to it, nor when a registration loses the race for it. Both become an
intake request for back office; her own team's client may still be named "already registered".
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from clients import services
from clients.intake.models import IntakeRequest
from clients.models import Client
from tests.clients.test_services import register_kwargs
from tests.factories import ClientFactory, make_bsn

pytestmark = pytest.mark.django_db

NEUTRAL = str(services.BSN_SENT_TO_BACK_OFFICE)


# --- changing a client's BSN ------------------------------------------------------------------


def test_changing_to_a_bsn_in_care_elsewhere_is_refused_neutrally_and_sent_to_back_office(
    access_world, client_record, other_client_record
) -> None:
    # given her own client, and team B's client with another BSN
    before = Client.objects.get(pk=client_record.pk)
    # when she changes her client's BSN (and city) to team B's client's BSN
    with pytest.raises(ValidationError, match=re.escape(NEUTRAL)) as exc:
        services.client_update(
            client=client_record,
            actor=access_world.nurse_a,
            bsn=other_client_record.bsn,
            city="Hengelo",
        )
    # then: the neutral message at the bsn field, nothing about the other team
    assert exc.value.message_dict == {"bsn": [NEUTRAL]}
    assert "already registered" not in str(exc.value)
    # nothing of the change stored
    after = Client.objects.get(pk=client_record.pk)
    assert (after.bsn, after.city) == (before.bsn, before.city)
    # and back office has a request naming both teams and her client
    intake = IntakeRequest.objects.get()
    assert (intake.team, intake.in_care_with, intake.requested_by, intake.bsn) == (
        access_world.team_a,
        access_world.team_b,
        access_world.nurse_a,
        other_client_record.bsn,
    )
    assert intake.details["change"] == "bsn"
    assert intake.details["client"] == str(client_record.public_id)
    assert "city" not in intake.details


def test_changing_to_the_bsn_of_her_own_teams_client_may_say_already_registered(
    access_world, client_record
) -> None:
    own_other = ClientFactory(team=access_world.team_a)
    with pytest.raises(ValidationError, match=re.escape(str(services.BSN_TAKEN))) as exc:
        services.client_update(client=client_record, actor=access_world.nurse_a, bsn=own_other.bsn)
    assert exc.value.message_dict == {"bsn": [services.BSN_TAKEN]}
    assert not IntakeRequest.objects.exists()


def test_keeping_her_clients_own_bsn_is_no_conflict(access_world, client_record) -> None:
    services.client_update(
        client=client_record, actor=access_world.nurse_a, bsn=client_record.bsn, city="Hengelo"
    )
    assert Client.objects.get(pk=client_record.pk).city == "Hengelo"
    assert not IntakeRequest.objects.exists()


def test_the_edit_page_shows_the_neutral_message_at_the_field_and_keeps_what_she_typed(
    client, access_world, client_record, other_client_record
) -> None:
    client.force_login(access_world.nurse_a)
    url = reverse("clients:client-edit", args=[client_record.public_id])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data |= {"insurer": client_record.insurer.pk, "bsn": other_client_record.bsn}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["bsn"] == [NEUTRAL]
    page = response.content.decode()
    assert f'value="{other_client_record.bsn}"' in page
    assert access_world.team_b.name not in page
    assert "already registered" not in page
    assert Client.objects.get(pk=client_record.pk).bsn == client_record.bsn
    assert IntakeRequest.objects.count() == 1


def test_the_api_answers_the_same_neutral_400(
    access_world, client_record, other_client_record
) -> None:
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    url = reverse("api-client-detail", args=[client_record.public_id])
    response = api.patch(url, {"bsn": other_client_record.bsn}, format="json")
    assert response.status_code == 400
    assert NEUTRAL in str(response.json())
    assert "already registered" not in str(response.json())
    assert Client.objects.get(pk=client_record.pk).bsn == client_record.bsn
    assert IntakeRequest.objects.count() == 1


# --- the race: the BSN is taken between the check and the write ---------------------------------


def _taken_in_between(
    monkeypatch: pytest.MonkeyPatch, bsn: str, team: Any, *, after_clean: bool
) -> None:
    """Team `team` registers `bsn` while our write is between its check and its INSERT/UPDATE:
    just before our model validation (it then sees the duplicate) or just after it (only the
    database's unique index does)."""
    real: Callable[..., None] = Client.full_clean
    done = []

    def full_clean(self: Client, *args: Any, **kwargs: Any) -> None:
        if done or self.bsn != bsn:
            return real(self, *args, **kwargs)
        done.append(True)
        if after_clean:
            real(self, *args, **kwargs)
            ClientFactory(team=team, bsn=bsn)
            return None
        ClientFactory(team=team, bsn=bsn)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Client, "full_clean", full_clean)


@pytest.mark.parametrize("after_clean", [False, True], ids=["before-validation", "at-insert"])
def test_a_registration_that_loses_the_race_becomes_an_intake_request(
    monkeypatch, access_world, insurer, after_clean: bool
) -> None:
    bsn = make_bsn()
    _taken_in_between(monkeypatch, bsn, access_world.team_b, after_clean=after_clean)
    result = services.client_register(
        actor=access_world.nurse_a, **register_kwargs(insurer, bsn=bsn)
    )
    assert isinstance(result, IntakeRequest)
    assert (result.team, result.in_care_with) == (access_world.team_a, access_world.team_b)
    assert result.details["last_name"] == "de Groot"
    assert list(Client.objects.filter(bsn=bsn).values_list("team", flat=True)) == [
        access_world.team_b.pk
    ]


def test_a_registration_that_loses_the_race_to_her_own_team_says_already_registered(
    monkeypatch, access_world, insurer
) -> None:
    bsn = make_bsn()
    _taken_in_between(monkeypatch, bsn, access_world.team_a, after_clean=True)
    with pytest.raises(ValidationError, match=re.escape(str(services.BSN_TAKEN))):
        services.client_register(actor=access_world.nurse_a, **register_kwargs(insurer, bsn=bsn))
    assert not IntakeRequest.objects.exists()


@pytest.mark.parametrize("after_clean", [False, True], ids=["before-validation", "at-update"])
def test_a_bsn_change_that_loses_the_race_is_refused_neutrally(
    monkeypatch, access_world, client_record, after_clean: bool
) -> None:
    bsn = make_bsn()
    _taken_in_between(monkeypatch, bsn, access_world.team_b, after_clean=after_clean)
    with pytest.raises(ValidationError, match=re.escape(NEUTRAL)) as exc:
        services.client_update(client=client_record, actor=access_world.nurse_a, bsn=bsn)
    assert exc.value.message_dict == {"bsn": [NEUTRAL]}
    assert Client.objects.get(pk=client_record.pk).bsn == client_record.bsn
    assert IntakeRequest.objects.get().in_care_with == access_world.team_b


def test_the_request_is_in_her_clients_gdpr_export_and_erased_with_it(
    access_world, client_record, other_client_record
) -> None:
    import datetime as dt

    from scheduling.privacy.reads import client_data
    from scheduling.privacy.services import client_erase

    # given a request to give her client team B's client's BSN
    with pytest.raises(ValidationError, match=re.escape(NEUTRAL)):
        services.client_update(
            client=client_record, actor=access_world.nurse_a, bsn=other_client_record.bsn
        )
    # then her client's subject access copy lists it (it names her client)
    data = client_data(client=client_record)
    assert [r["details"]["client"] for r in data["intake_requests"]] == [
        str(client_record.public_id)
    ]
    # and erasing her client after retention deletes it
    Client.objects.filter(pk=client_record.pk).update(
        admitted_on=dt.date(2000, 1, 3),
        status="discharged",
        discharged_on=dt.date(2001, 1, 3),
        discharge_reason="moved",
    )
    assert client_erase(client_id=client_record.pk) is True
    assert not IntakeRequest.objects.exists()


def test_back_office_sees_which_client_the_bsn_change_was_for(
    client, access_world, client_record, other_client_record
) -> None:
    with pytest.raises(ValidationError, match=re.escape(NEUTRAL)):
        services.client_update(
            client=client_record, actor=access_world.nurse_a, bsn=other_client_record.bsn
        )
    client.force_login(access_world.back_office)
    page = client.get(reverse("intake:list")).content.decode()
    assert "New BSN for her team's client:" in page
    assert client_record.last_name in page
    assert other_client_record.bsn in page
