"""A visit not done (the client not home, refused care, in hospital): recorded by her nurse
with the reason instead of done or cancelled; no minutes (never billed), a missed visit on the
handover, and the page works without JS, keeping her input when refused."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from buurtzorg.audit.models import AccessEvent
from scheduling.carenotes.handover import visits_missed_or_cancelled
from scheduling.history.selectors import client_history
from scheduling.models import NotDoneReason, Visit, VisitService, VisitStatus
from scheduling.privacy.document import client_document
from scheduling.privacy.reads import client_data
from scheduling.services import visits as services
from scheduling.services.rota import local_datetime
from scheduling.services.visits import (
    NOT_DONE_BEFORE_START,
    NOT_DONE_NEEDS_REASON,
    NOT_DONE_OTHER_NEEDS_WORDS,
    VISIT_NOT_OPEN,
    VISIT_NOT_YOURS,
)
from teams.models import User
from tests.scheduling.conftest import DAY

pytestmark = pytest.mark.django_db


def plan(world, starts_at: dt.datetime | None = None) -> Visit:
    return services.visit_schedule(
        client=world.client_record,
        nurse=world.nurse,
        starts_at=starts_at or local_datetime(DAY, dt.time(9)),
        planned_minutes=30,
        actor=world.nurse,
        planned_interventions=[world.intervention],
        service=world.service,
    )


def url(visit: Visit) -> str:
    return reverse("scheduling:visit-not-done", args=[visit.public_id])


# --- the service ---------------------------------------------------------------------------------


def test_a_visit_not_done_keeps_the_reason_and_no_minutes(world) -> None:
    # given
    visit = plan(world)
    # when the client was not home
    services.visit_record_not_done(
        visit=visit, actor=world.nurse, reason=NotDoneReason.NOT_HOME, note="Buren weten niets"
    )
    # then
    visit.refresh_from_db()
    assert visit.status == VisitStatus.NOT_DONE
    assert (visit.not_done_reason, visit.log_note) == ("not_home", "Buren weten niets")
    assert visit.logged_minutes is None
    assert visit.logged_by == world.nurse
    assert visit.logged_at is not None
    assert not VisitService.objects.filter(visit=visit).exists()
    event = AccessEvent.objects.get(part="visit-not-done")
    assert event.detail == f"visit {visit.public_id} not done: not_home"


def test_a_visit_not_done_is_never_counted(world) -> None:
    visit = plan(world)
    services.visit_record_not_done(visit=visit, actor=world.nurse, reason=NotDoneReason.REFUSED)
    assert not Visit.objects.effective().filter(pk=visit.pk).exists()


@pytest.mark.parametrize(
    ("reason", "note", "field", "message"),
    [
        ("", "", "reason", NOT_DONE_NEEDS_REASON),
        ("asleep", "", "reason", NOT_DONE_NEEDS_REASON),
        (NotDoneReason.OTHER, "   ", "note", NOT_DONE_OTHER_NEEDS_WORDS),
    ],
)
def test_a_reason_is_needed_and_other_needs_words(world, reason, note, field, message) -> None:
    visit = plan(world)
    with pytest.raises(ValidationError, match=str(message)) as caught:
        services.visit_record_not_done(visit=visit, actor=world.nurse, reason=reason, note=note)
    assert field in caught.value.error_dict
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED


def test_another_reason_in_her_words_is_taken(world) -> None:
    visit = plan(world)
    services.visit_record_not_done(
        visit=visit, actor=world.nurse, reason=NotDoneReason.OTHER, note="Overleden vannacht"
    )
    assert Visit.objects.get(pk=visit.pk).log_note == "Overleden vannacht"


def test_only_her_own_visit_whose_time_has_come_and_that_is_still_open(world) -> None:
    # someone else's
    visit = plan(world)
    with pytest.raises(ValidationError, match=str(VISIT_NOT_YOURS)):
        services.visit_record_not_done(
            visit=visit, actor=world.colleague, reason=NotDoneReason.NOT_HOME
        )
    # not yet due
    tomorrow = plan(world, starts_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="can be recorded as not done once its time"):
        services.visit_record_not_done(
            visit=tomorrow, actor=world.nurse, reason=NotDoneReason.NOT_HOME
        )
    assert "{start}" in str(NOT_DONE_BEFORE_START)
    # already done
    services.visit_log(visit=visit, actor=world.nurse)
    with pytest.raises(ValidationError, match=str(VISIT_NOT_OPEN).split("{")[0]):
        services.visit_record_not_done(visit=visit, actor=world.nurse, reason=NotDoneReason.REFUSED)
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.DONE


def test_a_visit_not_done_can_be_logged_as_done_after_all(world) -> None:
    visit = plan(world)
    services.visit_record_not_done(visit=visit, actor=world.nurse, reason=NotDoneReason.NOT_HOME)
    services.visit_log(visit=visit, actor=world.nurse)
    visit.refresh_from_db()
    assert (visit.status, visit.not_done_reason, visit.logged_minutes) == ("done", "", 30)
    assert Visit.objects.effective().filter(pk=visit.pk).exists()


def test_the_database_refuses_not_done_without_a_reason_or_with_minutes(world) -> None:
    visit = plan(world)
    now = timezone.now()
    for change in (
        {"status": VisitStatus.NOT_DONE, "logged_at": now},
        {"status": VisitStatus.NOT_DONE, "not_done_reason": "other", "logged_at": now},
        {"status": VisitStatus.NOT_DONE, "not_done_reason": "refused", "logged_minutes": 30},
        {"status": VisitStatus.PLANNED, "not_done_reason": "refused"},
    ):
        with pytest.raises(IntegrityError, match="visit_not_done_has_reason"):
            with transaction.atomic():
                Visit.objects.filter(pk=visit.pk).update(**change)


def test_the_api_gives_the_status_and_the_reason(client, world) -> None:
    visit = plan(world)
    services.visit_record_not_done(visit=visit, actor=world.nurse, reason=NotDoneReason.NOT_HOME)
    client.force_login(world.nurse)
    body = client.get(reverse("api-visit-detail", kwargs={"id": visit.public_id})).json()
    assert (body["status"], body["not_done_reason"], body["logged_minutes"]) == (
        "not_done",
        "not_home",
        None,
    )


# --- the handover --------------------------------------------------------------------------------


def test_the_handover_shows_a_visit_not_done_as_missed_with_the_reason(world) -> None:
    visit = plan(world)
    since = timezone.now() - dt.timedelta(hours=1)
    services.visit_record_not_done(visit=visit, actor=world.nurse, reason=NotDoneReason.IN_HOSPITAL)
    items = list(visits_missed_or_cancelled(team=world.team, since=since, user=world.colleague))
    assert [i.text.split(":")[0] for i in items] == ["Visit missed (not done"]
    assert "Client in hospital" in items[0].text
    assert items[0].key == f"visit-not-done:{visit.public_id}"


# --- the page ------------------------------------------------------------------------------------


def test_the_log_page_links_to_not_done_and_the_form_records_it(client, world) -> None:
    # given
    visit = plan(world)
    client.force_login(world.nurse)
    log_page = client.get(reverse("scheduling:visit-log", args=[visit.public_id]))
    assert f'href="{url(visit)}"' in log_page.content.decode()
    # when
    page = client.get(url(visit))
    response = client.post(url(visit), {"reason": "refused", "note": "Wilde vandaag niet"})
    # then
    assert page.status_code == 200
    assert "Client refused care" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:my-day")
    visit.refresh_from_db()
    assert (visit.status, visit.not_done_reason) == ("not_done", "refused")
    my_day = client.get(reverse("scheduling:my-day") + f"?day={DAY.isoformat()}")
    assert "Not done: Client refused care" in my_day.content.decode()


def test_a_refused_form_says_why_at_the_field_and_keeps_her_input(client, world) -> None:
    visit = plan(world)
    client.force_login(world.nurse)
    # "other" without words
    body = client.post(url(visit), {"reason": "other", "note": "  "}).content.decode()
    assert str(NOT_DONE_OTHER_NEEDS_WORDS) in body
    assert re.search(r'<input[^>]*value="other"[^>]*checked', body)
    # words without a reason
    response = client.post(url(visit), {"note": "Deur bleef dicht"})
    body = response.content.decode()
    assert response.status_code == 200
    assert str(NOT_DONE_NEEDS_REASON) in body
    assert "Deur bleef dicht</textarea>" in body
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED


@pytest.mark.parametrize("who", ["colleague", "other_nurse", "coach", "back_office"])
def test_others_get_404(client, world, who) -> None:
    visit = plan(world)
    client.force_login(getattr(world, who))
    assert client.get(url(visit)).status_code == 404
    assert client.post(url(visit), {"reason": "not_home"}).status_code == 404
    assert Visit.objects.get(pk=visit.pk).status == VisitStatus.PLANNED


def test_the_page_is_dutch_for_a_dutch_nurse(client, world) -> None:
    visit = plan(world)
    User.objects.filter(pk=world.nurse.pk).update(language="nl")
    client.force_login(world.nurse)
    body = client.get(url(visit)).content.decode()
    assert "Bezoek niet doorgegaan" in body
    assert "Cliënt niet thuis" in body


# --- the change history ----------------------------------------------------------------------


def test_a_visit_not_done_is_in_its_change_history_with_the_reason(world) -> None:
    # given
    visit = plan(world)
    # when the client was not home
    services.visit_record_not_done(
        visit=visit, actor=world.nurse, reason=NotDoneReason.NOT_HOME, note="Buren weten niets"
    )
    # then the visit's change history holds the new status and its reason
    [change] = [
        c
        for c in client_history(client_pk=visit.client_id)
        if c.model == "visit" and c.label == "update" and "not_done_reason" in c.changes
    ]
    assert change.changes["status"] == (VisitStatus.PLANNED, VisitStatus.NOT_DONE)
    assert change.changes["not_done_reason"] == ("", NotDoneReason.NOT_HOME)
    # and the client's own copy reads it in Dutch, the reason by its label
    with translation.override("nl"):
        sections = client_document(
            client=world.client_record, data=client_data(client=world.client_record)
        )
        [history] = [s for s in sections if s.title == "Wijzigingsgeschiedenis"]
        written = [dict(item.rows)["Wijzigingen"] for item in history.items]
    assert any("Waarom niet doorgegaan:  → Cliënt niet thuis" in w for w in written), written
