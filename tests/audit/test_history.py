"""Change history by database triggers: ORM, bulk and raw-SQL writes are all kept, with who."""

import pytest
from django.db import connection
from django.test import RequestFactory
from pghistory.models import Context

from buurtzorg.audit.middleware import HistoryContextMiddleware
from clients.models import Client
from scheduling.history.models import ClientEvent, OutcomeRatingEvent
from scheduling.history.selectors import client_history
from tests.factories import ClientFactory, NurseFactory, OutcomeRatingFactory

pytestmark = pytest.mark.django_db


def test_orm_update_keeps_old_and_new_value_and_who() -> None:
    # given
    record = ClientFactory(city="Almelo")
    nurse = NurseFactory()
    request = RequestFactory().post("/clients/x/edit/")
    request.user = nurse
    request.request_id = "r-1"

    def edit(_request):
        Client.objects.filter(pk=record.pk).first()  # noqa: B018 - a read records nothing
        record.city = "Hengelo"
        record.save()
        return None

    # when the write happens inside a request
    HistoryContextMiddleware(edit)(request)
    # then
    [change] = [c for c in client_history(client_pk=record.pk) if c.label == "update"]
    assert change.changes == {"city": ("Almelo", "Hengelo")}
    assert change.user_id == nurse.pk
    assert change.url == "/clients/x/edit/"


def test_bulk_update_and_raw_sql_are_kept() -> None:
    # given
    first, second = ClientFactory(phone="1"), ClientFactory(phone="2")
    # when
    Client.objects.filter(pk__in=[first.pk, second.pk]).update(phone="0600000000")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE clients_client SET city = 'Raw' WHERE id = %s", [first.pk])
    # then
    labels = list(
        ClientEvent.objects.filter(pgh_obj_id=first.pk)
        .order_by("pgh_id")
        .values_list("pgh_label", "phone", "city")
    )
    assert [label for label, *_ in labels] == ["insert", "update", "update"]
    assert labels[-1][1:] == ("0600000000", "Raw")
    assert ClientEvent.objects.filter(pgh_obj_id=second.pk, pgh_label="update").count() == 1


def test_delete_keeps_the_last_state() -> None:
    rating = OutcomeRatingFactory()
    rating_pk = rating.pk
    rating.delete()
    deleted = OutcomeRatingEvent.objects.get(pgh_obj_id=rating_pk, pgh_label="delete")
    assert deleted.knowledge == rating.knowledge


def test_an_update_that_changes_nothing_tracked_is_not_an_event() -> None:
    record = ClientFactory()
    Client.objects.filter(pk=record.pk).update(city=record.city)
    assert ClientEvent.objects.filter(pgh_obj_id=record.pk).count() == 1  # the insert


def test_context_holds_no_personal_data_but_the_user_id() -> None:
    record = ClientFactory()
    request = RequestFactory().post("/x/")
    request.user = NurseFactory()
    request.request_id = "r-2"

    def edit(_request):
        Client.objects.filter(pk=record.pk).update(city="Delden")

    HistoryContextMiddleware(edit)(request)
    metadata = Context.objects.order_by("-created_at").first().metadata
    assert set(metadata) == {"user", "url", "request_id"}


def test_visit_changes_are_kept_too() -> None:
    from scheduling.history.models import VisitEvent
    from tests.factories import VisitFactory

    visit = VisitFactory(notes="first")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE scheduling_visit SET notes = 'second' WHERE id = %s", [visit.pk])
    notes = list(
        VisitEvent.objects.filter(pgh_obj_id=visit.pk)
        .order_by("pgh_id")
        .values_list("notes", flat=True)
    )
    assert notes == ["first", "second"]
    assert [c.label for c in client_history(client_pk=visit.client_id) if c.model == "visit"] == [
        "insert",
        "update",
    ]


def test_billing_stamp_alone_writes_no_visit_event() -> None:
    # Finalising a run stamps billed_at on a whole month of visits; that stamp is not a change
    # to the care given, so it alone must not double the history table every month.
    from django.utils import timezone

    from scheduling.history.models import VisitEvent
    from scheduling.models import Visit
    from tests.factories import VisitFactory

    visit = VisitFactory(notes="first")
    Visit.objects.filter(pk=visit.pk).update(notes="second")
    assert VisitEvent.objects.filter(pgh_obj_id=visit.pk).count() == 2

    # (Once billed, a visit is read-only: the stamp is the last change it can get.)
    Visit.objects.filter(pk=visit.pk).update(billed_at=timezone.now())
    assert VisitEvent.objects.filter(pgh_obj_id=visit.pk).count() == 2
    assert Visit.objects.get(pk=visit.pk).billed_at is not None


def test_invoice_lines_have_no_row_trigger() -> None:
    # Lines are written once per run (100,000+ a month) and replaced as a whole; a history
    # trigger on them would double every run's writes for no record the run does not keep.
    # (The finalised-run guard is a statement trigger: one join per statement, bit 1 unset.)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"
            " AND tgrelid = 'billing_invoiceline'::regclass AND (tgtype::int & 1) = 1"
        )
        assert cursor.fetchone()[0] == 0
