"""The records one edition of one period's report is made from.

Every record comes from ``Model.objects.visible_to(audience)``: what the
audience may not read is never loaded, so nothing derived from it (a heading,
a count, a chart bar) can leak into the edition. ``marking_of`` gives the
marking of a statement made from records: the highest of theirs.

Links (releasability, evidence, a highlight's commitments) are read as id pairs
from their through tables, for the owners that ``visible_to`` returns, in one
query each: a per-instance prefetch builds a queryset per row, which dominated
the time of a large report. The number of queries does not grow with the rows.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import get_language, pgettext

from rapport.commitments.models import Commitment
from rapport.contributions.choices import ContributionState, JointTextState
from rapport.contributions.models import Contribution, JointText
from rapport.core.memory import collection_paused
from rapport.core.registry import registry
from rapport.evidence.models import (
    CoordinationFormat,
    Exercise,
    Meeting,
    PartnerActivity,
    PartnerCountry,
)
from rapport.markings.models import LEVEL_MARKINGS, ClassificationLevel
from rapport.partnerships.models import Area, AssessmentValue, Mandate
from rapport.periods.models import ReportingPeriod
from rapport.reports.models import (
    CouncilAction,
    Highlight,
    Outlook,
    Report,
    ReportApproval,
    ReportText,
)

from .choices import PartState
from .document import Marking, OrgScheme, SchemeLevel, Source
from .editions import Edition

# Where the loader keeps a row's marking (read from the through table with the row).
_MARKING = "_report_marking"


def visible(model, audience):
    return model.objects.visible_to(audience).with_marking()


def _own_marking(obj) -> Marking:
    known = obj.__dict__.get(_MARKING)
    if known is not None:
        return known
    rank = obj.classification.rank
    rel = tuple(sorted(o.short_name for o in obj.releasable_to.all())) if rank else ()
    return Marking(rank, rel)


def marking_of(*objs) -> Marking:
    """The marking of a statement made from these records (None entries are skipped)."""
    if len(objs) == 1 and objs[0] is not None:
        return _own_marking(objs[0])
    return _highest(frozenset([_own_marking(obj) for obj in objs if obj is not None]))


@functools.lru_cache(maxsize=4096)
def _highest(parts: frozenset[Marking]) -> Marking:
    # A report combines the same few markings thousands of times, and a statement about many
    # records (an area's count) holds few distinct markings: combine each set once.
    return Marking.highest(parts)


EVIDENCE = ("formats", "meetings", "exercises", "activities")


# The language of records that do not say theirs (areas, mandates, evidence): the
# partnership's working data is English.
ORIGINAL_LANGUAGE = "en"


def text_for(obj, field: str = "text", language: str | None = None) -> tuple[str, str]:
    """A record's ``field`` for a reader or a report in ``language`` (by default the active
    one), and the language tag to put on it: "" where the text is in that language.

    The one place that picks a record's text for a language, for the reports and the pages
    alike: the original where it is in the wanted language; else the record's translation
    into it (``contributions.translations``: approved and marked with the original, in the
    same row), with ""; else the original, tagged with its own language."""
    text = getattr(obj, field, "") or ""
    original = (getattr(obj, "language", "") or ORIGINAL_LANGUAGE).split("-")[0]
    wanted = (language or get_language() or ORIGINAL_LANGUAGE).split("-")[0]
    if original == wanted:
        return text, ""
    translations = getattr(obj, "translations", None)
    found = translations.get(wanted) if isinstance(translations, dict) else None
    translated = found.get(field) if isinstance(found, dict) else None
    if translated and isinstance(translated, str):
        return translated, ""
    return text, original


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


# The report's parts by the kind their sources name, and the list of Records that holds them.
PART_LISTS = {"highlight": "highlights", "outlook": "outlook", "text": "texts"}


@dataclass
class Records:
    """The visible records one edition of one period is made from."""

    period: ReportingPeriod
    edition: Edition
    report: Report | None
    orgs: list
    areas: list
    commitments: list
    contributions: dict  # (commitment_id, organisation_id) -> Contribution
    previous: ReportingPeriod | None
    previous_contributions: dict
    joint_texts: dict  # commitment_id -> JointText
    highlights: list
    outlook: list
    council_actions: list
    mandates: list
    previous_reports: list
    formats: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    exercises: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    countries: dict = field(default_factory=dict)  # visible partner countries by id
    approvals: list = field(default_factory=list)
    _provenance: dict = field(default_factory=dict)
    highlight_commitments: dict = field(default_factory=dict)  # highlight id -> ids of loaded commitments
    mandate_counts: dict = field(default_factory=dict)  # mandate id -> loaded commitments
    texts: list = field(default_factory=list)  # the coordinators' introduction and area texts, in order
    _by_area: dict | None = field(default=None, init=False, repr=False)
    _sources: dict = field(default_factory=dict, init=False, repr=False)

    def commitments_in(self, area) -> list:
        """The loaded commitments of an area, in register order (grouped once, not per area)."""
        if self._by_area is None:
            self._by_area = defaultdict(list)
            for c in self.commitments:
                self._by_area[c.area_id].append(c)
        return self._by_area.get(area.pk, [])

    @functools.cached_property
    def org_ids(self) -> tuple[int, ...]:
        return tuple(o.pk for o in self.orgs)

    @functools.cached_property
    def org_header(self) -> tuple[str, ...]:
        """The header of a table with a column per organisation after a first, unnamed one."""
        return ("", *(o.short_name for o in self.orgs))

    def contributions_on(self, commitment) -> list:
        """This period's contributions on a commitment, in the order of the organisations."""
        cid = commitment.id
        found = (self.contributions.get((cid, org)) for org in self.org_ids)
        return [c for c in found if c is not None]

    def approvers(self) -> str:
        names = self.provenance("report_approval", self.approvals)
        return "; ".join(f"{a.organisation.short_name}: {names.get(a.pk, {}).get('approver') or person(a.approver)}"
                         for a in sorted(self.approvals, key=lambda a: a.organisation.key))

    def ref_of(self, obj) -> str:
        """The reference of the commitment a record is about (from the loaded commitments)."""
        refs = self._provenance.get("refs")
        if refs is None:
            refs = self._provenance["refs"] = {c.pk: c.ref for c in self.commitments}
        return refs[obj.commitment_id]

    def ordinal_of(self, period_id: int) -> int:
        """The ordinal of the period a record is in (this one, or an earlier one it is compared with)."""
        if period_id == self.period.pk:
            return self.period.ordinal
        ordinals = self._provenance.get("ordinals")
        if ordinals is None:
            ordinals = self._provenance["ordinals"] = dict(
                ReportingPeriod.objects.filter(partnership=self.period.partnership_id).values_list("pk", "ordinal"))
        return ordinals[period_id]

    def provenance(self, kind: str, objs) -> dict:
        """Names another app knows better than the rows (``registry["record_provenance"]``): a
        federated instance's copies name the people of the peer organisation who wrote and
        approved them. {pk: {"author": ..., "approver": ...}}, read once per kind."""
        found = self._provenance.get(kind)
        if found is None:
            found = {}
            for provide in registry["record_provenance"].values():
                found.update(provide(kind, list(objs)))
            self._provenance[kind] = found
        return found

    def put_parts_in_order(self) -> None:
        """Parts of the same place and order follow each other by the name the instance that
        wrote them gave them (``registry["record_provenance"]``, on an instance that exchanges
        parts), else by id: the same order on every instance."""
        for kind, attribute in PART_LISTS.items():
            rows = getattr(self, attribute)
            places = [(getattr(p, "area_id", 0) or 0, p.order) for p in rows]
            if len(set(places)) == len(places):
                continue  # no two in the same place: the order is the rows' own
            names = self.provenance(kind, rows)
            if names:
                rows.sort(key=lambda p, n=names: (getattr(p, "area_id", 0) or 0, p.order,
                                                  tuple(n.get(p.pk, {}).get("sort", ("", p.pk)))))

    def source(self, obj, kind: str) -> Source:
        """Provenance of a statement: contributions name their author and approver;
        joint report content is approved by the organisations' approvers of the report."""
        key = (type(obj), obj.id, kind)
        found = self._sources.get(key)
        if found is None:
            found = self._sources[key] = self._source(obj, kind)
        return found

    def _source(self, obj, kind: str) -> Source:
        # Contributions and joint texts are named by their keys, not their row ids, so the same
        # statement has the same provenance on every organisation's instance.
        if isinstance(obj, Contribution):
            names = self.provenance("contribution", self.contributions.values()).get(obj.pk, {})
            ordinal = self.ordinal_of(obj.period_id)
            return Source(f"contribution:{obj.organisation.key}:{self.ref_of(obj)}:{ordinal}",
                          obj.organisation.short_name, names.get("author") or person(obj.author),
                          names.get("approver") or person(obj.approved_by),
                          obj.approved_at.date().isoformat() if obj.approved_at else "")
        joint = pgettext("provenance: written by the organisations together", "joint")
        if isinstance(obj, JointText):
            names = self.provenance("joint_text", self.joint_texts.values()).get(obj.pk, {})
            return Source(f"joint_text:{self.ref_of(obj)}:{self.period.ordinal}", joint,
                          names.get("author") or person(obj.author), self.approvers())
        if kind in PART_LISTS:
            name = self.provenance(kind, getattr(self, PART_LISTS[kind])).get(obj.pk, {}).get("name")
            return Source(f"{kind}:{name or obj.pk}", joint, "", self.approvers())
        if kind == "report":
            return Source(f"{kind}:{obj.pk}", joint, "", self.approvers())
        return Source(f"{kind}:{obj.pk}")


