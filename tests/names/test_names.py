"""Dutch names (issue 15): split, display, order, validation at the field, API, export, erasure."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from clients.export import FHIR_GENDER
from clients.models import ERASED_NAME, Client
from clients.selectors import client_search
from scheduling.privacy.reads import client_data
from scheduling.privacy.tasks import clients_erase_expired_task
from teams.forms import AddNurseForm
from teams.models import User
from teams.names import (
    INITIALS_INVALID,
    NAME_PREFIX_INVALID,
    Sex,
    initials_from_first_name,
    join_name_prefix,
    split_name_prefix,
)
from tests.factories import (
    ClientFactory,
    InsurerFactory,
    MembershipFactory,
    NurseFactory,
    TeamFactory,
)

REGISTER = {
    "initials": "J.H.",
    "first_name": "Jan",
    "name_prefix": "de",
    "last_name": "Jong",
    "sex": Sex.MALE,
    "date_of_birth": "1938-04-02",
    "bsn": "111222333",
    "street": "Javastraat",
    "house_number": "12",
    "postcode": "1094ab",
    "city": "Amsterdam",
    "policy_number": "ZK-1",
    "admitted_on": "2026-02-01",
}


@pytest.mark.parametrize(
    ("stored", "prefix", "last"),
    [
        ("de Jong", "de", "Jong"),
        ("van den Berg", "van den", "Berg"),
        ("van der Meer", "van der", "Meer"),
        ("van Dijk", "van", "Dijk"),
        ("in 't Veld", "in 't", "Veld"),
        ("'t Hart", "'t", "Hart"),
        ("ter Horst", "ter", "Horst"),
        ("uit den Bogaard", "uit den", "Bogaard"),
        ("De Vries", "De", "Vries"),
        ("Jansen", "", "Jansen"),
        ("Dekker", "", "Dekker"),  # starts with "de" but is one word
        ("Vandenberg", "", "Vandenberg"),
        ("van", "", "van"),  # a prefix alone is a surname
        ("de  Wit", "", "de  Wit"),  # not exactly one space: left whole, so nothing is lost
        ("", "", ""),
    ],
)
def test_a_leading_tussenvoegsel_is_split_without_loss(stored: str, prefix: str, last: str) -> None:
    assert split_name_prefix(stored) == (prefix, last)
    assert join_name_prefix(prefix, last) == stored


@pytest.mark.parametrize(
    ("first_name", "initials"),
    [
        ("Jan", "J."),
        ("Jan Hendrik", "J.H."),
        ("Jan-Willem", "J.W."),
        ("IJsbrand", "IJ."),
        ("émile", "É."),
        ("", ""),
        (ERASED_NAME, ""),
    ],
)
def test_initials_come_from_the_first_names(first_name: str, initials: str) -> None:
    assert initials_from_first_name(first_name) == initials


def test_display_formal_and_sort_names() -> None:
    person = Client(initials="J.H.", first_name="Jan", name_prefix="de", last_name="Jong")
    assert person.display_name == "Jan de Jong"
    assert person.formal_name == "J.H. de Jong"
    assert person.sort_name == "Jong, Jan de"
    assert str(person) == person.full_name == "Jan de Jong"
    plain = User(username="x", first_name="Anna", last_name="Bakker")
    assert plain.formal_name == "A. Bakker"  # initials not filled in yet: from the first name
    assert plain.get_full_name() == str(plain) == "Anna Bakker"


# --- the database -------------------------------------------------------------------------


@pytest.mark.django_db
def test_lists_put_de_jong_between_jansen_and_kok(access_world) -> None:  # noqa: ANN001
    # given clients stored (as the migration leaves them) without the prefix in last_name
    for prefix, last in (("", "Kok"), ("de", "Jong"), ("", "Jansen"), ("van", "Aalst")):
        ClientFactory(team=access_world.team_a, name_prefix=prefix, last_name=last)
    # when the client list reads them
    names = [c.sort_name.split(",")[0] for c in client_search(user=access_world.nurse_a)]
    # then "van Aalst" files under A and "de Jong" under J
    assert names == ["Aalst", "Jansen", "Jong", "Kok"]


@pytest.mark.django_db
def test_the_client_list_page_shows_last_name_first_in_that_order(client, access_world) -> None:  # noqa: ANN001
    for first, prefix, last in (("Kees", "", "Kok"), ("Jan", "de", "Jong"), ("Piet", "", "Jansen")):
        ClientFactory(
            team=access_world.team_a, first_name=first, name_prefix=prefix, last_name=last
        )
    client.force_login(access_world.nurse_a)
    body = client.get(reverse("clients:client-list")).content.decode()
    assert body.index("Jansen, Piet") < body.index("Jong, Jan de") < body.index("Kok, Kees")


@pytest.mark.django_db
def test_the_search_finds_a_name_typed_with_its_prefix(access_world) -> None:  # noqa: ANN001
    wanted = ClientFactory(team=access_world.team_a, name_prefix="de", last_name="Jong")
    ClientFactory(team=access_world.team_a, name_prefix="", last_name="Jongeneel", first_name="X")
    found = list(client_search(user=access_world.nurse_a, query="de jong"))
    assert found == [wanted]


@pytest.mark.django_db
def test_staff_selects_sort_on_last_name_without_prefix() -> None:
    for prefix, last in (("", "Kok"), ("de", "Jong"), ("", "Jansen")):
        NurseFactory(name_prefix=prefix, last_name=last)
    queryset = AddNurseForm().fields["nurse"].queryset  # type: ignore[attr-defined]
    assert [u.last_name for u in queryset] == ["Jansen", "Jong", "Kok"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("initials", "J1.", "client_initials_format"),
        ("initials", "J H", "client_initials_format"),
        ("name_prefix", "van 3", "client_name_prefix_format"),
        ("name_prefix", " de", "client_name_prefix_format"),
        ("sex", "5", "client_sex_known"),
    ],
)
def test_the_database_refuses_malformed_name_fields(
    field: str, value: str, constraint: str
) -> None:
    record = ClientFactory()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Client.objects.filter(pk=record.pk).update(**{field: value})


# --- forms and services -------------------------------------------------------------------


@pytest.mark.django_db
def test_register_page_stores_the_dutch_name(client, access_world) -> None:  # noqa: ANN001
    client.force_login(access_world.nurse_a)
    data = REGISTER | {"insurer": InsurerFactory().pk, "initials": "", "name_prefix": " van  den "}
    response = client.post(reverse("clients:client-register"), data)
    assert response.status_code == 302
    created = Client.objects.get()
    # blank initials come from the first name; the prefix is tidied
    assert (created.initials, created.name_prefix, created.last_name) == ("J.", "van den", "Jong")
    assert created.sex == Sex.MALE
    assert created.formal_name == "J. van den Jong"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("initials", "J1", INITIALS_INVALID), ("name_prefix", "van 3e", NAME_PREFIX_INVALID)],
)
def test_a_bad_name_field_shows_its_error_at_the_field_and_keeps_the_input(
    client,  # noqa: ANN001
    access_world,  # noqa: ANN001
    field: str,
    value: str,
    message: str,
) -> None:
    client.force_login(access_world.nurse_a)
    data = REGISTER | {"insurer": InsurerFactory().pk, field: value}
    response = client.post(reverse("clients:client-register"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {field: [str(message)]}
    body = response.content.decode()
    assert f'value="{value}"' in body
    assert 'value="Javastraat"' in body
    assert not Client.objects.exists()


@pytest.mark.django_db
def test_staff_account_form_has_the_name_fields_and_keeps_bad_input(client, access_world) -> None:  # noqa: ANN001
    account = NurseFactory(first_name="Noor", last_name="Bakker")
    client.force_login(access_world.admin)
    url = reverse("teams:user-edit", args=[account.pk])
    data = {
        "initials": "N1",
        "first_name": "Noor",
        "name_prefix": "van der",
        "last_name": "Meer",
        "sex": Sex.FEMALE,
        "email": "",
        "role": account.role,
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"initials": [str(INITIALS_INVALID)]}
    assert 'value="van der"' in response.content.decode()
    account.refresh_from_db()
    assert (account.name_prefix, account.last_name) == ("", "Bakker")
    # when corrected, then saved through the service
    response = client.post(url, data | {"initials": "N.M."})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.formal_name == "N.M. van der Meer"
    assert account.sex == Sex.FEMALE


# --- API, export, erasure -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_reads_and_writes_the_name_fields(access_world) -> None:  # noqa: ANN001
    api = APIClient()
    api.force_authenticate(access_world.nurse_a)
    data = REGISTER | {"insurer": InsurerFactory().uzovi}
    bad = api.post(reverse("api-client-list"), data | {"initials": "1."}, format="json")
    assert bad.status_code == 400
    assert "initials" in bad.json()
    created = api.post(reverse("api-client-list"), data, format="json")
    assert created.status_code == 201
    body = created.json()
    assert {k: body[k] for k in ("initials", "name_prefix", "last_name", "sex")} == {
        "initials": "J.H.",
        "name_prefix": "de",
        "last_name": "Jong",
        "sex": "1",
    }
    assert (body["display_name"], body["formal_name"]) == ("Jan de Jong", "J.H. de Jong")


@pytest.mark.django_db
def test_the_gdpr_export_carries_the_dutch_name(client, access_world) -> None:  # noqa: ANN001
    record = ClientFactory(
        team=access_world.team_a,
        initials="J.H.",
        first_name="Jan",
        name_prefix="van den",
        last_name="Berg",
        sex=Sex.NOT_SPECIFIED,
    )
    client.force_login(access_world.nurse_a)
    bundle = client.get(reverse("clients:client-export", args=[record.public_id])).json()
    patient = next(
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    )
    name = patient["name"][0]
    assert name["family"] == "van den Berg"
    assert [x["valueString"] for x in name["_family"]["extension"]] == ["van den", "Berg"]
    assert name["given"] == ["Jan", "J.H."]
    assert patient["gender"] == FHIR_GENDER[Sex.NOT_SPECIFIED]
    assert patient["_gender"]["extension"][0]["valueCode"] == "9"


@pytest.mark.django_db
def test_erasure_blanks_the_name_fields(settings) -> None:  # noqa: ANN001
    settings.PRIVACY_RETENTION_YEARS = 20
    old = ClientFactory(
        initials="J.H.",
        name_prefix="de",
        sex=Sex.MALE,
        admitted_on=dt.date(2001, 3, 1),
        status="discharged",
        discharged_on=dt.date(2005, 6, 1),
    )
    assert clients_erase_expired_task() == 1
    old.refresh_from_db()
    assert (old.initials, old.first_name, old.name_prefix, old.last_name, old.sex) == (
        "",
        ERASED_NAME,
        "",
        ERASED_NAME,
        Sex.UNKNOWN,
    )
    assert old.bsn is None


@pytest.mark.django_db
def test_the_team_members_api_gives_the_nurses_name_parts(admin_user) -> None:  # noqa: ANN001
    team = TeamFactory()
    nurse = NurseFactory(initials="L.", first_name="Lotte", name_prefix="de", last_name="Boer")
    MembershipFactory(team=team, nurse=nurse, seat=1)
    api = APIClient()
    api.force_authenticate(admin_user)
    listed = api.get(reverse("api-team-members", args=[team.public_id])).json()
    brief = listed["results"][0]["nurse"]
    assert (brief["name"], brief["formal_name"]) == ("Lotte de Boer", "L. de Boer")
    assert (brief["name_prefix"], brief["last_name"]) == ("de", "Boer")
    assert "sex" not in brief  # a colleague's sex stays on her account page


@pytest.mark.django_db
def test_the_openapi_schema_documents_the_name_fields(client, admin_user) -> None:  # noqa: ANN001
    client.force_login(admin_user)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    client_input = schema["components"]["schemas"]["ClientInputRequest"]["properties"]
    assert {"initials", "name_prefix", "sex"} <= set(client_input)
    assert {"formal_name", "name_prefix"} <= set(
        schema["components"]["schemas"]["UserBriefOutput"]["properties"]
    )


@pytest.mark.django_db
def test_the_gdpr_subject_access_copy_has_the_name_fields() -> None:
    record = ClientFactory(initials="J.", name_prefix="de", sex=Sex.FEMALE)
    row = client_data(client=record)["client"]
    assert (row["initials"], row["name_prefix"], row["sex"]) == ("J.", "de", "2")
