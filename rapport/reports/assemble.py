"""Assemble the document of one period for one edition, from its visible records.

The sections come in the order of ``ORDER``; the provenance annex, which lists
the sources of every statement before it, closes every report.
"""

from __future__ import annotations

from rapport.core.memory import collection_paused
from rapport.periods.models import ReportingPeriod

from . import annexes, sections
from .choices import ReportState
from .document import Document
from .editions import Edition
from .numbering import append_annex, document_number, number_sections, section_keys
from .prose import day
from .records import load_records, marked_for, marking_of, org_schemes

ORDER = (
    sections.introduction,
    sections.areas,
    sections.evidence,
    annexes.statistics,
    sections.outlook,
    annexes.commitment_table,
)


@collection_paused()
def assemble(period: ReportingPeriod, edition: Edition) -> Document:
    r = load_records(period, edition)
    body = tuple(s for s in (build(r) for build in ORDER) if s is not None)
    body = number_sections(body, section_keys(r, body))
    # The provenance annex names each statement by its section and paragraph number.
    body = append_annex(body, annexes.provenance(body))
    date = (r.report.presented_on if r.report and r.report.presented_on else period.report_due or period.end)
    title = r.report.title if r.report else default_title(period)
    return Document(
        title=title,
        partnership=period.partnership.name,
        ordinal=period.ordinal,
        ordinal_word=period.ordinal_word,
        period_label=f"{period.start:%B %Y} – {period.end:%B %Y}",
        date=date.isoformat(),
        date_label=day(date),
        edition=edition.name,
        edition_label=edition.label,
        organisations=org_schemes(r.orgs),
        sections=body,
        title_marking=marking_of(r.report),
        status=r.report.get_state_display() if r.report else "Not yet drafted",
        marked_for=marked_for(r),
        number=document_number(period.partnership.key, period.ordinal, date),
        draft=r.report is None or r.report.state == ReportState.DRAFT,
        audience=edition.audience.label,
    )


def default_title(period: ReportingPeriod) -> str:
    return f"{period.ordinal_word.capitalize()} joint progress report of the {period.partnership.name}"
