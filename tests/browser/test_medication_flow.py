"""A nurse on her phone (390x844) signs a client's morning medication in one tap."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from scheduling.medication.models import DoseSignoff
from tests.browser.conftest import log_in, page_check
from tests.factories import ClientFactory, MedicationFactory, MembershipFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_nurse_signs_the_morning_medication_in_one_tap(phone_page: Page) -> None:
    # given a visit at 07:45 today to a client with two 08:00 tablets and an insulin dose
    membership = MembershipFactory(nurse__username="sanne", nurse__first_name="Sanne")
    nurse, team = membership.nurse, membership.team
    client_record = ClientFactory(team=team, first_name="Jan", last_name="de Vries")
    for name in ("Metformine", "Furosemide"):
        MedicationFactory(client=client_record, name=name, created_by=nurse)
    MedicationFactory(
        client=client_record,
        name="Insuline aspart",
        high_risk=True,
        form="injection",
        route="subcutaneous",
        dose_amount=8,
        dose_unit="E",
        created_by=nurse,
    )
    visit = VisitFactory(
        client=client_record, nurse=nurse, day=timezone.localdate(), at=dt.time(7, 45)
    )

    # when she opens the visit from My day, its medication is listed
    log_in(phone_page, nurse.username)
    card = phone_page.locator(f"#visit-{visit.public_id}")
    expect(card).to_contain_text("Metformine")
    card.get_by_role("link", name="Other…").click()
    section = phone_page.locator("#medication")
    expect(section).to_contain_text("Insuline aspart")
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the visit page scrolls sideways at 390 px ({width} px wide)"
    page_check(phone_page, "nurse-visit-medication-phone")

    # and taps "All given as scheduled" once
    section.get_by_role("button", name="All given as scheduled (2 doses)").click()

    # then both routine doses are signed as given; the insulin waits for a second nurse
    expect(phone_page.locator("#medication")).to_contain_text("Given")
    signed = DoseSignoff.objects.filter(visit=visit)
    assert sorted(signed.values_list("medication__name", "outcome")) == [
        ("Furosemide", "given"),
        ("Metformine", "given"),
    ]
    expect(phone_page.locator("#medication")).to_contain_text("Second nurse (username)")
