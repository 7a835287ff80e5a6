"""Writing and correcting reports: the rules, the message at the field, and the database
behind them (constraints and the trigger of migration 0001)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent, Action
from clients.models import OutcomeRating
from scheduling.carenotes import services
from scheduling.carenotes.models import TEXT_MAX, CareReport, HandoverRead
from tests.carenotes.conftest import report

pytestmark = pytest.mark.django_db


def write(world, **kwargs) -> CareReport:
    values = {"client": world.client_record, "actor": world.nurse, "text": "Wound looks clean."}
    values.update(kwargs)
    return services.care_report_write(**values)


def test_report_with_rating_stores_both_and_logs_one_row(world) -> None:
    # when
    saved = write(
        world,
        client_problem=world.problem,
        subjective="Less pain",
        for_handover=True,
        rating={"knowledge": 3, "behavior": 4, "status": 2},
    )
    # then
    assert saved.author == world.nurse
    assert saved.subjective == "Less pain"
    rating = OutcomeRating.objects.get(client_problem=world.problem)
    assert (rating.knowledge, rating.behavior, rating.status) == (3, 4, 2)
    rows = AccessEvent.objects.filter(part="care-report")
    assert [(r.action, r.client_public_id) for r in rows] == [
        (Action.CREATE, world.client_record.public_id)
    ]


def test_general_note_needs_no_problem(world) -> None:
    assert write(world).is_general


@pytest.mark.parametrize("text", ["", "   \n "])
def test_empty_report_is_refused(world, text) -> None:
    with pytest.raises(ValidationError, match="an empty report is not stored") as exc:
        write(world, text=text)
    assert "text" in exc.value.message_dict
    assert not CareReport.objects.exists()


def test_report_over_the_limit_is_refused(world) -> None:
    with pytest.raises(ValidationError, match=f"at most {TEXT_MAX} characters") as exc:
        write(world, text="x" * (TEXT_MAX + 1))
    assert "text" in exc.value.message_dict
    assert not CareReport.objects.exists()


def test_report_dated_in_the_future_is_refused(world) -> None:
    with pytest.raises(ValidationError, match="cannot be dated in the future") as exc:
        write(world, written_at=timezone.now() + dt.timedelta(hours=1))
    assert "written_at" in exc.value.message_dict
    assert not CareReport.objects.exists()


@pytest.mark.parametrize("score", [0, 6, 9])
def test_rating_outside_one_to_five_stores_nothing(world, score) -> None:
    with pytest.raises(ValidationError, match="1") as exc:
        write(
            world,
            client_problem=world.problem,
            rating={"knowledge": score, "behavior": 3, "status": 3},
        )
    assert "knowledge" in exc.value.message_dict
    assert not CareReport.objects.exists()
    assert not OutcomeRating.objects.exists()


def test_half_a_rating_is_refused(world) -> None:
    with pytest.raises(ValidationError, match="or none of them"):
        write(world, client_problem=world.problem, rating={"knowledge": 3})
    assert not CareReport.objects.exists()


def test_a_bad_report_keeps_a_good_rating_out_too(world) -> None:
    with pytest.raises(ValidationError, match="empty report"):
        write(
            world,
            text="",
            client_problem=world.problem,
            rating={"knowledge": 3, "behavior": 3, "status": 3},
        )
    assert not OutcomeRating.objects.exists()


def test_coach_writes_no_reports(world) -> None:
    with pytest.raises(ValidationError, match="Only nurses write reports"):
        write(world, actor=world.coach)


def test_problem_of_another_client_is_refused(world) -> None:
    from tests.factories import ClientProblemFactory

    other = ClientProblemFactory()
    with pytest.raises(ValidationError, match="belongs to another client"):
        write(world, client_problem=other)


def test_change_within_fifteen_minutes_is_in_place(world) -> None:
    saved = write(world)
    changed = services.care_report_revise(report=saved, actor=world.nurse, text="Corrected.")
    assert changed.pk == saved.pk
    assert CareReport.objects.get().text == "Corrected."


def test_change_after_fifteen_minutes_is_a_new_entry_and_the_old_one_stays(
    world, old_report
) -> None:
    changed = services.care_report_revise(report=old_report, actor=world.nurse, text="Pain 5/10.")
    assert changed.pk != old_report.pk
    assert changed.replaces == old_report
    old_report.refresh_from_db()
    assert old_report.text == "Slept well, pain 3/10."
    assert changed.client_problem == old_report.client_problem


def test_an_entry_is_corrected_once_then_the_newest_version_is_changed(world, old_report) -> None:
    services.care_report_revise(report=old_report, actor=world.nurse, text="First correction.")
    with pytest.raises(ValidationError, match="already corrected"):
        services.care_report_revise(report=old_report, actor=world.nurse, text="Second.")


def test_only_the_author_changes_her_report(world) -> None:
    saved = write(world)
    with pytest.raises(ValidationError, match="Only the author"):
        services.care_report_revise(report=saved, actor=world.colleague, text="Mine now.")


def test_database_refuses_changing_the_text_after_the_window(world, old_report) -> None:
    with pytest.raises(IntegrityError, match="carereport_edit_window"), transaction.atomic():
        CareReport.objects.filter(pk=old_report.pk).update(text="Quietly rewritten")


def test_database_refuses_a_report_dated_in_the_future(world) -> None:
    with pytest.raises(IntegrityError, match="carereport_not_in_future"), transaction.atomic():
        report(world, ago=-dt.timedelta(hours=2))


def test_database_allows_one_correction_per_entry(world, old_report) -> None:
    report(world, replaces=old_report)
    with pytest.raises(IntegrityError, match="replaces"), transaction.atomic():
        report(world, replaces=old_report)


def test_database_refuses_a_blank_report(world) -> None:
    with pytest.raises(IntegrityError, match="carereport_text_not_blank"), transaction.atomic():
        report(world, text="  ")


def test_mark_read_is_idempotent(world) -> None:
    services.handover_mark_read(actor=world.nurse, item_key="report:x")
    services.handover_mark_read(actor=world.nurse, item_key="report:x")
    assert HandoverRead.objects.filter(nurse=world.nurse).count() == 1
