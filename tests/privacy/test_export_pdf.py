"""The client's own copy as a PDF a person reads: every label beside its own value, empty
values empty, no database ids or Python reprs, in the reader's language."""

import io
import re

import pypdf
import pytest
from django.urls import reverse

from buurtzorg.audit.models import AccessEvent, Action
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    InterventionFactory,
    NetworkContactFactory,
    VisitFactory,
)

pytestmark = pytest.mark.django_db


def _pdf_lines(client, user, record, language: str) -> list[str]:
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(reverse("privacy:export-pdf", args=[record.public_id]))
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return [line.strip() for line in text.splitlines()]


@pytest.fixture
def record(access_world):
    record = ClientFactory(
        team=access_world.team_a, first_name="Anna", last_name="Visser", phone=""
    )
    NetworkContactFactory(client=record, name="Dochter Dewi", phone="")
    problem = ClientProblemFactory(client=record)  # not resolved: resolved_on empty
    InterventionFactory(client_problem=problem, description="Wondzorg linkerhiel")
    VisitFactory(client=record, day=record.admitted_on, notes="Sleutel onder de mat")
    return record


def test_each_label_has_its_own_value_and_empty_ones_stay_empty(
    client, access_world, record
) -> None:
    lines = _pdf_lines(client, access_world.nurse_a, record, "en")
    assert "First name Anna" in lines
    assert "Last name Visser" in lines
    assert "Date of birth " + record.date_of_birth.strftime("%-d %B %Y") in lines
    # Empty values: the label stands alone on its line, the next label on the next line.
    assert "Phone" in lines
    assert "Resolved on" in lines
    assert "Problem 24 Pain" in lines
    assert "Client-specific description Wondzorg linkerhiel" in lines
    assert "Notes for the visit Sleutel onder de mat" in lines
    text = "\n".join(lines)
    assert not re.search(r"\b\w+_(id|on|at)\b", text), "a database column name is printed"
    assert str(record.public_id) not in text
    assert "{'" not in text
    assert not re.search(r"\bNone\b(?!\.)", text), "a Python None is printed"
    assert "datetime." not in text
    assert AccessEvent.objects.filter(
        client_public_id=record.public_id, action=Action.EXPORT, detail="pdf"
    ).exists()


def test_the_pdf_is_in_the_readers_language(client, access_world, record) -> None:
    lines = _pdf_lines(client, access_world.nurse_a, record, "nl")
    assert "Voornaam Anna" in lines
    assert "Probleem 24 Pain"  # no licensed Dutch Omaha terms: English in lines
    assert any(line.startswith("Persoonsgegevens") for line in lines)
    assert "Telefoon" in lines
    assert "Opgelost op" in lines
    assert any(line.startswith("Gemaakt ") for line in lines)
    assert not any(line.startswith(("Created at", "Made ")) for line in lines)
