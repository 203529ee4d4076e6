"""Assemble the document of one period for one edition, from its visible records.

The sections come in the order of ``ORDER``; the provenance annex, which lists
the sources of every statement before it, closes every report.

The document is written in one language (``language``: en or fr, reports/languages.py):
everything is assembled inside ``translation.override``, so the wording, dates, edition
labels and markings all come out in it.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from rapport.core.memory import collection_paused
from rapport.periods.models import ReportingPeriod

from . import annexes, sections
from .choices import ReportState
from .document import Document
from .editions import Edition, resolve_edition
from .languages import DEFAULT, check_language, document_language
from .numbering import append_annex, document_number, number_sections, section_keys
from .prose import day, month_year, ordinal, partnership_name
from .records import load_records, marked_for, marking_of, org_schemes, text_for

ORDER = (
    sections.introduction,
    sections.areas,
    sections.evidence,
    annexes.statistics,
    sections.outlook,
    annexes.commitment_table,
)


@collection_paused()
def assemble(period: ReportingPeriod, edition: Edition, language: str = DEFAULT, approvals: bool = True) -> Document:
    """The document of one edition; ``approvals=False`` leaves out who approved the report (the
    content its approvers approve, which is what an organisation's signed approval names)."""
    language = check_language(language)
    with translation.override(language):
        return _assemble(period, edition, language, approvals)


def _assemble(period: ReportingPeriod, edition: Edition, language: str, approvals: bool = True) -> Document:
    # The edition's labels in the document's language (the caller may have resolved it in another).
    edition = resolve_edition(period.partnership, edition.name, period)
    r = load_records(period, edition, approvals=approvals)
    body = tuple(s for s in (build(r) for build in ORDER) if s is not None)
    body = number_sections(body, section_keys(r, body))
    # The provenance annex names each statement by its section and paragraph number.
    body = append_annex(body, annexes.provenance(body))
    date = (r.report.presented_on if r.report and r.report.presented_on else period.report_due or period.end)
    # The report's title as its record gives it in the document's language, else as written and
    # tagged with its language; the partnership's name likewise (its French name in French).
    title, title_lang = text_for(r.report, "title") if r.report else (default_title(period), "")
    partnership, partnership_lang = partnership_name(period.partnership)
    return Document(
        title=title,
        partnership=partnership,
        ordinal=period.ordinal,
        ordinal_word=ordinal(period),
        period_label=f"{month_year(period.start)} – {month_year(period.end)}",
        date=date.isoformat(),
        date_label=day(date),
        edition=edition.name,
        edition_label=edition.label,
        organisations=org_schemes(r.orgs),
        sections=body,
        title_marking=marking_of(r.report),
        # Without approvals the document is the approved content alone: no state either.
        status=(r.report.get_state_display() if r.report else _("Not yet drafted")) if approvals else "",
        marked_for=marked_for(r),
        number=document_number(period.partnership.key, period.ordinal, date),
        draft=(r.report is None or r.report.state == ReportState.DRAFT) and approvals,
        audience=edition.audience.label,
        kind_label=_("Joint progress report"),
        language=document_language(language),
        title_lang=title_lang,
        partnership_lang=partnership_lang,
    )


def default_title(period: ReportingPeriod) -> str:
    """The title of a report not yet drafted, in the active language (the partnership by its name in
    it; a partnership without one is named in English there, as on the cover)."""
    text = _("%(ordinal)s joint progress report of the %(partnership)s") % {
        "ordinal": ordinal(period), "partnership": partnership_name(period.partnership)[0]}
    return text[:1].upper() + text[1:]
