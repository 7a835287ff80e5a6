"""The Django admin as a superuser: configuration only, through the services, no secrets, no
care data (issue 14 deliverable 4, issue 20 item 3)."""

import base64
import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from clients.models import Client
from coaching.models import Space
from scheduling.billing.models import Contract, Tariff
from scheduling.models import Visit
from scheduling.services.rota import local_datetime
from teams.models import Neighbourhood, Role, Team, User
from teams.services import team_create
from tests.factories import (
    AdminFactory,
    CareServiceFactory,
    ClientFactory,
    CoachAssignmentFactory,
    CoverageRuleFactory,
    InsurerFactory,
    LeaveFactory,
    MembershipFactory,
    NeighbourhoodFactory,
    NurseFactory,
    PostcodeAreaFactory,
    ShiftFactory,
    VisitFactory,
)
from tests.factories.billing import ContractFactory, TariffFactory
from tests.factories.coaching import PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

CLIENT_FIRST, CLIENT_LAST = "Wilhelmina", "Zeldzaamnaam"
SHIFT_NOTE = "Shift note: knee still sore"
LEAVE_NOTE = "Leave note: hospital appointment"
POST_BODY = "Team message about mevrouw Zeldzaamnaam"


@pytest.fixture
def superuser(db: None) -> User:
    return AdminFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def world(superuser: User) -> dict:
    """A bit of everything the admin could show: team, nurse, client, visit, token, device."""
    neighbourhood = NeighbourhoodFactory(name="Oost")
    PostcodeAreaFactory(neighbourhood=neighbourhood, code="1091")
    team = team_create(name="Team Oost", neighbourhood=neighbourhood, is_active=True)
    membership = MembershipFactory(team=team, seat=1)
    nurse = membership.nurse
    CoachAssignmentFactory(team=team)
    CoverageRuleFactory(team=team)
    service = CareServiceFactory(code="1001", is_billable=True)
    insurer = InsurerFactory(name="Zorgverzekeraar Oost")
    client_record = ClientFactory(
        team=team, insurer=insurer, first_name=CLIENT_FIRST, last_name=CLIENT_LAST
    )
    VisitFactory(client=client_record, nurse=nurse, service=service)
    contract = ContractFactory(insurer=insurer)
    TariffFactory(contract=contract, service=service)
    TariffFactory(contract=contract, service=CareServiceFactory(code="1002", is_billable=True))
    MembershipFactory(team=team, seat=2)  # two of each row a list shows: N+1 shows up
    CoachAssignmentFactory(team=team)
    CoverageRuleFactory(team=team, starts_at=dt.time(23), ends_at=dt.time(7), min_nurses=1)
    ShiftFactory(nurse=nurse, team=team, note=SHIFT_NOTE)
    LeaveFactory(  # after the visit: the database refuses leave over booked visits
        nurse=nurse,
        reason=LEAVE_NOTE,
        starts_at=local_datetime(dt.date(2026, 7, 1), dt.time()),
        ends_at=local_datetime(dt.date(2026, 7, 8), dt.time()),
    )
    PostFactory(thread=ThreadFactory(space=team.space), body=POST_BODY)
    token = Token.objects.create(user=nurse)
    device = TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    TOTPDevice.objects.create(user=NurseFactory(), name="laptop", confirmed=True)
    return {"team": team, "nurse": nurse, "token": token, "device": device}


def _secrets(world: dict) -> list[str]:
    device = world["device"]
    return [
        world["token"].key,
        device.key,  # hex
        base64.b32encode(device.bin_key).decode(),  # as in the otpauth:// URL
        CLIENT_FIRST,
        CLIENT_LAST,
        SHIFT_NOTE,
        LEAVE_NOTE,
        POST_BODY,
    ]


