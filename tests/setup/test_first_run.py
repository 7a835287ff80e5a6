"""First run (issue 21, item 2): createsuperuser makes an administrator, and her first page on
an empty install is a checklist that ticks itself off from the data."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from clients.models import Insurer
from scheduling.models import CareService
from scheduling.setup.selectors import setup_checklist
from teams.models import Neighbourhood, Organisation, Role, User
from tests.factories import (
    AdminFactory,
    CareServiceFactory,
    CoachFactory,
    InsurerFactory,
    MembershipFactory,
    NurseFactory,
    OrganisationFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_install() -> None:
    """What `migrate` leaves: the vocabulary, no organisation details and none of the rest."""
    assert not Organisation.objects.exists()
    assert not Insurer.objects.exists()
    assert not CareService.objects.exists()
    assert not Neighbourhood.objects.exists()


def _done() -> dict[str, bool]:
    return {item.key: item.done for item in setup_checklist()}


def test_createsuperuser_makes_an_administrator(monkeypatch) -> None:
    # given a fresh install
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-unguessable-phrase")
    # when
    call_command("createsuperuser", "--noinput", username="eerste", email="eerste@example.org")
    # then she is an administrator in the app, and a superuser for the Django admin
    first = User.objects.get(username="eerste")
    assert first.role == Role.ADMIN
    assert first.is_superuser
    assert first.is_staff
    # while an ordinary account keeps the model's default role
    assert User.objects.create_user("gewoon", password="x" * 12).role == Role.NURSE


def test_checklist_items_tick_as_their_data_appears(empty_install) -> None:
    # given nothing set up: nothing is ticked
    assert _done() == dict.fromkeys(
        ["organisation", "insurers", "care_services", "neighbourhood", "team", "accounts"], False
    )
    # when the organisation details are set (incomplete ones do not count)
    organisation = OrganisationFactory(iban="")
    assert not _done()["organisation"]
    organisation.iban = "NL91ABNA0417164300"
    organisation.save()
    assert _done()["organisation"]
    # an insurer, a billable care service (a non-billable one does not count)
    InsurerFactory()
    CareServiceFactory(is_billable=False)
    assert _done()["insurers"]
    assert not _done()["care_services"]
    CareServiceFactory(is_billable=True)
    assert _done()["care_services"]
    # a team (and with it its neighbourhood)
    team = TeamFactory()
    assert _done()["neighbourhood"]
    assert _done()["team"]
    # accounts: a nurse in the team and a coach
    assert not _done()["accounts"]
    MembershipFactory(team=team, nurse=NurseFactory())
    assert not _done()["accounts"]
    CoachFactory()
    # then everything is ticked
    assert all(_done().values())


def test_an_administrators_first_page_is_the_checklist_until_it_is_done(
    client, empty_install
) -> None:
    # given an administrator on an empty install
    client.force_login(AdminFactory())
    # when she opens the app
    response = client.get(reverse("home"), follow=True)
    # then she is on the checklist, every item open, each with the link that does it
    assert response.redirect_chain[-1][0] == reverse("setup:checklist")
    body = response.content.decode()
    assert "0 of 6 steps done" in body
    assert body.count('class="pill warn"') == 6
    for name in (
        "teams:organisation",
        "billing:insurer-list",
        "billing:care-service-list",
        "teams:neighbourhood-create",
        "teams:team-create",
        "teams:user-create",
    ):
        assert f'href="{reverse(name)}"' in body
    # every step has a page of the app: none sends her to the Django admin
    assert "/admin/" not in body
    assert f'href="{reverse("teams:organisation")}"' in body
    # when everything is done, her start page is the teams again
    OrganisationFactory()
    InsurerFactory()
    CareServiceFactory()
    MembershipFactory(team=TeamFactory(), nurse=NurseFactory())
    CoachFactory()
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("teams:team-list")
    checklist = client.get(reverse("setup:checklist")).content.decode()
    assert checklist.count('class="pill ok"') == 7  # six items and the banner


def test_a_superuser_gets_the_same_pages_not_the_django_admin(client, empty_install) -> None:
    client.force_login(AdminFactory(is_superuser=True, is_staff=True))
    body = client.get(reverse("setup:checklist")).content.decode()
    assert f'href="{reverse("billing:insurer-list")}"' in body
    assert f'href="{reverse("billing:care-service-list")}"' in body
    assert reverse("admin:clients_insurer_changelist") not in body


def test_checklist_api_reports_the_same_items(client, empty_install) -> None:
    client.force_login(AdminFactory())
    InsurerFactory()
    data = client.get(reverse("api-setup-checklist")).json()
    assert data["complete"] is False
    by_key = {item["key"]: item for item in data["items"]}
    assert by_key["insurers"]["done"] is True
    assert by_key["team"]["done"] is False
    assert by_key["team"]["url"].endswith(reverse("teams:team-create"))
    assert by_key["organisation"]["url"].endswith(reverse("teams:organisation"))
    assert "/api/setup/checklist/" in client.get(reverse("api-schema")).content.decode()


def test_other_roles_do_not_see_the_checklist(client) -> None:
    client.force_login(NurseFactory())
    assert client.get(reverse("setup:checklist")).status_code == 404
    assert client.get(reverse("api-setup-checklist")).status_code == 403
