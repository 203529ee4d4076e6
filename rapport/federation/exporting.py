"""``rapport exchange export``: everything of this instance's organisation that is new or
changed since the last package to a peer and that the peer may receive.

What goes is read through the one read path, as the peer's organisation would read it at
the accreditation of the link (``visible_to`` with a report-style audience): a record above
the accreditation, not releasable to the peer, or still a draft inside this organisation
never reaches the package."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from rapport.audit.record import record
from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution
from rapport.core.errors import InputError
from rapport.markings.labels import label_document, partnership_schemes, releasable_values
from rapport.reports.editions import Audience

from . import keys, package
from .contents import KIND, SHARED_STATES, contribution_content
from .identity import require_identity
from .models import Direction, Package, Peer, SentObject

PACKAGE_SENT = "federation.package_sent"


def peer_reader(peer: Peer) -> Audience:
    """The peer's organisation as a reader cleared to the link's accreditation."""
    org = peer.organisation
    return Audience(name=f"peer:{org.key}", label=org.short_name, rank=peer.accredited_up_to.rank,
                    organisation_ids=(org.pk,), organisation_id=org.pk)


def releasable_contributions(peer: Peer, own):
    """This organisation's contributions the peer may receive (submitted or approved), on
    commitments the peer may read too (a contribution names its commitment)."""
    reader = peer_reader(peer)
    return (Contribution.objects.visible_to(reader)
            .filter(organisation=own, state__in=SHARED_STATES,
                    classification__rank__lte=peer.accredited_up_to.rank,
                    commitment__in=Commitment.objects.visible_to(reader).values("pk"))
            .select_related("commitment__partnership", "period", "organisation", "assessment",
                            "classification__scheme")
            .prefetch_related("releasable_to")
            .order_by("pk"))


def _object(c: Contribution, schemes) -> dict:
    content = contribution_content(c)
    digest = package.content_hash(content)
    label = label_document(level=c.classification, releasable_to=releasable_values(c), schemes=schemes,
                           created=c.updated, reference=package.data_reference(KIND, c.pk, digest))
    return {"kind": KIND, "id": c.pk, "content": content, "content_sha256": digest, "label": label.decode()}


def pending(peer: Peer, own) -> list[tuple[Contribution, dict]]:
    """(record, exchanged object) of everything the next package to ``peer`` would hold."""
    sent = dict(SentObject.objects.filter(peer=peer, kind=KIND).values_list("object_id", "content_sha256"))
    found, schemes = [], None
    for c in releasable_contributions(peer, own):
        if schemes is None:
            schemes = partnership_schemes(c)
        obj = _object(c, schemes)
        if sent.get(c.pk) != obj["content_sha256"]:
            found.append((c, obj))
    return found


def peer_by_key(key: str) -> Peer:
    peer = Peer.objects.select_related("organisation", "accredited_up_to").filter(organisation__key=key).first()
    if peer is None:
        raise InputError(_("%(org)s is not a peer of this instance ('rapport peer add' pins one).")
                         % {"org": repr(key)}, field="to")
    return peer


@transaction.atomic
def export_package(peer: Peer, *, now: datetime.datetime | None = None) -> tuple[bytes, Package]:
    """Write the next package to ``peer``: its bytes and its record (sequence, hash). A package
    with nothing new is still a package (it keeps the sequence moving and says so)."""
    own = require_identity()
    last = (Package.objects.select_for_update().filter(peer=peer, direction=Direction.SENT)
            .order_by("-sequence").first())
    items = pending(peer, own)
    created = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    body = {
        "format": package.FORMAT,
        "header": {
            "sender": own.key, "receiver": peer.organisation.key,
            "partnership": items[0][0].commitment.partnership.key if items else _partnership_key(own),
            "sequence": (last.sequence + 1) if last else 1,
            "previous": last.sha256 if last else "",
            "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sender_key": keys.fingerprint(keys.own_public_key()),
        },
        "objects": [obj for _c, obj in items],
    }
    data = package.dump(body, keys.sign(package.canonical(body)))
    digest = package.sha256(data)
    made = Package.objects.create(peer=peer, direction=Direction.SENT, sequence=body["header"]["sequence"],
                                  sha256=digest, previous=body["header"]["previous"], object_count=len(items))
    for c, obj in items:
        SentObject.objects.update_or_create(peer=peer, kind=KIND, object_id=c.pk,
                                            defaults={"content_sha256": obj["content_sha256"], "package": made})
    # The counts say how much marked content crossed: the entry is marked as the link is.
    record(actor=None, verb=PACKAGE_SENT, obj=peer.organisation, classification=peer.accredited_up_to,
           releasable_to=[own, peer.organisation],
           message=f"Package {made.sequence} to {peer.organisation.short_name}: {len(items)} records, "
                   f"sha256 {digest}.")
    return data, made


def _partnership_key(own) -> str:
    partnership = own.partnerships.order_by("pk").first()
    return partnership.key if partnership else ""
