"""The migrations that make names Dutch-shaped move existing names without loss, both ways."""

import datetime as dt

import pgtrigger
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_bsn

BEFORE = [("clients", "0003_client_list_indexes"), ("teams", "0002_user_language")]
AFTER = [("clients", "0004_dutch_names"), ("teams", "0003_dutch_names")]

SURNAMES = {
    # stored before -> (name_prefix, last_name) after
    "de Jong": ("de", "Jong"),
    "van den Berg": ("van den", "Berg"),
    "van der Heijden": ("van der", "Heijden"),
    "in 't Veld": ("in 't", "Veld"),
    "'t Hart": ("'t", "Hart"),
    "De Vries": ("De", "Vries"),
    "Jansen": ("", "Jansen"),
    "Vandenberg": ("", "Vandenberg"),
    "van": ("", "van"),
    "de  Wit": ("", "de  Wit"),  # two spaces: not split, so reversing gives it back as it was
    "[erased]": ("", "[erased]"),
}


def _migrate(targets: list[tuple[str, str]]):  # noqa: ANN202
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_names_are_split_and_joined_back_without_loss() -> None:
    # The triggers (change history, append-only rules) are installed for the current models
    # after `migrate`; on the way back they would name columns older schemas lack (a client's
    # key-info fields): take them out for the journey and put them back at the end.
    pgtrigger.uninstall()
    try:
        # given clients and staff stored the old way (prefix inside last_name)
        apps = _migrate(BEFORE)
        neighbourhood = apps.get_model("teams", "Neighbourhood").objects.create(name="Wijk")
        team = apps.get_model("teams", "Team").objects.create(
            name="Team Wijk", neighbourhood=neighbourhood
        )
        insurer = apps.get_model("clients", "Insurer").objects.create(name="VGZ", uzovi="7095")
        Client = apps.get_model("clients", "Client")  # noqa: N806
        User = apps.get_model("teams", "User")  # noqa: N806
        for n, surname in enumerate(SURNAMES):
            erased = surname == "[erased]"
            Client.objects.create(
                first_name="[erased]" if erased else "Jan Hendrik",
                last_name=surname,
                date_of_birth=dt.date(1940, 1, 1),
                bsn=None if erased else make_bsn(),
                street="Dorpsstraat",
                house_number=str(n + 1),
                postcode="1234 AB",
                city="Almere",
                insurer=insurer,
                policy_number="P1",
                team=team,
                status="discharged" if erased else "active",
                admitted_on=dt.date(2020, 1, 1),
                discharged_on=dt.date(2021, 1, 1) if erased else None,
            )
            User.objects.create(username=f"user{n}", first_name="IJsbrand", last_name=surname)

        # when the names migrations run
        apps = _migrate(AFTER)

        # then the prefix is split out, initials derived, sex unknown, nothing lost
        Client = apps.get_model("clients", "Client")  # noqa: N806
        User = apps.get_model("teams", "User")  # noqa: N806
        for model, initials in ((Client, "J.H."), (User, "IJ.")):
            rows = {(row.name_prefix, row.last_name): row for row in model.objects.order_by("pk")}
            assert set(rows) == set(SURNAMES.values())
            for row in rows.values():
                erased = row.last_name == "[erased]" and model is Client
                assert row.initials == ("" if erased else initials)
                assert row.sex == "0"

        # when reversed, then every surname is back exactly as it was stored
        apps = _migrate(BEFORE)
        for app, model in (("clients", "Client"), ("teams", "User")):
            surnames = apps.get_model(app, model).objects.values_list("last_name", flat=True)
            assert sorted(surnames) == sorted(SURNAMES)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        pgtrigger.install()
