"""The privacy request register: recorded by back office or an administrator, a one-month
deadline, and an erasure checked against the legal retention before it is carried out."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from buurtzorg.audit.models import AccessEvent, Action
from clients.models import ERASED_NAME, NetworkContact
from scheduling.privacy.models import PrivacyRequest, RequestOutcome, one_month_after
from scheduling.privacy.register import (
    privacy_request_handle,
    privacy_request_record,
    retention_holds,
)
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    InterventionFactory,
    NetworkContactFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


def _record(**kwargs):
    record = ClientFactory(**kwargs)
    NetworkContactFactory(client=record, name="Dochter Dewi")
    InterventionFactory(
        client_problem=ClientProblemFactory(client=record), description="Wondzorg linkerhiel"
    )
    return record


def test_the_answer_is_due_one_month_after_the_request() -> None:
    assert one_month_after(dt.date(2026, 1, 15)) == dt.date(2026, 2, 15)
    assert one_month_after(dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert one_month_after(dt.date(2026, 12, 31)) == dt.date(2027, 1, 31)


@pytest.mark.parametrize("who", ["back_office", "admin"])
def test_back_office_and_admin_record_a_request(access_world, who) -> None:
    record = ClientFactory(team=access_world.team_a)
    request = privacy_request_record(
        actor=getattr(access_world, who),
        client_public_id=record.public_id,
        kind="access",
        requested_on=dt.date(2026, 11, 1),
    )
    assert request.due_on == dt.date(2026, 12, 1)
    assert request.is_overdue(TODAY)
    assert not request.is_overdue(dt.date(2026, 12, 1))
    assert AccessEvent.objects.filter(
        client_public_id=record.public_id, action=Action.CREATE, part="privacy-request"
    ).exists()


@pytest.mark.parametrize("who", ["nurse_a", "coach_a"])
def test_care_staff_do_not_record_requests(access_world, who) -> None:
    record = ClientFactory(team=access_world.team_a)
    with pytest.raises(Http404, match="No such client or request"):
        privacy_request_record(
            actor=getattr(access_world, who),
            client_public_id=record.public_id,
            kind="access",
            requested_on=dt.date(2026, 11, 1),
        )
    assert not PrivacyRequest.objects.exists()


def test_a_request_cannot_be_dated_in_the_future(access_world) -> None:
    record = ClientFactory(team=access_world.team_a)
    with pytest.raises(ValidationError, match="future"):
        privacy_request_record(
            actor=access_world.back_office,
            client_public_id=record.public_id,
            kind="erasure",
            requested_on=dt.date(2999, 1, 1),
        )
    assert not PrivacyRequest.objects.exists()


def _erasure_request(access_world, record):
    return privacy_request_record(
        actor=access_world.back_office,
        client_public_id=record.public_id,
        kind="erasure",
        requested_on=dt.date(2026, 11, 20),
    )


def _assert_not_erased(record) -> None:
    record.refresh_from_db()
    assert record.first_name != ERASED_NAME
    assert NetworkContact.objects.filter(client=record).exists()
    assert not AccessEvent.objects.filter(
        client_public_id=record.public_id, action=Action.DELETE
    ).exists()


def test_erasure_while_the_client_is_in_care_is_refused_and_says_why(access_world) -> None:
    # Given a client still in care
    record = _record(admitted_on=dt.date(2024, 3, 1))
    holds = retention_holds(client=record, today=TODAY)
    assert [(h.blocks, h.until) for h in holds] == [(True, None)]
    request = _erasure_request(access_world, record)
    # When back office handles the erasure request
    handled = privacy_request_handle(
        actor=access_world.back_office, public_id=request.public_id, today=TODAY
    )
    # Then it is refused, the reason is in the register, nothing is erased
    assert handled.outcome == RequestOutcome.REFUSED_RETENTION
    assert "still in care" in handled.note
    assert handled.handled_by == access_world.back_office
    _assert_not_erased(record)
    with pytest.raises(ValidationError, match="already been handled"):
        privacy_request_handle(
            actor=access_world.back_office, public_id=request.public_id, today=TODAY
        )


def test_erasure_within_the_medical_term_is_carried_out_on_request(access_world, settings) -> None:
    # Given a client discharged 5 years ago: WGBO keeps the record 20 years, but the client's
    # own request for destruction (art. 7:455 BW) comes first
    settings.PRIVACY_RETENTION_YEARS = 20
    record = _record(
        admitted_on=dt.date(2019, 3, 1), status="discharged", discharged_on=dt.date(2021, 6, 1)
    )
    holds = retention_holds(client=record, today=TODAY)
    assert [(h.medical, h.blocks, h.until) for h in holds] == [(True, False, dt.date(2041, 6, 1))]
    assert "7:455" in holds[0].why
    request = _erasure_request(access_world, record)
    # When back office handles it without a reason to keep it
    handled = privacy_request_handle(
        actor=access_world.back_office, public_id=request.public_id, today=TODAY
    )
    # Then the record is anonymised now, by the handler, in the access log
    assert handled.outcome == RequestOutcome.DONE
    record.refresh_from_db()
    assert (record.first_name, record.bsn) == (ERASED_NAME, None)
    assert not NetworkContact.objects.filter(client=record).exists()
    erasure = AccessEvent.objects.get(
        client_public_id=record.public_id, action=Action.DELETE, part="gdpr-erasure"
    )
    assert erasure.username == access_world.back_office.username


def test_erasure_kept_for_someone_else_is_refused_with_that_reason(access_world, settings) -> None:
    settings.PRIVACY_RETENTION_YEARS = 20
    record = _record(
        admitted_on=dt.date(2019, 3, 1), status="discharged", discharged_on=dt.date(2021, 6, 1)
    )
    request = _erasure_request(access_world, record)
    handled = privacy_request_handle(
        actor=access_world.back_office,
        public_id=request.public_id,
        today=TODAY,
        important_to_other="  Hereditary condition: the record matters for the children.  ",
    )
    assert handled.outcome == RequestOutcome.REFUSED_RETENTION
    assert "7:455" in handled.note
    assert "Hereditary condition: the record matters for the children." in handled.note
    _assert_not_erased(record)


def test_a_reason_to_keep_is_refused_for_a_request_that_is_not_an_erasure(access_world) -> None:
    record = _record(admitted_on=dt.date(2024, 3, 1))
    request = privacy_request_record(
        actor=access_world.back_office,
        client_public_id=record.public_id,
        kind="access",
        requested_on=dt.date(2026, 11, 20),
    )
    with pytest.raises(ValidationError, match="Only an erasure request") as caught:
        privacy_request_handle(
            actor=access_world.back_office,
            public_id=request.public_id,
            today=TODAY,
            important_to_other="for the children",
        )
    assert "important_to_other" in caught.value.message_dict
    request.refresh_from_db()
    assert request.is_open


def test_erasure_past_retention_is_carried_out_and_audited(access_world, settings) -> None:
    # Given a client discharged 21 years ago, in care of no team that still exists for her
    settings.PRIVACY_RETENTION_YEARS = 20
    record = _record(
        admitted_on=dt.date(2001, 3, 1), status="discharged", discharged_on=dt.date(2005, 6, 1)
    )
    assert retention_holds(client=record, today=TODAY) == []
    request = privacy_request_record(
        actor=access_world.admin,
        client_public_id=record.public_id,
        kind="erasure",
        requested_on=dt.date(2026, 11, 20),
    )
    handled = privacy_request_handle(
        actor=access_world.admin, public_id=request.public_id, today=TODAY
    )
    assert handled.outcome == RequestOutcome.DONE
    record.refresh_from_db()
    assert (record.first_name, record.last_name, record.bsn) == (ERASED_NAME, ERASED_NAME, None)
    assert not NetworkContact.objects.filter(client=record).exists()
    erasure = AccessEvent.objects.get(
        client_public_id=record.public_id, action=Action.DELETE, part="gdpr-erasure"
    )
    assert erasure.username == access_world.admin.username
    assert erasure.detail == "erasure request"


def test_the_database_keeps_a_handled_request_whole(access_world) -> None:
    record = ClientFactory(team=access_world.team_a)
    request = privacy_request_record(
        actor=access_world.back_office,
        client_public_id=record.public_id,
        kind="access",
        requested_on=dt.date(2026, 11, 1),
    )
    with transaction.atomic(), pytest.raises(IntegrityError, match="privacyrequest_handled"):
        PrivacyRequest.objects.filter(pk=request.pk).update(handled_on=TODAY)
    with transaction.atomic(), pytest.raises(IntegrityError, match="privacyrequest_due_after"):
        PrivacyRequest.objects.filter(pk=request.pk).update(due_on=dt.date(2026, 10, 1))
