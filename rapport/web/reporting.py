"""The web pages' one door to report rendering (rapport.reports): which editions a
user may read, and the bytes of an edition in a format."""

from __future__ import annotations

from dataclasses import dataclass

from rapport.core.registry import registry


@dataclass(frozen=True)
class EditionChoice:
    name: str
    label: str


def formats() -> list[tuple[str, str]]:
    """(name, extension) of every registered renderer."""
    order = {"pdf": 0, "docx": 1, "html": 2, "md": 3}
    return sorted(((r.name, r.extension) for r in registry["renderers"].values()), key=lambda f: (order.get(f[0], 9), f[0]))


def readable_editions(user, partnership, period) -> list[EditionChoice]:
    """The editions this user may open: their own audience's at each level up to their
    clearance (the highest first), then the public one."""
    from rapport.markings.models import ClassificationLevel
    from rapport.reports.editions import resolve_edition

    names = []
    if user.organisation_id:
        org = user.organisation
        for lv in ClassificationLevel.objects.filter(scheme=org.scheme, rank__gt=0, rank__lte=user.clearance_rank).order_by("-rank"):
            names.append(f"{org.key}:{lv.abbreviation}")
    elif user.delegation_id:
        for rank in range(user.clearance_rank, 0, -1):
            names.append(f"delegation:{user.delegation.code}:{rank}")
    names.append("public")  # the reader's own edition first, the public one last
    result = []
    for name in names:
        try:
            edition = resolve_edition(partnership, name, period)
        except Exception:  # noqa: BLE001 — a level missing from one scheme: skip that edition
            continue
        if edition.allows(user, getattr(period, "report", None)):
            result.append(EditionChoice(edition.name, edition.label))
    return result


def resolve_for(user, partnership, period, name: str):
    """The edition if this user may read it, else None (the caller answers 404)."""
    from rapport.reports.editions import resolve_edition

    allowed = {e.name for e in readable_editions(user, partnership, period)} if user is not None and user.is_authenticated else {"public"}
    if name not in allowed:
        return None
    try:
        return resolve_edition(partnership, name, period)
    except Exception:  # noqa: BLE001
        return None


def render(period, edition, fmt: str, user=None):
    """(bytes, filename, content_type) of one edition in one format. With a user,
    rapport.reports checks they may have it and logs the download."""
    from rapport.reports.build import render_edition

    rendered = render_edition(period, edition, fmt, user=user)
    return rendered.content, rendered.filename, rendered.content_type


def diff_markdown(period, edition) -> str:
    """The comparison with the previous report, as Markdown (raises InputError for the first period)."""
    from rapport.reports.diff import diff_document
    from rapport.reports.renderers import get_renderer

    return get_renderer("md").render(diff_document(period, edition)).decode()


def public_summary(period) -> str | None:
    try:
        from rapport.reports.summary import public_summary_markdown
    except ImportError:
        return None
    return public_summary_markdown(period)
