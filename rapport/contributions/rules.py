"""The policy rules for contributions and joint texts, registered with rapport.access.

A contribution is its own organisation's text: only that organisation's drafters
and coordinators write and submit it, only its approvers approve or return it,
and nobody approves a text they wrote. A joint text is written by drafters and
coordinators of every organisation and needs each organisation's approval.
Contributions are written while the period is open and before its contributions
deadline, or later under an extension; texts are approved, returned and joint
texts written until the report goes for approval (rapport.periods.lifecycle).
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from rapport.access.policy import WRITERS, allow, deny, in_partnership, rule, signed_in, staff_of
from rapport.access.roles import Role
from rapport.commitments.models import Commitment
from rapport.core.clock import today
from rapport.periods.choices import PeriodState
from rapport.periods.lifecycle import (
    EXTENSIBLE,
    WORKING,
    contribution_refusal,
    deadline_passed,
    working_refusal,
)
from rapport.periods.models import Extension

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


def _working(period):
    """A refusal unless texts of this period may still be approved, returned or written jointly."""
    if period is None:
        return deny(_("name the reporting period"))
    reason = working_refusal(period)
    return deny(reason) if reason else None


def _contribution_writable(period, commitment_id, organisation_id):
    if period is None:
        return deny(_("name the reporting period"))
    reason = contribution_refusal(period, commitment_id, organisation_id)
    return deny(reason) if reason else None


def _in_partnership_of(commitment, period):
    if period is not None and period.partnership_id != commitment.partnership_id:
        return deny(_("the period belongs to another partnership"))
    return None


# Contributions -------------------------------------------------------------------------


@rule(Commitment, ContributionAction.CREATE)
def create_contribution(user, commitment, period=None):
    if user.role not in WRITERS:
        return deny(_("only drafters and coordinators write contributions"))
    if not in_partnership(user, commitment.partnership):
        return deny(_("the user's organisation is not in this partnership"))
    refused = _in_partnership_of(commitment, period)
    if refused is None and period is not None:
        refused = _contribution_writable(period, commitment.pk, user.organisation_id)
    return refused if refused is not None else allow(
        "drafters and coordinators write their own organisation's contributions")


@rule(Contribution, ContributionAction.EDIT)
def edit_contribution(user, c):
    if not staff_of(user, c.organisation_id):
        return deny(_("only the contribution's own organisation edits it"))
    if user.role not in WRITERS:
        return deny(_("only drafters and coordinators edit contributions"))
    if c.state not in (ContributionState.DRAFT, ContributionState.RETURNED):
        return deny(_("this contribution is %(state)s: it is frozen until it is returned")
                    % {"state": c.get_state_display().lower()})
    closed = _contribution_writable(c.period, c.commitment_id, c.organisation_id)
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
        return deny(_("only an approver of the contribution's own organisation approves it"))
    if user.role != Role.APPROVER:
        return deny(_("only approvers approve"))
    if c.state != ContributionState.SUBMITTED:
        return deny(_("only a submitted contribution can be approved"))
    if c.author_id == user.pk or c.revisions.filter(author=user).exists():
        return deny(_("nobody approves a text they wrote"))
    closed = _working(c.period)  # a published report closes its period: its content is final
    if closed is not None:
        return closed
    return allow("an approver of the same organisation who did not write it")


@rule(Contribution, ContributionAction.RETURN)
def return_contribution(user, c):
    if not staff_of(user, c.organisation_id) or user.role != Role.APPROVER:
        return deny(_("only an approver of the contribution's own organisation returns it"))
    if c.state != ContributionState.SUBMITTED:
        return deny(_("only a submitted contribution can be returned"))
    closed = _working(c.period)
    if closed is not None:
        return closed
    return allow("an approver of the same organisation")


# Joint texts -----------------------------------------------------------------------------


def _joint_writer(user, partnership):
    if user.role not in WRITERS or not in_partnership(user, partnership):
        return deny(_("drafters and coordinators of the partnership's organisations write joint texts"))
    return None


@rule(Commitment, JointTextAction.CREATE)
def create_joint_text(user, commitment, period=None):
    refused = _joint_writer(user, commitment.partnership)
    if refused is None:
        refused = _in_partnership_of(commitment, period)
    if refused is None and period is not None:
        refused = _working(period)
    return refused if refused is not None else allow("joint texts are written together")


@rule(JointText, JointTextAction.EDIT)
def edit_joint_text(user, jt):
    refused = _joint_writer(user, jt.commitment.partnership)
    if refused is not None:
        return refused
    if jt.state == JointTextState.APPROVED:
        return deny(_("an approved joint text is frozen"))
    closed = _working(jt.period)
    if closed is not None:
        return closed
    return allow("joint texts are written together")


@rule(JointText, JointTextAction.APPROVE)
def approve_joint_text(user, jt):
    if user.role != Role.APPROVER or not in_partnership(user, jt.commitment.partnership):
        return deny(_("only approvers of the partnership's organisations approve joint texts"))
    if jt.state == JointTextState.APPROVED:
        return deny(_("already approved by every organisation"))
    if jt.approvals.filter(organisation_id=user.organisation_id).exists():
        return deny(_("this organisation has already approved this version"))
    if jt.author_id == user.pk:
        return deny(_("nobody approves a text they wrote"))
    closed = _working(jt.period)
    if closed is not None:
        return closed
    return allow("an approver approves for their own organisation only")


@rule(JointText, JointTextAction.RETURN)
def return_joint_text(user, jt):
    if user.role != Role.APPROVER or not in_partnership(user, jt.commitment.partnership):
        return deny(_("only approvers of the partnership's organisations return joint texts"))
    if jt.state == JointTextState.DRAFT and not jt.approvals.exists():
        return deny(_("the text is already open for editing"))
    closed = _working(jt.period)
    if closed is not None:
        return closed
    return allow("any organisation may reopen a joint text")


def writable_now():
    """contribution_refusal as a filter on contributions: open before the deadline, or extended."""
    day = today()
    open_now = Q(period__state=PeriodState.OPEN) & (
        Q(period__contributions_due__isnull=True) | Q(period__contributions_due__gte=day))
    extended = Q(period__state__in=EXTENSIBLE) & Exists(Extension.objects.filter(
        period=OuterRef("period"), commitment=OuterRef("commitment"), organisation=OuterRef("organisation"),
        until__gte=day))
    return open_now | extended


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
        writable = own.filter(writable_now())
        work["to_submit"] = writable.filter(state=ContributionState.DRAFT)
        work["returned"] = writable.filter(state=ContributionState.RETURNED)
    if user.role == Role.APPROVER:
        wrote = ContributionRevision.objects.filter(author=user).values("contribution_id")
        work["to_approve"] = (own.filter(state=ContributionState.SUBMITTED, period__state__in=WORKING)
                              .exclude(author=user).exclude(pk__in=wrote))
    return work


def writable_commitments(user, period):
    """The commitments of the period's partnership on which this user may write their
    organisation's contribution in the period now, as one queryset: where the organisation's
    contribution there is one the user can read, ``can(EDIT)`` on it; elsewhere
    ``can(CREATE)`` on the commitment with the period. The two rules above written as
    filters, so that a list of every commitment costs the same few queries however many there
    are; tests/contributions/test_writable_commitments.py checks that it agrees with ``can()``."""
    none = Commitment.objects.none()
    if period is None or not signed_in(user) or user.role not in WRITERS:
        return none
    org = getattr(user, "organisation_id", None)
    if not org or not period.partnership.organisations.filter(pk=org).exists():
        return none
    found = Commitment.objects.visible_to(user).filter(partnership=period.partnership_id)
    if period.state == PeriodState.OPEN and not deadline_passed(period):
        pass  # open before the deadline: every commitment
    elif period.state in EXTENSIBLE:
        found = found.filter(Exists(Extension.objects.filter(
            period=period, commitment=OuterRef("pk"), organisation_id=org, until__gte=today())))
    else:
        return none
    # A contribution of the organisation the user reads is edited, and only a draft or a returned text is.
    frozen = (Contribution.objects.visible_to(user)
              .filter(period=period, organisation_id=org)
              .exclude(state__in=(ContributionState.DRAFT, ContributionState.RETURNED)))
    return found.exclude(pk__in=frozen.values("commitment_id"))
