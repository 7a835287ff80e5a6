"""The KBS chart: three panels (Knowledge, Behavior, Status), each with its own 1-5 axis, the
expected rating as a dashed line and the latest value in text; labels are HTML at the page's
font size (the SVGs have no viewBox, so nothing scales down on a phone)."""

import datetime as dt
from html.parser import HTMLParser

import pytest

from clients.charts import HEIGHT, rating_chart
from teams.models import User
from tests.factories import ClientProblemFactory, OutcomeRatingFactory, problem_by_code

pytestmark = pytest.mark.django_db


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each `class=...` we ask for."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def of_class(self, name: str) -> list[dict[str, str]]:
        return [a for _t, a in self.tags if name in a.get("class", "").split()]


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def _rated_problem(client_record):  # noqa: ANN001, ANN202
    cp = ClientProblemFactory(client=client_record, problem=problem_by_code("24"))
    OutcomeRatingFactory(
        client_problem=cp, rated_on=dt.date(2026, 1, 5), moment="admission", knowledge=2,
        behavior=2, status=1, expected_knowledge=3, expected_behavior=3, expected_status=3,
    )  # fmt: skip
    OutcomeRatingFactory(
        client_problem=cp, rated_on=dt.date(2026, 2, 2), knowledge=3, behavior=4, status=2,
        expected_knowledge=4, expected_behavior=4, expected_status=3,
    )  # fmt: skip
    return cp


def test_chart_has_three_panels_with_expected_line_and_last_value(
    client, access_world, client_record
) -> None:
    # given two ratings, the later one raising the expectation
    _rated_problem(client_record)
    client.force_login(access_world.nurse_a)
    # when
    page = client.get(client_record.get_absolute_url()).content.decode()
    tags = _tags(page)
    # then: three panels, in K, B, S order, each its own SVG without a viewBox
    panels = tags.of_class("kbs-panel")
    assert [p["data-concept"] for p in panels] == ["knowledge", "behavior", "status"]
    svgs = tags.of_class("kbs-svg")
    assert len(svgs) == 3
    assert all("viewbox" not in s and s["height"] == str(HEIGHT) for s in svgs)
    # each panel's axis is 5..1 in HTML
    assert page.count('<ol class="kbs-axis" aria-hidden="true"><li>5</li><li>4</li>') == 3
    # the expected rating is a dashed line at the latest expectation (K 4, B 4, S 3)
    expected = tags.of_class("kbs-expected")
    assert len(expected) == 3
    assert all(line["stroke-dasharray"] for line in expected)
    assert [int(line["y1"]) for line in expected] == [28, 28, 46]
    assert "expected 4" in page
    # the latest value is written out
    assert [s["data-last"] for s in tags.of_class("kbs-last")] == ["3", "4", "2"]
    assert "now 3" in page
    # two ratings: one segment and two markers per panel, x in percent
    assert len(tags.of_class("kbs-line")) == 3
    points = tags.of_class("kbs-point")
    assert len(points) == 6
    assert {p["cx"] for p in points} == {"4.0%", "96.0%"}


def test_chart_labels_are_dutch_for_a_dutch_reader(client, access_world, client_record) -> None:
    # given
    _rated_problem(client_record)
    User.objects.filter(pk=access_world.nurse_a.pk).update(language="nl")
    client.force_login(access_world.nurse_a)
    # when
    page = client.get(client_record.get_absolute_url()).content.decode()
    # then
    names = page.split('class="kbs-name">')[1:]
    assert [n.split("<", 1)[0] for n in names] == ["Kennis", "Gedrag", "Status"]
    assert "verwacht 4" in page
    assert "nu 3" in page
    assert "Kennis-beoordelingen in de tijd" in page


def test_expectation_comes_from_the_latest_rating_that_set_one(client_record) -> None:
    # given: the expectation set at admission, a later rating without one
    cp = ClientProblemFactory(client=client_record)
    first = OutcomeRatingFactory(
        client_problem=cp, rated_on=dt.date(2026, 1, 5), expected_knowledge=5
    )
    second = OutcomeRatingFactory(client_problem=cp, rated_on=dt.date(2026, 3, 2), knowledge=4)
    # when
    chart = rating_chart([second, first])
    # then
    assert chart is not None
    knowledge, behavior, _status = chart.panels
    assert (knowledge.expected, knowledge.last) == (5, 4)
    assert behavior.expected is None
    assert behavior.expected_y is None
    assert [p.cx for p in knowledge.points] == ["4.0%", "96.0%"]


def test_one_rating_sits_in_the_middle_and_draws_no_segment(client_record) -> None:
    rating = OutcomeRatingFactory(client_problem=ClientProblemFactory(client=client_record))
    chart = rating_chart([rating])
    assert chart is not None
    assert [p.points[0].cx for p in chart.panels] == ["50.0%"] * 3
    assert all(p.segments == [] for p in chart.panels)
    assert chart.last_label == ""
    assert rating_chart([]) is None
