"""Statistics, the annex table of commitments and the provenance appendix.

Each figure is drawn from a table in the same section (the table is its
accessible text), and each table row carries the marking of what it counts.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .document import Figure, Marking, Paragraph, Row, Section, Table, iter_blocks
from .prose import ordinal
from .records import Records, marking_of, text_for

_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")  # Okabe–Ito


def _colour(i: int, given: str = "") -> str:
    return given if given and given != "#444444" else _PALETTE[i % len(_PALETTE)]


def per_area(r: Records) -> list:
    blocks: list = []
    rows, cats, total, reported_series = [], [], [], []
    for area in r.areas:
        commitments = r.commitments_in(area)
        if not commitments:
            continue
        contribs = [x for c in commitments for x in r.contributions_on(c)]
        reported = len({c.commitment_id for c in contribs})
        rows.append(Row((area.local_name, str(len(commitments)), str(reported)), marking_of(area, *commitments, *contribs)))
        cats.append(area.code)
        total.append(len(commitments))
        reported_series.append(reported)
    if not rows:
        return [Paragraph(_("No commitments are recorded for this partnership."))]
    m = Marking.highest(x.marking for x in rows)
    blocks.append(Table(_("Commitments per area of cooperation"),
                        (_("Area"), _("Commitments"), _("Reported on this period")), tuple(rows), (6, 2, 2)))
    blocks.append(Figure(_("Commitments per area (area codes as in the annex)"), "bar", tuple(cats),
                         ((_("Commitments"), _PALETTE[4], tuple(total)),
                          (_("Reported on"), _PALETTE[0], tuple(reported_series))), m))
    return blocks


def per_organisation(r: Records) -> list:
    values = list(r.period.partnership.assessment_scheme.values.all())
    contribs = [c for c in r.contributions.values() if c.assessment_id]
    if not contribs:
        return [Paragraph(_("No assessments were recorded by the organisations for this period."))]
    grouped: dict[tuple[int, int], list] = {}
    for c in contribs:
        grouped.setdefault((c.assessment_id, c.organisation_id), []).append(c)
    rows, series = [], []
    for value in values:
        counts = []
        used = []
        for org in r.orgs:
            mine = grouped.get((value.pk, org.pk), [])
            counts.append(len(mine))
            used += mine
        rows.append(Row((value.label, *map(str, counts)), marking_of(*used)))
        series.append((value.label, _colour(len(series), "" if value.colour == "#999999" else value.colour),
                       tuple(counts)))
    table = Table(_("Assessments per organisation (number of commitments)"),
                  (_("Assessment"), *(o.short_name for o in r.orgs)), tuple(rows), (4,) + (2,) * len(r.orgs))
    figure = Figure(_("Assessments per organisation"), "stacked", tuple(o.short_name for o in r.orgs), tuple(series),
                    table.marking)
    return [table, figure]


def change(r: Records) -> list:
    if r.previous is None:
        return [Paragraph(_("This is the first reporting period; there is no earlier report to compare with."))]
    header = (_("Organisation"), _("Higher"), _("Unchanged"), _("Lower"), _("Newly assessed"),
              _("No longer assessed"))
    rows = []
    for org in r.orgs:
        counts = [0, 0, 0, 0, 0]
        used = []
        ids = {k[0] for k in (*r.contributions, *r.previous_contributions) if k[1] == org.pk}
        for cid in ids:
            now, before = r.contributions.get((cid, org.pk)), r.previous_contributions.get((cid, org.pk))
            a = now.assessment if now is not None and now.assessment_id else None
            b = before.assessment if before is not None and before.assessment_id else None
            if a is None and b is None:
                continue
            used += [x for x in (now, before) if x is not None]
            if a is not None and b is not None:
                counts[0 if a.score > b.score else 1 if a.score == b.score else 2] += 1
            else:
                counts[3 if b is None else 4] += 1
        rows.append(Row((org.short_name, *map(str, counts)), marking_of(*used)))
    if all(row.cells[1:] == ("0",) * 5 for row in rows):
        return [Paragraph(_("No assessments were recorded for this period or the %(ordinal)s period, so there is "
                            "no change to show.") % {"ordinal": ordinal(r.previous, feminine=True)})]
    return [Table(_("Change in assessment since the %(ordinal)s report") % {"ordinal": ordinal(r.previous)},
                  header, tuple(rows), (3, 2, 2, 2, 2, 2))]


def statistics(r: Records) -> Section:
    subs = (
        Section(_("Commitments per area"), "stats-areas", tuple(per_area(r))),
        Section(_("Assessments per organisation"), "stats-assessments", tuple(per_organisation(r))),
        Section(_("Change since the previous report"), "stats-change", tuple(change(r))),
    )
    return Section(_("Statistics"), "statistics", (), subs, page_break=True)


def commitment_table(r: Records) -> Section:
    rows = []
    for c in r.commitments:
        found = [r.contributions.get((c.pk, org)) for org in r.org_ids]
        cells = [x.assessment.label if x is not None and x.assessment_id else "—" for x in found]
        differs = len({x for x in cells if x != "—"}) > 1
        # The title in the report's language where the commitment has it so, else tagged with its own.
        title, lang = text_for(c, "title")
        rows.append(Row((c.ref, title, *cells, _("Assessments differ") if differs else ""),
                        marking_of(c, *found), (r.source(c, "commitment"),), "differs" if differs else "",
                        ("", lang) if lang else ()))
    header = (_("Ref."), _("Commitment"), *(o.short_name for o in r.orgs), _("Note"))
    intro = Paragraph(_("Every commitment of the partnership with each organisation's assessment for this period "
                        "(— where an organisation gave none)."))
    blocks = (intro, Table(_("Commitments and their assessment by each organisation"), header, tuple(rows),
                           (3, 8) + (2,) * len(r.orgs) + (3,))) if rows else (intro,)
    return Section(_("Annex A — Commitments and their assessment"), "annex-commitments", blocks, page_break=True)


def _excerpt(text: str, limit: int = 90) -> str:
    """The start of a statement, cut at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"


def provenance(sections: tuple[Section, ...]) -> Section:
    """One row per traceable statement: where it is (section and paragraph, once the sections are
    numbered), the record, its organisation, author and approver."""
    rows, seen = [], set()
    for section, block in iter_blocks(sections):
        if not isinstance(block, Paragraph):
            continue
        for s in block.sources:
            if s.record.split(":")[0] not in ("contribution", "joint_text", "highlight", "outlook") or s.record in seen:
                continue
            seen.add(s.record)
            excerpt = _excerpt(block.text)
            where = f"{section.number} ¶{block.number}" if section.number and block.number else str(len(rows) + 1)
            # The excerpt is in the statement's language: tagged where that is not the report's.
            rows.append(Row((where, excerpt, s.record, s.organisation, s.author or "—",
                             s.approver or "—"), block.marking, (s,), langs=("", block.lang) if block.lang else ()))
    intro = Paragraph(_("Each statement of this report drawn from a contribution or agreed jointly, with the "
                        "record it comes from, the organisation, its author and who approved it."))
    if not rows:
        return Section(_("Annex B — Provenance"), "annex-provenance",
                       (intro, Paragraph(_("This edition contains no such statements."))), page_break=True)
    table = Table(_("Provenance of statements"),
                  (_("Para."), _("Statement"), _("Record"), _("Organisation"), _("Author"), _("Approved by")),
                  tuple(rows), (2, 8, 3, 3, 3, 3))
    return Section(_("Annex B — Provenance"), "annex-provenance", (intro, table), page_break=True)
