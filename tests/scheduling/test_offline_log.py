"""Offline visit logs (issue 18): the phone's idempotency key makes each log apply exactly once,
with the time the nurse did it; a repeat, by the API or the service, changes nothing."""

import datetime as dt
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from buurtzorg.audit.models import AccessEvent
from scheduling.models import Visit, VisitLogKey, VisitService, VisitStatus
from scheduling.services import visits as services
from scheduling.services.rota import local_datetime
from scheduling.services.visits import ACTED_IN_FUTURE, KEY_USED_ELSEWHERE
from tests.scheduling.conftest import DAY

pytestmark = pytest.mark.django_db


def planned(world, hour: int = 9) -> Visit:
    return services.visit_schedule(
        client=world.client_record,
        nurse=world.nurse,
        starts_at=local_datetime(DAY, dt.time(hour)),
        planned_minutes=30,
        actor=world.nurse,
        planned_interventions=[world.intervention],
        service=world.service,
    )


def test_a_key_sent_twice_logs_the_visit_once_with_the_phones_time(client, world) -> None:
    # given a visit and a log the phone queued offline at 09:40
    visit = planned(world)
    key = uuid.uuid4()
    acted_at = local_datetime(DAY, dt.time(9, 40))
    body = {"idempotency_key": str(key), "acted_at": acted_at.isoformat()}
    client.force_login(world.nurse)
    url = reverse("api-visit-log", args=[visit.public_id])

    # when the queue is sent, and sent again (the first answer was lost)
    first = client.post(url, body, content_type="application/json")
    second = client.post(url, body, content_type="application/json")

    # then both answer with the logged visit, and it was logged once, at the phone's time
    assert first.status_code == second.status_code == 200
    assert first.json()["status"] == second.json()["status"] == "done"
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert visit.logged_at == acted_at
    assert VisitLogKey.objects.filter(key=key, visit=visit).count() == 1
    assert VisitService.objects.filter(visit=visit).count() == 1
    # the log is one change; the repeat is one read of the visit
    logged = AccessEvent.objects.filter(part="visit-log", action="update")
    repeated = AccessEvent.objects.filter(action="view", detail__endswith="repeated log")
    assert (logged.count(), repeated.count()) == (1, 1)


def test_a_repeat_after_the_visit_changed_does_not_overwrite_it(world) -> None:
    visit = planned(world)
    key = uuid.uuid4()
    services.visit_log(visit=visit, actor=world.nurse, idempotency_key=key)
    logged_at = Visit.objects.get(pk=visit.pk).logged_at
    # a repeat with other minutes is the same action sent again: nothing changes
    again = services.visit_log(
        visit=visit, actor=world.nurse, minutes=55, deviation_reason="x", idempotency_key=key
    )
    assert again.logged_minutes == 30
    assert again.logged_at == logged_at


def test_a_failed_log_keeps_no_key_so_the_phone_can_send_it_corrected(world) -> None:
    visit = planned(world)
    key = uuid.uuid4()
    with pytest.raises(ValidationError, match="give a short reason"):
        services.visit_log(visit=visit, actor=world.nurse, minutes=50, idempotency_key=key)
    assert not VisitLogKey.objects.exists()
    services.visit_log(
        visit=visit, actor=world.nurse, minutes=50, deviation_reason="stairs", idempotency_key=key
    )
    assert Visit.objects.get(pk=visit.pk).logged_minutes == 50


def test_a_key_is_not_reused_for_another_visit(world) -> None:
    first, second = planned(world, hour=9), planned(world, hour=11)
    key = uuid.uuid4()
    services.visit_log(visit=first, actor=world.nurse, idempotency_key=key)
    with pytest.raises(ValidationError, match=re.escape(str(KEY_USED_ELSEWHERE))):
        services.visit_log(visit=second, actor=world.nurse, idempotency_key=key)
    assert Visit.objects.get(pk=second.pk).status == VisitStatus.PLANNED


def test_a_time_in_the_future_is_refused(world) -> None:
    visit = planned(world)
    with pytest.raises(ValidationError, match=re.escape(str(ACTED_IN_FUTURE).split(";")[0])):
        services.visit_log(
            visit=visit,
            actor=world.nurse,
            now=timezone.now() + dt.timedelta(hours=2),
            idempotency_key=uuid.uuid4(),
        )


def test_the_database_refuses_a_second_row_for_a_key(world) -> None:
    visit = planned(world)
    key = uuid.uuid4()
    VisitLogKey.objects.create(key=key, visit=visit, actor=world.nurse, acted_at=timezone.now())
    with pytest.raises(IntegrityError, match="key"), transaction.atomic():
        VisitLogKey.objects.create(key=key, visit=visit, actor=world.nurse, acted_at=timezone.now())
