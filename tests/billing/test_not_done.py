"""A visit recorded as not done (the client not home, refused, in hospital) is handled: the
pre-flight does not list it as "planned and not logged", and the run bills none of it."""

from decimal import Decimal

import pytest
from django.db.models import F

from scheduling.billing import services
from scheduling.billing.selectors import billing_run_preflight
from scheduling.models import Visit, VisitStatus
from tests.billing.conftest import HAND_TOTALS, MARCH

pytestmark = pytest.mark.django_db


def test_a_visit_not_done_is_handled_and_not_billed(
    billing_world, django_capture_on_commit_callbacks
) -> None:
    # given Bram's visit of 20 March (planned, with 30 minutes of nursing on it) was not done
    Visit.objects.filter(status=VisitStatus.PLANNED).update(
        status=VisitStatus.NOT_DONE, not_done_reason="not_home", logged_at=F("starts_at")
    )
    # when March is run and checked
    with django_capture_on_commit_callbacks(execute=True):
        run = services.billing_run_request(period=MARCH, insurer=None, actor=None).run
    run.refresh_from_db()
    codes = {p.code for p in billing_run_preflight(run=run)}
    # then it is not "planned and not logged", and only the done visits are billed
    assert "planned_not_logged" not in codes
    assert run.total_amount == sum(HAND_TOTALS.values())
    bram = {(ln.service_code, ln.minutes) for ln in run.lines.filter(client=billing_world.bram)}
    assert bram == {("1001", 31)}
    assert run.total_amount == Decimal("356.17")
