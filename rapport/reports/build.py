"""The API the command line and the web UI call to produce report files.

    render_edition(period, "public", "pdf", user=request.user) -> RenderedFile

A sealed edition is rendered from its frozen document, so it gives the same
bytes however the records have changed since it was sealed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rapport.audit.record import record
from rapport.audit.verbs import Verb
from rapport.contributions.models import ReportingPeriod
from rapport.core.errors import InputError, NotFound
from rapport.partnerships.models import Partnership

from .assemble import assemble
from .document import Document
from .editions import Edition, resolve_edition
from .renderers import get_renderer


@dataclass(frozen=True)
class RenderedFile:
    content: bytes
    filename: str
    content_type: str
    sha256: str
    edition: str = ""
    sealed: bool = False


def find_period(ordinal: int, partnership: str | Partnership | None = None) -> ReportingPeriod:
    """The period with this ordinal; the partnership may be omitted when there is only one."""
    if not isinstance(partnership, Partnership):
        qs = Partnership.objects.all()
        if partnership:
            qs = qs.filter(key=partnership)
        found = list(qs[:2])
        if not found:
            raise InputError(f"No partnership {partnership!r}." if partnership else "No partnership is loaded; run 'rapport init'.")
        if len(found) > 1:
            raise InputError("Several partnerships exist; name one with --partnership.")
        partnership = found[0]
    period = ReportingPeriod.objects.filter(partnership=partnership, ordinal=ordinal).select_related("partnership").first()
    if period is None:
        known = ", ".join(str(n) for n in partnership.periods.values_list("ordinal", flat=True)) or "none"
        raise InputError(f"{partnership.name} has no reporting period {ordinal} (periods: {known}).", field="period")
    return period


def edition_for(period: ReportingPeriod, edition: str | Edition) -> Edition:
    return edition if isinstance(edition, Edition) else resolve_edition(period.partnership, edition, period)


def document_for(period: ReportingPeriod, edition: str | Edition, fmt: str | None = None) -> tuple[Document, bool]:
    """The document of this edition: the sealed one if this edition (in this format) is sealed."""
    from .models import SealedEdition

    edition = edition_for(period, edition)
    sealed = SealedEdition.objects.filter(report__period=period, edition=edition.name)
    if fmt:
        sealed = sealed.filter(format=fmt)
    frozen = sealed.order_by("pk").first()
    if frozen is not None:
        return Document.from_json(frozen.content), True
    return assemble(period, edition), False


def file_name(period: ReportingPeriod, edition: Edition, ext: str) -> str:
    slug = edition.name.replace(":", "-").replace("/", "-").lower()
    return f"{period.partnership.key}-report-{period.ordinal:02d}-{slug}.{ext}"


def render_document(doc: Document, fmt: str) -> bytes:
    try:
        renderer = get_renderer(fmt)
    except KeyError as exc:
        raise InputError(str(exc.args[0]), field="format") from None
    return renderer.render(doc)


def _report(period: ReportingPeriod):
    from .models import Report

    return Report.objects.filter(period=period).first()


def render_edition(period: ReportingPeriod, edition: str | Edition, fmt: str, user=None) -> RenderedFile:
    """Render one edition of one period's report; with a user, check they may have it and log the download."""
    edition = edition_for(period, edition)
    report = _report(period)
    if user is not None and not edition.allows(user, report):
        raise NotFound("report edition")
    try:
        renderer = get_renderer(fmt)
    except KeyError as exc:
        raise InputError(str(exc.args[0]), field="format") from None
    doc, sealed = document_for(period, edition, fmt)
    content = renderer.render(doc)
    digest = hashlib.sha256(content).hexdigest()
    if user is not None and report is not None:
        record(actor=user, verb=Verb.REPORT_DOWNLOADED, obj=report,
               after={"edition": edition.name, "format": fmt, "sha256": digest})
    return RenderedFile(content, file_name(period, edition, renderer.extension), renderer.content_type, digest,
                        edition.name, sealed)