def _pages(model: type, model_admin: admin.ModelAdmin) -> list[str]:
    info = model._meta.app_label, model._meta.model_name
    pages = [reverse("admin:{}_{}_changelist".format(*info))]
    pages.append(reverse("admin:{}_{}_add".format(*info)))
    obj = model_admin.get_queryset(_Request()).first()
    if obj is not None:
        for view in ("change", "delete", "history"):
            pages.append(reverse("admin:{}_{}_{}".format(*info, view), args=[obj.pk]))
    return pages


class _Request:
    """Enough of a request for ModelAdmin.get_queryset (it only reads the ordering)."""

    GET: dict = {}  # noqa: RUF012


def test_every_admin_page_answers_without_secrets_or_client_data(
    client: object, superuser: User, world: dict
) -> None:
    # given
    client.force_login(superuser)
    secrets = _secrets(world)
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        pages += _pages(model, model_admin)
    # when
    problems = []
    for url in pages:
        try:
            response = client.get(url)
        except Exception as exc:  # noqa: BLE001 - a 500 (or an N+1) on one page: keep walking
            problems.append(f"{url}: {exc!r}")
            continue
        if response.status_code not in (200, 403):
            problems.append(f"{url}: {response.status_code}")
            continue
        text = response.content.decode()
        problems += [f"{url} shows {s!r}" for s in secrets if s in text]
    # then
    assert len(pages) > 60
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "changelist",
    [
        "coaching/space",
        "coaching/thread",
        "coaching/post",
        "coaching/attachment",
        "scheduling/shift",
        "scheduling/leave",
        "authtoken/tokenproxy",
    ],
)
def test_care_messaging_and_token_models_are_not_in_the_admin(
    client: object, superuser: User, changelist: str
) -> None:
    client.force_login(superuser)
    assert client.get(f"/admin/{changelist}/").status_code == 404


def test_no_api_token_can_be_made_for_another_user(
    client: object, superuser: User, world: dict
) -> None:
    # given
    client.force_login(superuser)
    other = NurseFactory()
    # when
    response = client.post("/admin/authtoken/tokenproxy/add/", {"user": other.pk})
    # then
    assert response.status_code == 404
    assert not Token.objects.filter(user=other).exists()


def test_two_factor_device_shows_no_key_and_can_be_deleted(
    client: object, superuser: User, world: dict
) -> None:
    # given
    client.force_login(superuser)
    device = world["device"]
    change = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    # when
    page = client.get(change)
    config = client.get(change.replace("/change/", "/config/"))
    deleted = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    # then
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert config.status_code in (302, 404)  # no QR-code/secret page: the catch-all answers
    assert deleted.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_team_made_in_the_admin_gets_its_messaging_space(client: object, superuser: User) -> None:
    # given
    client.force_login(superuser)
    neighbourhood = NeighbourhoodFactory()
    team_create(name="Team Taken", neighbourhood=neighbourhood, is_active=True)
    # when
    response = client.post(
        reverse("admin:teams_team_add"),
        {"name": "Team Admin", "neighbourhood": neighbourhood.pk, "is_active": "on"},
    )
    renamed = client.post(
        reverse("admin:teams_team_change", args=[Team.objects.get(name="Team Admin").pk]),
        {"name": "Team Taken", "neighbourhood": neighbourhood.pk, "is_active": "on"},
    )
    # then
    assert response.status_code == 302
    team = Team.objects.get(name="Team Admin")
    assert Space.objects.filter(team=team).exists()
    assert renamed.status_code == 200  # team_update's full_clean: the name is taken
    assert renamed.context["adminform"].form.errors["name"]


def test_a_nurse_in_a_team_cannot_be_made_a_coach_in_the_admin(
    client: object, superuser: User, world: dict
) -> None:
    # given
    client.force_login(superuser)
    nurse = world["nurse"]
    # when
    response = client.post(
        reverse("admin:teams_user_change", args=[nurse.pk]),
        {
            "first_name": nurse.first_name,
            "last_name": nurse.last_name,
            "email": nurse.email,
            "role": Role.COACH,
            "is_active": "on",
        },
    )
    # then: the service's rule, on the role field
    assert response.status_code == 200
    assert "End this nurse&#x27;s team membership" in response.content.decode()
    nurse.refresh_from_db()
    assert nurse.role == Role.NURSE


