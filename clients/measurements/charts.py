"""Server-side SVG geometry for one kind of measurement over time (like clients.charts).

The chart is drawn in a 320 x 120 box, the size of a phone's card, so its 11-unit labels
read at about 11 px there. Values outside the client's normal range get a hollow red marker
as well as the flag in the table, so the chart reads without colour.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from clients.measurements.models import KINDS, Measurement

WIDTH, HEIGHT = 320, 120
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 10, 22
TICK_FORMAT = "j M"
_TENTH = Decimal("0.1")
_FLAGGED_DOT = '<circle cx="{}" cy="{}" r="4" fill="#fff" stroke="#b42318" stroke-width="2">'
_DOT = '<circle cx="{}" cy="{}" r="3" fill="#2b5c9e">'


def svg_number(value: float) -> str:
    """`value|floatformat:"1u"`: one decimal, rounded half up from the float's shortest repr,
    no localization (an SVG coordinate), written without the filter's per-call set-up."""
    number = str(Decimal(repr(value)).quantize(_TENTH, rounding=ROUND_HALF_UP))
    return "0.0" if number == "-0.0" else number


@dataclass
class Dot:
    x: float
    y: float
    flagged: bool
    label: str


@dataclass
class KindChart:
    kind: str
    label: str
    unit: str
    latest: Measurement
    count: int
    width: int
    height: int
    lines: list[str]
    dots: list[Dot]
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str]]
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    tick_label_x: int = LEFT - 4
    tick_label_y: int = HEIGHT - 6

    @property
    def y_tick_marks(self) -> list[tuple[str, str]]:
        return [(svg_number(y), label) for y, label in self.y_ticks]

    @property
    def x_tick_marks(self) -> list[tuple[str, str]]:
        return [(svg_number(x), label) for x, label in self.x_ticks]

    @property
    def dots_svg(self) -> SafeString:
        """The dots' <circle> elements, written here rather than two filters and a branch of
        the template per dot (the chart's markup as _chart.html wrote it, values escaped)."""
        out = []
        for d in self.dots:
            out.append(
                (_FLAGGED_DOT if d.flagged else _DOT).format(svg_number(d.x), svg_number(d.y))
            )
            if d.label:
                out.append(f"<title>{escape(d.label)}</title>")
            out.append("</circle>")
        return mark_safe("".join(out))  # noqa: S308 - numbers and an escaped label


def kind_chart(kind: str, label: str, rows: Sequence[Measurement]) -> KindChart | None:
    """Geometry for `rows` (one kind, any order); None when there are none."""
    rows = sorted(rows, key=lambda m: m.measured_at)
    if not rows:
        return None
    spec = KINDS[kind]
    values = [m.value for m in rows] + [m.value2 for m in rows if m.value2 is not None]
    low, high = min(values), max(values)
    pad = max((high - low) * Decimal("0.15"), Decimal(1))
    low, high = low - pad, high + pad
    first, last = rows[0].measured_at, rows[-1].measured_at
    span = max((last - first).total_seconds(), 1.0)
    usable_x, usable_y = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(m: Measurement) -> float:
        if len(rows) == 1:
            return LEFT + usable_x / 2
        return LEFT + usable_x * (m.measured_at - first).total_seconds() / span

    def y(value: Decimal) -> float:
        return TOP + float((high - value) / (high - low)) * usable_y

    lines = [" ".join(f"{x(m):.1f},{y(m.value):.1f}" for m in rows)]
    dots = [
        Dot(x(m), y(m.value), m.out_of_range, f"{m.display_value} {date_format(m.measured_at)}")
        for m in rows
    ]
    if spec.has_second:
        lines.append(" ".join(f"{x(m):.1f},{y(m.value2):.1f}" for m in rows if m.value2))
        dots += [Dot(x(m), y(m.value2), m.out_of_range, "") for m in rows if m.value2]
    fmt = f"{{:.{spec.decimals}f}}"
    y_ticks = (
        [(y(v), fmt.format(v)) for v in (low + pad, high - pad)] if high - low > 2 * pad else []
    )
    x_ticks = [(x(rows[0]), date_format(first, TICK_FORMAT))]
    if len(rows) > 1:
        x_ticks.append((x(rows[-1]), date_format(last, TICK_FORMAT)))
    return KindChart(
        kind=kind,
        label=label,
        unit=spec.unit,
        latest=rows[-1],
        count=len(rows),
        width=WIDTH,
        height=HEIGHT,
        lines=lines,
        dots=dots,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
    )
