"""Withdrawing a copy: a contribution sent to a peer that it may no longer receive (returned to
its drafter, re-marked above the link's accreditation or no longer releasable to the peer) is
withdrawn by the next package, and the peer's instance empties its copy.

The withdrawal names the record only, so it is PUBLIC whatever the record was. The receiver
keeps the copy's row (its audit entries and links name it) but removes its text, its
revisions and its translations, and puts it back in the draft state, which only the peer's own
organisation may read — no one on this instance. If the record becomes receivable again, it is
sent whole, as a changed record."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from rapport.audit.record import record, snapshot
from rapport.contributions.models import Contribution, ContributionRevision

from .models import Package, Peer, ReceivedCopy, SentObject

KIND = "withdrawal"
WITHDRAWN = "federation.copy_withdrawn"
CONTENT_FIELDS = {"record": str, "id": int}
AUDITED = ["state", "version", "classification"]  # not the text: it is what leaves


def to_withdraw(peer: Peer, kind: str, receivable_ids) -> list[int]:
    """The ids of ``kind`` sent to ``peer`` that it may no longer receive."""
    sent = set(SentObject.objects.filter(peer=peer, kind=kind).values_list("object_id", flat=True))
    return sorted(sent - set(receivable_ids))


def content(kind: str, pk: int) -> dict:
    return {"record": kind, "id": pk}


def forget(peer: Peer, kind: str, ids) -> None:
    """After the package is written: the withdrawn records count as never sent."""
    SentObject.objects.filter(peer=peer, kind=kind, object_id__in=list(ids)).delete()


@dataclass
class ResolvedWithdrawal:
    copy: ReceivedCopy | None
    contribution: Contribution | None
    content: dict

    @property
    def period(self):
        return self.contribution.period if self.contribution else None


def resolve(content: dict, peer: Peer) -> ResolvedWithdrawal:
    from .contents import KIND as CONTRIBUTION
    from .contents import BadContent

    if set(content) != set(CONTENT_FIELDS) or any(
            not isinstance(content[k], t) or isinstance(content[k], bool) for k, t in CONTENT_FIELDS.items()):
        raise BadContent("withdrawal", _("expected the record's kind and id"))
    if content["record"] != CONTRIBUTION:
        raise BadContent("record", _("only contributions are withdrawn"))
    copy = ReceivedCopy.objects.filter(peer=peer, kind=CONTRIBUTION, source_id=content["id"]).first()
    contribution = Contribution.objects.filter(pk=copy.local_id).select_related("period__partnership",
                                                                                "commitment").first() if copy else None
    return ResolvedWithdrawal(copy, contribution, content)


def receive(peer: Peer, made: Package, item: ResolvedWithdrawal, outcome) -> None:
    c = item.contribution
    if c is None:
        outcome.unchanged += 1
        return
    before = snapshot(c, AUDITED)
    Contribution.objects.filter(pk=c.pk).update(approved_revision=None)
    ContributionRevision.objects.filter(contribution=c).delete()
    Contribution.objects.filter(pk=c.pk).update(narrative="", translations={}, state="draft", approved_at=None)
    c.refresh_from_db()
    item.copy.content_sha256 = ""
    item.copy.package = made
    item.copy.save(update_fields=["content_sha256", "package"])
    record(actor=peer.actor, verb=WITHDRAWN, obj=c, before=before, after=snapshot(c, AUDITED),
           message=f"{peer.organisation.short_name} withdrew its record {item.content['id']} (no longer receivable "
                   f"here): the copy's text is removed (package {made.sequence}, sha256 {made.sha256}).")
    outcome.updated += 1
