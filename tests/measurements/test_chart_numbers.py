"""The measurement chart writes its coordinates in Python, as `floatformat:"1u"` wrote them."""

import random

from django.template.defaultfilters import floatformat

from clients.measurements.charts import svg_number


def test_svg_numbers_are_what_floatformat_wrote() -> None:
    # given coordinates of every kind: whole, halves that round up, binary near-halves, tiny,
    # negative zero and random ones over the chart's box
    rng = random.Random(22)
    values = [0.0, -0.0, -0.04, 0.05, 0.15, 0.25, 2.675, 34.0, 34.25, 87.45, 98.35, 310.0]
    values += [i / 100 for i in range(0, 32000, 5)]
    values += [rng.uniform(0, 320) for _ in range(5000)] + [1e-7, 123.44999999999999]
    # then each is written as the template filter wrote it
    assert [svg_number(v) for v in values] == [str(floatformat(v, "1u")) for v in values]
