"""The policy rules for contributions and joint texts, registered with rapport.access.

A contribution is its own organisation's text: only that organisation's drafters
and coordinators write and submit it, only its approvers approve or return it,
and nobody approves a text they wrote. A joint text is written by drafters and
coordinators of every organisation and needs each organisation's approval.
Writing is possible only while the period is open.
"""

from __future__ import annotations

from enum import StrEnum

from rapport.access.policy import WRITERS, allow, deny, in_partnership, rule, signed_in, staff_of
from rapport.access.roles import Role
from rapport.commitments.models import Commitment
from rapport.periods.choices import PeriodState

from .choices import ContributionState, JointTextState
from .models import Contribution, ContributionRevision, JointText


class ContributionAction(StrEnum):
    CREATE = "contribution.create"  # asked of the commitment
    EDIT = "contribution.edit"
    SUBMIT = "contribution.submit"
    APPROVE = "contribution.approve"
    RETURN = "contribution.return"


class JointTextAction(StrEnum):
    CREATE = "joint_text.create"  # asked of the commitment
    EDIT = "joint_text.edit"
    APPROVE = "joint_text.approve"
    RETURN = "joint_text.return"


def _period_open(period):
    if period is None:
        return deny("name the reporting period")
    if period.state != PeriodState.OPEN:
        return deny(f"the {period.ordinal_word} period is not open for writing")
    return None


def _writable_in(commitment, period):
    """A refusal if text on this commitment cannot be written in this period (None: it can,
    or no period was named)."""
    if period is None:
        return None
    if period.partnership_id != commitment.partnership_id:
        return deny("the period belongs to another partnership")
    return _period_open(period)


# Contributions -------------------------------------------------------------------------


@rule(Commitment, ContributionAction.CREATE)
def create_contribution(user, commitment, period=None):
    if user.role not in WRITERS:
        return deny("only drafters and coordinators write contributions")
    if not in_partnership(user, commitment.partnership):
        return deny("the user's organisation is not in this partnership")
    refused = _writable_in(commitment, period)
    return refused if refused is not None else allow(
        "drafters and coordinators write their own organisation's contributions")


@rule(Contribution, ContributionAction.EDIT)
def edit_contribution(user, c):
    if not staff_of(user, c.organisation_id):
        return deny("only the contribution's own organisation edits it")
    if user.role not in WRITERS:
        return deny("only drafters and coordinators edit contributions")
    if c.state not in (ContributionState.DRAFT, ContributionState.RETURNED):
        return deny(f"this contribution is {c.get_state_display().lower()}: it is frozen until it is returned")
    closed = _period_open(c.period)
    if closed is not None:
        return closed
    return allow("own organisation's draft")


@rule(Contribution, ContributionAction.SUBMIT)
def submit_contribution(user, c):
    decision = edit_contribution(user, c)
    return allow("own organisation's draft is ready for approval") if decision else decision


@rule(Contribution, ContributionAction.APPROVE)
def approve_contribution(user, c):
    if not staff_of(user, c.organisation_id):
        return deny("only an approver of the contribution's own organisation approves it")
    if user.role != Role.APPROVER:
        return deny("only approvers approve")
    if c.state != ContributionState.SUBMITTED:
        return deny("only a submitted contribution can be approved")
    if c.author_id == user.pk or c.revisions.filter(author=user).exists():
        return deny("nobody approves a text they wrote")
    closed = _period_open(c.period)  # a published report closes its period: its content is final
    if closed is not None:
        return closed
    return allow("an approver of the same organisation who did not write it")


@rule(Contribution, ContributionAction.RETURN)
def return_contribution(user, c):
    if not staff_of(user, c.organisation_id) or user.role != Role.APPROVER:
        return deny("only an approver of the contribution's own organisation returns it")
    if c.state != ContributionState.SUBMITTED:
        return deny("only a submitted contribution can be returned")
    closed = _period_open(c.period)  # a returned text must be editable again
    if closed is not None:
        return closed
    return allow("an approver of the same organisation")


# Joint texts -----------------------------------------------------------------------------


def _joint_writer(user, partnership):
    if user.role not in WRITERS or not in_partnership(user, partnership):
        return deny("drafters and coordinators of the partnership's organisations write joint texts")
    return None


@rule(Commitment, JointTextAction.CREATE)
def create_joint_text(user, commitment, period=None):
    refused = _joint_writer(user, commitment.partnership)
    if refused is None:
        refused = _writable_in(commitment, period)
    return refused if refused is not None else allow("joint texts are written together")


@rule(JointText, JointTextAction.EDIT)
def edit_joint_text(user, jt):
    refused = _joint_writer(user, jt.commitment.partnership)
    if refused is not None:
        return refused
    if jt.state == JointTextState.APPROVED:
        return deny("an approved joint text is frozen")
    closed = _period_open(jt.period)
    if closed is not None:
        return closed
    return allow("joint texts are written together")


@rule(JointText, JointTextAction.APPROVE)
def approve_joint_text(user, jt):
    if user.role != Role.APPROVER or not in_partnership(user, jt.commitment.partnership):
        return deny("only approvers of the partnership's organisations approve joint texts")
    if jt.state == JointTextState.APPROVED:
        return deny("already approved by every organisation")
    if jt.approvals.filter(organisation_id=user.organisation_id).exists():
        return deny("this organisation has already approved this version")
    if jt.author_id == user.pk:
        return deny("nobody approves a text they wrote")
    closed = _period_open(jt.period)
    if closed is not None:
        return closed
    return allow("an approver approves for their own organisation only")


@rule(JointText, JointTextAction.RETURN)
def return_joint_text(user, jt):
    if user.role != Role.APPROVER or not in_partnership(user, jt.commitment.partnership):
        return deny("only approvers of the partnership's organisations return joint texts")
    if jt.state == JointTextState.DRAFT and not jt.approvals.exists():
        return deny("the text is already open for editing")
    closed = _period_open(jt.period)
    if closed is not None:
        return closed
    return allow("any organisation may reopen a joint text")


def waiting_for(user, contributions) -> dict[str, object]:
    """What of these (already visible) contributions waits for this user, as querysets:
    drafts to submit, returned texts to revise, submitted texts to approve.

    The rules above, written as filters so that a page can count and list them in a
    fixed number of queries however many there are; tests/access/test_write_path.py
    checks that the two agree."""
    none = contributions.none()
    work = {"to_submit": none, "returned": none, "to_approve": none}
    if not signed_in(user) or not getattr(user, "organisation_id", None):
        return work
    own = contributions.filter(organisation_id=user.organisation_id)
    if user.role in WRITERS:
        writable = own.filter(period__state=PeriodState.OPEN)
        work["to_submit"] = writable.filter(state=ContributionState.DRAFT)
        work["returned"] = writable.filter(state=ContributionState.RETURNED)
    if user.role == Role.APPROVER:
        wrote = ContributionRevision.objects.filter(author=user).values("contribution_id")
        work["to_approve"] = (own.filter(state=ContributionState.SUBMITTED, period__state=PeriodState.OPEN)
                              .exclude(author=user).exclude(pk__in=wrote))
    return work
