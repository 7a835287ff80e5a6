"""Server-side SVG geometry for the Knowledge/Behavior/Status trend of one problem.

No JavaScript and no chart library: the view computes points, the template draws an inline
<svg>. Each series differs by colour *and* by dash pattern and marker shape, so the chart
reads without colour; the ratings table beside it carries the same numbers in text.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from clients.models import OutcomeRating

WIDTH, HEIGHT = 320, 160
# The axis labels: day, month and two-digit year, the month named in the reader's language.
TICK_FORMAT = "j M y"
LEFT, RIGHT, TOP, BOTTOM = 28, 12, 10, 26

SERIES = (
    # key, label, colour, dash pattern, marker
    ("knowledge", gettext_lazy("Knowledge"), "#1f6f4a", "", "circle"),
    ("behavior", gettext_lazy("Behavior"), "#b4530b", "6 3", "square"),
    ("status", gettext_lazy("Status"), "#2b5c9e", "2 3", "diamond"),
)


@dataclass
class Point:
    x: float
    y: float
    value: int
    label: str

    @property
    def corner_x(self) -> float:
        return self.x - 3

    @property
    def corner_y(self) -> float:
        return self.y - 3


@dataclass
class Series:
    key: str
    label: str
    colour: str
    dash: str
    marker: str
    points: list[Point] = field(default_factory=list)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass
class Chart:
    width: int
    height: int
    series: list[Series]
    y_ticks: list[tuple[float, int]]
    x_ticks: list[tuple[float, str]]
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM
    summary: str = ""


def _y(score: int) -> float:
    return TOP + (5 - score) * (HEIGHT - TOP - BOTTOM) / 4


def rating_chart(ratings: Iterable[OutcomeRating]) -> Chart | None:
    """Geometry for the ratings of one problem in date order; None when there are none."""
    rows = sorted(ratings, key=lambda r: (r.rated_on, r.pk or 0))
    if not rows:
        return None
    first, last = rows[0].rated_on, rows[-1].rated_on
    span = max((last - first).days, 1)
    usable = WIDTH - LEFT - RIGHT

    def x(index: int, rating: OutcomeRating) -> float:
        if len(rows) == 1:
            return LEFT + usable / 2
        return LEFT + usable * (rating.rated_on - first).days / span

    series = []
    for key, label, colour, dash, marker in SERIES:
        points = [
            Point(
                x=x(i, r),
                y=_y(getattr(r, key)),
                value=getattr(r, key),
                label=_("%(concept)s %(score)s on %(date)s")
                % {"concept": label, "score": getattr(r, key), "date": date_format(r.rated_on)},
            )
            for i, r in enumerate(rows)
        ]
        series.append(Series(key, str(label), colour, dash, marker, points))
    x_ticks = [(x(0, rows[0]), date_format(first, TICK_FORMAT))]
    if len(rows) > 1:
        x_ticks.append((x(len(rows) - 1, rows[-1]), date_format(last, TICK_FORMAT)))
    latest = rows[-1]
    summary = ngettext(
        "%(count)d rating from %(first)s to %(last)s; latest Knowledge %(knowledge)s, "
        "Behavior %(behavior)s, Status %(status)s.",
        "%(count)d ratings from %(first)s to %(last)s; latest Knowledge %(knowledge)s, "
        "Behavior %(behavior)s, Status %(status)s.",
        len(rows),
    ) % {
        "count": len(rows),
        "first": date_format(first),
        "last": date_format(last),
        "knowledge": latest.knowledge,
        "behavior": latest.behavior,
        "status": latest.status,
    }
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        series=series,
        y_ticks=[(_y(s), s) for s in range(1, 6)],
        x_ticks=x_ticks,
        summary=summary,
    )