def test_a_role_change_in_the_admin_goes_through_the_service(
    client: object, superuser: User
) -> None:
    # given
    user = NurseFactory()
    client.force_login(superuser)
    # when
    response = client.post(
        reverse("admin:teams_user_change", args=[user.pk]),
        {"first_name": "A", "last_name": "B", "email": "", "role": Role.COACH, "is_active": "on"},
    )
    # then
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.role, user.first_name) == (Role.COACH, "A")


def test_superuser_and_staff_flags_are_shown_not_edited(client: object, superuser: User) -> None:
    # given
    user = NurseFactory()
    client.force_login(superuser)
    # when
    page = client.get(reverse("admin:teams_user_change", args=[user.pk])).content.decode()
    # then
    assert 'name="is_superuser"' not in page
    assert 'name="is_staff"' not in page
    assert 'name="groups"' not in page


def test_a_user_added_in_the_admin_gets_her_role_and_a_strong_password(
    client: object, superuser: User
) -> None:
    # given
    client.force_login(superuser)
    form = {"username": "newcoach", "role": Role.COACH, "password1": "short", "password2": "short"}
    # when
    refused = client.post(reverse("admin:teams_user_add"), form)
    strong = "plain-ladder-oak-1871"
    added = client.post(
        reverse("admin:teams_user_add"), {**form, "password1": strong, "password2": strong}
    )
    # then
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["password2"]
    assert added.status_code == 302
    user = User.objects.get(username="newcoach")
    assert (user.role, user.check_password(strong)) == (Role.COACH, True)


def test_a_zero_tariff_is_refused_at_its_field(
    client: object, superuser: User, world: dict
) -> None:
    # given
    client.force_login(superuser)
    tariff = Tariff.objects.get(service__code="1001")
    # when
    response = client.post(
        reverse("admin:billing_tariff_change", args=[tariff.pk]), {"hourly_rate": "0"}
    )
    # then
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["hourly_rate"]
    tariff.refresh_from_db()
    assert tariff.hourly_rate == Decimal("78.35")


def test_contracts_are_added_through_the_service(
    client: object, superuser: User, world: dict
) -> None:
    # given
    client.force_login(superuser)
    contract = Contract.objects.get()
    inline = {"tariffs-TOTAL_FORMS": "0", "tariffs-INITIAL_FORMS": "0"}  # as the browser sends
    add = reverse("admin:billing_contract_add")
    # when
    again = client.post(
        add, {"insurer": contract.insurer_id, "year": contract.year, "reference": "x", **inline}
    )
    added = client.post(
        add, {"insurer": contract.insurer_id, "year": "2027", "reference": "C-2027", **inline}
    )
    # then
    assert again.status_code == 200
    assert again.context["adminform"].form.errors["year"]
    assert added.status_code == 302
    years = Contract.objects.filter(insurer=contract.insurer).values_list("year", flat=True)
    assert sorted(years) == [contract.year, 2027]


def test_a_postcode_of_another_neighbourhood_is_refused(
    client: object, superuser: User, world: dict
) -> None:
    client.force_login(superuser)
    response = client.post(
        reverse("admin:teams_neighbourhood_add"),
        {"name": "West", "population_estimate": "5000", "postcodes": "1091, 1092"},
    )
    assert response.status_code == 200
    assert "1091 already belongs to Oost" in response.content.decode()
    assert not Neighbourhood.objects.filter(name="West").exists()


def test_deleting_an_insurer_is_not_offered(client: object, superuser: User, world: dict) -> None:
    client.force_login(superuser)
    insurer = world["team"].clients.get().insurer
    response = client.get(reverse("admin:clients_insurer_delete", args=[insurer.pk]))
    assert response.status_code == 403


