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
from rapport.contributions.models import Contribution, JointText
from rapport.core.errors import InputError
from rapport.markings.labels import EPOCH, label_document, partnership_schemes, releasable_values
from rapport.reports.editions import Audience
from rapport.reports.models import Report

from . import (
    joint_texts,
    keys,
    package,
    period_agreements,
    register,
    report_approvals,
    report_parts,
    withdrawals,
)
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
                            "classification__scheme", "author", "approved_by")
            .prefetch_related("releasable_to")
            .order_by("pk"))


def releasable_joint_texts(peer: Peer, own):
    """The joint texts of this organisation's partnerships the peer may receive: a joint text is
    both organisations' from its first version, so it travels in every state."""
    reader = peer_reader(peer)
    return (JointText.objects.visible_to(reader)
            .filter(commitment__partnership__organisations=own,
                    classification__rank__lte=peer.accredited_up_to.rank,
                    commitment__in=Commitment.objects.visible_to(reader).values("pk"))
            .select_related("commitment__partnership", "period", "author", "classification__scheme")
            .prefetch_related("releasable_to")
            .order_by("pk"))


def _label(kind: str, pk: int, digest: str, level, releasable, created, schemes) -> str:
    return label_document(level=level, releasable_to=releasable, schemes=schemes, created=created,
                          reference=package.data_reference(kind, pk, digest)).decode()


def _object(c: Contribution, schemes) -> dict:
    content = contribution_content(c)
    digest = package.content_hash(content)
    return {"kind": KIND, "id": c.pk, "content": content, "content_sha256": digest,
            "label": _label(KIND, c.pk, digest, c.classification, releasable_values(c), c.updated, schemes)}


def _joint_text_object(jt: JointText, own, schemes) -> dict:
    content = joint_texts.content(jt, own)
    digest = package.content_hash(content)
    return {"kind": joint_texts.KIND, "id": jt.pk, "content": content, "content_sha256": digest,
            "label": _label(joint_texts.KIND, jt.pk, digest, jt.classification, releasable_values(jt), jt.updated,
                            schemes)}


def _statements_object(kind: str, pk: int, content: dict, own, schemes) -> dict:
    """A record of signed statements (agreements, approvals) or a withdrawal: PUBLIC, as they
    carry no content."""
    digest = package.content_hash(content)
    public = own.scheme.levels.get(rank=0)
    return {"kind": kind, "id": pk, "content": content, "content_sha256": digest,
            "label": _label(kind, pk, digest, public, [], EPOCH, schemes)}


def _report_object(report: Report, own, schemes) -> dict:
    return _statements_object(report_approvals.KIND, report.pk, report_approvals.content(report, own), own, schemes)


def pending(peer: Peer, own) -> list[tuple[object, dict]]:
    """(record, exchanged object) of everything the next package to ``peer`` would hold: the
    contributions, the joint texts, the agreements to the periods' steps, then the reports'
    approvals (a peer checks an approval of the report against the content the same package
    brought, and a period that moves into preparation starts its report)."""
    sent = {(kind, pk): digest for kind, pk, digest in
            SentObject.objects.filter(peer=peer).values_list("kind", "object_id", "content_sha256")}
    found, schemes, receivable = [], None, []
    for c in releasable_contributions(peer, own):
        if schemes is None:
            schemes = partnership_schemes(c)
        receivable.append(c.pk)
        obj = _object(c, schemes)
        if sent.get((KIND, c.pk)) != obj["content_sha256"]:
            found.append((c, obj))
    for pk in withdrawals.to_withdraw(peer, KIND, receivable):
        schemes = schemes or partnership_schemes(own)
        found.append((None, _statements_object(withdrawals.KIND, pk, withdrawals.content(KIND, pk), own,
                                               schemes)))
    for jt in releasable_joint_texts(peer, own):
        if schemes is None:
            schemes = partnership_schemes(jt)
        obj = _joint_text_object(jt, own, schemes)
        if sent.get((joint_texts.KIND, jt.pk)) != obj["content_sha256"]:
            found.append((jt, obj))
    for period in period_agreements.periods_to_send(own):
        if schemes is None:
            schemes = partnership_schemes(period)
        obj = _statements_object(period_agreements.KIND, period.pk, period_agreements.content(period, own), own, schemes)
        if not obj["content"]["agreements"] and (period_agreements.KIND, period.pk) not in sent:
            continue  # no agreement to the step the period is at
        if sent.get((period_agreements.KIND, period.pk)) != obj["content_sha256"]:
            found.append((period, obj))
    found += _parts(peer, own, sent)
    found += _register(peer, own, sent)
    for report in report_approvals.reports_to_send(own):
        if schemes is None:
            schemes = partnership_schemes(report)
        obj = _report_object(report, own, schemes)
        if not obj["content"]["approvals"] and (report_approvals.KIND, report.pk) not in sent:
            continue  # nothing to say of a report this organisation has not approved
        if sent.get((report_approvals.KIND, report.pk)) != obj["content_sha256"]:
            found.append((report, obj))
    return found


def _parts(peer: Peer, own, sent: dict) -> list[tuple[object, dict]]:
    """The report's parts new or changed since they last went, then the removals of those
    deleted here since (after the periods' agreements, which may start the report there, and
    before the report's approvals, which name the content the parts make)."""
    found, schemes, sent_ids = [], None, {}
    for (kind, pk) in sent:
        if kind.startswith(report_parts.KIND + ":"):
            sent_ids.setdefault(kind.split(":", 1)[1], set()).add(pk)
    for kind, part in report_parts.parts_to_send(peer, own, peer_reader(peer)):
        schemes = schemes or partnership_schemes(part.report.period)
        content = report_parts.content(part, own)
        digest = package.content_hash(content)
        if sent.get((f"{report_parts.KIND}:{kind}", part.pk)) == digest:
            continue
        obj = {"kind": report_parts.KIND, "id": part.pk, "content": content, "content_sha256": digest,
               "label": _label(report_parts.KIND, part.pk, digest, part.classification, releasable_values(part),
                               EPOCH, schemes)}  # a part keeps no time of its own
        found.append((part, obj))
    for pk, removal in report_parts.removals(peer, sent_ids, _partnership_key(own)):
        schemes = schemes or partnership_schemes(own)
        found.append((None, _statements_object(report_parts.REMOVED, pk, removal, own, schemes)))
    return found


def _register(peer: Peer, own, sent: dict) -> list[tuple[object, dict]]:
    """The digest of this instance's PUBLIC register of commitments, when it changed since it
    last went (and in the first package)."""
    partnership = own.partnerships.order_by("pk").first()
    if partnership is None:
        return []
    obj = _statements_object(register.KIND, partnership.pk, register.content(partnership), own,
                             partnership_schemes(own))
    return [] if sent.get((register.KIND, partnership.pk)) == obj["content_sha256"] else [(None, obj)]


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
            "partnership": _partnership_key(own),
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
    for _record, obj in items:
        if obj["kind"] == withdrawals.KIND:
            withdrawals.forget(peer, obj["content"]["record"], [obj["content"]["id"]])
            continue
        if obj["kind"] == report_parts.REMOVED:
            withdrawals.forget(peer, f"{report_parts.KIND}:{obj['content']['part']}", [obj["id"]])
            continue
        kind = f"{report_parts.KIND}:{obj['content']['part']}" if obj["kind"] == report_parts.KIND else obj["kind"]
        SentObject.objects.update_or_create(peer=peer, kind=kind, object_id=obj["id"],
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
