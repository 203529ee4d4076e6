"""The narrative sections of the joint report: introduction, areas, evidence, outlook."""

from __future__ import annotations

from rapport.core.text import paragraphs
from rapport.partnerships.choices import MandateKind

from .document import Paragraph, Row, Section, Table
from .prose import (
    council_verb,
    day,
    endorsed_total,
    endorsement_dates,
    principles_sentence,
    proposal_sets,
    words,
)
from .records import Records, marking_of


def mandate_paragraph(r: Records) -> Paragraph | None:
    sets = proposal_sets(r)
    if not sets:
        return None
    dates = endorsement_dates(r)
    text = (f"The {r.period.partnership.name} works to implement {endorsed_total(r)}"
            + (f": {dates}." if len(sets) > 1 else f" {dates}."))
    return Paragraph(text, marking_of(*[m for m, _ in sets]),
                     tuple(r.source(m, "mandate") for m, _ in sets))


def declarations_paragraph(r: Records) -> Paragraph | None:
    decl = [m for m in r.mandates if m.kind == MandateKind.JOINT_DECLARATION]
    if not decl:
        return None
    text = "The partnership rests on " + words([f"the {m.title} of {day(m.date)}" for m in decl]) + "."
    return Paragraph(text, marking_of(*decl), tuple(r.source(m, "mandate") for m in decl))


def principles_paragraph(r: Records) -> Paragraph | None:
    text = principles_sentence("The organisations carry out this work", r.period.partnership)
    return Paragraph(text) if text else None


def text_paragraphs(text: str, marking, sources, style: str = "body", prefix: str = "") -> list[Paragraph]:
    """A user's text as paragraphs: the blank lines they typed separate them."""
    parts = paragraphs(text) or [""]
    parts[0] = prefix + parts[0]
    return [Paragraph(p, marking, sources, style) for p in parts]


def introduction(r: Records) -> Section:
    p = r.period
    blocks = [mandate_paragraph(r), declarations_paragraph(r)]
    text = (f"This is the {p.ordinal_word} report on their implementation. "
            f"It covers the period from {p.start:%B %Y} to {p.end:%B %Y}.")
    blocks.append(Paragraph(text, marking_of(r.report), (r.source(r.report, "report"),) if r.report else ()))
    earlier = [rep for rep in r.previous_reports if rep.period.ordinal == p.ordinal - 1]
    if earlier:
        prev = earlier[0]
        when = f", presented on {day(prev.presented_on)}" if prev.presented_on else ""
        blocks.append(Paragraph(
            f"The previous report, the {prev.period.ordinal_word}, covered {prev.period.start:%B %Y} to "
            f"{prev.period.end:%B %Y}{when}.", marking_of(prev), (r.source(prev, "report"),)))
    blocks.append(principles_paragraph(r))
    for t in r.texts:  # what the coordinators wrote for the introduction
        if t.area_id is None:
            blocks += text_paragraphs(t.text, marking_of(t), (r.source(t, "text"),))
    if r.highlights:
        blocks.append(Paragraph("The report underlines in particular that:", marking_of(*r.highlights), style="lead"))
        blocks += [p for h in r.highlights for p in highlight_paragraphs(r, h)]
    return Section("Introduction", "introduction", tuple(b for b in blocks if b is not None))


def highlight_paragraphs(r: Records, h) -> list[Paragraph]:
    """A highlight as bullets: one per paragraph its text holds."""
    return text_paragraphs(h.text, marking_of(h), (r.source(h, "highlight"),), "bullet")


def assessment_row(r: Records, cid: int, contributions: dict, label: str) -> Row | None:
    found = [contributions.get((cid, org)) for org in r.org_ids]
    if not any(c is not None and c.assessment_id for c in found):
        return None
    cells = tuple(c.assessment.label if c is not None and c.assessment_id else "not assessed" for c in found)
    labels = {c.assessment.label for c in found if c is not None and c.assessment_id}
    return Row((label, *cells), marking_of(*found), tuple(r.source(c, "") for c in found if c is not None),
               "differs" if len(labels) > 1 else "")


def commitment_section(r: Records, c) -> Section | None:
    contribs = r.contributions_on(c)
    cid = c.id  # attribute reads, not the ``pk`` property: this runs once per commitment
    joint = r.joint_texts.get(cid)
    if not contribs and joint is None:
        return None
    cm = marking_of(c)
    blocks: list = [Paragraph(f"Commitment: {c.text}", cm, (r.source(c, "commitment"),), "note")]
    if joint is not None:
        blocks += text_paragraphs(joint.text, marking_of(joint), (r.source(joint, ""),))
    rows = [assessment_row(r, cid, r.contributions, "This report"),
            assessment_row(r, cid, r.previous_contributions, "Previous report")]
    rows = tuple(x for x in rows if x is not None)
    if rows:
        blocks.append(Table(f"Assessment of {c.ref}", r.org_header, rows, (2,) + (3,) * len(r.orgs)))
        if rows[0].flag == "differs":
            blocks.append(Paragraph(
                "The organisations assess this commitment differently; each assessment is shown as given.",
                rows[0].marking, style="note"))
    for contrib in contribs:
        blocks += text_paragraphs(contrib.narrative, marking_of(contrib), (r.source(contrib, ""),),
                                  prefix=f"{contrib.organisation.short_name}: ")
    return Section(f"{c.ref} {c.title}", f"c-{c.ref}", tuple(blocks), marking=cm)


