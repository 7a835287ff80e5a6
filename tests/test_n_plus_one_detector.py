"""The N+1 detector (django-zeal, test settings) is on for every request in the suite."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path
from zeal import NPlusOneError

from teams.models import Membership
from tests.factories import team_with_nurses

pytestmark = pytest.mark.django_db


def nurses_lazily(request: HttpRequest) -> HttpResponse:
    return HttpResponse(", ".join(str(m.nurse) for m in Membership.objects.all()))


def nurses_joined(request: HttpRequest) -> HttpResponse:
    memberships = Membership.objects.select_related("nurse")
    return HttpResponse(", ".join(str(m.nurse) for m in memberships))


urlpatterns = [path("lazy/", nurses_lazily), path("joined/", nurses_joined)]


@pytest.mark.urls(__name__)
def test_a_view_with_an_n_plus_one_fails_the_test(client) -> None:
    team_with_nurses(3)
    with pytest.raises(NPlusOneError, match="teams.Membership.nurse"):
        client.get("/lazy/")


@pytest.mark.urls(__name__)
def test_the_same_view_with_select_related_passes(client) -> None:
    team_with_nurses(3)
    assert client.get("/joined/").status_code == 200
