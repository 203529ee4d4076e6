"""Markdown (GitHub-flavoured: pipe tables). Charts appear as their data tables,
which every figure has next to it; provenance is in Annex B."""

from __future__ import annotations

from ..document import Document, Figure, Paragraph, Section, Table
from . import figure_numbers, group_blocks, register_renderer


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _inline(text: str) -> str:
    # Keep Markdown syntax in the content from being read as formatting.
    return "".join("\\" + ch if ch in "*_`[]<>#" else ch for ch in text.replace("\\", "\\\\"))


def _table(doc: Document, t: Table) -> list[str]:
    lines = [f"**{doc.portion_mark(t.marking)} {_inline(t.caption)}**", ""]
    lines.append("| Mk. | " + " | ".join(_esc(h) or " " for h in t.header) + " |")
    lines.append("|" + "---|" * (len(t.header) + 1))
    for row in t.rows:
        lines.append(f"| {doc.portion_mark(row.marking)} | " + " | ".join(_esc(c) for c in row.cells) + " |")
    return lines + [""]


def _section(doc: Document, s: Section, depth: int, numbers: dict[int, int]) -> list[str]:
    lines = [f'<a id="{s.anchor}"></a>', "", "#" * min(depth + 2, 6) + f" {doc.portion_mark(s.marking)} {_inline(s.title)}", ""]
    for kind, item in group_blocks(s.blocks):
        if kind == "list":
            lines += [f"- {doc.portion_mark(p.marking)} {_inline(p.text)}" for p in item] + [""]
        elif isinstance(item, Paragraph):
            text = f"{doc.portion_mark(item.marking)} {_inline(item.text)}"
            lines += [f"*{text}*" if item.style == "note" else f"**{text}**" if item.style == "lead" else text, ""]
        elif isinstance(item, Table):
            lines += _table(doc, item)
        elif isinstance(item, Figure):
            lines += [f"*{doc.portion_mark(item.marking)} Figure {numbers[id(item)]}: {_inline(item.caption)} "
                      "(chart in the HTML, PDF and DOCX editions; its data is in the table above).*", ""]
    for sub in s.subsections:
        lines += _section(doc, sub, depth + 1, numbers)
    return lines


def _toc(sections, depth=0) -> list[str]:
    lines = []
    for s in sections:
        lines.append("  " * depth + f"- [{_inline(s.title)}](#{s.anchor})")
        if depth < 1:
            lines += _toc(s.subsections, depth + 1)
    return lines


def render_markdown(doc: Document) -> str:
    banner = f"**{doc.marking_names()}**"
    lines = [banner, "", f"# {_inline(doc.title)}", ""]
    lines += [f"- **Partnership:** {_inline(doc.partnership)}",
              f"- **Report:** {doc.ordinal_word.capitalize()} progress report",
              f"- **Period covered:** {doc.period_label}",
              f"- **Date:** {doc.date_label}",
              f"- **Edition:** {_inline(doc.edition_label)}",
              f"- **Status:** {doc.status}",
              f"- **Marking:** {doc.marking_names()}", ""]
    lines += ["## Contents", "", *_toc(doc.sections), ""]
    numbers = figure_numbers(doc)
    for s in doc.sections:
        lines += _section(doc, s, 0, numbers)
    lines += [banner, ""]
    return "\n".join(lines)


@register_renderer("md", "md", "text/markdown; charset=utf-8")
def markdown_bytes(doc: Document) -> bytes:
    return render_markdown(doc).encode()
