"""Charts as deterministic SVG (HTML, PDF) and PNG (DOCX), drawn from a Figure's data.

The same Figure always gives the same bytes: a fixed SVG hash salt, no date in
the metadata, and text kept as text so it stays searchable in the PDF.
"""

from __future__ import annotations

import io
import re
import threading

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from .document import Figure

FONTS = ["Liberation Sans", "DejaVu Sans"]
STYLE = {
    "svg.hashsalt": "rapport",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": FONTS,
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#666666",
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "axes.axisbelow": True,
    "text.parse_math": False,  # labels are names from the records: "$" is a character, not maths
}
_lock = threading.Lock()  # pyplot's state is global


def _label(text: str) -> str:
    """A legend label as given: matplotlib leaves out labels that start with "_"."""
    return "\u2060" + text if text.startswith("_") else text


def _draw(fig_data: Figure):
    fig, ax = plt.subplots(figsize=(6.4, 2.4))
    cats = list(fig_data.categories)
    xs = range(len(cats))
    if fig_data.chart == "stacked":
        bottom = [0.0] * len(cats)
        for label, colour, values in fig_data.series:
            ax.bar(xs, values, 0.35, bottom=bottom, label=_label(label), color=colour, edgecolor="white", linewidth=0.5)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    else:
        n = max(len(fig_data.series), 1)
        width = 0.8 / n
        for i, (label, colour, values) in enumerate(fig_data.series):
            ax.bar([x - 0.4 + width * (i + 0.5) for x in xs], values, width, label=_label(label), color=colour)
    ax.set_xticks(list(xs), cats)
    ax.yaxis.get_major_locator().set_params(integer=True)
    if any(label for label, _colour, _values in fig_data.series):
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig


def render(fig_data: Figure, fmt: str) -> bytes:
    with _lock, plt.rc_context(STYLE):
        fig = _draw(fig_data)
        buf = io.BytesIO()
        meta = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buf, format=fmt, metadata=meta, dpi=200 if fmt == "png" else None)
        plt.close(fig)
    return buf.getvalue()


_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_STYLE_BLOCK = re.compile(r"<style[^>]*>\s*\*\s*\{([^}]*)\}\s*</style>")


def _presentation(declarations: str) -> str:
    """'fill: #000; stroke-width: 0.5' as SVG presentation attributes: fill="#000" stroke-width="0.5"."""
    pairs = (d.split(":", 1) for d in declarations.split(";") if ":" in d)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)


def svg(fig_data: Figure) -> str:
    """Inline SVG (XML declaration and doctype stripped). matplotlib's style attributes and its one
    style block become presentation attributes: a page's Content-Security-Policy forbids inline
    styles, and the chart must draw the same in a page as in a file."""
    text = render(fig_data, "svg").decode()
    text = text[text.index("<svg"):]
    block = _STYLE_BLOCK.search(text)
    if block:
        text = _STYLE_BLOCK.sub("", text, count=1)
        text = text.replace("<svg", "<svg" + _presentation(block.group(1)), 1)
    return _STYLE_ATTRIBUTE.sub(lambda m: _presentation(m.group(1)), text)


def png(fig_data: Figure) -> bytes:
    return render(fig_data, "png")
