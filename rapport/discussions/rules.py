"""Who may comment, registered with rapport.access.

Staff of the partnership's organisations (drafters, coordinators, approvers and
readers; not administrators, who have no part in the workflow, and not member-state
delegations, who read) comment on a contribution, joint text or part of the report
(introduction or area text, highlight, outlook item, Council action) they can see
(``can`` checks that first), unless its period is final: once a period's report is
published (or the period is archived) its texts are settled — except a Council action,
which is recorded after publication and discussed until the period is archived.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _

from rapport.access.policy import allow, deny, rule
from rapport.access.roles import Role
from rapport.contributions.models import Contribution, JointText
from rapport.partnerships.models import Partnership
from rapport.periods import lifecycle
from rapport.periods.choices import PeriodState
from rapport.reports.choices import ReportState
from rapport.reports.models import CouncilAction, Highlight, Outlook, Report, ReportText

from .subjects import subject_of

COMMENTERS = (Role.DRAFTER, Role.COORDINATOR, Role.APPROVER, Role.READER)
# Period states in which a period's texts are settled (the cycle's final states).
FINAL_PERIOD_STATES = lifecycle.FINAL


class DiscussionAction(StrEnum):
    COMMENT = "discussion.comment"  # asked of the subject


def period_is_final(period) -> bool:
    """Whether nothing more may be said on the texts of this period."""
    if period is None:
        return True
    if str(period.state) in FINAL_PERIOD_STATES:
        return True
    return Report.objects.filter(period=period, state=ReportState.PUBLISHED).exists()


def may_comment(user, obj):
    subject = subject_of(obj)
    if subject is None:
        return deny(_("comments are not taken on a %(kind)s") % {"kind": obj._meta.verbose_name})
    organisation_id = getattr(user, "organisation_id", None)
    if not organisation_id:
        return deny(_("only staff of the partnership's organisations comment"))
    if user.role not in COMMENTERS:
        return deny(_("administrators do not take part in the discussion of texts"))
    if not Partnership.objects.filter(pk=subject.partnership_id(obj), organisations=organisation_id).exists():
        return deny(_("the user's organisation is not in this partnership"))
    period = subject.period(obj)
    if isinstance(obj, CouncilAction):  # recorded after publication, until the period is archived
        if period is None or period.state == PeriodState.ARCHIVED:
            return deny(_("the period is archived: its texts are final"))
    elif period_is_final(period):
        return deny(_("the report of this period is published: its texts are final"))
    return allow("staff of the partnership comment on what they can see")


for _model in (Contribution, JointText, ReportText, Highlight, Outlook, CouncilAction):
    rule(_model, DiscussionAction.COMMENT)(may_comment)
