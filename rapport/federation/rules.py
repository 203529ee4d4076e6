"""The federation's rules (registered with rapport.access): a peer's records are written here
only by that peer's instance account, and only for its own organisation; the Partners page is
for the staff of this instance's organisation who run the cycle."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _

from rapport.access.policy import allow, condition, deny, rule, signed_in, staff_of
from rapport.access.roles import Role
from rapport.commitments.models import Commitment
from rapport.contributions.models import JointText
from rapport.contributions.rules import JointTextAction
from rapport.partnerships.models import Organisation
from rapport.periods.models import ReportingPeriod
from rapport.reports.models import CouncilAction, Highlight, Outlook, Report, ReportText
from rapport.reports.rules import PartAction, ReportAction


class FederationAction(StrEnum):
    RECEIVE = "federation.receive"  # asked of the commitment a received contribution is about


@rule(Commitment, FederationAction.RECEIVE)
def may_receive(user, commitment, *, organisation_id=None, **context):
    from .models import Peer

    if not signed_in(user):
        return deny(_("not signed in"))
    peer = Peer.objects.filter(actor_id=user.pk).values_list("organisation_id", flat=True).first()
    if peer is None:
        return deny(_("only a peer's instance writes received copies"))
    if organisation_id != peer or user.organisation_id != peer:
        return deny(_("a peer writes only its own organisation's records"))
    if not commitment.partnership.organisations.filter(pk=peer).exists():
        return deny(_("the peer is not in this commitment's partnership"))
    return allow("the peer's instance, for its own organisation")


class PartnersAction(StrEnum):
    VIEW = "federation.view_partners"  # asked of this instance's organisation (or, on a shared server, the reader's)


PARTNERS_ROLES = (Role.COORDINATOR, Role.APPROVER, Role.ADMINISTRATOR)


@rule(Organisation, PartnersAction.VIEW)
def may_view_partners(user, organisation, **context):
    """The Partners page (peers, keys, packages, what waits to go) is for the staff who run the
    cycle on this instance: its organisation's coordinators, approvers and administrators."""
    from .models import Identity

    if not signed_in(user):
        return deny(_("not signed in"))
    if not staff_of(user, organisation.pk):
        return deny(_("only the organisation's own staff see its partners"))
    if user.role not in PARTNERS_ROLES:
        return deny(_("only coordinators, approvers and administrators see the exchange with partners"))
    own = Identity.objects.values_list("organisation_id", flat=True).first()
    if own is not None and own != organisation.pk:
        return deny(_("this instance is another organisation's"))
    return allow("staff of this instance's organisation who run the cycle")


# Shared records ----------------------------------------------------------------------------------
# Conditions on the joint texts' and the report's own rules (access.policy.condition): they refuse
# only on an instance that exchanges with peers.


@condition(JointText, JointTextAction.APPROVE)
def no_approval_during_conflict(user, jt, **context):
    from .models import Conflict

    conflict = (Conflict.objects.filter(joint_text=jt, resolved_at__isnull=True)
                .select_related("peer__organisation").first())
    if conflict is not None:
        return deny(_("%(org)s's instance sent another version of this text, made while it changed here too: "
                      "resolve the conflict first") % {"org": conflict.peer.organisation.short_name})
    return None


def no_part_approval_during_conflict(user, part, **context):
    from .models import PartConflict
    from .report_parts import NAMES

    conflict = (PartConflict.objects.filter(kind=NAMES[type(part)], part_id=part.pk, resolved_at__isnull=True)
                .select_related("peer__organisation").first())
    if conflict is not None:
        return deny(_("%(org)s's instance sent another version of this part, made while it changed here too: "
                      "resolve the conflict first") % {"org": conflict.peer.organisation.short_name})
    return None


for _model in (ReportText, Highlight, Outlook, CouncilAction):
    condition(_model, PartAction.APPROVE)(no_part_approval_during_conflict)


@condition(Report, ReportAction.PUBLISH)
def peer_approvals_verified(user, report, **context):
    from . import report_approvals
    from .identity import own_organisation

    own = own_organisation()
    if own is None or not report.period.partnership.organisations.filter(pk=own.pk).exists():
        return None  # a single shared server: every approval was given here
    why = report_approvals.missing_approval(report, own)
    return deny(_("not every organisation's approval is verified here (%(why)s)") % {"why": why}) if why else None


def _peer_of(user, partnership):
    from .models import Peer

    peer = Peer.objects.filter(actor_id=getattr(user, "pk", None)).values_list("organisation_id", flat=True).first()
    if peer is None or not signed_in(user):
        return deny(_("only a peer's instance sends its organisation's statements"))
    if not partnership.organisations.filter(pk=peer).exists():
        return deny(_("the peer is not in this partnership"))
    return allow("the peer's instance, for its own organisation's statements")


@rule(Report, FederationAction.RECEIVE)
def may_receive_report_approval(user, report, **context):
    return _peer_of(user, report.period.partnership)


@rule(ReportingPeriod, FederationAction.RECEIVE)
def may_receive_period_agreement(user, period, **context):
    return _peer_of(user, period.partnership)