def area_section(r: Records, area) -> Section | None:
    commitments = r.commitments_in(area)
    if not commitments:
        return None
    ids = {c.pk for c in commitments}
    subs = tuple(s for s in (commitment_section(r, c) for c in commitments) if s is not None)
    blocks: list = []
    if area.description:
        blocks += text_paragraphs(area.description, marking_of(area), (r.source(area, "area"),))
    for t in r.texts:  # the organisations' joint text on the area
        if t.area_id == area.pk:
            blocks += text_paragraphs(t.text, marking_of(t), (r.source(t, "text"),))
    n = len(commitments)
    reported = f"progress was reported on {len(subs)} in this period" if subs else "no contribution was recorded in this period"
    blocks.append(Paragraph(f"{n} commitment{'s' if n != 1 else ''} in this area (listed in Annex A); {reported}.",
                            marking_of(area, *commitments)))
    for h in r.highlights:
        if ids & r.highlight_commitments.get(h.pk, set()):
            blocks += highlight_paragraphs(r, h)
    return Section(area.name, f"area-{area.key}", tuple(blocks), subs, marking_of(area))


def areas(r: Records) -> Section:
    subs = tuple(s for s in (area_section(r, a) for a in r.areas) if s is not None)
    intro = Paragraph("Progress on each commitment is given by area of cooperation. Where the organisations' "
                      "assessments differ, both are shown side by side.")
    return Section("Progress by area of cooperation", "areas", (intro,), subs, page_break=True)


def _span(start, end) -> str:
    if start and end and start != end:
        return f"{day(start)} – {day(end)}"
    return day(start) if start else ""


def evidence(r: Records) -> Section:
    subs = []
    if r.formats:
        subs.append(Section("Coordination formats", "formats", tuple(
            Paragraph(f"{f.name} ({f.get_kind_display().lower()}"
                      + (f", since {day(f.started)}" if f.started else "") + ")"
                      + (f": {f.description}" if f.description else "."), marking_of(f), (r.source(f, "format"),))
            for f in r.formats)))
    if r.meetings:
        subs.append(Section("Meetings and events", "meetings", tuple(
            Paragraph(f"{day(m.date)} — {m.title}." + (f" {m.summary}" if m.summary else ""), marking_of(m),
                      (r.source(m, "meeting"),)) for m in r.meetings)))
    if r.exercises:
        subs.append(Section("Exercises", "exercises", tuple(
            Paragraph(f"{x.name} ({', '.join(filter(None, [_span(x.start, x.end), f'led by {x.lead.short_name}' if x.lead else '']))})"
                      + (f": {x.description}" if x.description else "."), marking_of(x), (r.source(x, "exercise"),))
            for x in r.exercises)))
    if r.activities:
        subs.append(Section("Work with partner countries", "partners", tuple(_activity(r, a) for a in r.activities)))
    blocks = () if subs else (Paragraph("No coordination formats, exercises or partner-country work were "
                                        "recorded as evidence for this period."),)
    return Section("Coordination formats, exercises and partner countries", "evidence", blocks, tuple(subs),
                   page_break=True)


def _activity(r: Records, a) -> Paragraph:
    country = r.countries.get(a.country_id)
    text = (f"{country.name}: " if country else "") + f"{a.title}." + (f" {a.description}" if a.description else "")
    return Paragraph(text, marking_of(a, country), (r.source(a, "activity"),))


def outlook(r: Records) -> Section | None:
    blocks: list = []
    if r.outlook:
        blocks.append(Paragraph("The organisations commit to the following work:", marking_of(*r.outlook), style="lead"))
        blocks += [p for o in r.outlook
                   for p in text_paragraphs(o.text, marking_of(o), (r.source(o, "outlook"),), "bullet")]
    for a in r.council_actions:
        text = a.text or f"the {a.organisation.council} {council_verb(a.action)} the report."
        blocks += text_paragraphs(text, marking_of(a), (r.source(a, "council_action"),), prefix=f"{day(a.date)}: ")
    if not blocks:
        return None
    return Section("Outlook and Council action", "outlook", tuple(blocks))

