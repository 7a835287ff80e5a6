"""Two nurses adding the same problem at the same moment: exactly one succeeds."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from clients import services
from clients.models import ClientProblem
from omaha.models import Scope, Severity
from omaha.vocabulary import ensure_vocabulary
from tests.factories import ClientFactory, MembershipFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_of_the_same_problem_give_one_success() -> None:
    # given
    ensure_vocabulary()  # an earlier transactional test may have flushed it
    membership = MembershipFactory()
    client_record = ClientFactory(team=membership.team)
    results: list[str] = []
    barrier = threading.Barrier(4)

    def add() -> None:
        try:
            barrier.wait()
            services.client_problem_add(
                client=client_record,
                actor=membership.nurse,
                problem="24",
                scope=Scope.INDIVIDUAL,
                severity=Severity.POTENTIAL,
                identified_on=dt.date(2026, 2, 1),
            )
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.message_dict["problem"][0])
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=add) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then
    assert results.count("ok") == 1
    assert results.count(services.PROBLEM_ALREADY_ACTIVE.format(problem="Pain")) == 3
    assert ClientProblem.objects.filter(client=client_record).count() == 1
