"""The KBS chart on a phone (390 px): three panels stacked, labels at a legible fixed size
(they do not shrink with the chart), the expected rating dashed, the latest value written."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import log_in, page_check
from tests.factories import (
    ClientFactory,
    ClientProblemFactory,
    MembershipFactory,
    OutcomeRatingFactory,
    problem_by_code,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_kbs_chart_reads_on_a_phone(phone_page: Page) -> None:
    # given a client whose pain was rated four times, with an expectation
    membership = MembershipFactory(nurse__username="noor")
    client_record = ClientFactory(team=membership.team)
    cp = ClientProblemFactory(client=client_record, problem=problem_by_code("24"))
    for i, (k, b, s) in enumerate([(2, 2, 1), (3, 2, 2), (3, 3, 2), (4, 3, 3)]):
        OutcomeRatingFactory(
            client_problem=cp, rated_on=dt.date(2026, 1, 5) + dt.timedelta(days=21 * i),
            knowledge=k, behavior=b, status=s, expected_knowledge=4, expected_behavior=4,
            expected_status=3,
        )  # fmt: skip
    # when the nurse opens the record on her phone
    log_in(phone_page, "noor")
    phone_page.goto(client_record.get_absolute_url())
    chart = phone_page.locator(f"#p-{cp.public_id} .kbs-chart")
    # then three panels, stacked, each as wide as the card allows and inside the screen
    panels = chart.locator(".kbs-panel")
    expect(panels).to_have_count(3)
    boxes = [panels.nth(i).bounding_box() for i in range(3)]
    assert all(box is not None for box in boxes)
    assert boxes[0]["y"] + boxes[0]["height"] <= boxes[1]["y"]  # type: ignore[index]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in boxes)  # type: ignore[index]
    assert all(box["width"] > 250 for box in boxes)  # type: ignore[index]
    # the labels are at least 12 CSS px as drawn (no viewBox scaling them down)
    sizes = chart.evaluate(
        """el => [...el.querySelectorAll('.kbs-axis li, .kbs-dates span, .kbs-head span')]
                 .map(x => parseFloat(getComputedStyle(x).fontSize))"""
    )
    assert sizes
    assert min(sizes) >= 12, sizes
    assert chart.locator("svg.kbs-svg[viewBox]").count() == 0
    # the expected rating is a dashed line, the latest value is text
    expect(chart.locator("line.kbs-expected")).to_have_count(3)
    expect(panels.nth(0).locator(".kbs-last")).to_have_text("now 4")
    expect(panels.nth(0).locator(".kbs-expected-key")).to_have_text("expected 4")
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the record scrolls sideways at 390 px ({width} px wide)"
    page_check(phone_page, "kbs-chart-phone", keyboard=False)
