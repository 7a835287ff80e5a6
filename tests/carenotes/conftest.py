"""Reports and handover tests reuse the visit tests' small world (two teams, every role)."""

import datetime as dt

import pytest
from django.utils import timezone

from scheduling.carenotes.models import CareReport
from tests.scheduling.conftest import DAY, VisitWorld, world  # noqa: F401 (the fixture)

__all__ = ["DAY", "VisitWorld", "report", "world"]


def report(world, *, ago: dt.timedelta = dt.timedelta(hours=1), **kwargs) -> CareReport:
    """A report stored `ago` (created_at set back, as if written then), directly."""
    at = timezone.now() - ago
    values = {
        "client": world.client_record,
        "author": world.nurse,
        "written_at": at,
        "text": "Slept well, pain 3/10.",
    }
    values.update(kwargs)
    obj = CareReport.objects.create(**values)
    CareReport.objects.filter(pk=obj.pk).update(created_at=at)
    obj.refresh_from_db()
    return obj


@pytest.fixture
def old_report(world) -> CareReport:
    return report(world, ago=dt.timedelta(hours=2), client_problem=world.problem)
