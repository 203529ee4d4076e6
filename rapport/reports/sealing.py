"""Sealing: freeze an approved edition and record the SHA-256 of its content and files.

The canonical content is the document's JSON (sorted keys, no whitespace); the
file hash is of the bytes rendered from it. Rendering a sealed edition later
reads the frozen document, so the file hash can be checked at any time.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from rapport.access.policy import require
from rapport.audit.record import record
from rapport.audit.verbs import Verb
from rapport.core.errors import InputError
from rapport.markings.models import ClassificationLevel

from .build import document_for, edition_for, file_name, render_document, require_edition
from .languages import DEFAULT, check_language
from .models import SealedEdition
from .renderers import get_renderer
from .rules import ReportAction


@transaction.atomic
def seal_edition(*, actor, period, edition, formats=("html", "pdf", "pdfa", "docx", "md"),
                 languages=(DEFAULT,)) -> list[SealedEdition]:
    """Seal one edition in the given formats and languages (already sealed ones are returned as
    they are). The actor must be allowed to seal the report (reports/rules.py) and to read the
    edition."""
    report, edition = require_edition(actor, period, edition)
    require(actor, ReportAction.SEAL, report)
    sealed = []
    for language in (check_language(lang) for lang in languages):
        for fmt in formats:
            existing = SealedEdition.objects.filter(report=report, edition=edition.name, format=fmt,
                                                    language=language).first()
            if existing is not None:
                sealed.append(existing)
                continue
            # A format sealed earlier in this language fixes the content of the others.
            doc, _source = document_for(period, edition, language=language)
            content = render_document(doc, fmt)
            obj = SealedEdition.objects.create(
                report=report, edition=edition.name, format=fmt, language=language,
                sha256=hashlib.sha256(content).hexdigest(), content_sha256=doc.content_sha256(),
                content=doc.canonical_json(), sealed_by=actor, classification=_level(period, doc.marking.rank),
                filename=file_name(period, edition, get_renderer(fmt).extension, language),
            )
            obj.releasable_to.set(_releasable(period, doc, edition))
            record(actor=actor, verb=Verb.REPORT_SEALED, obj=obj,
                   after={"edition": edition.name, "format": fmt, "language": language, "sha256": obj.sha256,
                          "content_sha256": obj.content_sha256})
            sealed.append(obj)
    return sealed


def _level(period, rank: int) -> ClassificationLevel:
    return (ClassificationLevel.objects.filter(scheme__organisations__partnerships=period.partnership, rank=rank)
            .order_by("scheme__organisations__key").first())


def _releasable(period, doc, edition) -> list:
    """The seal is readable where the whole document is: its common releasability, else the audience's."""
    if doc.marking.rank == 0:
        return []
    orgs = list(period.partnership.organisations.all())
    named = [o for o in orgs if o.short_name in doc.marking.releasable]
    return named or [o for o in orgs if o.pk in edition.audience.organisation_ids]


def verify_file(path: str | Path, period, edition) -> tuple[bool, SealedEdition | None, str]:
    """Whether the file on disk is a sealed file of this edition, or the sealed canonical
    document itself (the JSON the archival PDF carries): (match, seal, file hash). A match on
    the document is a seal whose ``content_sha256`` is the file's hash."""
    path = Path(path)
    if not path.is_file():
        raise InputError(_("%(path)s: no such file.") % {"path": path})
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    edition = edition_for(period, edition)
    seals = SealedEdition.objects.filter(report__period=period, edition=edition.name)
    if not seals.exists():
        raise InputError(_("The %(edition)s edition of period %(period)s has not been sealed.")
                         % {"edition": edition.name, "period": period.ordinal})
    match = seals.filter(sha256=digest).first() or seals.filter(content_sha256=digest).first()
    return match is not None, match, digest
