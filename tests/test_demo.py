"""`make run` loads the demo: it must work on a fresh database and be idempotent."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from scheduling.models import Visit, VisitStatus
from teams.models import User


@pytest.fixture(autouse=True)
def _debug_on(settings) -> None:
    """`make run` has DEBUG on; load_demo refuses to run without it."""
    settings.DEBUG = True


@pytest.mark.django_db
def test_load_demo_gives_every_role_something_to_do_and_is_idempotent() -> None:
    # given / when
    call_command("load_demo", stdout=io.StringIO())
    counts = (User.objects.count(), Visit.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    # then: nothing doubled
    assert (User.objects.count(), Visit.objects.count()) == counts
    # and last month has logged visits, so dashboards and a billing run show real figures
    first_of_month = timezone.localdate().replace(day=1)
    logged_last_month = Visit.objects.filter(
        status=VisitStatus.DONE,
        starts_at__date__lt=first_of_month,
        services__minutes__gt=0,
    )
    assert logged_last_month.count() > 50
    assert set(User.objects.values_list("role", flat=True)) == {
        "admin",
        "coach",
        "back_office",
        "nurse",
    }


@pytest.mark.django_db
def test_every_demo_team_has_its_messaging_space() -> None:
    # Teams are made through teams.services.team_create, which runs TEAM_CREATED_HOOKS: a
    # demo team without a space had no "Messages" on the coach's card.
    from coaching.models import Space
    from teams.models import Team

    call_command("load_demo", stdout=io.StringIO())
    teams = set(Team.objects.values_list("pk", flat=True))
    assert teams
    assert set(Space.objects.filter(team__isnull=False).values_list("team_id", flat=True)) == teams
