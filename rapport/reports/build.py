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

Every edition can be rendered in English or French (``language``, reports/languages.py):
the document is assembled in that language and rendered with the renderers' own words in
it. A sealed document is in the language it was sealed in (English); asked for in another,
the edition is assembled from the records in that language and is not the sealed file.
The same records in the same language give the same bytes.
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
from .languages import DEFAULT, check_language, in_language_of, language_of
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
    language: str = DEFAULT


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


def document_for(period: ReportingPeriod, edition: str | Edition, fmt: str | None = None,
                 language: str = DEFAULT) -> tuple[Document, bool]:
    """The document of this edition in ``language``: the sealed one if this edition (in this
    format) is sealed in that language."""
    from .models import SealedEdition

    language = check_language(language)
    edition = edition_for(period, edition)
    sealed = SealedEdition.objects.filter(report__period=period, edition=edition.name, language=language)
    if fmt:
        sealed = sealed.filter(format=fmt)
    frozen = sealed.order_by("pk").first()
    if frozen is not None:
        doc = Document.from_json(frozen.content)
        if language_of(doc) == language:
            return doc, True
    return assemble(period, edition, language), False


def file_name(period: ReportingPeriod, edition: Edition, ext: str, language: str = DEFAULT) -> str:
    """``eu-nato-report-08-public.pdf``; a French file ends ``-fr`` (``…-public-fr.pdf``)."""
    slug = edition.name.replace(":", "-").replace("/", "-").lower()
    suffix = "" if language == DEFAULT else f"-{language}"
    return f"{period.partnership.key}-report-{period.ordinal:02d}-{slug}{suffix}.{ext}"


def render_document(doc: Document, fmt: str) -> bytes:
    try:
        renderer = get_renderer(fmt)
    except KeyError as exc:
        raise InputError(str(exc.args[0]), field="format") from None
    with collection_paused(), in_language_of(doc):
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


def render_edition(period: ReportingPeriod, edition: str | Edition, fmt: str, *, actor,
                   language: str = DEFAULT) -> RenderedFile:
    """Render one edition of one period's report in ``language`` (en or fr) for ``actor`` (None:
    the signed-out public), if the policy lets them have it, and record the download."""
    language = check_language(language)  # before anything is read or rendered
    report, edition = require_edition(actor, period, edition)
    try:
        renderer = get_renderer(fmt)
    except KeyError as exc:
        raise InputError(str(exc.args[0]), field="format") from None
    doc, sealed = document_for(period, edition, fmt, language)
    with collection_paused(), in_language_of(doc):
        content = renderer.render(doc)
    digest = hashlib.sha256(content).hexdigest()
    record_download(actor, report, edition.name, fmt, digest, language)
    return RenderedFile(content, file_name(period, edition, renderer.extension, language), renderer.content_type,
                        digest, edition.name, sealed, language)


@transaction.atomic
def record_download(actor, report, edition: str, fmt: str, digest: str, language: str = DEFAULT) -> None:
    from .models import DownloadTally

    after = {"edition": edition, "format": fmt, "language": language, "sha256": digest}
    if signed_in(actor):
        record(actor=actor, verb=Verb.REPORT_DOWNLOADED, obj=report, after=after)
        return
    day = timezone.localdate()
    tally, created = DownloadTally.objects.get_or_create(report=report, edition=edition, format=fmt,
                                                         language=language, day=day)
    if created:  # the first signed-out download of the day is logged; the rest are counted
        record(actor=None, verb=Verb.REPORT_DOWNLOADED, obj=report, system_actor="public", after=after,
               message=f"first signed-out download on {day.isoformat()}; later ones that day are counted")
    DownloadTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)


def public_summary_markdown(period: ReportingPeriod, language: str | None = None) -> str:
    """The public summary of one period's report, from the public edition's records only, in
    ``language`` (by default the active one, as the pages show it)."""
    from .summary import public_summary

    return _public_summary(period, language, public_summary)


def public_summary_html(period: ReportingPeriod, language: str | None = None) -> str:
    """The same summary as HTML for the pages, what is in another language than theirs tagged."""
    from .summary import public_summary_html as write

    return _public_summary(period, language, write)


def _public_summary(period, language, write) -> str:
    from django.utils import translation

    from .records import load_summary_records

    with translation.override(check_language(language) if language else translation.get_language()):
        return write(load_summary_records(period, resolve_edition(period.partnership, "public", period)))


def diff_document(period: ReportingPeriod, edition: str | Edition) -> Document:
    """The comparison of this period's report with the previous one, for one edition (in
    English: the comparison has no French wording yet)."""
    from django.utils import translation

    from .diff import diff_document as compare

    with translation.override(DEFAULT):
        return compare(period, edition_for(period, edition))
