"""The web pages' one door to report rendering (rapport.reports): which editions a
user may read (rapport.reports.readers, shared with the API), and the bytes of an edition
in a format."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from rapport.access.policy import signed_in
from rapport.core.registry import registry
from rapport.reports.readers import EditionChoice, readable_editions, resolve_for  # noqa: F401  (the pages' door)

# How the pages name each format (two renderers write .pdf files).
FORMAT_LABELS = {"pdf": "PDF", "pdfa": gettext_lazy("PDF/A (archival)"), "docx": "DOCX", "html": "HTML",
                 "md": "Markdown"}


def formats() -> list[tuple[str, str]]:
    """(name, label) of every registered renderer, in the order the pages offer them."""
    order = {"pdf": 0, "pdfa": 1, "docx": 2, "html": 3, "md": 4}
    return sorted(((r.name, FORMAT_LABELS.get(r.name, r.extension.upper())) for r in registry["renderers"].values()),
                  key=lambda f: (order.get(f[0], 9), f[0]))


def render(report, edition, fmt: str, user, language: str = "en"):
    """(bytes, filename, content_type) of one edition in one format and language (en, fr), for
    this user (rapport.reports checks the language, asks the policy and records the download)."""
    from rapport.reports.build import render_edition

    rendered = render_edition(report.period, edition, fmt, actor=user if signed_in(user) else None,
                              language=language)
    return rendered.content, rendered.filename, rendered.content_type


def diff_markdown(period, edition) -> str:
    """The comparison with the previous report, as Markdown (raises InputError for the first period)."""
    from rapport.reports.build import diff_document
    from rapport.reports.renderers import get_renderer

    return get_renderer("md").render(diff_document(period, edition)).decode()


def public_summary_html(period) -> str:
    """The public summary as HTML in the page's language, what is in another language tagged."""
    from rapport.reports.build import public_summary_html as summary

    return summary(period)
