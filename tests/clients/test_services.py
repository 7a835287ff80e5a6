"""Writes to client records: each bad input gives its message and saves nothing."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from clients import services
from clients.intake.models import IntakeRequest
from clients.models import (
    BSN_INVALID,
    RATING_OUT_OF_RANGE,
    Client,
    ClientProblem,
    ClientProblemSign,
    ClientStatus,
    Intervention,
    OutcomeRating,
    ProblemStatus,
    RatingMoment,
)
from clients.services import SignInput
from omaha.models import Scope, Severity
from tests.factories import ClientFactory, ClientProblemFactory, make_bsn

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)


def register_kwargs(insurer, **overrides):  # noqa: ANN001, ANN201
    data = {
        "first_name": "Jan",
        "last_name": "de Groot",
        "date_of_birth": dt.date(1938, 4, 2),
        "bsn": "111222333",
        "street": "Javastraat",
        "house_number": "12",
        "postcode": "1094ab",
        "city": "Amsterdam",
        "insurer": insurer,
        "policy_number": "ZK-123",
        "admitted_on": dt.date(2026, 2, 1),
        "gp_agb": "01012345",
    }
    return data | overrides


def messages_of(exc: pytest.ExceptionInfo, field: str) -> list[str]:
    return exc.value.message_dict[field]


# --- register / discharge -----------------------------------------------------------------


def test_nurse_registers_a_client_in_her_own_team(access_world, insurer) -> None:
    # when
    client_record = services.client_register(actor=access_world.nurse_a, **register_kwargs(insurer))
    # then
    assert client_record.team == access_world.team_a
    assert client_record.postcode == "1094 AB"
    assert client_record.status == ClientStatus.ACTIVE


def test_invalid_bsn_is_refused_and_nothing_saved(access_world, insurer) -> None:
    with pytest.raises(ValidationError, match=re.escape(str(BSN_INVALID))) as exc:
        services.client_register(
            actor=access_world.nurse_a, **register_kwargs(insurer, bsn="123456789")
        )
    assert "11-test" in messages_of(exc, "bsn")[0]
    assert not Client.objects.exists()


def test_duplicate_bsn_of_her_own_team_is_refused(access_world, insurer) -> None:
    own = ClientFactory(team=access_world.team_a)
    with pytest.raises(ValidationError, match=re.escape(str(services.BSN_TAKEN))) as exc:
        services.client_register(
            actor=access_world.nurse_a, **register_kwargs(insurer, bsn=own.bsn)
        )
    assert messages_of(exc, "bsn") == [services.BSN_TAKEN]


def test_bsn_in_care_elsewhere_becomes_an_intake_request(
    access_world, insurer, other_client_record
) -> None:
    # (issue 20, item 10: no "already registered" that would tell her who receives care)
    result = services.client_register(
        actor=access_world.nurse_a, **register_kwargs(insurer, bsn=other_client_record.bsn)
    )
    assert isinstance(result, IntakeRequest)
    assert (result.team, result.in_care_with) == (access_world.team_a, access_world.team_b)
    assert Client.objects.filter(bsn=other_client_record.bsn).count() == 1


def test_bad_postcode_and_agb_are_refused(access_world, insurer) -> None:
    with pytest.raises(ValidationError, match="postcode") as exc:
        services.client_register(
            actor=access_world.nurse_a,
            **register_kwargs(insurer, postcode="10911", gp_agb="123"),
        )
    assert set(exc.value.message_dict) >= {"postcode", "gp_agb"}


def test_nurse_cannot_register_into_another_team(access_world, insurer) -> None:
    with pytest.raises(ValidationError, match=re.escape(str(services.NOT_YOUR_TEAM))) as exc:
        services.client_register(
            actor=access_world.nurse_a, team=access_world.team_b, **register_kwargs(insurer)
        )
    assert messages_of(exc, "team") == [services.NOT_YOUR_TEAM]


@pytest.mark.parametrize("who", ["coach_a", "back_office", "admin"])
def test_only_nurses_register_clients(access_world, insurer, who: str) -> None:
    with pytest.raises(ValidationError, match=str(services.NOT_A_NURSE)):
        services.client_register(actor=getattr(access_world, who), **register_kwargs(insurer))


def test_discharge_before_admission_is_refused(access_world, client_record) -> None:
    with pytest.raises(
        ValidationError,
        match=re.escape(
            services.DISCHARGE_BEFORE_ADMISSION.format(
                admitted=date_format(client_record.admitted_on)
            )
        ),
    ) as exc:
        services.client_discharge(
            client=client_record,
            actor=access_world.nurse_a,
            discharged_on=client_record.admitted_on - dt.timedelta(days=1),
            reason="moved",
        )
    assert messages_of(exc, "discharged_on") == [
        services.DISCHARGE_BEFORE_ADMISSION.format(admitted=date_format(client_record.admitted_on))
    ]
    client_record.refresh_from_db()
    assert client_record.status == ClientStatus.ACTIVE
    assert client_record.discharged_on is None


def test_discharge_closes_the_record(access_world, client_record) -> None:
    services.client_discharge(
        client=client_record, actor=access_world.nurse_a, discharged_on=TODAY, reason="recovered"
    )
    client_record.refresh_from_db()
    assert (client_record.status, client_record.discharged_on) == (ClientStatus.DISCHARGED, TODAY)
    with pytest.raises(ValidationError, match="discharged"):
        services.client_problem_add(
            client=client_record,
            actor=access_world.nurse_a,
            problem="24",
            scope=Scope.INDIVIDUAL,
            severity=Severity.POTENTIAL,
            identified_on=TODAY,
        )


def test_client_update_changes_fields_and_normalises_postcode(access_world, client_record) -> None:
    services.client_update(
        client=client_record, actor=access_world.nurse_a, postcode="1092 xz", phone=" 06-1 "
    )
    client_record.refresh_from_db()
    assert (client_record.postcode, client_record.phone) == ("1092 XZ", "06-1")


def test_care_indication_and_network_contact(access_world, client_record) -> None:
    indication = services.care_indication_add(
        client=client_record,
        actor=access_world.nurse_a,
        hours_per_week=Decimal("5.5"),
        products="personal care",
        valid_from=TODAY,
    )
    contact = services.network_contact_add(
        client=client_record, actor=access_world.nurse_a, name="Mia", relation="daughter"
    )
    assert indication.client == contact.client == client_record
    with pytest.raises(ValidationError, match=re.escape(str(services.UNTIL_BEFORE_FROM))) as exc:
        services.care_indication_add(
            client=client_record,
            actor=access_world.nurse_a,
            hours_per_week=Decimal("4"),
            products="nursing",
            valid_from=TODAY,
            valid_until=TODAY - dt.timedelta(days=1),
        )
    assert messages_of(exc, "valid_until") == [services.UNTIL_BEFORE_FROM]


# --- problems and signs -------------------------------------------------------------------


def add_problem(access_world, client_record, **overrides):  # noqa: ANN001, ANN201
    data = {
        "client": client_record,
        "actor": access_world.nurse_a,
        "problem": "24",  # Pain
        "scope": Scope.INDIVIDUAL,
        "severity": Severity.ACTUAL,
        "identified_on": dt.date(2026, 2, 1),
        "signs": [SignInput("24.01"), SignInput("24.03")],
    }
    return services.client_problem_add(**(data | overrides))


def test_actual_problem_with_signs_is_saved(access_world, client_record) -> None:
    client_problem = add_problem(access_world, client_record)
    assert client_problem.problem.code == "24"
    assert sorted(s.sign.key for s in client_problem.signs.all()) == ["24.01", "24.03"]


def test_signs_on_a_non_actual_problem_are_refused(access_world, client_record) -> None:
    with pytest.raises(
        ValidationError, match=re.escape(str(services.SIGNS_ONLY_WHEN_ACTUAL))
    ) as exc:
        add_problem(access_world, client_record, severity=Severity.POTENTIAL)
    assert messages_of(exc, "signs") == [services.SIGNS_ONLY_WHEN_ACTUAL]
    assert not ClientProblem.objects.exists()
    assert not ClientProblemSign.objects.exists()


def test_actual_problem_without_signs_is_refused(access_world, client_record) -> None:
    with pytest.raises(
        ValidationError, match=re.escape(str(services.SIGNS_REQUIRED_WHEN_ACTUAL))
    ) as exc:
        add_problem(access_world, client_record, signs=[])
    assert messages_of(exc, "signs") == [services.SIGNS_REQUIRED_WHEN_ACTUAL]
    assert not ClientProblem.objects.exists()


def test_unknown_problem_is_refused(access_world, client_record) -> None:
    with pytest.raises(
        ValidationError, match=re.escape(services.PROBLEM_UNKNOWN.format(code="22"))
    ) as exc:
        add_problem(access_world, client_record, problem="22", signs=[])  # retired 1992 code
    assert messages_of(exc, "problem") == [services.PROBLEM_UNKNOWN.format(code="22")]


def test_sign_of_another_problem_is_refused(access_world, client_record) -> None:
    with pytest.raises(
        ValidationError, match=re.escape(services.SIGN_UNKNOWN.format(key="02.01", problem="Pain"))
    ) as exc:
        add_problem(access_world, client_record, signs=[SignInput("24.01"), SignInput("02.01")])
    assert messages_of(exc, "signs") == [services.SIGN_UNKNOWN.format(key="02.01", problem="Pain")]
    assert not ClientProblem.objects.exists()
    assert not ClientProblemSign.objects.exists()


def test_other_sign_needs_text_and_reason(access_world, client_record) -> None:
    other_key = "24.07"
    with pytest.raises(ValidationError, match=re.escape(str(services.OTHER_NEEDS_REASON))) as exc:
        add_problem(access_world, client_record, signs=[SignInput(other_key, "burning feet")])
    assert messages_of(exc, "signs") == [services.OTHER_NEEDS_REASON]
    client_problem = add_problem(
        access_world,
        client_record,
        signs=[SignInput(other_key, "burning feet", "no listed sign describes neuropathic pain")],
    )
    assert client_problem.signs.get().other_text == "burning feet"


def test_text_on_a_listed_sign_is_refused(access_world, client_record) -> None:
    with pytest.raises(ValidationError, match=re.escape(str(services.TEXT_ONLY_FOR_OTHER))) as exc:
        add_problem(access_world, client_record, signs=[SignInput("24.01", "x", "y")])
    assert messages_of(exc, "signs") == [services.TEXT_ONLY_FOR_OTHER]


def test_second_active_instance_of_a_problem_is_refused(access_world, client_record) -> None:
    add_problem(access_world, client_record)
    with pytest.raises(
        ValidationError, match=re.escape(services.PROBLEM_ALREADY_ACTIVE.format(problem="Pain"))
    ) as exc:
        add_problem(access_world, client_record, signs=[SignInput("24.02")])
    assert messages_of(exc, "problem") == [services.PROBLEM_ALREADY_ACTIVE.format(problem="Pain")]
    assert client_record.problems.count() == 1
    assert ClientProblemSign.objects.count() == 2


def test_resolved_problem_can_be_identified_again(access_world, client_record) -> None:
    first = add_problem(access_world, client_record)
    services.client_problem_resolve(
        client_problem=first, actor=access_world.nurse_a, resolved_on=dt.date(2026, 2, 20)
    )
    second = add_problem(access_world, client_record, identified_on=dt.date(2026, 2, 25))
    assert second.status == ProblemStatus.ACTIVE
    first.refresh_from_db()
    assert first.status == ProblemStatus.RESOLVED


def test_resolving_before_identification_is_refused(access_world, client_record) -> None:
    client_problem = add_problem(access_world, client_record)
    with pytest.raises(
        ValidationError, match=re.escape(services.RESOLVED_BEFORE_IDENTIFIED.split("(")[0])
    ) as exc:
        services.client_problem_resolve(
            client_problem=client_problem,
            actor=access_world.nurse_a,
            resolved_on=dt.date(2026, 1, 1),
        )
    assert "cannot be resolved before" in messages_of(exc, "resolved_on")[0]


# --- care plan ----------------------------------------------------------------------------


def test_intervention_added_with_category_and_target(access_world, client_record) -> None:
    client_problem = add_problem(access_world, client_record)
    intervention = services.intervention_add(
        client_problem=client_problem,
        actor=access_world.nurse_a,
        category="02",
        target="50",
        description="Measure pain with NRS",
        frequency="daily",
    )
    assert (intervention.category.code, intervention.target.code) == ("02", "50")


@pytest.mark.parametrize(
    ("category", "target", "field", "message"),
    [
        ("09", "50", "category", services.CATEGORY_UNKNOWN.format(code="09")),
        ("02", "99", "target", services.TARGET_UNKNOWN.format(code="99")),
        ("02", "06", "target", services.TARGET_UNKNOWN.format(code="06")),  # retired target
        ("02", "63", "target_other_text", services.OTHER_TARGET_NEEDS_TEXT),
    ],
)
def test_bad_intervention_is_refused(
    access_world, client_record, category: str, target: str, field: str, message: str
) -> None:
    client_problem = add_problem(access_world, client_record)
    with pytest.raises(ValidationError, match=re.escape(str(message))) as exc:
        services.intervention_add(
            client_problem=client_problem,
            actor=access_world.nurse_a,
            category=category,
            target=target,
            description="x",
        )
    assert messages_of(exc, field) == [message]
    assert not Intervention.objects.exists()


# --- ratings ------------------------------------------------------------------------------


def rate(access_world, client_problem, **overrides):  # noqa: ANN001, ANN201
    data = {
        "client_problem": client_problem,
        "actor": access_world.nurse_a,
        "rated_on": dt.date(2026, 2, 1),
        "moment": RatingMoment.ADMISSION,
        "knowledge": 2,
        "behavior": 3,
        "status": 2,
        "today": TODAY,
    }
    return services.outcome_rating_add(**(data | overrides))


@pytest.mark.parametrize("value", [0, 6, -1, 2.5, "x", None])
def test_rating_outside_1_to_5_is_refused(access_world, client_record, value) -> None:  # noqa: ANN001
    client_problem = add_problem(access_world, client_record)
    with pytest.raises(ValidationError, match=re.escape(str(RATING_OUT_OF_RANGE))) as exc:
        rate(access_world, client_problem, knowledge=value)
    assert messages_of(exc, "knowledge") == [RATING_OUT_OF_RANGE]
    assert not OutcomeRating.objects.exists()


def test_ratings_are_appended_never_overwritten(access_world, client_record) -> None:
    client_problem = add_problem(access_world, client_record)
    rate(access_world, client_problem)
    rate(access_world, client_problem, moment=RatingMoment.INTERIM, rated_on=TODAY, knowledge=4)
    with pytest.raises(
        ValidationError, match=re.escape(services.RATING_MOMENT_TAKEN.format(moment="admission"))
    ) as exc:
        rate(access_world, client_problem, knowledge=5)  # a second admission rating
    assert messages_of(exc, "moment") == [services.RATING_MOMENT_TAKEN.format(moment="admission")]
    assert list(client_problem.ratings.values_list("knowledge", flat=True)) == [2, 4]


def test_rating_in_the_future_is_refused(access_world, client_record) -> None:
    client_problem = add_problem(access_world, client_record)
    with pytest.raises(ValidationError, match=re.escape(str(services.RATING_IN_FUTURE))) as exc:
        rate(access_world, client_problem, rated_on=TODAY + dt.timedelta(days=1))
    assert messages_of(exc, "rated_on") == [services.RATING_IN_FUTURE]


def test_coach_cannot_rate(access_world, client_record) -> None:
    client_problem = ClientProblemFactory(client=client_record)
    with pytest.raises(ValidationError, match=str(services.NOT_A_NURSE)):
        rate(access_world, client_problem, actor=access_world.coach_a)


def test_make_bsn_is_usable(access_world, insurer) -> None:
    client_record = services.client_register(
        actor=access_world.nurse_a, **register_kwargs(insurer, bsn=make_bsn(1))
    )
    assert client_record.pk
