"""Compare the report of period N with that of N−1, for one edition.

The comparison is itself a Document, so it renders in every format. It is
made from the same visible records as the edition, so it reveals nothing the
edition does not.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from rapport.core.errors import InputError

from .document import Document, Marking, Paragraph, Row, Section, Table
from .editions import Edition
from .prose import day
from .records import Records, load_records, marked_for, marking_of, org_schemes


def _label(c) -> str:
    return c.assessment.label if c is not None and c.assessment_id else "—"


def _rows(r: Records):
    changed, gained, lost = [], [], []
    for c in r.commitments:
        for o in r.orgs:
            now, before = r.contributions.get((c.pk, o.pk)), r.previous_contributions.get((c.pk, o.pk))
            if now is None and before is None:
                continue
            m = marking_of(c, now, before)
            if now is not None and before is None:
                gained.append(Row((c.ref, c.title, o.short_name, _label(now)), m, (r.source(now, ""),)))
            elif before is not None and now is None:
                lost.append(Row((c.ref, c.title, o.short_name, _label(before)), m, (r.source(before, ""),)))
            elif _label(now) != _label(before):
                changed.append(Row((c.ref, c.title, o.short_name, _label(before), _label(now)), m,
                                   (r.source(now, ""), r.source(before, ""))))
    return changed, gained, lost


def diff_document(period, edition: Edition) -> Document:
    r = load_records(period, edition)
    if r.previous is None:
        raise InputError(_("Period %(period)s is the first; there is no earlier report to compare with.")
                         % {"period": period.ordinal})
    changed, gained, lost = _rows(r)
    prev, cur = r.previous.ordinal_word, period.ordinal_word
    widths = (3, 8, 2, 3)

    def part(title, anchor, rows, header, empty):
        if not rows:
            return Section(title, anchor, (Paragraph(empty),))
        return Section(title, anchor, (Table(title, header, tuple(rows), widths + ((3,) if len(header) > 4 else ())),))

    sections = (
        Section("Summary", "summary", (Paragraph(
            f"Between the {prev} report ({r.previous.start:%B %Y} – {r.previous.end:%B %Y}) and the {cur} report "
            f"({period.start:%B %Y} – {period.end:%B %Y}): {len(changed)} assessment(s) changed, "
            f"{len(gained)} contribution(s) are new and {len(lost)} are no longer reported.",
            Marking.highest(x.marking for x in changed + gained + lost)),)),
        part("Assessments that changed", "changed", changed,
             ("Ref.", "Commitment", "Organisation", f"{prev.capitalize()} report", f"{cur.capitalize()} report"),
             "No commitment changed assessment."),
        part("Content gained", "gained", gained, ("Ref.", "Commitment", "Organisation", "Assessment"),
             "No commitment gained content."),
        part("Content no longer reported", "lost", lost, ("Ref.", "Commitment", "Organisation", "Previous assessment"),
             "No commitment lost content."),
    )
    date = period.report_due or period.end
    return Document(
        title=f"Changes between the {prev} and the {cur} progress reports",
        partnership=period.partnership.name, ordinal=period.ordinal, ordinal_word=cur,
        period_label=f"{period.start:%B %Y} – {period.end:%B %Y}", date=date.isoformat(), date_label=day(date),
        edition=edition.name, edition_label=edition.label, organisations=org_schemes(r.orgs), sections=sections,
        status="Comparison", kind_label="Comparison of reports", marked_for=marked_for(r),
    )

