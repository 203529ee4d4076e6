"""The web pages' one door to report rendering (rapport.reports): which editions a
user may read, and the bytes of an edition in a format."""

from __future__ import annotations

from dataclasses import dataclass

from rapport.access.policy import can, signed_in
from rapport.core.errors import InputError
from rapport.core.registry import registry
from rapport.reports.editions import resolve_edition
from rapport.reports.rules import ReportAction


@dataclass(frozen=True)
class EditionChoice:
    name: str
    label: str


# How the pages name each format (two renderers write .pdf files).
FORMAT_LABELS = {"pdf": "PDF", "pdfa": "PDF/A (archival)", "docx": "DOCX", "html": "HTML", "md": "Markdown"}


def formats() -> list[tuple[str, str]]:
    """(name, label) of every registered renderer, in the order the pages offer them."""
    order = {"pdf": 0, "pdfa": 1, "docx": 2, "html": 3, "md": 4}
    return sorted(((r.name, FORMAT_LABELS.get(r.name, r.extension.upper())) for r in registry["renderers"].values()),
                  key=lambda f: (order.get(f[0], 9), f[0]))


def _candidate_names(user) -> list[str]:
    """The reader's own audience at each level up to their clearance (highest first), then public."""
    from rapport.markings.models import ClassificationLevel

    names = []
    if signed_in(user) and user.organisation_id:
        org = user.organisation
        for lv in ClassificationLevel.objects.filter(scheme=org.scheme, rank__gt=0, rank__lte=user.clearance_rank).order_by("-rank"):
            names.append(f"{org.key}:{lv.abbreviation}")
    elif signed_in(user) and user.delegation_id:
        for rank in range(user.clearance_rank, 0, -1):
            names.append(f"delegation:{user.delegation.code}:{rank}")
    names.append("public")
    return names


def readable_editions(user, partnership, report) -> list[EditionChoice]:
    """The editions of this report the user may open, as the policy decides."""
    result = []
    for name in _candidate_names(user):
        try:
            edition = resolve_edition(partnership, name, report.period)
        except InputError:  # a level missing from one scheme: no such edition
            continue
        if can(user if signed_in(user) else None, ReportAction.READ_EDITION, report, edition=edition):
            result.append(EditionChoice(edition.name, edition.label))
    return result


def resolve_for(user, partnership, report, name: str):
    """The edition if this user may read it, else None (the caller answers 404)."""
    if name not in {e.name for e in readable_editions(user, partnership, report)}:
        return None
    return resolve_edition(partnership, name, report.period)


def render(report, edition, fmt: str, user):
    """(bytes, filename, content_type) of one edition in one format, for this user
    (rapport.reports asks the policy and records the download)."""
    from rapport.reports.build import render_edition

    rendered = render_edition(report.period, edition, fmt, actor=user if signed_in(user) else None)
    return rendered.content, rendered.filename, rendered.content_type


def diff_markdown(period, edition) -> str:
    """The comparison with the previous report, as Markdown (raises InputError for the first period)."""
    from rapport.reports.build import diff_document
    from rapport.reports.renderers import get_renderer

    return get_renderer("md").render(diff_document(period, edition)).decode()


def public_summary(period) -> str:
    from rapport.reports.build import public_summary_markdown

    return public_summary_markdown(period)
