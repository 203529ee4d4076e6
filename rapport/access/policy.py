"""Who may do what to which object: ``can(user, action, obj) -> Decision``.

Reads are decided by the visibility filter (access/querysets.py); this module
decides writes, from the user's organisation and role and the object's workflow
state. Every decision carries a reason, for logs and for the acting user when
they can see the object; a user who cannot see it is told only that it does
not exist (services raise NotFound).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapport.contributions.choices import ContributionState, JointTextState
from rapport.reports.choices import ReportState

from .querysets import is_visible
from .roles import Role

WRITERS = (Role.DRAFTER, Role.COORDINATOR)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def allow(reason: str) -> Decision:
    return Decision(True, reason)


def deny(reason: str) -> Decision:
    return Decision(False, reason)


def _staff_of(user, org_id) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.organisation_id == org_id)


def _in_partnership(user, partnership) -> bool:
    return bool(user.organisation_id) and partnership.organisations.filter(pk=user.organisation_id).exists()


def can(user, action: str, obj) -> Decision:
    if action == "view":
        return allow("marking and releasability allow it") if is_visible(obj, user) else deny("not visible")
    if user is None or not user.is_authenticated or not user.is_active:
        return deny("signed-out users only read published public content")
    rule = _RULES.get(action)
    if rule is None:
        return deny(f"unknown action {action!r}")
    if not is_visible(obj, user):
        return deny("not visible")
    return rule(user, obj)


# Contributions -------------------------------------------------------------------


def _create_contribution(user, commitment) -> Decision:
    if user.role not in WRITERS:
        return deny("only drafters and coordinators write contributions")
    if not _in_partnership(user, commitment.partnership):
        return deny("the user's organisation is not in this partnership")
    return allow("drafters and coordinators write their own organisation's contributions")


def _edit_contribution(user, c) -> Decision:
    if not _staff_of(user, c.organisation_id):
        return deny("only the contribution's own organisation edits it")
    if user.role not in WRITERS:
        return deny("only drafters and coordinators edit contributions")
    if c.state not in (ContributionState.DRAFT, ContributionState.RETURNED):
        return deny(f"a {c.get_state_display().lower()} contribution is frozen; it must be returned first")
    return allow("own organisation's draft")


def _submit_contribution(user, c) -> Decision:
    decision = _edit_contribution(user, c)
    return allow("own organisation's draft is ready for approval") if decision else decision


def _approve_contribution(user, c) -> Decision:
    if not _staff_of(user, c.organisation_id):
        return deny("only an approver of the contribution's own organisation approves it")
    if user.role != Role.APPROVER:
        return deny("only approvers approve")
    if c.state != ContributionState.SUBMITTED:
        return deny("only a submitted contribution can be approved")
    if c.revisions.filter(author=user).exists() or c.author_id == user.pk:
        return deny("nobody approves a text they wrote")
    return allow("an approver of the same organisation who did not write it")


def _return_contribution(user, c) -> Decision:
    if not _staff_of(user, c.organisation_id) or user.role != Role.APPROVER:
        return deny("only an approver of the contribution's own organisation returns it")
    if c.state != ContributionState.SUBMITTED:
        return deny("only a submitted contribution can be returned")
    return allow("an approver of the same organisation")


# Joint texts -------------------------------------------------------------------------


def _edit_joint_text(user, jt) -> Decision:
    if user.role not in WRITERS or not _in_partnership(user, jt.commitment.partnership):
        return deny("drafters and coordinators of the partnership's organisations write joint texts")
    if jt.state == JointTextState.APPROVED:
        return deny("an approved joint text is frozen")
    return allow("joint texts are written together")


def _approve_joint_text(user, jt) -> Decision:
    if user.role != Role.APPROVER or not _in_partnership(user, jt.commitment.partnership):
        return deny("only approvers of the partnership's organisations approve joint texts")
    if jt.state == JointTextState.APPROVED:
        return deny("already approved by every organisation")
    if jt.approvals.filter(organisation_id=user.organisation_id).exists():
        return deny("this organisation has already approved this version")
    if jt.author_id == user.pk:
        return deny("nobody approves a text they wrote")
    return allow("an approver approves for their own organisation only")


def _return_joint_text(user, jt) -> Decision:
    if user.role != Role.APPROVER or not _in_partnership(user, jt.commitment.partnership):
        return deny("only approvers of the partnership's organisations return joint texts")
    if jt.state == JointTextState.DRAFT and not jt.approvals.exists():
        return deny("the text is already open for editing")
    return allow("any organisation may reopen a joint text")


# Reports --------------------------------------------------------------------------------


def _approve_report(user, report) -> Decision:
    if user.role != Role.APPROVER or not _in_partnership(user, report.period.partnership):
        return deny("only approvers of the partnership's organisations approve reports")
    if report.state == ReportState.PUBLISHED:
        return deny("a published report is final")
    if report.approvals.filter(organisation_id=user.organisation_id, withdrawn_at__isnull=True).exists():
        return deny("this organisation's approval already stands")
    return allow("an approver approves for their own organisation only")


def _withdraw_report_approval(user, report) -> Decision:
    if user.role != Role.APPROVER or not _in_partnership(user, report.period.partnership):
        return deny("only approvers of the partnership's organisations withdraw approvals")
    if report.state == ReportState.PUBLISHED:
        return deny("approvals cannot be withdrawn after publication")
    if not report.approvals.filter(organisation_id=user.organisation_id, withdrawn_at__isnull=True).exists():
        return deny("this organisation has no standing approval to withdraw")
    return allow("an organisation may withdraw its own approval before publication")


def _publish_report(user, report) -> Decision:
    if user.role != Role.COORDINATOR or not _in_partnership(user, report.period.partnership):
        return deny("coordinators publish reports")
    if report.state != ReportState.APPROVED:
        return deny("a report is published only once every organisation has approved it")
    return allow("approved by every organisation")


_RULES = {
    "create_contribution": _create_contribution,
    "edit": _edit_contribution,
    "submit": _submit_contribution,
    "approve": _approve_contribution,
    "return": _return_contribution,
    "edit_joint_text": _edit_joint_text,
    "approve_joint_text": _approve_joint_text,
    "return_joint_text": _return_joint_text,
    "approve_report": _approve_report,
    "withdraw_report_approval": _withdraw_report_approval,
    "publish_report": _publish_report,
}
ACTIONS = ("view", *_RULES)
