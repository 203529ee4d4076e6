"""The policy rules for reports, registered with rapport.access.

Each organisation's approvers approve the report for their own organisation
only; coordinators publish once every approval stands; coordinators and
approvers seal approved editions; coordinators write the report's parts
(introduction and area texts, highlights, outlook, Council actions) and approvers approve or return them,
each for their own organisation; what a Council did with the report is recorded after its
publication too, until the period is archived. Administrators have no rights here. Who may
receive which edition is decided here too, for the pages and the command line
alike.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext as _

from rapport.access.policy import allow, deny, in_partnership, rule, signed_in
from rapport.access.roles import Role
from rapport.periods.choices import PeriodState
from rapport.periods.lifecycle import FINAL

from .choices import PartState, ReportState
from .models import CouncilAction, Highlight, Outlook, Report, ReportText


class ReportAction(StrEnum):
    APPROVE = "report.approve"
    WITHDRAW_APPROVAL = "report.withdraw_approval"
    PUBLISH = "report.publish"
    SEAL = "report.seal"
    READ_EDITION = "report.read_edition"


def _standing(report, user):
    return report.approvals.filter(organisation_id=user.organisation_id, withdrawn_at__isnull=True).exists()


@rule(Report, ReportAction.APPROVE)
def approve_report(user, report):
    if user.role != Role.APPROVER or not in_partnership(user, report.period.partnership):
        return deny(_("only approvers of the partnership's organisations approve reports"))
    if report.state == ReportState.PUBLISHED:
        return deny(_("a published report is final"))
    if _standing(report, user):
        return deny(_("this organisation's approval already stands"))
    return allow("an approver approves for their own organisation only")


@rule(Report, ReportAction.WITHDRAW_APPROVAL)
def withdraw_report_approval(user, report):
    if user.role != Role.APPROVER or not in_partnership(user, report.period.partnership):
        return deny(_("only approvers of the partnership's organisations withdraw approvals"))
    if report.state == ReportState.PUBLISHED:
        return deny(_("approvals cannot be withdrawn after publication"))
    if not _standing(report, user):
        return deny(_("this organisation has no standing approval to withdraw"))
    return allow("an organisation may withdraw its own approval before publication")


@rule(Report, ReportAction.PUBLISH)
def publish_report(user, report):
    if user.role != Role.COORDINATOR or not in_partnership(user, report.period.partnership):
        return deny(_("coordinators publish reports"))
    if report.state != ReportState.APPROVED:
        return deny(_("a report is published only once every organisation has approved it"))
    return allow("approved by every organisation")


@rule(Report, ReportAction.SEAL)
def seal_report(user, report):
    if user.role not in (Role.COORDINATOR, Role.APPROVER) or not in_partnership(user, report.period.partnership):
        return deny(_("coordinators and approvers of the partnership's organisations seal editions"))
    if report.state not in (ReportState.APPROVED, ReportState.PUBLISHED):
        return deny(_("only an approved or published report can be sealed; this one is %(state)s")
                    % {"state": report.get_state_display().lower()})
    return allow("an approved report's editions can be frozen")


@rule(Report, ReportAction.READ_EDITION, signed_out=True)
def read_edition(user, report, edition=None):
    """``edition`` is a reports.editions.Edition. The report itself is visible (asked by can())."""
    if edition is None:
        return deny(_("name the edition"))
    if edition.kind == "public":
        # Whoever may see the report may have its public edition; the signed-out public sees
        # a report only once it is published (Report.publication_filter).
        return allow("the public edition of a report the reader may see")
    if not signed_in(user):
        return deny(_("only the public edition is for signed-out readers"))
    if user.clearance_rank < edition.audience.rank:
        lower = f"{edition.name.rsplit(':', 1)[0]}:{user.clearance_rank}"
        return deny(_("the edition is above the reader's clearance (ask for one at their level, e.g. %(lower)s)")
                    % {"lower": lower})
    if edition.kind == "organisation" and getattr(user, "organisation_id", None) == edition.organisation_id:
        return allow("an organisation's staff read its edition up to their clearance")
    if edition.kind == "delegation" and getattr(user, "delegation_id", None) == edition.delegation_id:
        return allow("a delegation reads its own edition up to its clearance")
    return deny(_("the edition is for another audience"))


# The report's parts, written in the browser (rapport/reports/parts.py) --------------------


class PartAction(StrEnum):
    WRITE = "report_part.write"  # on a Report: add a part; on a part: edit, move, delete
    APPROVE = "report_part.approve"
    RETURN = "report_part.return"
    RECORD_COUNCIL_ACTION = "report_part.record_council_action"  # on a Report: add its Council's action


PARTS = (ReportText, Highlight, Outlook, CouncilAction)


def _report_open_for_parts(report):
    """A refusal while the report's content is final (None: parts may still change)."""
    if report.state == ReportState.PUBLISHED:
        return deny(_("a published report is final"))
    if report.period.state in FINAL:
        return deny(_("the %(period)s period is final") % {"period": report.period.ordinal_word})
    return None


def _council_open(report):
    """What each Council did with the report comes after it is approved and published: Council
    actions are recorded, approved and returned until the period is archived."""
    if report.period.state == PeriodState.ARCHIVED:
        return deny(_("the %(period)s period is archived") % {"period": report.period.ordinal_word})
    return None


