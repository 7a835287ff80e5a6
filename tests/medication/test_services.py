"""Medication list and administration record: the rules, in the services and the database."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from buurtzorg.audit.models import AccessEvent
from scheduling.medication import services
from scheduling.medication.models import DoseSignoff, Medication, Outcome
from scheduling.medication.selectors import (
    overdue_doses_for_team,
    round_doses,
    visit_due_doses,
)
from tests.factories import MedicationFactory, VisitFactory
from tests.medication.conftest import DAY, MedWorld, at

pytestmark = pytest.mark.django_db

BASE = {
    "name": "Paracetamol",
    "strength": "500 mg",
    "form": "tablet",
    "route": "oral",
    "dose_amount": 1,
    "dose_unit": "tablet",
    "times_of_day": ["08:00", "20:00"],
    "starts_on": DAY,
}


# --- the medication list ----


def test_a_nurse_adds_a_medicine_with_a_schedule(med: MedWorld) -> None:
    medication = services.medication_create(client=med.client_record, actor=med.nurse, **BASE)
    assert medication.times_of_day == ["08:00", "20:00"]
    assert AccessEvent.objects.filter(part="medication", action="create").count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"dose_unit": ""}, "dose_unit", "A dose needs its unit"),
        ({"times_of_day": []}, "times_of_day", "Give at least one time of day"),
        ({"ends_on": DAY - dt.timedelta(days=1)}, "ends_on", "cannot be before the start"),
        ({"as_needed": True, "times_of_day": []}, "max_per_day", "maximum number of doses"),
        ({"times_of_day": ["25:00"]}, "times_of_day", "Write times of day as 08:00"),
    ],
)
def test_bad_medication_input_is_refused_at_the_field(
    med: MedWorld, change: dict, field: str, message: str
) -> None:
    before = Medication.objects.count()
    with pytest.raises(ValidationError, match=message) as caught:
        services.medication_create(client=med.client_record, actor=med.nurse, **(BASE | change))
    assert field in caught.value.message_dict
    assert Medication.objects.count() == before


@pytest.mark.parametrize(
    ("change", "constraint"),
    [
        ({"dose_unit": ""}, "medication_dose_with_unit"),
        ({"times_of_day": []}, "medication_schedule_or_as_needed"),
        ({"ends_on": DAY - dt.timedelta(days=1)}, "medication_ends_after_start"),
        ({"times_of_day": ["8 uur"]}, "medication_times_are_hh_mm"),
    ],
)
def test_the_database_refuses_bad_medication_whatever_writes_it(
    med: MedWorld, change: dict, constraint: str
) -> None:
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Medication.objects.create(client=med.client_record, created_by=med.nurse, **(BASE | change))


def test_a_stopped_medicine_has_no_doses_after_the_stop(med: MedWorld) -> None:
    services.medication_stop(medication=med.tablet, actor=med.nurse, reason="GP", at=at(7))
    doses = visit_due_doses(visit=med.visit)
    assert [d.medication.name for d in doses] == ["Insuline aspart"]


# --- doses due and sign-offs ----


def test_a_visit_covers_the_doses_within_its_window_and_margin(med: MedWorld) -> None:
    # given a 20:00 dose too (not covered by the 07:45 visit) and a noon visit
    MedicationFactory(client=med.client_record, name="Late", times_of_day=["20:00"])
    # when / then
    assert [(d.medication.name, d.due_at) for d in visit_due_doses(visit=med.visit)] == [
        ("Insuline aspart", at(8)),
        ("Metformine", at(8)),
    ]
    noon = VisitFactory(client=med.client_record, nurse=med.nurse, day=DAY, at=dt.time(12))
    assert visit_due_doses(visit=noon) == []


def test_a_dose_is_signed_once_and_a_second_current_sign_off_is_refused(med: MedWorld) -> None:
    services.dose_sign(
        visit=med.visit, medication=med.tablet, due_at=at(8), outcome="given", actor=med.nurse
    )
    with pytest.raises(ValidationError, match="already been signed off") as caught:
        services.dose_sign(
            visit=med.visit,
            medication=med.tablet,
            due_at=at(8),
            outcome="refused",
            actor=med.colleague,
        )
    assert "due_at" in caught.value.message_dict
    assert DoseSignoff.objects.count() == 1


def test_a_dose_that_is_not_due_is_refused(med: MedWorld) -> None:
    with pytest.raises(ValidationError, match="not due at this visit") as caught:
        services.dose_sign(
            visit=med.visit, medication=med.tablet, due_at=at(12), outcome="given", actor=med.nurse
        )
    assert "due_at" in caught.value.message_dict
    assert not DoseSignoff.objects.exists()


def test_not_given_needs_a_reason(med: MedWorld) -> None:
    with pytest.raises(ValidationError, match="Say why") as caught:
        services.dose_sign(
            visit=med.visit,
            medication=med.tablet,
            due_at=at(8),
            outcome="not_given",
            actor=med.nurse,
        )
    assert "reason" in caught.value.message_dict


def test_a_high_risk_dose_needs_a_second_nurse_of_the_team(med: MedWorld) -> None:
    for second, message in [
        (None, "needs a second nurse"),
        (med.nurse, "another nurse of your team"),
        (med.other_nurse, "another nurse of your team"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.dose_sign(
                visit=med.visit,
                medication=med.insulin,
                due_at=at(8),
                outcome="given",
                actor=med.nurse,
                second_signer=second,
            )
    signoff = services.dose_sign(
        visit=med.visit,
        medication=med.insulin,
        due_at=at(8),
        outcome="given",
        actor=med.nurse,
        second_signer=med.colleague,
    )
    assert signoff.second_signer == med.colleague
    assert signoff.high_risk


def test_the_database_takes_the_high_risk_flag_from_the_medication(med: MedWorld) -> None:
    # a path around the service that "forgets" the flag still needs the second signer
    with pytest.raises(IntegrityError, match="signoff_second_signer_for_high_risk"):
        with transaction.atomic():
            DoseSignoff.objects.create(
                medication=med.insulin,
                due_at=at(8),
                outcome="given",
                high_risk=False,
                signed_by=med.nurse,
                visit=med.visit,
            )


def test_all_given_signs_every_routine_dose_in_one_go_and_leaves_high_risk(med: MedWorld) -> None:
    signed = services.doses_sign_all_given(visit=med.visit, actor=med.nurse)
    assert [s.medication for s in signed] == [med.tablet]
    assert signed[0].outcome == Outcome.GIVEN
    # a second tap signs nothing more
    assert services.doses_sign_all_given(visit=med.visit, actor=med.nurse) == []


def test_a_sign_off_is_never_updated_or_deleted(med: MedWorld) -> None:
    signoff = services.dose_sign(
        visit=med.visit, medication=med.tablet, due_at=at(8), outcome="given", actor=med.nurse
    )
    with pytest.raises(IntegrityError, match="signoff_never_changed"), transaction.atomic():
        DoseSignoff.objects.filter(pk=signoff.pk).update(outcome="refused")
    with pytest.raises(IntegrityError, match="signoff_never_changed"), transaction.atomic():
        DoseSignoff.objects.filter(pk=signoff.pk).delete()


def test_a_correction_is_a_new_row_and_only_the_latest_can_be_corrected(med: MedWorld) -> None:
    first = services.dose_sign(
        visit=med.visit, medication=med.tablet, due_at=at(8), outcome="given", actor=med.nurse
    )
    correction = services.dose_signoff_correct(
        signoff=first, actor=med.nurse, outcome="refused", reason=""
    )
    assert correction.corrects == first
    assert correction.due_at == first.due_at
    with pytest.raises(ValidationError, match="already been corrected"):
        services.dose_signoff_correct(signoff=first, actor=med.nurse, outcome="given")
    # the dose's current sign-off is the correction
    dose = next(d for d in visit_due_doses(visit=med.visit) if d.medication == med.tablet)
    assert dose.signoff == correction
    first.refresh_from_db()
    assert first.outcome == "given"


def test_as_needed_medicine_is_signed_when_given_up_to_its_maximum(med: MedWorld) -> None:
    pain = MedicationFactory(
        client=med.client_record, as_needed=True, times_of_day=[], max_per_day=1
    )
    services.dose_sign(
        visit=med.visit, medication=pain, due_at=at(8, 1), outcome="given", actor=med.nurse
    )
    with pytest.raises(ValidationError, match="maximum of 1 a day"):
        services.dose_sign(
            visit=med.visit, medication=pain, due_at=at(8, 5), outcome="given", actor=med.nurse
        )


# --- overdue ----


def test_a_dose_unsigned_two_hours_after_its_time_is_overdue(med: MedWorld) -> None:
    services.dose_sign(
        visit=med.visit, medication=med.tablet, due_at=at(8), outcome="given", actor=med.nurse
    )
    start = at(0)
    assert overdue_doses_for_team(team_id=med.team.pk, start=start, now=at(9, 59)) == []
    late = overdue_doses_for_team(team_id=med.team.pk, start=start, now=at(10))
    assert [(d.medication, d.due_at) for d in late] == [(med.insulin, at(8))]


def test_my_day_shows_due_and_overdue_doses_in_constant_queries(
    med: MedWorld, django_assert_num_queries
) -> None:
    # given three more clients with medication on the round
    visits = [med.visit]
    for hour in (9, 10, 11):
        other = VisitFactory(client__team=med.team, nurse=med.nurse, day=DAY, at=dt.time(hour))
        MedicationFactory(client=other.client, times_of_day=[f"{hour:02d}:00"])
        visits.append(other)
    # when
    with django_assert_num_queries(2):  # medication with signed times, covering visits
        round_doses(visits=visits, day=DAY, now=at(18))
    # then
    assert len(visits[0].due_doses) == 2
    assert [d.medication for d in visits[0].overdue_doses] == [med.insulin, med.tablet]
    assert all(len(v.due_doses) == 1 for v in visits[1:])


def test_no_dose_is_signed_at_a_cancelled_visit(med: MedWorld) -> None:
    type(med.visit).objects.filter(pk=med.visit.pk).update(status="cancelled")
    med.visit.refresh_from_db()
    with pytest.raises(ValidationError, match="visit is cancelled"):
        services.dose_sign(
            visit=med.visit, medication=med.tablet, due_at=at(8), outcome="given", actor=med.nurse
        )


def test_the_evening_check_runs_per_team_as_a_task(med: MedWorld, settings) -> None:
    from scheduling.medication.tasks import overdue_doses_notify_all_task

    settings.TEAM_NOTICE_HOOKS = []  # logged instead of posted
    assert overdue_doses_notify_all_task.apply().get() >= 1
