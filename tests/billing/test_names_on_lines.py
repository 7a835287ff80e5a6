"""Invoice lines name the client with her tussenvoegsel, now that it is stored on its own."""

import pytest

from clients.models import Client
from scheduling.billing import services
from tests.billing.conftest import MARCH

pytestmark = pytest.mark.django_db


def test_an_invoice_line_keeps_the_prefix_in_front_of_the_surname(
    billing_world,  # noqa: ANN001
    access_world,  # noqa: ANN001
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    # given Bram's surname is "van den Berg", stored as prefix + achternaam
    Client.objects.filter(pk=billing_world.bram.pk).update(name_prefix="van den", last_name="Berg")
    # when March is billed
    with django_capture_on_commit_callbacks(execute=True):
        result = services.billing_run_request(
            period=MARCH, insurer=None, actor=access_world.back_office
        )
    # then his line reads as before names were split
    names = set(
        result.run.lines.filter(client=billing_world.bram).values_list("client_name", flat=True)
    )
    assert names == {"van den Berg B."}
