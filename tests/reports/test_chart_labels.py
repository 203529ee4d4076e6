"""Chart labels come from the records (area codes, assessment labels, organisation names):
they are drawn as the text they are, whatever characters they hold."""

import re
from html import unescape

import pytest

from rapport.reports import charts
from rapport.reports.document import Figure

LABELS = ["$5 and $10", "$\\frac{", "_hidden", "50% & <b>", "x^2_y"]


def drawn_texts(svg: str) -> list[str]:
    """The text of each <text> element (matplotlib also copies labels into comments: not those)."""
    return [unescape(t).replace("\u2060", "") for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


@pytest.mark.parametrize("chart", ["bar", "stacked"])
def test_labels_are_drawn_as_text(chart):
    fig = Figure("Caption", chart, tuple(LABELS[:2]), tuple((label, "#0072B2", (1.0, 2.0)) for label in LABELS))
    drawn = drawn_texts(charts.svg(fig))
    for label in LABELS:
        assert label in drawn, label  # in the legend (and the first two under the bars), verbatim
    assert charts.png(fig).startswith(b"\x89PNG")
