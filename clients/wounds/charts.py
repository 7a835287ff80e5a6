"""A wound's size over time as server-rendered SVG geometry (like clients.charts): length
(solid, circles) and width (dashed, squares) in mm, so the lines read without colour."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from clients.wounds.models import WoundAssessment

WIDTH, HEIGHT = 320, 130
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 10, 22
TICK_FORMAT = "j M"


@dataclass
class SizeLine:
    label: str
    dash: str
    marker: str
    points: list[tuple[float, float, str]]

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _label in self.points)


@dataclass
class SizeChart:
    width: int
    height: int
    lines: list[SizeLine]
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    summary: str
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT


def size_chart(assessments: Sequence[WoundAssessment]) -> SizeChart | None:
    rows = sorted(assessments, key=lambda a: (a.assessed_at, a.pk or 0))
    if not rows:
        return None
    top = max(max(a.length_mm, a.width_mm) for a in rows) * Decimal("1.15")
    top = max(top, Decimal(10))
    first, last = rows[0].assessed_at, rows[-1].assessed_at
    span = max((last - first).total_seconds(), 1.0)
    usable_x, usable_y = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(a: WoundAssessment) -> float:
        if len(rows) == 1:
            return LEFT + usable_x / 2
        return LEFT + usable_x * (a.assessed_at - first).total_seconds() / span

    def y(value: Decimal) -> float:
        return TOP + float((top - value) / top) * usable_y

    lines = []
    for field, label, dash, marker in (
        ("length_mm", _("Length"), "", "circle"),
        ("width_mm", _("Width"), "5 3", "square"),
    ):
        points = [
            (
                x(a),
                y(getattr(a, field)),
                f"{label} {getattr(a, field)} mm, {date_format(a.assessed_at)}",
            )
            for a in rows
        ]
        lines.append(SizeLine(str(label), dash, marker, points))
    x_ticks = [(x(rows[0]), date_format(first, TICK_FORMAT))]
    if len(rows) > 1:
        x_ticks.append((x(rows[-1]), date_format(last, TICK_FORMAT)))
    latest = rows[-1]
    summary = _("Latest %(length)s × %(width)s × %(depth)s mm (%(count)s assessments)") % {
        "length": latest.length_mm,
        "width": latest.width_mm,
        "depth": latest.depth_mm,
        "count": len(rows),
    }
    return SizeChart(
        width=WIDTH,
        height=HEIGHT,
        lines=lines,
        y_ticks=[(y(Decimal(0)), "0"), (y(top / Decimal("1.15")), f"{top / Decimal('1.15'):.0f}")],
        x_ticks=x_ticks,
        summary=str(summary),
    )
