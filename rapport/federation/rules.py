"""The federation's rules (registered with rapport.access): a peer's records are written here
only by that peer's instance account, and only for its own organisation; the Partners page is
for the staff of this instance's organisation who run the cycle."""

from __future__ import annotations

from enum import StrEnum

from rapport.access.policy import allow, deny, rule, signed_in, staff_of
from rapport.access.roles import Role
from rapport.commitments.models import Commitment
from rapport.partnerships.models import Organisation


class FederationAction(StrEnum):
    RECEIVE = "federation.receive"  # asked of the commitment a received contribution is about


@rule(Commitment, FederationAction.RECEIVE)
def may_receive(user, commitment, *, organisation_id=None, **context):
    from .models import Peer

    if not signed_in(user):
        return deny("not signed in")
    peer = Peer.objects.filter(actor_id=user.pk).values_list("organisation_id", flat=True).first()
    if peer is None:
        return deny("only a peer's instance writes received copies")
    if organisation_id != peer or user.organisation_id != peer:
        return deny("a peer writes only its own organisation's records")
    if not commitment.partnership.organisations.filter(pk=peer).exists():
        return deny("the peer is not in this commitment's partnership")
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
        return deny("not signed in")
    if not staff_of(user, organisation.pk):
        return deny("only the organisation's own staff see its partners")
    if user.role not in PARTNERS_ROLES:
        return deny("only coordinators, approvers and administrators see the exchange with partners")
    own = Identity.objects.values_list("organisation_id", flat=True).first()
    if own is not None and own != organisation.pk:
        return deny("this instance is another organisation's")
    return allow("staff of this instance's organisation who run the cycle")
