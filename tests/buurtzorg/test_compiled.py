import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, F, QuerySet
from django.utils import timezone

from buurtzorg.compiled import AnyOf, Statement
from clients.models import Client
from tests.factories.clients import ClientFactory, ClientProblemFactory
from tests.factories.teams import TeamFactory

TEAMS = (-901, -902)
SINCE = (
    dt.datetime(1901, 1, 1, tzinfo=dt.UTC),
    dt.datetime(1901, 1, 2, tzinfo=dt.UTC),
)


def clients_of(*, team_id: int, since: dt.datetime) -> QuerySet[Client]:
    return (
        Client.objects.filter(team_id=team_id, created_at__gte=since)
        .select_related("team")
        .annotate(problem_count=Count("problems"), team_name=F("team__name"))
        .order_by("last_name", "pk")
    )


@pytest.mark.django_db
def test_instances_are_the_orms_own_with_related_objects_and_annotations() -> None:
    # given two teams' clients, one with a problem
    team, other = TeamFactory(), TeamFactory()
    jansen = ClientFactory(team=team, last_name="Jansen")
    ClientProblemFactory(client=jansen)
    ClientFactory(team=team, last_name="Bakker")
    ClientFactory(team=other)
    since = timezone.now() - dt.timedelta(days=1)
    statement = Statement(Client, clients_of, team_id=TEAMS, since=SINCE)
    # when the compiled statement runs with one team's values
    got = statement.instances(team_id=team.pk, since=since)
    # then it reads what the queryset reads: the same rows, fields, related rows, annotations
    expected = list(clients_of(team_id=team.pk, since=since))
    assert got == expected
    assert [c.__dict__.keys() - {"_state"} for c in got] == [
        c.__dict__.keys() - {"_state"} for c in expected
    ]
    assert [(c.last_name, c.problem_count, c.team_name) for c in got] == [
        ("Bakker", 0, team.name),
        ("Jansen", 1, team.name),
    ]
    assert got[0].team == team
    assert got[0].public_id == expected[0].public_id
    # and the other team's values give the other team's rows, from the same statement
    assert statement.instances(team_id=other.pk, since=since) == list(
        clients_of(team_id=other.pk, since=since)
    )


@pytest.mark.django_db
def test_rows_are_converted_as_values_list() -> None:
    team = TeamFactory()
    ClientFactory(team=team, last_name="Jansen")

    def names(*, team_id: int) -> QuerySet[Client]:
        return Client.objects.filter(team_id=team_id).values_list("last_name", "public_id")

    statement = Statement(Client, names, team_id=TEAMS)
    assert statement.rows(team_id=team.pk) == list(names(team_id=team.pk))


def test_a_value_taken_from_the_clock_is_refused_not_frozen() -> None:
    # given a builder that reads the time itself instead of taking it as a value
    def recent(*, team_id: int) -> QuerySet[Client]:
        return Client.objects.filter(team_id=team_id, created_at__lte=timezone.now())

    # when it is compiled, then it is refused (else every request would use the first time)
    with pytest.raises(ImproperlyConfigured, match="frozen"):
        Statement(Client, recent, team_id=TEAMS)._compile("default")


def test_a_value_the_statement_never_uses_is_refused() -> None:
    def of_team(*, team_id: int, since: dt.datetime) -> QuerySet[Client]:
        return Client.objects.filter(team_id=team_id)

    with pytest.raises(ImproperlyConfigured, match="more than its values"):
        Statement(Client, of_team, team_id=TEAMS, since=SINCE)._compile("default")


@pytest.mark.django_db
def test_any_of_binds_any_number_of_ids_as_one_parameter() -> None:
    # given three teams' clients and a statement compiled for a list of one team
    teams = TeamFactory.create_batch(3)
    for team in teams:
        ClientFactory(team=team)

    def of_teams(*, team_ids: list[int]) -> QuerySet[Client]:
        return Client.objects.filter(AnyOf(F("team_id"), team_ids)).order_by("pk")

    statement = Statement(Client, of_teams, team_ids=([-901], [-902]))
    # when it runs with two teams, then with none, it reads what `team__in` reads
    two = [teams[0].pk, teams[2].pk]
    assert statement.instances(team_ids=two) == list(
        Client.objects.filter(team__in=two).order_by("pk")
    )
    assert statement.instances(team_ids=[]) == []
