"""A synthetic partnership built with the ORM, for tests and the benchmark.

It has its own organisations and schemes (so nothing assumes EU–NATO), any
number of them, and contributions with assessments and mixed markings.
``scale`` multiplies the commitments (and so the contributions).
"""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from rapport.access.models import User
from rapport.access.roles import Role
from rapport.commitments.models import Commitment
from rapport.contributions.choices import ContributionState
from rapport.contributions.models import Contribution
from rapport.evidence.models import (
    CoordinationFormat,
    Exercise,
    Meeting,
    PartnerActivity,
    PartnerCountry,
)
from rapport.markings.models import ClassificationLevel, ClassificationScheme
from rapport.partnerships.models import (
    Area,
    AssessmentScheme,
    AssessmentValue,
    Mandate,
    Membership,
    MemberState,
    Organisation,
    Partnership,
    Principle,
)
from rapport.periods.choices import PeriodState
from rapport.periods.models import ReportingPeriod
from rapport.reports.choices import CouncilActionKind, PartState, ReportState
from rapport.reports.models import CouncilAction, Highlight, Outlook, Report, ReportApproval

LEVELS = ["PUBLIC", "INTERNAL", "RESTRICTED", "CONFIDENTIAL"]
ASSESSMENTS = [("not_started", "Not started", 0), ("limited", "Limited", 1), ("substantial", "Substantial", 2),
               ("complete", "Complete", 3)]


def mark(obj, level: ClassificationLevel, orgs) -> None:
    obj.classification = level
    obj.save(update_fields=["classification"])
    obj.releasable_to.set([] if level.rank == 0 else orgs)


def build(prefix: str = "syn", n_orgs: int = 2, n_areas: int = 3, per_area: int = 3, periods: int = 2,
          scale: int = 1, restricted: bool = True) -> dict:
    """Create the partnership; returns handles to its parts (orgs, levels, users, periods …)."""
    P = prefix.upper()
    orgs, levels = [], {}
    for i in range(n_orgs):
        key = f"{prefix}{i}"
        scheme = ClassificationScheme.objects.create(key=f"{key}-scheme", name=f"{P}{i} scheme")
        levels[key] = [ClassificationLevel.objects.create(
            scheme=scheme, rank=r, name=name if r == 0 else f"{P}{i} {name}",
            abbreviation=name if r == 0 else f"{P}{i}{name[0]}") for r, name in enumerate(LEVELS)]
        orgs.append(Organisation.objects.create(
            key=key, name=f"Organisation {P}{i}", short_name=f"{P}{i}", council=f"Council of {P}{i}", scheme=scheme))
    public = levels[orgs[0].key][0]
    scheme = AssessmentScheme.objects.create(key=f"{prefix}-completion", name="Completion", kind="completion")
    values = [AssessmentValue.objects.create(scheme=scheme, key=k, label=lb, score=s) for k, lb, s in ASSESSMENTS]
    partnership = Partnership.objects.create(key=prefix, name=f"{P} partnership", assessment_scheme=scheme)
    partnership.organisations.set(orgs)
    for n, text in enumerate(["Mutual openness", "Reciprocity", "Decision-making autonomy of each organisation"]):
        Principle.objects.create(partnership=partnership, key=f"p{n}", text=text, order=n)
    state = MemberState.objects.create(code=f"{P[:2]}X", name=f"{P} Member")
    for org in orgs:
        Membership.objects.create(state=state, organisation=org, joined=datetime.date(2000, 1, 1))

    def content(model, **kw):
        obj = model.objects.create(classification=public, **kw)
        return obj

    decl = content(Mandate, partnership=partnership, key="decl", kind="joint_declaration",
                   title="Joint Declaration", date=datetime.date(2016, 7, 8))
    sets = [content(Mandate, partnership=partnership, key=f"set{y}", kind="proposal_set", title=f"Set {y}",
                    date=datetime.date(y, 12, 6)) for y in (2016, 2017)]
    for m in (decl, *sets):
        m.issued_by.set(orgs)
    areas = [content(Area, partnership=partnership, key=f"area{a}", code=f"A{a}", name=f"Area {a} of {P}",
                     introduced_by=decl, order=a) for a in range(n_areas)]
    commitments = []
    for a, area in enumerate(areas):
        for n in range(per_area * scale):
            commitments.append(content(
                Commitment, partnership=partnership, ref=f"{P}-A{a}-{n:03d}", mandate=sets[n % 2], area=area,
                title=f"Commitment {n} in area {a}", text=f"Work item {n} of area {a}.", order=len(commitments)))
    for s in sets:
        s.proposal_count = sum(1 for c in commitments if c.mandate_id == s.pk)
        s.save(update_fields=["proposal_count"])
    users = {}
    for org in orgs:
        top = levels[org.key][-1]
        for role in (Role.DRAFTER, Role.APPROVER, Role.COORDINATOR):
            users[(org.key, role)] = User.objects.create(
                username=f"{org.key}-{role}", organisation=org, role=role, clearance=top, first_name=role.title(),
                last_name=org.short_name)
    period_objs = []
    start = datetime.date(2020, 6, 1)
    for p in range(1, periods + 1):
        end = start.replace(year=start.year + 1) - datetime.timedelta(days=1)
        period = ReportingPeriod.objects.create(partnership=partnership, ordinal=p, start=start, end=end,
                                                state=PeriodState.PUBLISHED, report_due=end + datetime.timedelta(days=15))
        period_objs.append(period)
        report = content(Report, period=period, title=f"Report {p} of the {P} partnership",
                         state=ReportState.APPROVED, presented_on=end + datetime.timedelta(days=15))
        for org in orgs:
            ReportApproval.objects.create(report=report, organisation=org, version=1,
                                          approver=users[(org.key, Role.APPROVER)])
        # The parts were approved by every organisation: only approved parts enter an edition.
        h = content(Highlight, report=report, order=1, text=f"Highlight one of period {p}: work advanced.",
                    state=PartState.APPROVED)
        h.commitments.set(commitments[:1])
        content(Highlight, report=report, order=2, text=f"Highlight two of period {p}: staff met often.",
                state=PartState.APPROVED)
        content(Outlook, report=report, order=1, text=f"Explore new areas after period {p}.", state=PartState.APPROVED)
        content(CouncilAction, report=report, organisation=orgs[0], action=CouncilActionKind.TOOK_NOTE,
                state=PartState.APPROVED,
                date=report.presented_on)
        approved = timezone.make_aware(datetime.datetime.combine(end, datetime.time(12)))
        rows = []
        for (i, c), org in itertools.product(enumerate(commitments), orgs):
            rows.append(Contribution(
                organisation=org, commitment=c, period=period, classification=public,
                narrative=f"{org.short_name} progress on {c.ref} in period {p}.",
                assessment=values[(i + p + orgs.index(org)) % len(values)], state=ContributionState.APPROVED,
                author=users[(org.key, Role.DRAFTER)], approved_by=users[(org.key, Role.APPROVER)],
                approved_at=approved))
        Contribution.objects.bulk_create(rows)
        fmt = content(CoordinationFormat, partnership=partnership, key=f"fmt{p}", kind="staff_talks",
                      name=f"Staff talks {p}", started=start)
        content(Meeting, partnership=partnership, key=f"meet{p}", format=fmt, date=start + datetime.timedelta(days=30),
                title=f"Meeting {p}")
        content(Exercise, partnership=partnership, key=f"ex{p}", name=f"Exercise {p}", kind="parallel",
                lead=orgs[0], start=start + datetime.timedelta(days=60), end=start + datetime.timedelta(days=70))
        country = content(PartnerCountry, partnership=partnership, code=f"C{p}", name=f"Partnerland {p}")
        content(PartnerActivity, partnership=partnership, key=f"act{p}", country=country,
                title=f"Training in Partnerland {p}", period=period)
        start = end + datetime.timedelta(days=1)
    if restricted:
        _restrict_some(partnership, orgs, levels)
    return {"partnership": partnership, "orgs": orgs, "levels": levels, "users": users, "periods": period_objs,
            "commitments": commitments, "areas": areas, "values": values, "state": state}