# Reading rows and their links ------------------------------------------------------------


def _marked(qs, levels: dict) -> list:
    """The rows of a visible queryset, each with its marking (releasability from the through table)."""
    rows = list(qs)
    _attach(rows, "classification", levels)
    rel = _pairs(qs, "releasable_to", to="short_name")
    for row in rows:
        rank = row.classification.rank
        row.__dict__[_MARKING] = _interned(rank, tuple(sorted(rel.get(row.pk, ()))) if rank else ())
    return rows


@functools.lru_cache(maxsize=1024)
def _interned(rank: int, releasable: tuple[str, ...]) -> Marking:
    # Rows share a few markings; one instance of each lets sets of markings compare by identity.
    return Marking(rank, releasable)


def _pairs(owners, name: str, to: str = "") -> dict[int, list]:
    """owner id -> the ids (or the ``to`` field) linked through ``name``, for the owners in the queryset."""
    m2m = owners.model._meta.get_field(name)
    src, dst = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    dst = f"{dst}__{to}" if to else dst
    links: dict[int, list] = defaultdict(list)
    for owner, target in (m2m.remote_field.through.objects.filter(**{f"{src}__in": owners.values("pk")})
                          .values_list(src, dst)):
        links[owner].append(target)
    return links


def _attach(rows, name: str, known: dict) -> None:
    """Set each row's ``name`` from objects already in hand (read the others in one query)."""
    if not rows:
        return
    fk = rows[0]._meta.get_field(name)
    wanted = {getattr(row, fk.attname) for row in rows} - {None}
    if wanted - known.keys():
        known.update(fk.related_model._default_manager.in_bulk(wanted - known.keys()))
    for row in rows:
        value = getattr(row, fk.attname)
        if value is not None:
            fk.set_cached_value(row, known[value])


