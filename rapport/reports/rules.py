"""The policy rules for reports, registered with rapport.access.

Each organisation's approvers approve the report for their own organisation
only; coordinators publish once every approval stands; coordinators and
approvers seal approved editions. Administrators have no rights here. Who may
receive which edition is decided here too, for the pages and the command line
alike.
"""

from __future__ import annotations

from enum import StrEnum

from rapport.access.policy import allow, deny, in_partnership, rule, signed_in
from rapport.access.roles import Role

from .choices import ReportState
from .models import Report


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
        return deny("only approvers of the partnership's organisations approve reports")
    if report.state == ReportState.PUBLISHED:
        return deny("a published report is final")
    if _standing(report, user):
        return deny("this organisation's approval already stands")
    return allow("an approver approves for their own organisation only")


@rule(Report, ReportAction.WITHDRAW_APPROVAL)
def withdraw_report_approval(user, report):
    if user.role != Role.APPROVER or not in_partnership(user, report.period.partnership):
        return deny("only approvers of the partnership's organisations withdraw approvals")
    if report.state == ReportState.PUBLISHED:
        return deny("approvals cannot be withdrawn after publication")
    if not _standing(report, user):
        return deny("this organisation has no standing approval to withdraw")
    return allow("an organisation may withdraw its own approval before publication")


@rule(Report, ReportAction.PUBLISH)
def publish_report(user, report):
    if user.role != Role.COORDINATOR or not in_partnership(user, report.period.partnership):
        return deny("coordinators publish reports")
    if report.state != ReportState.APPROVED:
        return deny("a report is published only once every organisation has approved it")
    return allow("approved by every organisation")


@rule(Report, ReportAction.SEAL)
def seal_report(user, report):
    if user.role not in (Role.COORDINATOR, Role.APPROVER) or not in_partnership(user, report.period.partnership):
        return deny("coordinators and approvers of the partnership's organisations seal editions")
    if report.state not in (ReportState.APPROVED, ReportState.PUBLISHED):
        return deny(f"only an approved or published report can be sealed; this one is "
                    f"{report.get_state_display().lower()}")
    return allow("an approved report's editions can be frozen")


@rule(Report, ReportAction.READ_EDITION, signed_out=True)
def read_edition(user, report, edition=None):
    """``edition`` is a reports.editions.Edition. The report itself is visible (asked by can())."""
    if edition is None:
        return deny("name the edition")
    if edition.kind == "public":
        # Whoever may see the report may have its public edition; the signed-out public sees
        # a report only once it is published (Report.publication_filter).
        return allow("the public edition of a report the reader may see")
    if not signed_in(user):
        return deny("only the public edition is for signed-out readers")
    if user.clearance_rank < edition.audience.rank:
        lower = f"{edition.name.rsplit(':', 1)[0]}:{user.clearance_rank}"
        return deny(f"the edition is above the reader's clearance (ask for one at their level, e.g. {lower})")
    if edition.kind == "organisation" and getattr(user, "organisation_id", None) == edition.organisation_id:
        return allow("an organisation's staff read its edition up to their clearance")
    if edition.kind == "delegation" and getattr(user, "delegation_id", None) == edition.delegation_id:
        return allow("a delegation reads its own edition up to its clearance")
    return deny("the edition is for another audience")
