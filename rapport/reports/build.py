"""The API the command line and the web UI call to produce report files.

    render_edition(period, "public", "pdf", actor=request.user) -> RenderedFile

Who may receive which edition is one policy decision (``ReportAction.READ_EDITION``
in reports/rules.py), asked here for every reader: a signed-in user, or ``None``
for the signed-out public. Every download is recorded here and nowhere else:
a signed-in reader's in the audit log; the public's in a daily tally, with one
audit entry per report, edition, format and day, so anonymous readers cannot
grow the log without bound.

A sealed edition is rendered from its frozen document, so it gives the same
bytes however the records have changed since it was sealed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from rapport.access.policy import require, signed_in
from rapport.audit.record import record
from rapport.audit.verbs import Verb
from rapport.core.errors import InputError, NotFound
from rapport.core.memory import collection_paused
from rapport.partnerships.models import Partnership
from rapport.periods.models import ReportingPeriod

from .assemble import assemble
from .document import Document
from .editions import Edition, resolve_edition
from .renderers import get_renderer
from .rules import ReportAction


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
    with collection_paused():
        return renderer.render(doc)


def require_edition(actor, period: ReportingPeriod, edition: str | Edition):
    """(report, edition) if ``actor`` (None: the public) may have this edition of the period's
    report; otherwise NotFound or Refused, as the policy says."""
    from .models import Report

    edition = edition_for(period, edition)
    report = Report.objects.filter(period=period).select_related("period__partnership").first()
    if report is None:
        raise NotFound("report")
    require(actor, ReportAction.READ_EDITION, report, edition=edition)
    return report, edition


def render_edition(period: ReportingPeriod, edition: str | Edition, fmt: str, *, actor) -> RenderedFile:
    """Render one edition of one period's report for ``actor`` (None: the signed-out public),
    if the policy lets them have it, and record the download."""
    report, edition = require_edition(actor, period, edition)
    try:
        renderer = get_renderer(fmt)
    except KeyError as exc:
        raise InputError(str(exc.args[0]), field="format") from None
    doc, sealed = document_for(period, edition, fmt)
    with collection_paused():
        content = renderer.render(doc)
    digest = hashlib.sha256(content).hexdigest()
    record_download(actor, report, edition.name, fmt, digest)
    return RenderedFile(content, file_name(period, edition, renderer.extension), renderer.content_type, digest,
                        edition.name, sealed)


@transaction.atomic
def record_download(actor, report, edition: str, fmt: str, digest: str) -> None:
    from .models import DownloadTally

    if signed_in(actor):
        record(actor=actor, verb=Verb.REPORT_DOWNLOADED, obj=report,
               after={"edition": edition, "format": fmt, "sha256": digest})
        return
    day = timezone.localdate()
    tally, created = DownloadTally.objects.get_or_create(report=report, edition=edition, format=fmt, day=day)
    if created:  # the first signed-out download of the day is logged; the rest are counted
        record(actor=None, verb=Verb.REPORT_DOWNLOADED, obj=report, system_actor="public",
               after={"edition": edition, "format": fmt, "sha256": digest},
               message=f"first signed-out download on {day.isoformat()}; later ones that day are counted")
    DownloadTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)


def public_summary_markdown(period: ReportingPeriod) -> str:
    """The public summary of one period's report, from the public edition's records only."""
    from .records import load_summary_records
    from .summary import public_summary

    return public_summary(load_summary_records(period, resolve_edition(period.partnership, "public", period)))


def diff_document(period: ReportingPeriod, edition: str | Edition) -> Document:
    """The comparison of this period's report with the previous one, for one edition."""
    from .diff import diff_document as compare

    return compare(period, edition_for(period, edition))
