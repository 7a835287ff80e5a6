import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone

from teams import services
from teams.models import Membership, Neighbourhood, PostcodeArea, Team
from tests.factories import (
    CoachFactory,
    MembershipFactory,
    NurseFactory,
    TeamFactory,
    team_with_nurses,
)

pytestmark = pytest.mark.django_db


def test_nurses_get_consecutive_seats() -> None:
    team = TeamFactory()
    seats = [services.team_add_nurse(team=team, nurse=NurseFactory()) for _ in range(3)]
    assert [m.seat for m in seats] == [1, 2, 3]
    assert seats[-1].contracted_hours == Decimal("24")


def test_thirteenth_nurse_is_refused() -> None:
    # given
    team = TeamFactory()
    for _ in range(Team.MAX_NURSES):
        services.team_add_nurse(team=team, nurse=NurseFactory())
    # when / then
    with pytest.raises(ValidationError, match="already has 12 nurses") as exc:
        services.team_add_nurse(team=team, nurse=NurseFactory())
    assert "nurse" in exc.value.message_dict
    assert team.memberships.filter(ended_on__isnull=True).count() == Team.MAX_NURSES


def test_ending_a_membership_frees_the_seat() -> None:
    team, nurses = team_with_nurses(12)
    leaving = Membership.objects.get(team=team, nurse=nurses[4])
    services.membership_end(membership=leaving, ended_on=timezone.localdate())
    # (she is still a member on her last day: the newcomer takes her seat from the next one)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    newcomer = services.team_add_nurse(team=team, nurse=NurseFactory(), started_on=tomorrow)
    assert newcomer.seat == leaving.seat
    assert team.memberships.filter(ended_on__isnull=True).count() == 12


def test_direct_orm_insert_of_a_thirteenth_active_member_is_refused_by_the_database() -> None:
    # given a full team, written without the service
    team, _ = team_with_nurses(12)
    # when an active row bypasses the service, on a taken seat or an impossible one
    with pytest.raises(IntegrityError, match="membership_one_nurse_per_seat"), transaction.atomic():
        Membership.objects.create(
            team=team,
            nurse=NurseFactory(),
            seat=5,
            started_on=timezone.localdate(),
            contracted_hours=10,
        )
    with pytest.raises(IntegrityError, match="membership_seat_in_range"), transaction.atomic():
        Membership.objects.create(
            team=team,
            nurse=NurseFactory(),
            seat=13,
            started_on=timezone.localdate(),
            contracted_hours=10,
        )
    # then
    assert team.memberships.filter(ended_on__isnull=True).count() == 12


def test_raw_sql_cannot_add_a_thirteenth_member() -> None:
    team, _ = team_with_nurses(12)
    nurse = NurseFactory()
    with (
        pytest.raises(IntegrityError, match="membership_seat_in_range"),
        transaction.atomic(),
        connection.cursor() as cur,
    ):
        cur.execute(
            "INSERT INTO teams_membership (public_id, created_at, updated_at, team_id, nurse_id,"
            " seat, started_on, contracted_hours) VALUES (gen_random_uuid(), now(), now(),"
            " %s, %s, 0, current_date, 10)",
            [team.pk, nurse.pk],
        )


def test_a_nurse_belongs_to_one_active_team() -> None:
    membership = MembershipFactory()
    with pytest.raises(ValidationError, match="already belongs to"):
        services.team_add_nurse(team=TeamFactory(), nurse=membership.nurse)


def test_only_nurses_join_teams() -> None:
    with pytest.raises(ValidationError, match="nurse role"):
        services.team_add_nurse(team=TeamFactory(), nurse=CoachFactory())


def test_end_before_start_is_refused() -> None:
    membership = MembershipFactory(started_on=timezone.localdate())
    with pytest.raises(ValidationError, match="cannot be before the start date"):
        services.membership_end(
            membership=membership,
            ended_on=membership.started_on - timezone.timedelta(days=1),
        )
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_duplicate_postcode_across_neighbourhoods_is_refused_and_nothing_is_saved() -> None:
    services.neighbourhood_create(name="Oost", postcodes=["1091"], population_estimate=5000)
    with pytest.raises(ValidationError, match="1091 already belongs to Oost"):
        services.neighbourhood_create(
            name="West", postcodes=["1050", "1091"], population_estimate=5000
        )
    assert not PostcodeArea.objects.filter(code="1050").exists()
    assert not Neighbourhood.objects.filter(name="West").exists()


def test_malformed_postcodes_are_named() -> None:
    with pytest.raises(ValidationError, match="12a4") as exc:
        services.parse_postcodes("1011, 12a4, 0999, 1011")
    messages = exc.value.message_dict["postcodes"]
    assert any("12a4" in m for m in messages)
    assert any("0999" in m for m in messages)
    assert any("listed twice" in m for m in messages)


def test_weak_password_is_refused_with_a_reason() -> None:
    with pytest.raises(ValidationError, match="at least 12 characters") as exc:
        services.user_create(
            username="kort",
            first_name="",
            last_name="",
            email="",
            role="nurse",
            password="short",
        )
    assert "at least 12 characters" in " ".join(exc.value.message_dict["password"])


def test_unknown_role_is_refused() -> None:
    with pytest.raises(ValidationError, match="surgeon") as exc:
        services.user_create(
            username="x1",
            first_name="",
            last_name="",
            email="",
            role="surgeon",
            password="a-long-enough-passphrase",
        )
    assert "role" in exc.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_concurrent_additions_of_the_12th_and_13th_nurse_leave_exactly_12() -> None:
    # given a team with 11 nurses and two candidates, each added from its own connection
    team, _ = team_with_nurses(11)
    candidates = [NurseFactory(), NurseFactory()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def add(nurse) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            services.team_add_nurse(team=team, nurse=nurse)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(" ".join(exc.messages))
        finally:
            close_old_connections()
            connection.close()

    # when
    threads = [threading.Thread(target=add, args=(n,)) for n in candidates]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then exactly one wins and the other gets the friendly message

    assert outcomes.count("ok") == 1
    assert any("already has 12 nurses" in o for o in outcomes)
    assert Membership.objects.filter(team=team, ended_on__isnull=True).count() == 12