def _open_for(model, report):
    """A refusal while parts of this kind may not change in the report (None: they may)."""
    return _council_open(report) if model is CouncilAction else _report_open_for_parts(report)


def _part_writer(user, report, model=None):
    if user.role != Role.COORDINATOR or not in_partnership(user, report.period.partnership):
        return deny(_("coordinators of the partnership's organisations write the report's parts"))
    return _open_for(model, report)


def part_organisations(part) -> set[int]:
    """The organisations whose approval a part needs: every organisation of the partnership,
    except for a Council action, which is its own organisation's record."""
    if isinstance(part, CouncilAction):
        return {part.organisation_id}
    return set(part.report.period.partnership.organisations.values_list("pk", flat=True))


@rule(Report, PartAction.WRITE)
def add_report_part(user, report):
    refused = _part_writer(user, report)
    return refused if refused is not None else allow("coordinators write the report's parts together")


@rule(Report, PartAction.RECORD_COUNCIL_ACTION)
def record_council_action(user, report):
    refused = _part_writer(user, report, CouncilAction)
    return refused if refused is not None else allow("each organisation's coordinators record their Council's action")


def write_part(user, part):
    refused = _part_writer(user, part.report, type(part))
    if refused is not None:
        return refused
    if isinstance(part, CouncilAction) and part.organisation_id != user.organisation_id:
        return deny(_("each organisation's coordinators record only their own Council's action"))
    if part.state == PartState.APPROVED:
        return deny(_("an approved part is frozen until an organisation returns it"))
    return allow("coordinators write the report's parts together")


def approve_part(user, part):
    if user.role != Role.APPROVER or not in_partnership(user, part.report.period.partnership):
        return deny(_("only approvers of the partnership's organisations approve the report's parts"))
    if user.organisation_id not in part_organisations(part):
        return deny(_("a Council action is approved by its own organisation"))
    if part.state == PartState.APPROVED:
        return deny(_("already approved by every organisation"))
    if part.approvals.filter(organisation_id=user.organisation_id).exists():
        return deny(_("this organisation has already approved this version"))
    if part.author_id is not None and part.author_id == user.pk:
        return deny(_("nobody approves a text they wrote"))
    refused = _open_for(type(part), part.report)
    return refused if refused is not None else allow("an approver approves for their own organisation only")


def return_part(user, part):
    if user.role != Role.APPROVER or not in_partnership(user, part.report.period.partnership):
        return deny(_("only approvers of the partnership's organisations return the report's parts"))
    if user.organisation_id not in part_organisations(part):
        return deny(_("a Council action is returned by its own organisation"))
    if part.state == PartState.DRAFT and not part.approvals.exists():
        return deny(_("the part is already open for editing"))
    refused = _open_for(type(part), part.report)
    return refused if refused is not None else allow("any organisation may reopen a part")


for _model in PARTS:
    rule(_model, PartAction.WRITE)(write_part)
    rule(_model, PartAction.APPROVE)(approve_part)
    rule(_model, PartAction.RETURN)(return_part)


def part_rights(user, report, parts) -> dict[tuple[str, int], set[str]]:
    """What ``user`` may do to each of these (already visible) parts of ``report``, computed
    in a fixed number of queries: the rules above, written for a list (tests/reports/
    test_editor_services.py checks that the two agree)."""
    from .models import PartApproval

    rights: dict[tuple[str, int], set[str]] = {}
    kinds = {type(p) for p in parts}
    writer = {m: signed_in(user) and _part_writer(user, report, m) is None for m in kinds}
    approver_in = signed_in(user) and user.role == Role.APPROVER and in_partnership(user, report.period.partnership)
    approver = {m: approver_in and _open_for(m, report) is None for m in kinds}
    every = set(report.period.partnership.organisations.values_list("pk", flat=True)) if any(approver.values()) else set()
    approved_by: dict[tuple[str, int], set[int]] = {}
    if any(approver.values()):
        for h, o, c, t, org in PartApproval.objects.filter(
                Q(highlight__report=report) | Q(outlook__report=report) | Q(council_action__report=report)
                | Q(text__report=report)
        ).values_list("highlight_id", "outlook_id", "council_action_id", "text_id", "organisation_id"):
            key = (("highlight", h) if h else ("outlook", o) if o else ("councilaction", c) if c
                   else ("reporttext", t))
            approved_by.setdefault(key, set()).add(org)
    for part in parts:
        key = (part._meta.model_name, part.pk)
        allowed = set()
        own_council = not isinstance(part, CouncilAction) or part.organisation_id == user.organisation_id
        if writer[type(part)] and own_council and part.state != PartState.APPROVED:
            allowed.add(PartAction.WRITE)
        needed = {part.organisation_id} if isinstance(part, CouncilAction) else every
        if approver[type(part)] and user.organisation_id in needed:
            done = approved_by.get(key, set())
            if (part.state != PartState.APPROVED and user.organisation_id not in done
                    and not (part.author_id is not None and part.author_id == user.pk)):
                allowed.add(PartAction.APPROVE)
            if not (part.state == PartState.DRAFT and not done):
                allowed.add(PartAction.RETURN)
        rights[key] = allowed
    return rights
