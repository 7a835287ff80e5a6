"""Two nurses signing the same dose at the same moment: exactly one sign-off."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from scheduling.medication import services
from scheduling.medication.models import DoseSignoff
from tests.medication.conftest import at


@pytest.mark.django_db(transaction=True)
def test_two_nurses_signing_one_dose_at_once_give_one_sign_off(med) -> None:  # noqa: ANN001
    results: list[str] = []
    barrier = threading.Barrier(2)

    def sign(nurse, outcome: str) -> None:  # noqa: ANN001
        try:
            translation.activate("en")  # each thread starts in no language of its own
            barrier.wait()
            services.dose_sign(
                visit=med.visit, medication=med.tablet, due_at=at(8), outcome=outcome, actor=nurse
            )
            results.append("ok")
        except ValidationError as exc:
            results.append(exc.message_dict["due_at"][0])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=sign, args=(med.nurse, "given")),
        threading.Thread(target=sign, args=(med.colleague, "refused")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with translation.override("en"):
        refused = str(services.DOSE_ALREADY_SIGNED)
    assert sorted(results) == sorted(["ok", refused])
    assert DoseSignoff.objects.filter(medication=med.tablet).count() == 1