def _contributions(period, audience, commitment_ids, known: dict) -> tuple[dict, object]:
    if period is None:
        return {}, None
    qs = Contribution.objects.visible_to(audience).filter(period=period, state=ContributionState.APPROVED)
    rows = [c for c in _marked(qs, known["classification"]) if c.commitment_id in commitment_ids]
    for name in ("organisation", "assessment", "author", "approved_by"):
        _attach(rows, name, known[name])
    return {(c.commitment_id, c.organisation_id): c for c in rows}, qs


def _visible_commitments(partnership, audience):
    """Visible commitments whose area is visible too (a commitment is left out with its area)."""
    areas = Area.objects.visible_to(audience).filter(partnership=partnership)
    return Commitment.objects.visible_to(audience).filter(partnership=partnership, area__in=areas.values("pk"))


@collection_paused()
def load_records(period: ReportingPeriod, edition: Edition, approvals: bool = True) -> Records:
    """The records of one edition; without the report's approvals if ``approvals`` is false
    (the content as its approvers approve it, which their approvals then name)."""
    aud = edition.audience
    partnership = period.partnership
    orgs = list(partnership.organisations.select_related("scheme")
                .prefetch_related("scheme__levels", f"scheme__levels__{LEVEL_MARKINGS}").order_by("key"))
    report = visible(Report, aud).filter(period=period).first()
    areas = list(visible(Area, aud).filter(partnership=partnership))
    # Levels, organisations, assessment values and accounts are few: each read once for all rows.
    users: dict = {}
    known = {"classification": ClassificationLevel.objects.in_bulk(), "organisation": {o.pk: o for o in orgs},
             "assessment": {v.pk: v for v in AssessmentValue.objects.filter(scheme=partnership.assessment_scheme_id)},
             "author": users, "approved_by": users}
    commitments = _marked(_visible_commitments(partnership, aud), known["classification"])
    ids = {c.pk for c in commitments}
    previous = ReportingPeriod.objects.filter(partnership=partnership, ordinal=period.ordinal - 1).first()
    by_report = _approved_parts(report)
    contributions, contributions_qs = _contributions(period, aud, ids, known)
    previous_contributions, _ = _contributions(previous, aud, ids, known)
    joint_qs = JointText.objects.visible_to(aud).filter(period=period, state=JointTextState.APPROVED)
    joint = [j for j in _marked(joint_qs, known["classification"]) if j.commitment_id in ids]
    _attach(joint, "author", known["author"])
    highlights_qs = Highlight.objects.visible_to(aud).filter(**by_report)
    linked = _pairs(highlights_qs, "commitments")
    records = Records(
        period=period, edition=edition, report=report, orgs=orgs, areas=areas, commitments=commitments,
        contributions=contributions, previous=previous, previous_contributions=previous_contributions,
        joint_texts={j.commitment_id: j for j in joint},
        highlights=_marked(highlights_qs, known["classification"]),
        outlook=list(visible(Outlook, aud).filter(**by_report)),
        council_actions=list(visible(CouncilAction, aud).filter(**by_report).select_related("organisation")),
        mandates=_mandates(partnership, period, aud),
        previous_reports=list(visible(Report, aud).filter(
            period__partnership=partnership, period__ordinal__lt=period.ordinal).select_related("period")),
        approvals=list(ReportApproval.objects.filter(report=report, withdrawn_at__isnull=True)
                       .select_related("organisation", "approver")) if report and approvals else [],
        highlight_commitments={h: {c for c in cs if c in ids} for h, cs in linked.items()},
        mandate_counts=dict(Counter(c.mandate_id for c in commitments)),
        texts=_marked(ReportText.objects.visible_to(aud).filter(**by_report).order_by("order", "pk"),
                      known["classification"]),
    )
    records.put_parts_in_order()
    _load_evidence(records, aud, contributions_qs, highlights_qs)
    return records


