"""A test world for the access tests: users of every kind and one object per
marking combination for every model that inherits MarkedModel.

The expected answers are computed here in plain Python from the written rule,
never from the product's own filters:

* rank 0 (PUBLIC) -> every signed-in, active user;
* otherwise marking rank <= the user's clearance rank AND releasable to one of
  the organisations the user reads for (staff: their organisation; a delegation:
  the organisations its state belongs to today);
* plus per-model narrowing (contribution drafts and returned texts stay inside
  their own organisation);
* signed-out (and inactive) users see only rank 0 AND published content.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

ORGS = ("eu", "nato")
ROLES = ("drafter", "coordinator", "approver", "reader", "administrator")
WRITERS = ("drafter", "coordinator")
RANKS = (0, 1, 2, 3)
RELEASABILITY = {
    "none": frozenset(),
    "eu": frozenset({"eu"}),
    "nato": frozenset({"nato"}),
    "both": frozenset({"eu", "nato"}),
}
# Member states and the organisations they belong to today (plain data, checked
# against the loaded memberships by test_delegation_memberships_are_as_assumed).
DELEGATION_ORGS = {
    "FI": frozenset({"eu", "nato"}),  # in both
    "AT": frozenset({"eu"}),  # EU only
    "NO": frozenset({"nato"}),  # NATO only
    "GB": frozenset({"nato"}),  # left the EU on 2020-01-31: NATO only today
}


# Users --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    key: str
    kind: str  # "staff", "delegation", "anonymous", "inactive"
    org: str | None = None
    delegation: str | None = None
    role: str = "reader"
    rank: int = 0  # clearance rank; 0 also for "no clearance"
    clearance_scheme: str | None = None  # None = no clearance at all

    @property
    def signed_in(self) -> bool:
        return self.kind in ("staff", "delegation")

    @property
    def reading_orgs(self) -> frozenset:
        if self.kind == "staff":
            return frozenset({self.org})
        if self.kind == "delegation":
            return DELEGATION_ORGS[self.delegation]
        return frozenset()


def user_specs() -> list[UserSpec]:
    specs = []
    for org, role, rank in itertools.product(ORGS, ROLES, RANKS):
        specs.append(UserSpec(f"{org}-{role}-{rank}", "staff", org=org, role=role, rank=rank, clearance_scheme=org))
    for code, rank in itertools.product(DELEGATION_ORGS, RANKS):
        # Alternate the scheme the clearance is held in: ranks make schemes equivalent.
        scheme = "eu" if rank % 2 else "nato"
        specs.append(UserSpec(f"del-{code.lower()}-{rank}", "delegation", delegation=code, rank=rank,
                              clearance_scheme=scheme))
    # Clearance held in the other organisation's scheme, and no clearance at all.
    specs.append(UserSpec("eu-reader-natocleared-2", "staff", org="eu", role="reader", rank=2, clearance_scheme="nato"))
    specs.append(UserSpec("nato-approver-eucleared-3", "staff", org="nato", role="approver", rank=3, clearance_scheme="eu"))
    specs.append(UserSpec("eu-drafter-uncleared", "staff", org="eu", role="drafter", rank=0, clearance_scheme=None))
    specs.append(UserSpec("anonymous", "anonymous"))
    specs.append(UserSpec("eu-approver-3-inactive", "inactive", org="eu", role="approver", rank=3, clearance_scheme="eu"))
    return specs


def make_users(specs):
    from rapport.access.models import User
    from rapport.markings.models import ClassificationLevel
    from rapport.partnerships.models import MemberState, Organisation

    orgs = {o.key: o for o in Organisation.objects.all()}
    users = {}
    for s in specs:
        if s.kind == "anonymous":
            users[s.key] = AnonymousUser()
            continue
        clearance = (ClassificationLevel.objects.get(scheme__key=s.clearance_scheme, rank=s.rank)
                     if s.clearance_scheme else None)
        users[s.key] = User.objects.create_user(
            username=f"mx-{s.key}", password="correct-horse-battery",
            organisation=orgs[s.org] if s.org and s.kind != "delegation" else None,
            delegation=MemberState.objects.get(code=s.delegation) if s.delegation else None,
            role=s.role, clearance=clearance, is_active=s.kind != "inactive",
        )
    return users


# Objects ------------------------------------------------------------------------------


@dataclass
class ObjSpec:
    label: str
    n: int
    rank: int
    scheme: str
    releasable: frozenset
    variant: dict
    title: str
    obj: object = None


@dataclass
class Factory:
    """How to build one instance of a marked model and what the rule says about it."""

    make: Callable  # make(ctx, spec) -> unsaved-or-saved instance (without releasable_to)
    variants: list[dict] = field(default_factory=lambda: [{}])
    published: Callable = lambda spec: True  # what "published" means for signed-out readers
    extra: Callable = lambda user, spec: True  # per-model narrowing for signed-in readers
    actions: dict = field(default_factory=dict)  # action -> expected(user, spec, visible) -> bool


# Expected results of the write actions (rapport.access.policy), in plain Python.

def _receive_copy(u, s, visible):
    """Received copies and a peer's signed approvals are written only by a peer instance's own
    account, which no user of this world is (the peer's account: tests/federation/)."""
    return False


def _create_contribution(u, s, visible):
    # A user never acts on what they cannot see ("denied = missing"). Asked without a
    # period, the rule leaves the period's state out.
    return visible and u.kind == "staff" and u.role in WRITERS


def _assign(u, s, visible):
    # A coordinator names their own organisation's unit and staff on a commitment they can see.
    return visible and u.kind == "staff" and u.role == "coordinator"


def _contributions_open(s) -> bool:
    """Contributions are written while the period is open and its deadline has not passed (the
    matrix grants no extensions)."""
    from rapport.core.clock import today

    p = s.obj.period
    return p.state == "open" and (p.contributions_due is None or today() <= p.contributions_due)


def _period_working(s) -> bool:
    """Texts are approved, returned and written jointly until the report goes for approval."""
    return s.obj.period.state in ("open", "contributions_closed", "in_preparation")


def _edit_contribution(u, s, visible):
    return (visible and u.kind == "staff" and u.org == s.variant["org"] and u.role in WRITERS
            and s.variant["state"] in ("draft", "returned") and _contributions_open(s))


def _approve_contribution(u, s, visible):
    return (visible and u.kind == "staff" and u.org == s.variant["org"] and u.role == "approver"
            and s.variant["state"] == "submitted" and _period_working(s))


def _edit_joint_text(u, s, visible):
    return (visible and u.kind == "staff" and u.role in WRITERS and s.variant["state"] != "approved"
            and _period_working(s))


def _approve_joint_text(u, s, visible):
    return (visible and u.kind == "staff" and u.role == "approver" and s.variant["state"] != "approved"
            and u.org not in s.variant["approved_by"] and _period_working(s))


def _return_joint_text(u, s, visible):
    reopenable = not (s.variant["state"] == "draft" and not s.variant["approved_by"])
    return visible and u.kind == "staff" and u.role == "approver" and reopenable and _period_working(s)


def _approve_report(u, s, visible):
    return (visible and u.kind == "staff" and u.role == "approver" and s.variant["state"] != "published"
            and u.org not in s.variant["approved_by"])


def _withdraw_report_approval(u, s, visible):
    return (visible and u.kind == "staff" and u.role == "approver" and s.variant["state"] != "published"
            and u.org in s.variant["approved_by"])


def _publish_report(u, s, visible):
    return visible and u.kind == "staff" and u.role == "coordinator" and s.variant["state"] == "approved"


def _seal_report(u, s, visible):
    return (visible and u.kind == "staff" and u.role in ("coordinator", "approver")
            and s.variant["state"] in ("approved", "published"))


def _read_public_edition(u, s, visible):
    # Asked with the public edition (see test_permission_matrix.CONTEXT): any signed-in reader of the
    # report may have it; the signed-out public once the report is published.
    return visible and (u.signed_in or s.variant["state"] == "published")


# Period states in which a period's texts are settled (nobody comments any more).
FINAL_PERIOD_STATES = ("published", "archived")


def _period_final(period) -> bool:
    from rapport.reports.models import Report

    return period.state in FINAL_PERIOD_STATES or Report.objects.filter(period=period, state="published").exists()


def _comment(u, s, visible):
    # Staff of the partnership's organisations who can see the text, but not administrators;
    # never on a text of a period whose report is published.
    period = s.obj.report.period if hasattr(s.obj, "report_id") else s.obj.period
    final = period.state == "archived" if s.label == "reports.councilaction" else _period_final(period)
    return visible and u.kind == "staff" and u.role != "administrator" and not final


def _contribution_extra(u, s):
    # Drafts and returned contributions stay inside the organisation that writes them.
    if s.variant["state"] in ("submitted", "approved"):
        return True
    return u.kind == "staff" and u.org == s.variant["org"]


def _parent_published(s):
    return s.variant["report"] == "published"


# The report's parts (rapport/reports/parts.py): coordinators write, approvers approve and return,
# each for their own organisation, until the report is published or its period is final; Council
# actions until the period is archived.
def _open_for_parts(report, label="") -> bool:
    if label == "reports.councilaction":  # what a Council did is recorded after publication too
        return report.period.state != "archived"
    return report.state != "published" and report.period.state not in ("published", "archived")


def _write_report_part(u, s, visible):
    return visible and u.kind == "staff" and u.role == "coordinator" and _open_for_parts(s.obj)


def _record_council_action(u, s, visible):
    return (visible and u.kind == "staff" and u.role == "coordinator"
            and _open_for_parts(s.obj, "reports.councilaction"))


def _own_council(u, s) -> bool:
    """A Council action (the matrix's are the EU's) is its own organisation's business."""
    return s.label != "reports.councilaction" or u.org == "eu"


def _write_part(u, s, visible):
    return (visible and u.kind == "staff" and u.role == "coordinator" and _open_for_parts(s.obj.report, s.label)
            and s.variant["state"] != "approved" and _own_council(u, s))


def _approve_part(u, s, visible):
    # The matrix's parts have no approvals and no author.
    return (visible and u.kind == "staff" and u.role == "approver" and _open_for_parts(s.obj.report, s.label)
            and s.variant["state"] != "approved" and _own_council(u, s))


def _return_part(u, s, visible):
    return (visible and u.kind == "staff" and u.role == "approver" and _open_for_parts(s.obj.report, s.label)
            and s.variant["state"] != "draft" and _own_council(u, s))


PART_VARIANTS = [{"report": "draft", "state": "draft"}, {"report": "draft", "state": "in_approval"},
                 {"report": "published", "state": "approved"}, {"report": "published", "state": "draft"}]
PART_ACTIONS = {"report_part.write": _write_part, "report_part.approve": _approve_part,
                "report_part.return": _return_part, "discussion.comment": _comment}


def _part_published(s):
    """Signed-out readers see a part once its report is published and the part approved."""
    return s.variant["report"] == "published" and s.variant["state"] == "approved"


class Ctx:
    """Reference rows the factories share."""

    def __init__(self):
        from rapport.access.models import User
        from rapport.commitments.models import Commitment
        from rapport.partnerships.models import Area, Mandate, Organisation, Partnership
        from rapport.periods.models import ReportingPeriod
        from rapport.reports.models import Report

        self.partnership = Partnership.objects.get(key="eu-nato")
        self.orgs = {o.key: o for o in Organisation.objects.all()}
        self.mandate = Mandate.objects.order_by("pk").first()
        self.area = Area.objects.order_by("pk").first()
        self.commitments = list(Commitment.objects.order_by("pk"))
        self.periods = list(ReportingPeriod.objects.filter(partnership=self.partnership).order_by("ordinal"))
        self.system_user = User.objects.create_user(username="mx-system-approver", password="x" * 20,
                                                    role="approver", organisation=self.orgs["eu"])
        self.next_ordinal = 1000
        self.parent_reports = {
            "draft": Report.objects.get(period__partnership=self.partnership, state="draft"),
            "published": Report.objects.get(period__partnership=self.partnership, period__ordinal=9),
        }
        self.parent_reports["approved"] = Report.objects.create(
            period=self.new_period(), title="Matrix approved report", state="approved",
            classification=self.parent_reports["draft"].classification)
        assert self.parent_reports["draft"].state == "draft"
        assert self.parent_reports["published"].state == "published"

    def slot(self, n: int):
        """A (commitment, period) for object n, round robin over the last three periods, so each
        workflow variant has objects in the open period and in closed ones (the offset puts the
        restricted NATO draft that test_read_paths edits in the open one)."""
        return self.commitments[(n // 3) % len(self.commitments)], self.periods[-1 - (n + 1) % 3]

    def new_period(self):
        from rapport.periods.models import ReportingPeriod

        self.next_ordinal += 1
        return ReportingPeriod.objects.create(partnership=self.partnership, ordinal=self.next_ordinal,
                                              start=datetime.date(2030, 1, 1), end=datetime.date(2030, 12, 31),
                                              state="published")


def _contribution(ctx, s):
    from rapport.contributions.models import Contribution

    commitment, period = ctx.slot(s.n)
    return Contribution(organisation=ctx.orgs[s.variant["org"]], commitment=commitment, period=period,
                        narrative=s.title, state=s.variant["state"])


def _joint_text(ctx, s):
    from rapport.contributions.models import JointText, JointTextApproval

    commitment, period = ctx.slot(s.n)
    jt = JointText(commitment=commitment, period=period, text=s.title, state=s.variant["state"])
    jt.save_hook = lambda obj: [
        JointTextApproval.objects.create(joint_text=obj, organisation=ctx.orgs[key], version=1,
                                         approver=ctx.system_user)
        for key in s.variant["approved_by"]
    ]
    return jt


def _report(ctx, s):
    from rapport.reports.models import Report, ReportApproval

    r = Report(period=ctx.new_period(), title=s.title, state=s.variant["state"])
    r.save_hook = lambda obj: [
        ReportApproval.objects.create(report=obj, organisation=ctx.orgs[key], version=1, approver=ctx.system_user)
        for key in s.variant["approved_by"]
    ]
    return r


def _audit_event(ctx, s):
    from rapport.audit.record import record
    from rapport.markings.models import ClassificationLevel
    from rapport.partnerships.models import Organisation

    # Written through the one writer, so the chain stays whole.
    return record(actor=None, verb="record.updated", obj=ctx.audit_subjects[s.variant["subject"]],
                  object_repr=s.title,
                  classification=ClassificationLevel.objects.get(scheme__key=s.scheme, rank=s.rank),
                  releasable_to=list(Organisation.objects.filter(key__in=s.releasable)), system_actor="matrix")


# What an audit entry is about, and who may see that object (plain Python, from the rule).
AUDIT_SUBJECTS = {
    "organisation": lambda u: True,  # reference data: not marked, only the entry's own marking counts
    "public-approved-contribution": lambda u: True,
    "nato-draft-contribution": lambda u: u.kind == "staff" and u.org == "nato",
    "eu-returned-contribution": lambda u: u.kind == "staff" and u.org == "eu",
    "nato-confidential-commitment": lambda u: u.rank >= 3 and "nato" in u.reading_orgs,
    "deleted-highlight": lambda u: True,  # gone: only the entry's own marking counts
}


def _audit_subject_visible(u, s):
    return AUDIT_SUBJECTS[s.variant["subject"]](u)


def make_audit_subjects(ctx) -> dict:
    from rapport.commitments.models import Commitment
    from rapport.contributions.models import Contribution
    from rapport.markings.models import ClassificationLevel
    from rapport.reports.models import Highlight

    public = ClassificationLevel.objects.get(scheme__key="nato", rank=0)
    period = ctx.periods[-4]  # the matrix's own contributions use the last three periods (Ctx.slot)

    def contribution(org, state, n):
        return Contribution.objects.create(organisation=ctx.orgs[org], commitment=ctx.commitments[n], period=period,
                                           narrative=f"MX audit subject {org} {state}", state=state,
                                           classification=public)

    secret = Commitment.objects.create(partnership=ctx.partnership, ref="mx-audit-subject", mandate=ctx.mandate,
                                       area=ctx.area, title="MX audit subject", text="MX audit subject",
                                       classification=ClassificationLevel.objects.get(scheme__key="nato", rank=3),
                                       order=99999)
    secret.releasable_to.set([ctx.orgs["nato"]])
    gone = Highlight.objects.create(report=ctx.parent_reports["draft"], order=999, text="MX gone",
                                    classification=public)
    gone_copy = Highlight(pk=gone.pk, report=gone.report, text=gone.text, classification=public)
    gone.delete()
    return {
        "organisation": ctx.orgs["eu"],
        "public-approved-contribution": contribution("nato", "approved", 0),
        "nato-draft-contribution": contribution("nato", "draft", 1),
        "eu-returned-contribution": contribution("eu", "returned", 2),
        "nato-confidential-commitment": secret,
        "deleted-highlight": gone_copy,
    }


# What a comment is about, and who may see that text (plain Python, from the rule): comments are
# read only while their text is.
COMMENT_SUBJECTS = {
    "public-approved-contribution": AUDIT_SUBJECTS["public-approved-contribution"],
    "nato-draft-contribution": AUDIT_SUBJECTS["nato-draft-contribution"],
    "eu-returned-contribution": AUDIT_SUBJECTS["eu-returned-contribution"],
    "nato-confidential-joint-text": lambda u: u.rank >= 3 and "nato" in u.reading_orgs,
    "nato-confidential-highlight": lambda u: u.rank >= 3 and "nato" in u.reading_orgs,
}


def _comment_subject(ctx, key):
    if key in ctx.audit_subjects:
        return ctx.audit_subjects[key]
    if key == "nato-confidential-highlight":
        if not hasattr(ctx, "highlight_subject"):
            from rapport.markings.models import ClassificationLevel
            from rapport.reports.models import Highlight

            h = Highlight.objects.create(report=ctx.parent_reports["draft"], order=998, text="MX comment subject",
                                         classification=ClassificationLevel.objects.get(scheme__key="nato", rank=3))
            h.releasable_to.set([ctx.orgs["nato"]])
            ctx.highlight_subject = h
        return ctx.highlight_subject
    if not hasattr(ctx, "joint_text_subject"):
        from rapport.contributions.models import JointText
        from rapport.markings.models import ClassificationLevel

        jt = JointText.objects.create(commitment=ctx.commitments[4], period=ctx.periods[-4], text="MX comment subject",
                                      classification=ClassificationLevel.objects.get(scheme__key="nato", rank=3))
        jt.releasable_to.set([ctx.orgs["nato"]])
        ctx.joint_text_subject = jt
    return ctx.joint_text_subject


def _comment_on(ctx, s):
    from django.contrib.contenttypes.models import ContentType

    from rapport.discussions.models import Comment

    subject = _comment_subject(ctx, s.variant["subject"])
    return Comment(content_type=ContentType.objects.get_for_model(subject), object_pk=subject.pk,
                   author=ctx.system_user, text=s.title)


def _key(s):
    return f"mx-{s.label.split('.')[1]}-{s.n}"


FACTORIES: dict[str, Factory] = {
    "partnerships.mandate": Factory(lambda ctx, s: _model("partnerships.Mandate")(
        partnership=ctx.partnership, key=_key(s), kind="proposal_set", title=s.title, date=datetime.date(2020, 1, 1))),
    "partnerships.area": Factory(lambda ctx, s: _model("partnerships.Area")(
        partnership=ctx.partnership, key=_key(s), code=f"Z{s.n:03d}", name=s.title, introduced_by=ctx.mandate,
        order=900 + s.n)),
    "commitments.commitment": Factory(
        lambda ctx, s: _model("commitments.Commitment")(
            partnership=ctx.partnership, ref=_key(s), mandate=ctx.mandate, area=ctx.area, title=s.title,
            text=s.title, order=9000 + s.n),
        actions={"contribution.create": _create_contribution, "joint_text.create": _create_contribution,
                 "commitment.assign": _assign, "federation.receive": _receive_copy},
    ),
    "contributions.contribution": Factory(
        _contribution,
        variants=[{"org": o, "state": st} for o in ORGS for st in ("draft", "submitted", "approved", "returned")],
        published=lambda s: s.variant["state"] == "approved",
        extra=_contribution_extra,
        actions={"contribution.edit": _edit_contribution, "contribution.submit": _edit_contribution,
                 "contribution.approve": _approve_contribution, "contribution.return": _approve_contribution,
                 "discussion.comment": _comment},
    ),
    "contributions.jointtext": Factory(
        _joint_text,
        variants=[{"state": "draft", "approved_by": ()}, {"state": "in_approval", "approved_by": ("eu",)},
                  {"state": "approved", "approved_by": ("eu", "nato")}],
        published=lambda s: s.variant["state"] == "approved",
        actions={"joint_text.edit": _edit_joint_text, "joint_text.approve": _approve_joint_text,
                 "joint_text.return": _return_joint_text, "discussion.comment": _comment},
    ),
    "reports.report": Factory(
        _report,
        variants=[{"state": "draft", "approved_by": ()}, {"state": "draft", "approved_by": ("nato",)},
                  {"state": "approved", "approved_by": ("eu", "nato")},
                  {"state": "published", "approved_by": ("eu", "nato")}],
        published=lambda s: s.variant["state"] == "published",
        actions={"report.approve": _approve_report, "report.withdraw_approval": _withdraw_report_approval,
                 "report.publish": _publish_report, "report.seal": _seal_report,
                 "report.read_edition": _read_public_edition, "report_part.write": _write_report_part,
                 "report_part.record_council_action": _record_council_action,
                 "federation.receive": _receive_copy},
    ),
    "reports.highlight": Factory(
        lambda ctx, s: _model("reports.Highlight")(report=ctx.parent_reports[s.variant["report"]], order=900 + s.n,
                                                   text=s.title, state=s.variant["state"]),
        variants=PART_VARIANTS, published=_part_published, actions=PART_ACTIONS,
    ),
    "reports.reporttext": Factory(
        lambda ctx, s: _model("reports.ReportText")(report=ctx.parent_reports[s.variant["report"]], order=900 + s.n,
                                                    text=s.title, state=s.variant["state"]),
        variants=PART_VARIANTS, published=_part_published, actions=PART_ACTIONS,
    ),
    "reports.outlook": Factory(
        lambda ctx, s: _model("reports.Outlook")(report=ctx.parent_reports[s.variant["report"]], order=900 + s.n,
                                                 text=s.title, state=s.variant["state"]),
        variants=PART_VARIANTS, published=_part_published, actions=PART_ACTIONS,
    ),
    "reports.councilaction": Factory(
        lambda ctx, s: _model("reports.CouncilAction")(report=ctx.parent_reports[s.variant["report"]],
                                                       organisation=ctx.orgs["eu"], action="took_note", text=s.title,
                                                       state=s.variant["state"]),
        variants=PART_VARIANTS, published=_part_published, actions=PART_ACTIONS,
    ),
    # Sealing is allowed once a report is approved, before it is published.
    "reports.sealededition": Factory(
        lambda ctx, s: _model("reports.SealedEdition")(
            report=ctx.parent_reports[s.variant["report"]], edition=f"mx-{s.n}", format="html",
            sha256="0" * 64, content_sha256="0" * 64, content=s.title, filename=f"{s.title}.html"),
        variants=[{"report": "approved"}, {"report": "published"}], published=_parent_published,
    ),
    "evidence.coordinationformat": Factory(lambda ctx, s: _model("evidence.CoordinationFormat")(
        partnership=ctx.partnership, key=_key(s), kind="staff_talks", name=s.title, description=s.title)),
    "evidence.meeting": Factory(lambda ctx, s: _model("evidence.Meeting")(
        partnership=ctx.partnership, key=_key(s), date=datetime.date(2024, 1, 1), title=s.title, summary=s.title)),
    "evidence.exercise": Factory(lambda ctx, s: _model("evidence.Exercise")(
        partnership=ctx.partnership, key=_key(s), name=s.title, kind="parallel", description=s.title)),
    "evidence.partnercountry": Factory(lambda ctx, s: _model("evidence.PartnerCountry")(
        partnership=ctx.partnership, code=f"Z{s.n:02d}", name=s.title)),
    "evidence.partneractivity": Factory(lambda ctx, s: _model("evidence.PartnerActivity")(
        partnership=ctx.partnership, key=_key(s), title=s.title, description=s.title)),
    "audit.auditevent": Factory(_audit_event, variants=[{"subject": k} for k in AUDIT_SUBJECTS],
                                published=lambda s: False, extra=lambda u, s: _audit_subject_visible(u, s)),
    "discussions.comment": Factory(_comment_on, variants=[{"subject": k} for k in COMMENT_SUBJECTS],
                                   published=lambda s: False,
                                   extra=lambda u, s: COMMENT_SUBJECTS[s.variant["subject"]](u)),
}

# Marked models that deliberately have no factory, each with the reason.
EXEMPTIONS: dict[str, str] = {
    "federation.conflict": "exists only on an instance with a peer (an identity, a pinned key, a received package); "
                           "read only on its joint text's page, under its own marking and the joint text's: "
                           "tests/federation/test_shared.py and tests/web/test_joint_text_conflicts.py",
    "federation.partconflict": "exists only on an instance with a peer; read only in the report's editor, under its "
                               "own marking and its part's: tests/federation/test_report_parts.py and "
                               "tests/web/test_report_part_conflicts.py",
}

# Policy rules on models that carry no marking (so have no factory here), and where they are tested.
RULES_TESTED_ELSEWHERE: dict[str, str] = {
    "periods.reportingperiod": "periods are public reference data; who may take each step of the cycle, set "
                               "deadlines, plan and extend: tests/periods/test_cycle.py and test_pages.py",
    # The administrator's console: every action, for every user of this world, against its own
    # plain-Python rule, and every console page over HTTP: tests/access/test_console.py.
    "access.user": "accounts are not marked; the console's actions on them: tests/access/test_console.py",
    "partnerships.organisation": "reference data; managing its accounts and settings: tests/access/test_console.py; "
                                 "seeing its partners (federation.view_partners): tests/web/test_partners.py",
    "console.clearanceraise": "a four-eyes clearance raise: tests/access/test_console.py",
}


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def marked_models():
    from django.apps import apps

    from rapport.markings.models import MarkedModel

    return sorted((m for m in apps.get_models() if issubclass(m, MarkedModel)), key=lambda m: m._meta.label_lower)


def build_objects(ctx, label: str) -> list[ObjSpec]:
    from rapport.markings.models import ClassificationLevel
    from rapport.partnerships.models import Organisation

    factory = FACTORIES[label]
    levels = {(lv.scheme.key, lv.rank): lv for lv in ClassificationLevel.objects.select_related("scheme")}
    orgs = {o.key: o for o in Organisation.objects.all()}
    specs = []
    n = 0
    for variant in factory.variants:
        for scheme, rank, (rel_name, rel) in itertools.product(ORGS, RANKS, RELEASABILITY.items()):
            title = f"MXTITLE-{label.replace('.', '-')}-{n}-r{rank}{scheme}-{rel_name}"
            s = ObjSpec(label, n, rank, scheme, rel, variant, title)
            obj = factory.make(ctx, s)
            if obj.pk is None:
                obj.classification = levels[(scheme, rank)]
                obj.save()
                obj.releasable_to.set([orgs[k] for k in rel])
            hook = getattr(obj, "save_hook", None)
            if hook:
                hook(obj)
            s.obj = obj
            specs.append(s)
            n += 1
    return specs


def expected_visible(u: UserSpec, s: ObjSpec, factory: Factory) -> bool:
    if not u.signed_in:
        return s.rank == 0 and factory.published(s)
    marking_ok = s.rank == 0 or (s.rank <= u.rank and bool(s.releasable & u.reading_orgs))
    return marking_ok and factory.extra(u, s)
