"""The records one edition of one period's report is made from.

Every record comes from ``Model.objects.visible_to(audience)``: what the
audience may not read is never loaded, so nothing derived from it (a heading,
a count, a chart bar) can leak into the edition. ``marking_of`` gives the
marking of a statement made from records: the highest of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from rapport.commitments.models import Commitment
from rapport.contributions.choices import ContributionState, JointTextState
from rapport.contributions.models import Contribution, JointText
from rapport.evidence.models import (
    CoordinationFormat,
    Exercise,
    Meeting,
    PartnerActivity,
    PartnerCountry,
)
from rapport.markings.querysets import VisiblePrefetch
from rapport.partnerships.models import Area, Mandate
from rapport.periods.models import ReportingPeriod
from rapport.reports.models import CouncilAction, Highlight, Outlook, Report, ReportApproval

from .document import Marking, OrgScheme, SchemeLevel, Source
from .editions import Edition


def visible(model, audience):
    return model.objects.visible_to(audience).with_marking()


def marking_of(*objs) -> Marking:
    """The marking of a statement made from these records (None entries are skipped)."""
    parts = []
    for obj in objs:
        if obj is None:
            continue
        rank = obj.classification.rank
        rel = tuple(sorted(o.short_name for o in obj.releasable_to.all())) if rank else ()
        parts.append(Marking(rank, rel))
    return Marking.highest(parts)


EVIDENCE = ("formats", "meetings", "exercises", "activities")


def person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


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

    def approvers(self) -> str:
        return "; ".join(f"{a.organisation.short_name}: {person(a.approver)}" for a in self.approvals)

    def source(self, obj, kind: str) -> Source:
        """Provenance of a statement: contributions name their author and approver;
        joint report content is approved by the organisations' approvers of the report."""
        if isinstance(obj, Contribution):
            return Source(f"contribution:{obj.pk}", obj.organisation.short_name, person(obj.author),
                          person(obj.approved_by), obj.approved_at.date().isoformat() if obj.approved_at else "")
        if isinstance(obj, JointText):
            return Source(f"joint_text:{obj.pk}", "joint", person(obj.author), self.approvers())
        if kind in ("highlight", "outlook", "report"):
            return Source(f"{kind}:{obj.pk}", "joint", "", self.approvers())
        return Source(f"{kind}:{obj.pk}")


def _contributions(period, audience, commitment_ids) -> dict:
    if period is None:
        return {}
    evidence = [VisiblePrefetch(name, audience) for name in EVIDENCE]
    qs = (
        visible(Contribution, audience)
        .filter(period=period, state=ContributionState.APPROVED, commitment_id__in=commitment_ids)
        .select_related("organisation", "assessment", "author", "approved_by")
        .prefetch_related(*evidence)
    )
    return {(c.commitment_id, c.organisation_id): c for c in qs}


def load_records(period: ReportingPeriod, edition: Edition) -> Records:
    aud = edition.audience
    partnership = period.partnership
    orgs = list(partnership.organisations.select_related("scheme").prefetch_related("scheme__levels").order_by("key"))
    report = visible(Report, aud).filter(period=period).first()
    areas = list(visible(Area, aud).filter(partnership=partnership))
    area_ids = {a.pk for a in areas}
    # A commitment whose area the audience may not read is left out with it.
    commitments = [
        c for c in visible(Commitment, aud).filter(partnership=partnership).select_related("area", "mandate")
        if c.area_id in area_ids
    ]
    ids = [c.pk for c in commitments]
    previous = ReportingPeriod.objects.filter(partnership=partnership, ordinal=period.ordinal - 1).first()
    by_report = {"report": report} if report else {"pk__in": []}
    linked = VisiblePrefetch("commitments", aud, queryset=Commitment.objects.filter(pk__in=ids))
    evidence = [VisiblePrefetch(name, aud) for name in EVIDENCE]
    records = Records(
        period=period, edition=edition, report=report, orgs=orgs, areas=areas, commitments=commitments,
        contributions=_contributions(period, aud, ids),
        previous=previous, previous_contributions=_contributions(previous, aud, ids),
        joint_texts={
            j.commitment_id: j for j in visible(JointText, aud).filter(
                period=period, state=JointTextState.APPROVED, commitment_id__in=ids).select_related("author")
        },
        highlights=list(visible(Highlight, aud).filter(**by_report).prefetch_related(linked, *evidence)),
        outlook=list(visible(Outlook, aud).filter(**by_report)),
        council_actions=list(visible(CouncilAction, aud).filter(**by_report).select_related("organisation")),
        mandates=list(visible(Mandate, aud).filter(partnership=partnership, date__lte=period.end)
                      .prefetch_related("issued_by")),
        previous_reports=list(visible(Report, aud).filter(
            period__partnership=partnership, period__ordinal__lt=period.ordinal).select_related("period")),
        approvals=list(ReportApproval.objects.filter(report=report, withdrawn_at__isnull=True)
                       .select_related("organisation", "approver")) if report else [],
    )
    _load_evidence(records, aud)
    return records


def _load_evidence(r: Records, aud) -> None:
    """Evidence of the period: dated within it, or cited by its contributions and highlights."""
    p, partnership = r.period, r.period.partnership
    cited: dict[str, set[int]] = {"formats": set(), "meetings": set(), "exercises": set(), "activities": set()}
    for obj in [*r.contributions.values(), *r.highlights]:
        for name, ids in cited.items():
            ids.update(e.pk for e in getattr(obj, name).all())
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


def org_schemes(orgs) -> tuple[OrgScheme, ...]:
    return tuple(
        OrgScheme(o.key, o.short_name, o.name, o.council, o.colour,
                  tuple(SchemeLevel(lv.rank, lv.name, lv.abbreviation) for lv in o.scheme.levels.all()))
        for o in orgs
    )
