"""Charts as deterministic SVG (HTML, PDF) and PNG (DOCX), drawn from a Figure's data.

The same Figure always gives the same bytes: a fixed SVG hash salt, no date in
the metadata, and text kept as text so it stays searchable in the PDF.

Every chart has a text alternative written from the same data (``summary``: a
sentence; ``alt_text``: the sentence and the data as text). The HTML edition puts
it in the SVG's ``<title>`` (``role="img"``, ``aria-describedby`` naming the
sentence under the chart), WeasyPrint copies that title into the PDF figure's
``/Alt``, and the DOCX edition into the picture's ``descr``. matplotlib's RDF
metadata block is left out of the SVG.
"""

from __future__ import annotations

import io
import re
import threading

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from django.utils.translation import gettext, pgettext

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
    text = _METADATA.sub("", text[text.index("<svg"):], count=1)
    block = _STYLE_BLOCK.search(text)
    if block:
        text = _STYLE_BLOCK.sub("", text, count=1)
        text = text.replace("<svg", "<svg" + _presentation(block.group(1)), 1)
    return _STYLE_ATTRIBUTE.sub(lambda m: _presentation(m.group(1)), text)


def _number(value: float) -> str:
    return f"{value:g}"


def summary(fig_data: Figure) -> str:
    """One sentence saying what the chart shows, from its data: its kind, what it counts, and the
    largest value of each series (or, stacked, the largest total). In the active language."""
    cats, series = fig_data.categories, fig_data.series
    kind = gettext("Stacked bar chart") if fig_data.chart == "stacked" else gettext("Bar chart")
    names = ", ".join(label for label, _colour, _values in series if label)
    head = gettext("%(kind)s of %(what)s") % {"kind": kind, "what": fig_data.caption.rstrip(".")}
    head += gettext(", by %(n)s categories") % {"n": len(cats)} if cats else ""
    head += (gettext(" and %(n)s series (%(names)s)") % {"n": len(series), "names": names}
             if len(series) > 1 and names else "")
    if not cats or not series:
        return head + gettext("; it holds no data.")
    if fig_data.chart == "stacked":
        totals = [sum(values[i] for _label, _colour, values in series) for i in range(len(cats))]
        return gettext("%(head)s; %(most)s.") % {"head": head, "most": _highest(gettext("the total"), totals, cats)}
    most = [_highest(label or gettext("the values"), values, cats) for label, _colour, values in series if values]
    return gettext("%(head)s; %(most)s.") % {"head": head, "most": ", ".join(most)}


def _highest(label: str, values, cats) -> str:
    """Where a series is highest, naming every category that shares the top ("zero everywhere"
    when nothing was counted)."""
    top = max(values)
    if not top:
        return gettext("%(label)s zero in every category") % {"label": label}
    where = [cats[i] for i, v in enumerate(values) if v == top]
    return gettext("%(label)s highest in %(where)s (%(top)s)") % {
        "label": label, "where": (" " + pgettext("the last item of a list", "and") + " ").join(where), "top": _number(top)}


def data_text(fig_data: Figure) -> str:
    """The chart's data as text: 'POL: Commitments 12, Reported on 8; CYB: …'."""
    rows = []
    for i, cat in enumerate(fig_data.categories):
        cells = [f"{label} {_number(values[i])}".strip() for label, _colour, values in fig_data.series if i < len(values)]
        rows.append(gettext("%(category)s: %(values)s") % {"category": cat, "values": ", ".join(cells)})
    return pgettext("between the items of a list", "; ").join(rows)


def alt_text(fig_data: Figure, number: int | None = None) -> str:
    """The whole text alternative: the figure's name, the sentence and its data."""
    name = (gettext("Figure %(number)s:") % {"number": number} + f" {fig_data.caption}. ") if number is not None else ""
    data = data_text(fig_data)
    return f"{name}{summary(fig_data)}" + (gettext(" Data: %(data)s.") % {"data": data} if data else "")


_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)


_ID = re.compile(r'( id="|xlink:href="#|url\(#)([^"()]+)')


def accessible_svg(fig_data: Figure, number: int, described_by: str) -> str:
    """The inline SVG with its text alternative as ``<title>``, ``role="img"`` and
    ``aria-describedby`` naming the element that holds the summary sentence. matplotlib names
    clip paths and markers by a hash of what they draw, so two charts can share names: each
    chart's are prefixed with its figure number, so every id in the page is unique."""
    from html import escape

    text = _ID.sub(lambda m: f"{m.group(1)}figure-{number}-{m.group(2)}", svg(fig_data))
    head_end = text.index(">") + 1
    opening = text[:head_end - 1] + f' role="img" aria-describedby="{escape(described_by)}">'
    return f"{opening}<title>{escape(alt_text(fig_data, number), quote=False)}</title>{text[head_end:]}"


def png(fig_data: Figure) -> bytes:
    return render(fig_data, "png")
