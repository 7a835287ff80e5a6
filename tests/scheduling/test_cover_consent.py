"""Cover by consent (issue 20, item 5): one team proposes, the other accepts, either removes.

Until the covered team accepts, an arrangement counts nowhere: not in the coverage check,
not in the nightly notice, not for what the covering nurses may read.
"""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from scheduling import selectors
from scheduling.models import CoverArrangement, CoverStatus, ShiftKind, VisitStatus
from scheduling.services import rota
from scheduling.services.rota import (
    COVER_ALREADY_ACCEPTED,
    COVER_NOT_A_PARTY,
    COVER_NOT_COVERED_TEAM,
    COVER_NOT_PROPOSER,
    coverage_gaps,
    coverage_gaps_for_teams,
    local_datetime,
)
from scheduling.services.visits import nurse_may_visit
from tests.factories import (
    ClientFactory,
    CoverArrangementFactory,
    ShiftFactory,
    VisitFactory,
    day_and_night_rules,
    nursing_team,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture
def teams() -> dict:
    """Team Y (small, needs a nurse at night), team X whose night nurse works every night of
    the next two weeks, and a third team Z."""
    covered, (covered_nurse,) = nursing_team(1, name="Team Y")
    day_and_night_rules(covered, day=0, night=1)
    covering, (night_nurse,) = nursing_team(1, name="Team X")
    third, (third_nurse,) = nursing_team(1, name="Team Z")
    for offset in range(-1, 16):
        day = TODAY + dt.timedelta(days=offset)
        ShiftFactory(
            team=covering,
            nurse=night_nurse,
            kind=ShiftKind.NIGHT,
            starts_at=local_datetime(day, dt.time(23)),
            ends_at=local_datetime(day + dt.timedelta(days=1), dt.time(7)),
        )
    return {
        "covered": covered,
        "covered_nurse": covered_nurse,
        "covering": covering,
        "night_nurse": night_nurse,
        "third": third,
        "third_nurse": third_nurse,
    }


def tonight() -> dict:
    return {
        "start": local_datetime(TODAY, dt.time(12)),
        "end": local_datetime(TOMORROW, dt.time(12)),
    }


def propose(teams: dict) -> CoverArrangement:
    return rota.cover_arrangement_create(
        covering_team=teams["covering"],
        covered_team=teams["covered"],
        valid_from=TODAY,
        actor=teams["night_nurse"],
    )


def test_a_proposal_hides_no_gap_and_silences_no_notice(teams) -> None:
    # when team X proposes to cover team Y
    arrangement = propose(teams)
    # then it waits for Y, and Y's night is still a gap everywhere the check is made
    assert arrangement.status == CoverStatus.PROPOSED
    assert len(coverage_gaps(team=teams["covered"], **tonight())) == 1
    by_team = coverage_gaps_for_teams(team_ids=[teams["covered"].pk], **tonight())
    assert len(by_team[teams["covered"].pk]) == 1
    assert rota.rota_notify_gaps(team_id=teams["covered"].pk) != []


def test_accepted_by_the_covered_team_it_closes_the_gap(teams) -> None:
    # given a proposal
    arrangement = propose(teams)
    # when a nurse of team Y accepts it
    accepted = rota.cover_arrangement_accept(arrangement=arrangement, actor=teams["covered_nurse"])
    # then
    assert (accepted.status, accepted.accepted_by) == (CoverStatus.ACCEPTED, teams["covered_nurse"])
    assert coverage_gaps(team=teams["covered"], **tonight()) == []
    assert coverage_gaps_for_teams(team_ids=[teams["covered"].pk], **tonight()) == {
        teams["covered"].pk: []
    }
    assert rota.rota_notify_gaps(team_id=teams["covered"].pk) == []


def test_only_a_nurse_of_the_covering_team_proposes(teams) -> None:
    with pytest.raises(ValidationError, match=COVER_NOT_PROPOSER.format(team=teams["covering"])):
        rota.cover_arrangement_create(
            covering_team=teams["covering"],
            covered_team=teams["covered"],
            valid_from=TODAY,
            actor=teams["third_nurse"],
        )
    assert not CoverArrangement.objects.exists()


@pytest.mark.parametrize("who", ["night_nurse", "third_nurse"])
def test_only_the_covered_team_accepts(teams, who: str) -> None:
    arrangement = propose(teams)
    with pytest.raises(ValidationError, match=COVER_NOT_COVERED_TEAM.format(team=teams["covered"])):
        rota.cover_arrangement_accept(arrangement=arrangement, actor=teams[who])
    arrangement.refresh_from_db()
    assert arrangement.status == CoverStatus.PROPOSED


def test_accepting_twice_is_refused(teams) -> None:
    arrangement = propose(teams)
    rota.cover_arrangement_accept(arrangement=arrangement, actor=teams["covered_nurse"])
    with pytest.raises(ValidationError, match=re.escape(str(COVER_ALREADY_ACCEPTED))):
        rota.cover_arrangement_accept(arrangement=arrangement, actor=teams["covered_nurse"])


@pytest.mark.parametrize("who", ["night_nurse", "covered_nurse"])
def test_either_team_removes_it_and_the_gap_is_back(teams, who: str) -> None:
    # given an accepted arrangement
    arrangement = CoverArrangementFactory(
        covering_team=teams["covering"], covered_team=teams["covered"], valid_from=TODAY
    )
    assert coverage_gaps(team=teams["covered"], **tonight()) == []
    # when either team removes it
    rota.cover_arrangement_remove(arrangement=arrangement, actor=teams[who])
    # then
    assert not CoverArrangement.objects.exists()
    assert len(coverage_gaps(team=teams["covered"], **tonight())) == 1


def test_a_third_team_cannot_remove_it(teams) -> None:
    arrangement = CoverArrangementFactory(
        covering_team=teams["covering"], covered_team=teams["covered"], valid_from=TODAY
    )
    message = COVER_NOT_A_PARTY.format(covering=teams["covering"], covered=teams["covered"])
    with pytest.raises(ValidationError, match=message):
        rota.cover_arrangement_remove(arrangement=arrangement, actor=teams["third_nurse"])
    assert CoverArrangement.objects.filter(pk=arrangement.pk).exists()


def test_covering_nurse_reads_a_covered_visit_only_while_accepted(teams) -> None:
    # given a visit of team Y assigned to team X's night nurse, and the arrangement back to a
    # mere proposal (the database refuses to book her on a proposal: item 12, so the visit is
    # made while accepted and the acceptance is then taken back by hand)
    arrangement = propose(teams)
    rota.cover_arrangement_accept(arrangement=arrangement, actor=teams["covered_nurse"])
    visit = VisitFactory(
        client=ClientFactory(team=teams["covered"]),
        nurse=teams["night_nurse"],
        day=TOMORROW,
        at=dt.time(23, 30),
    )
    CoverArrangement.objects.filter(pk=arrangement.pk).update(
        status=CoverStatus.PROPOSED, accepted_by=None, accepted_at=None
    )
    arrangement.refresh_from_db()
    nurse = teams["night_nurse"]
    # then she cannot open it until team Y accepts
    with pytest.raises(Http404, match="No Visit matches"):
        selectors.visit_get_own(user=nurse, public_id=visit.public_id)
    assert selectors.my_day_visits(nurse=nurse, day=TOMORROW) == []
    rota.cover_arrangement_accept(arrangement=arrangement, actor=teams["covered_nurse"])
    assert selectors.visit_get_own(user=nurse, public_id=visit.public_id) == visit
    assert selectors.visit_get_visible(user=nurse, public_id=visit.public_id) == visit
    assert selectors.my_day_visits(nurse=nurse, day=TOMORROW) == [visit]
    # and never team Y's visits that are not hers
    other = VisitFactory(client=visit.client, day=TOMORROW, at=dt.time(10))
    with pytest.raises(Http404, match="No Visit matches"):
        selectors.visit_get_visible(user=nurse, public_id=other.public_id)
    # when team Y removes the arrangement, her future visit of Y is unassigned
    rota.cover_arrangement_remove(arrangement=arrangement, actor=teams["covered_nurse"])
    visit.refresh_from_db()
    assert (visit.nurse, visit.status) == (None, VisitStatus.PLANNED)


def test_the_database_refuses_acceptance_without_an_acceptor(teams) -> None:
    arrangement = propose(teams)
    with transaction.atomic(), pytest.raises(IntegrityError, match="accepted_by_someone"):
        CoverArrangement.objects.filter(pk=arrangement.pk).update(status=CoverStatus.ACCEPTED)


def test_the_database_refuses_two_overlapping_arrangements_of_one_pair(teams) -> None:
    propose(teams)
    with transaction.atomic(), pytest.raises(IntegrityError, match="coverarrangement_no_overlap"):
        CoverArrangement.objects.create(
            covering_team=teams["covering"],
            covered_team=teams["covered"],
            valid_from=TOMORROW,
        )


def test_only_an_accepted_arrangement_lets_a_covering_nurse_take_a_visit() -> None:
    # given team Noord proposes to cover team Oost, which has not agreed yet
    oost, _ = nursing_team(1)
    noord, (helper,) = nursing_team(1)
    proposal = CoverArrangementFactory(covering_team=noord, covered_team=oost, proposed=True)
    # then Noord's nurse may not be planned on Oost's visits
    assert not nurse_may_visit(nurse=helper, team=oost, day=TOMORROW)
    # when Oost accepts
    proposal.status = CoverStatus.ACCEPTED
    proposal.accepted_by = nursing_team(1)[1][0]
    proposal.accepted_at = timezone.now()
    proposal.save()
    # then she may
    assert nurse_may_visit(nurse=helper, team=oost, day=TOMORROW)
