"""Server-side SVG geometry for the Knowledge/Behavior/Status trend of one problem.

No JavaScript and no chart library: the view computes points, the template draws three small
panels, one per concept, each with its own 1-5 axis, so the three lines never lie on top of
each other. The panels' SVGs have no viewBox: their y coordinates are CSS pixels and their x
coordinates percentages of the panel's width, so the chart stretches to the screen while its
markers stay round and every label (HTML around the SVG) keeps the page's font size on a
phone. The expected rating (the latest one the nurse set for the problem) is a dashed line;
each panel names its latest value in text, and the ratings table beside it carries every
number.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clients.models import OutcomeRating

# The axis labels: day, month and two-digit year, the month named in the reader's language.
TICK_FORMAT = "j M y"
# Vertical geometry in CSS pixels (no viewBox): 18 px per step of the scale, the HTML axis
# labels in `.kbs-axis` (static/css/app.css) use the same numbers.
PAD, STEP = 10, 18
HEIGHT = 2 * PAD + 4 * STEP
# Horizontal geometry in percent of the panel: markers stay inside at both ends.
X_FROM, X_TO = 4.0, 96.0

CONCEPTS = (
    # key, label, colour
    ("knowledge", gettext_lazy("Knowledge"), "#1f6f4a"),
    ("behavior", gettext_lazy("Behavior"), "#b4530b"),
    ("status", gettext_lazy("Status"), "#2b5c9e"),
)


def _y(score: int) -> int:
    return PAD + (5 - score) * STEP


@dataclass
class Point:
    x: float  # percent of the panel's width
    y: int  # CSS pixels from the top
    value: int
    label: str

    @property
    def cx(self) -> str:
        return f"{self.x:.1f}%"


@dataclass
class Segment:
    x1: str
    y1: int
    x2: str
    y2: int


@dataclass
class Panel:
    key: str
    label: str
    colour: str
    points: list[Point] = field(default_factory=list)
    expected: int | None = None

    @property
    def last(self) -> int:
        return self.points[-1].value

    @property
    def expected_y(self) -> int | None:
        return None if self.expected is None else _y(self.expected)

    @property
    def segments(self) -> list[Segment]:
        """The line as straight pieces (an SVG polyline cannot take percentages)."""
        return [
            Segment(a.cx, a.y, b.cx, b.y)
            for a, b in zip(self.points, self.points[1:], strict=False)
        ]


@dataclass
class Chart:
    panels: list[Panel]
    y_ticks: list[tuple[int, int]]
    first_label: str
    last_label: str
    height: int = HEIGHT
    summary: str = ""

    def html(self, problem_name: str) -> SafeString:
        """The chart's markup (what templates/clients/_rating_chart.html drew): built here with
        format strings, once, instead of some 80 template nodes per panel on every view of a
        record (the client page's biggest cost)."""
        axis = "".join(f"<li>{score}</li>" for _y, score in self.y_ticks)
        grid = "".join(
            f'<line class="kbs-grid" x1="0" x2="100%" y1="{y}" y2="{y}" stroke="#d5dbd6" '
            'stroke-width="1"/>'
            for y, _score in self.y_ticks
        )
        dates = f"<span>{escape(self.first_label)}</span>"
        if self.last_label:
            dates += f"<span>{escape(self.last_label)}</span>"
        panels = []
        for p in self.panels:
            key, colour = escape(p.key), escape(p.colour)
            key_html = expected_line = ""
            if p.expected is not None:
                expected = escape(_("expected %(score)s") % {"score": p.expected})
                key_html = (
                    '<span class="kbs-expected-key"><svg width="22" height="8" aria-hidden="true" '
                    'focusable="false"><line x1="0" x2="22" y1="4" y2="4" stroke="#55605a" '
                    'stroke-width="2" stroke-dasharray="4 3"/></svg> '
                    f"{expected}</span>"
                )
                expected_line = (
                    f'<line class="kbs-expected" x1="0" x2="100%" y1="{p.expected_y}" '
                    f'y2="{p.expected_y}" stroke="#55605a" stroke-width="2" '
                    f'stroke-dasharray="6 4"><title>{expected}</title></line>'
                )
            segments = "".join(
                f'<line class="kbs-line" x1="{s.x1}" y1="{s.y1}" x2="{s.x2}" y2="{s.y2}" '
                f'stroke="{colour}" stroke-width="2.5" stroke-linecap="round"/>'
                for s in p.segments
            )
            points = "".join(
                f'<circle class="kbs-point" cx="{pt.cx}" cy="{pt.y}" r="4" fill="{colour}">'
                f"<title>{escape(pt.label)}</title></circle>"
                for pt in p.points
            )
            now = escape(_("now %(score)s") % {"score": p.last})
            over_time = escape(
                _("%(concept)s ratings over time for %(problem)s")
                % {"concept": p.label, "problem": problem_name}
            )
            panels.append(
                f'    <section class="kbs-panel kbs-{key}" data-concept="{key}">\n'
                f'      <p class="kbs-head"><span class="kbs-name">{escape(p.label)}</span>\n'
                f'        <span class="kbs-last" data-last="{p.last}">{now}</span>\n'
                f"        {key_html}\n"
                "      </p>\n"
                '      <div class="kbs-plot">\n'
                f'        <ol class="kbs-axis" aria-hidden="true">{axis}</ol>\n'
                f'        <svg class="kbs-svg" width="100%" height="{self.height}" role="img" '
                f'focusable="false" aria-label="{over_time}">\n'
                f"          {grid}\n"
                f"          {expected_line}\n"
                f"          {segments}\n"
                f"          {points}\n"
                "        </svg>\n"
                "      </div>\n"
                f'      <p class="kbs-dates">{dates}</p>\n'
                "    </section>\n"
            )
        return mark_safe(  # noqa: S308 -- every value above is a number or escaped
            '<figure class="kbs-chart">\n  <div class="kbs-panels">\n'
            + "".join(panels)
            + "  </div>\n"
            f'  <figcaption class="small muted">{escape(self.summary)}</figcaption>\n'
            "</figure>\n"
        )


def rating_chart(ratings: Iterable[OutcomeRating]) -> Chart | None:
    """Geometry for the ratings of one problem in date order; None when there are none."""
    rows = sorted(ratings, key=lambda r: (r.rated_on, r.pk or 0))
    if not rows:
        return None
    first, last = rows[0].rated_on, rows[-1].rated_on
    span = max((last - first).days, 1)

    def x(rating: OutcomeRating) -> float:
        if len(rows) == 1:
            return (X_FROM + X_TO) / 2
        return X_FROM + (X_TO - X_FROM) * (rating.rated_on - first).days / span

    # each date written, and each text translated, once per chart: not once per point and
    # concept (three times a rating, on every view of a record)
    dates = _dates(rows, None)
    point_label = _("%(concept)s %(score)s on %(date)s")
    panels = []
    for key, lazy_label, colour in CONCEPTS:
        label = str(lazy_label)
        points = [
            Point(
                x=x(r),
                y=_y(getattr(r, key)),
                value=getattr(r, key),
                label=point_label
                % {"concept": label, "score": getattr(r, key), "date": dates[r.rated_on]},
            )
            for r in rows
        ]
        # the expectation the nurse set most recently (a later rating may revise it)
        expected = next(
            (e for r in reversed(rows) if (e := getattr(r, f"expected_{key}")) is not None),
            None,
        )
        panels.append(Panel(key, label, colour, points, expected))
    latest = rows[-1]
    summary = ngettext(
        "%(count)d rating from %(first)s to %(last)s; latest Knowledge %(knowledge)s, "
        "Behavior %(behavior)s, Status %(status)s.",
        "%(count)d ratings from %(first)s to %(last)s; latest Knowledge %(knowledge)s, "
        "Behavior %(behavior)s, Status %(status)s.",
        len(rows),
    ) % {
        "count": len(rows),
        "first": dates[first],
        "last": dates[last],
        "knowledge": latest.knowledge,
        "behavior": latest.behavior,
        "status": latest.status,
    }
    return Chart(
        panels=panels,
        y_ticks=[(_y(s), s) for s in range(5, 0, -1)],
        first_label=date_format(first, TICK_FORMAT),
        last_label=date_format(last, TICK_FORMAT) if len(rows) > 1 else "",
        summary=summary,
    )


def _dates(ratings: list[OutcomeRating], fmt: str | None) -> dict[dt.date, str]:
    """Each rating's date as `date_format(rated_on, fmt)` writes it, once per date."""
    return {day: date_format(day, fmt) for day in {r.rated_on for r in ratings}}


def rating_rows_html(ratings: Iterable[OutcomeRating]) -> SafeString:
    """The rows of the ratings table beside the chart (every number of it), in date order as
    given; empty when there are none (the template says "Not rated yet."). Written here for
    the same reason as `Chart.html`: some 20 template nodes a row, on every view of a record."""
    labels = {  # literal msgids, so that makemessages finds them
        "date": escape(_("Date")),
        "moment": escape(_("Moment")),
        "knowledge": escape(_("Knowledge")),
        "behavior": escape(_("Behavior")),
        "status": escape(_("Status")),
        "expected": escape(_("Expected")),
        "rated_by": escape(_("Rated by")),
    }
    ratings = list(ratings)
    dates = _dates(ratings, "SHORT_DATE_FORMAT")
    # get_moment_display() hashes and translates every choice on each call
    moments = {
        value: escape(label) for value, label in OutcomeRating._meta.get_field("moment").flatchoices
    }
    rows = [
        f'      <tr><td data-label="{labels["date"]}">{escape(dates[r.rated_on])}</td>'
        f'<td data-label="{labels["moment"]}">{moments.get(r.moment) or escape(r.moment)}</td>'
        f'<td data-label="{labels["knowledge"]}">{r.knowledge}</td>'
        f'<td data-label="{labels["behavior"]}">{r.behavior}</td>'
        f'<td data-label="{labels["status"]}">{r.status}</td>\n'
        f'      <td data-label="{labels["expected"]}">{r.expected_knowledge or "–"}/'
        f"{r.expected_behavior or '–'}/{r.expected_status or '–'}</td>"
        f'<td data-label="{labels["rated_by"]}">{escape(r.rated_by)}</td></tr>\n'
        for r in ratings
    ]
    return mark_safe("".join(rows))  # noqa: S308 -- every value is a number or escaped