def test_a_neighbourhood_changed_in_the_admin_keeps_its_postcodes_through_the_service(
    client: object, superuser: User, world: dict
) -> None:
    # given
    client.force_login(superuser)
    neighbourhood = world["team"].neighbourhood
    url = reverse("admin:teams_neighbourhood_change", args=[neighbourhood.pk])
    # when
    shown = client.get(url).context["adminform"].form["postcodes"].value()
    inline = {  # the read-only postcode list's management form, as the browser sends it
        "postcode_areas-TOTAL_FORMS": "1",
        "postcode_areas-INITIAL_FORMS": "1",
    }
    response = client.post(
        url, {"name": "Oost", "population_estimate": "8000", "postcodes": "1091 1093", **inline}
    )
    # then
    assert shown == "1091"
    assert response.status_code == 302
    codes = sorted(neighbourhood.postcode_areas.values_list("code", flat=True))
    assert codes == ["1091", "1093"]


# What the Django admin may hold: organisation, accounts, reference data and configuration.
# A model added to the admin must be added here on purpose (after checking that none of its
# pages shows care data, messages or secrets).
ADMIN_MODELS = {
    "auth.Group",
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "axes.AccessLog",
    "billing.BillingRun",
    "billing.Contract",
    "billing.RunFile",
    "billing.Tariff",
    "clients.Insurer",
    "omaha.Domain",
    "omaha.InterventionCategory",
    "omaha.InterventionTarget",
    "omaha.ModifierTerm",
    "omaha.Problem",
    "omaha.RatingConcept",
    "omaha.RatingScoreLabel",
    "omaha.SignSymptom",
    "otp_totp.TOTPDevice",
    "scheduling.CareService",
    "scheduling.CoverArrangement",
    "scheduling.CoverageRule",
    "teams.CoachAssignment",
    "teams.Membership",
    "teams.Neighbourhood",
    "teams.Team",
    "teams.User",
}
# Apps whose every model is care data, messaging, history or a secret.
NEVER_IN_ADMIN_APPS = {"coaching", "history", "audit", "authtoken", "pghistory"}


def _reaches_a_client(model: type, depth: int = 2) -> bool:
    """The model points at a client, or at a row that points at one (a visit, a problem)."""
    if model is Client:
        return True
    if depth == 0:
        return False
    return any(
        field.many_to_one and _reaches_a_client(field.related_model, depth - 1)
        for field in model._meta.get_fields()
        if getattr(field, "related_model", None) is not None and field.concrete
    )


def test_the_admin_holds_only_reviewed_configuration_models() -> None:
    registered = {model._meta.label for model in admin.site._registry}
    assert registered - ADMIN_MODELS == set(), "review these before they go into the admin"
    assert not {label for label in registered if label.split(".")[0] in NEVER_IN_ADMIN_APPS}, (
        "care, messaging, history and token models stay out of the admin"
    )
    assert _reaches_a_client(Visit)  # (the walk finds what it should)
    care = sorted(m._meta.label for m in admin.site._registry if _reaches_a_client(m))
    assert care == [], f"models that hold a client's data are in the admin: {care}"


def test_a_superuser_finds_no_token_or_care_model_by_url(client: object, superuser: User) -> None:
    # given every model of the care and messaging apps, and the token models
    client.force_login(superuser)
    urls = [
        f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for model in apps.get_models()
        if model._meta.app_label in NEVER_IN_ADMIN_APPS | {"clients"}
        and model._meta.label != "clients.Insurer"
    ]
    urls += ["/admin/authtoken/token/", "/admin/authtoken/tokenproxy/add/"]
    # when / then: none has an admin page
    answers = {url: client.get(url).status_code for url in urls}
    assert len(urls) > 10
    assert {url: code for url, code in answers.items() if code != 404} == {}