def _approved_parts(report) -> dict:
    """The filter on a report's texts, highlights, outlook and Council actions: only parts approved
    by every organisation whose approval they need enter an edition (reports/parts.py)."""
    return {"report": report, "state": PartState.APPROVED} if report else {"pk__in": []}


def _mandates(partnership, period, aud) -> list:
    return list(visible(Mandate, aud).filter(partnership=partnership, date__lte=period.end).prefetch_related("issued_by"))


def _cited(r: Records, contributions_qs, highlights_qs) -> dict[str, set[int]]:
    """Evidence ids cited by the period's loaded contributions and highlights."""
    cited: dict[str, set[int]] = {name: set() for name in EVIDENCE}
    owners = [({c.pk for c in r.contributions.values()}, contributions_qs), ({h.pk for h in r.highlights}, highlights_qs)]
    for loaded, qs in owners:
        for name, ids in cited.items():
            for owner, targets in _pairs(qs, name).items():
                if owner in loaded:
                    ids.update(targets)
    return cited


def _load_evidence(r: Records, aud, contributions_qs, highlights_qs) -> None:
    """Evidence of the period: dated within it, or cited by its contributions and highlights."""
    p, partnership = r.period, r.period.partnership
    cited = _cited(r, contributions_qs, highlights_qs)
    in_period = Q(partnership=partnership)
    r.meetings = list(visible(Meeting, aud).filter(in_period & (
        Q(date__range=(p.start, p.end)) | Q(pk__in=cited["meetings"]))).select_related("format").order_by("date", "key"))
    r.exercises = list(visible(Exercise, aud).filter(in_period & (
        Q(start__range=(p.start, p.end)) | Q(start__lte=p.end, end__gte=p.start)
        | Q(pk__in=cited["exercises"]))).select_related("lead"))
    r.activities = list(visible(PartnerActivity, aud).filter(in_period & (
        Q(period=p) | Q(pk__in=cited["activities"]))))
    # The country is a record of its own: named only where the audience may read it.
    r.countries = {c.pk: c for c in visible(PartnerCountry, aud).filter(partnership=partnership)}
    met = {m.format_id for m in r.meetings if m.format_id}
    r.formats = list(visible(CoordinationFormat, aud).filter(in_period & (
        Q(started__range=(p.start, p.end)) | Q(pk__in=cited["formats"] | met))))