def _restrict_some(partnership, orgs, levels) -> None:
    """Give a deterministic mix of markings: some rank 2 for all, some rank 3 for the first org only."""
    first = orgs[0].key
    last = Contribution.objects.filter(period__partnership=partnership).order_by("pk")
    for n, c in enumerate(last):
        if n % 5 == 1:
            mark(c, levels[first][2], orgs)
            c.narrative = f"RESTRICTED-SECRET-{c.pk} " + c.narrative
            c.save(update_fields=["narrative"])
        elif n % 7 == 3:
            mark(c, levels[first][3], orgs[:1])
            c.narrative = f"CONFIDENTIAL-SECRET-{c.pk} " + c.narrative
            c.save(update_fields=["narrative"])
    hidden = Commitment.objects.filter(partnership=partnership).order_by("order").last()
    hidden.title = "HIDDEN-COMMITMENT-TITLE"
    hidden.save(update_fields=["title"])
    mark(hidden, levels[first][2], orgs[:1])


def reader_for(period, edition_name: str) -> User:
    """An active account that the policy lets receive this edition of the period's report
    (created on first use): staff of the organisation, or the delegation, at the edition's level."""
    from rapport.reports.editions import resolve_edition

    partnership = period.partnership
    edition = resolve_edition(partnership, edition_name, period)
    username = "reader-" + edition.name.replace(":", "-").lower()
    found = User.objects.filter(username=username).first()
    if found is not None:
        return found
    if edition.kind == "delegation":
        state = MemberState.objects.get(pk=edition.delegation_id)
        org = Organisation.objects.get(pk=edition.audience.organisation_ids[0])
        return User.objects.create(username=username, delegation=state, role=Role.READER,
                                   clearance=org.scheme.levels.get(rank=edition.audience.rank))
    org = (Organisation.objects.get(pk=edition.organisation_id) if edition.organisation_id
           else partnership.organisations.order_by("key").first())
    return User.objects.create(username=username, organisation=org, role=Role.READER,
                               clearance=org.scheme.levels.get(rank=edition.audience.rank))
