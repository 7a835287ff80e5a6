"""Small SVG bar charts drawn on the server (no JavaScript, no external library).

The SVG is embedded in the PDF template; WeasyPrint renders it as vector graphics.
"""

from html import escape

from buurtzorg.l10n import format_number

BAR_HEIGHT = 9
GAP = 5
LABEL_WIDTH = 190
CHART_WIDTH = 480
PALETTE = ["#555555", "#1f6f8b", "#c4832b"]


def bar_chart(
    *,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float]]],
    max_value: float | None = None,
) -> str:
    """Horizontal grouped bars: one group per label, one bar per series. Returns an <svg>."""
    values = [v for _, vs in series for v in vs]
    top = max_value or (max(values) if values else 1) or 1
    group = len(series) * BAR_HEIGHT + GAP
    legend = 16
    height = legend + len(labels) * group + 16
    width = LABEL_WIDTH + CHART_WIDTH + 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        'font-family="DejaVu Sans, sans-serif" font-size="8">',
        f"<title>{escape(title)}</title>",
    ]
    x = LABEL_WIDTH
    for index, (name, _) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="2" width="8" height="8" fill="{colour}"/>')
        parts.append(f'<text x="{x + 11}" y="9">{escape(name)}</text>')
        x += 12 + 7 * len(name)
    for row, label in enumerate(labels):
        y = legend + row * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 4}" y="{y + group / 2}" text-anchor="end">'
            f"{escape(label[:38])}</text>"
        )
        for index, (_, vs) in enumerate(series):
            value = vs[row] if row < len(vs) else 0
            bar = CHART_WIDTH * (value / top) if top else 0
            by = y + index * BAR_HEIGHT
            colour = PALETTE[index % len(PALETTE)]
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{by}" width="{bar:.1f}" height="{BAR_HEIGHT - 1}" '
                f'fill="{colour}"/>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + bar + 3:.1f}" y="{by + 7}">{format_number(value)}</text>'
            )
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{legend - 2}" x2="{LABEL_WIDTH}" y2="{height - 14}" '
        'stroke="#000" stroke-width="0.5"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