def load_summary_records(period: ReportingPeriod, edition: Edition) -> Records:
    """Only what the public summary reads: the report, its highlights, outlook and Council
    actions, the mandates, and the visible commitments counted per mandate in one query.
    The counts are those ``load_records`` gives (visible commitments in visible areas)."""
    aud = edition.audience
    partnership = period.partnership
    report = Report.objects.visible_to(aud).filter(period=period).first()
    by_report = _approved_parts(report)
    counts = (_visible_commitments(partnership, aud).order_by().values("mandate_id")
              .annotate(n=Count("pk")).values_list("mandate_id", "n"))
    records = Records(
        period=period, edition=edition, report=report, orgs=list(partnership.organisations.order_by("key")),
        areas=[], commitments=[], contributions={}, previous=None, previous_contributions={}, joint_texts={},
        highlights=list(Highlight.objects.visible_to(aud).filter(**by_report)),
        outlook=list(Outlook.objects.visible_to(aud).filter(**by_report)),
        council_actions=list(CouncilAction.objects.visible_to(aud).filter(**by_report).select_related("organisation")),
        mandates=_mandates(partnership, period, aud), previous_reports=[], mandate_counts=dict(counts),
    )
    records.put_parts_in_order()
    return records


def marked_for(r: Records) -> str:
    """The key of the organisation whose own edition this is ("" for public and delegation editions)."""
    return next((o.key for o in r.orgs if o.pk == r.edition.organisation_id), "")


def org_schemes(orgs) -> tuple[OrgScheme, ...]:
    """The organisations with their schemes' levels as the active language prints them (the
    banner and portion texts the scheme gives in it, else the level's name and abbreviation), and
    their names and Councils in it where the default data has them (the short names are the
    releasability values of the markings, so they stay as the schemes define them)."""
    return tuple(
        OrgScheme(o.key, o.short_name, o.local_name, o.local_council, o.colour,
                  tuple(SchemeLevel(lv.rank, lv.banner(), lv.abbreviation if lv.rank == 0 else lv.portion())
                        for lv in o.scheme.levels.all()))
        for o in orgs
    )
