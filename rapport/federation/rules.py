"""The one federation rule: a peer's records are written here only by that peer's instance
account, and only for its own organisation (registered with rapport.access)."""

from __future__ import annotations

from enum import StrEnum

from rapport.access.policy import allow, deny, rule, signed_in
from rapport.commitments.models import Commitment


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
