"""The narrative sections of the joint report: introduction, areas, evidence, outlook."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rapport.core.text import paragraphs
from rapport.partnerships.choices import MandateKind

from .document import Paragraph, Row, Section, Table
from .prose import (
    council,
    council_verb,
    day,
    endorsed_total,
    endorsement_dates,
    foreign_spans,
    month_year,
    ordinal,
    partnership_name,
    principle_parts,
    principles_sentence,
    proposal_sets,
    words,
)
from .records import Records, marking_of, text_for


def mandate_paragraph(r: Records) -> Paragraph | None:
    sets = proposal_sets(r)
    if not sets:
        return None
    name = partnership_name(r.period.partnership, in_sentence=True)
    values = {"partnership": name[0], "total": endorsed_total(r), "dates": endorsement_dates(r)}
    text = (_("The %(partnership)s works to implement %(total)s: %(dates)s.") if len(sets) > 1
            else _("The %(partnership)s works to implement %(total)s %(dates)s.")) % values
    return Paragraph(text, marking_of(*[m for m, _n in sets]),
                     tuple(r.source(m, "mandate") for m, _n in sets), spans=foreign_spans(text, [name]))


def declarations_paragraph(r: Records) -> Paragraph | None:
    decl = [m for m in r.mandates if m.kind == MandateKind.JOINT_DECLARATION]
    if not decl:
        return None
    text = _("The partnership rests on %(declarations)s.") % {"declarations": words(
        [_("the %(title)s of %(day)s") % {"title": m.local_title, "day": day(m.date)} for m in decl])}
    return Paragraph(text, marking_of(*decl), tuple(r.source(m, "mandate") for m in decl))


def principles_paragraph(r: Records) -> Paragraph | None:
    parts = principle_parts(r.period.partnership)
    text = principles_sentence(_("The organisations carry out this work"), parts)
    return Paragraph(text, spans=foreign_spans(text, parts)) if text else None


def text_paragraphs(text, marking, sources, style: str = "body", prefix: str = "") -> list[Paragraph]:
    """A user's text as paragraphs: the blank lines they typed separate them. ``text`` is a
    record's text in the report's language where it has one (``records.text_for``): a text in
    another language says which, so the renderers can tag it."""
    text, lang = (text, "") if isinstance(text, str) else text
    parts = paragraphs(text) or [""]
    parts[0] = prefix + parts[0]
    return [Paragraph(p, marking, sources, style, lang=lang) for p in parts]


def introduction(r: Records) -> Section:
    p = r.period
    blocks = [mandate_paragraph(r), declarations_paragraph(r)]
    text = _("This is the %(ordinal)s report on their implementation. It covers the period from %(start)s "
             "to %(end)s.") % {"ordinal": ordinal(p), "start": month_year(p.start), "end": month_year(p.end)}
    blocks.append(Paragraph(text, marking_of(r.report), (r.source(r.report, "report"),) if r.report else ()))
    earlier = [rep for rep in r.previous_reports if rep.period.ordinal == p.ordinal - 1]
    if earlier:
        prev = earlier[0]
        values = {"ordinal": ordinal(prev.period), "start": month_year(prev.period.start),
                  "end": month_year(prev.period.end), "day": day(prev.presented_on)}
        text = (_("The previous report, the %(ordinal)s, covered %(start)s to %(end)s, presented on %(day)s.")
                if prev.presented_on else _("The previous report, the %(ordinal)s, covered %(start)s to %(end)s."))
        blocks.append(Paragraph(text % values, marking_of(prev), (r.source(prev, "report"),)))
    blocks.append(principles_paragraph(r))
    for t in r.texts:  # what the coordinators wrote for the introduction
        if t.area_id is None:
            blocks += text_paragraphs(text_for(t), marking_of(t), (r.source(t, "text"),))
    if r.highlights:
        blocks.append(Paragraph(_("The report underlines in particular that:"), marking_of(*r.highlights),
                                style="lead"))
        blocks += [p for h in r.highlights for p in highlight_paragraphs(r, h)]
    return Section(_("Introduction"), "introduction", tuple(b for b in blocks if b is not None))


def highlight_paragraphs(r: Records, h) -> list[Paragraph]:
    """A highlight as bullets: one per paragraph its text holds."""
    return text_paragraphs(text_for(h), marking_of(h), (r.source(h, "highlight"),), "bullet")


def assessment_row(r: Records, cid: int, contributions: dict, label: str) -> Row | None:
    found = [contributions.get((cid, org)) for org in r.org_ids]
    if not any(c is not None and c.assessment_id for c in found):
        return None
    cells = tuple(c.assessment.label if c is not None and c.assessment_id else _("not assessed") for c in found)
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
    text, lang = text_for(c)
    blocks: list = [Paragraph(_("Commitment: %(text)s") % {"text": text}, cm, (r.source(c, "commitment"),),
                              "note", lang=lang)]
    if joint is not None:
        blocks += text_paragraphs(text_for(joint), marking_of(joint), (r.source(joint, ""),))
    rows = [assessment_row(r, cid, r.contributions, _("This report")),
            assessment_row(r, cid, r.previous_contributions, _("Previous report"))]
    rows = tuple(x for x in rows if x is not None)
    if rows:
        blocks.append(Table(_("Assessment of %(ref)s") % {"ref": c.ref}, r.org_header, rows,
                            (2,) + (3,) * len(r.orgs)))
        if rows[0].flag == "differs":
            blocks.append(Paragraph(
                _("The organisations assess this commitment differently; each assessment is shown as given."),
                rows[0].marking, style="note"))
    for contrib in contribs:
        blocks += text_paragraphs(text_for(contrib, "narrative"), marking_of(contrib), (r.source(contrib, ""),),
                                  prefix=_("%(organisation)s: ") % {"organisation": contrib.organisation.short_name})
    title, title_lang = text_for(c, "title")
    return Section(f"{c.ref} {title}", f"c-{c.ref}", tuple(blocks), marking=cm, title_lang=title_lang)


def area_section(r: Records, area) -> Section | None:
    commitments = r.commitments_in(area)
    if not commitments:
        return None
    ids = {c.pk for c in commitments}
    subs = tuple(s for s in (commitment_section(r, c) for c in commitments) if s is not None)
    blocks: list = []
    if area.description:
        blocks += text_paragraphs(text_for(area, "description"), marking_of(area), (r.source(area, "area"),))
    for t in r.texts:  # the organisations' joint text on the area
        if t.area_id == area.pk:
            blocks += text_paragraphs(text_for(t), marking_of(t), (r.source(t, "text"),))
    n = len(commitments)
    count = ngettext("%(n)s commitment in this area (listed in Annex A)",
                     "%(n)s commitments in this area (listed in Annex A)", n) % {"n": n}
    reported = (_("progress was reported on %(n)s in this period") % {"n": len(subs)} if subs
                else _("no contribution was recorded in this period"))
    blocks.append(Paragraph(_("%(count)s; %(reported)s.") % {"count": count, "reported": reported},
                            marking_of(area, *commitments)))
    for h in r.highlights:
        if ids & r.highlight_commitments.get(h.pk, set()):
            blocks += highlight_paragraphs(r, h)
    return Section(area.local_name, f"area-{area.key}", tuple(blocks), subs, marking_of(area))


def areas(r: Records) -> Section:
    subs = tuple(s for s in (area_section(r, a) for a in r.areas) if s is not None)
    intro = Paragraph(_("Progress on each commitment is given by area of cooperation. Where the organisations' "
                        "assessments differ, both are shown side by side."))
    return Section(_("Progress by area of cooperation"), "areas", (intro,), subs, page_break=True)


def _span(start, end) -> str:
    if start and end and start != end:
        return f"{day(start)} – {day(end)}"
    return day(start) if start else ""


# The evidence lines are mostly the records' own words (names, titles, descriptions): each line is
# tagged with the language of its record where that is not the report's (``records.text_for``).


def _format(r: Records, f) -> Paragraph:
    description, lang = text_for(f, "description")
    name, name_lang = text_for(f, "name")
    lang = lang if description else name_lang
    kind = f.get_kind_display().lower()
    head = (_("%(name)s (%(kind)s, since %(day)s)") % {"name": name, "kind": kind, "day": day(f.started)}
            if f.started else _("%(name)s (%(kind)s)") % {"name": name, "kind": kind})
    text = _("%(head)s: %(description)s") % {"head": head, "description": description} if description else f"{head}."
    return Paragraph(text, marking_of(f), (r.source(f, "format"),), lang=lang)


def _meeting(r: Records, m) -> Paragraph:
    summary, lang = text_for(m, "summary")
    title, title_lang = text_for(m, "title")
    lang = lang if summary else title_lang
    text = f"{day(m.date)} — {title}." + (f" {summary}" if summary else "")
    return Paragraph(text, marking_of(m), (r.source(m, "meeting"),), lang=lang)


def _exercise(r: Records, x) -> Paragraph:
    description, lang = text_for(x, "description")
    name, name_lang = text_for(x, "name")
    lang = lang if description else name_lang
    led = _("led by %(organisation)s") % {"organisation": x.lead.short_name} if x.lead else ""
    head = f"{name} ({', '.join(filter(None, [_span(x.start, x.end), led]))})"
    text = _("%(head)s: %(description)s") % {"head": head, "description": description} if description else f"{head}."
    return Paragraph(text, marking_of(x), (r.source(x, "exercise"),), lang=lang)


def evidence(r: Records) -> Section:
    subs = []
    if r.formats:
        subs.append(Section(_("Coordination formats"), "formats", tuple(_format(r, f) for f in r.formats)))
    if r.meetings:
        subs.append(Section(_("Meetings and events"), "meetings", tuple(_meeting(r, m) for m in r.meetings)))
    if r.exercises:
        subs.append(Section(_("Exercises"), "exercises", tuple(_exercise(r, x) for x in r.exercises)))
    if r.activities:
        subs.append(Section(_("Work with partner countries"), "partners", tuple(_activity(r, a) for a in r.activities)))
    blocks = () if subs else (Paragraph(_("No coordination formats, exercises or partner-country work were "
                                          "recorded as evidence for this period.")),)
    return Section(_("Coordination formats, exercises and partner countries"), "evidence", blocks, tuple(subs),
                   page_break=True)


def _activity(r: Records, a) -> Paragraph:
    country = r.countries.get(a.country_id)
    description, lang = text_for(a, "description")
    title, title_lang = text_for(a, "title")
    lang = lang if description else title_lang
    text = (f"{country.name}: " if country else "") + f"{title}." + (f" {description}" if description else "")
    return Paragraph(text, marking_of(a, country), (r.source(a, "activity"),), lang=lang)


def outlook(r: Records) -> Section | None:
    blocks: list = []
    if r.outlook:
        blocks.append(Paragraph(_("The organisations commit to the following work:"), marking_of(*r.outlook),
                                style="lead"))
        blocks += [p for o in r.outlook
                   for p in text_paragraphs(text_for(o), marking_of(o), (r.source(o, "outlook"),), "bullet")]
    for a in r.council_actions:
        text = text_for(a) if a.text else _("%(council)s %(verb)s the report.") % {
            "council": council(a.organisation), "verb": council_verb(a.action)}
        blocks += text_paragraphs(text, marking_of(a), (r.source(a, "council_action"),), prefix=f"{day(a.date)}: ")
    if not blocks:
        return None
    return Section(_("Outlook and Council action"), "outlook", tuple(blocks))
