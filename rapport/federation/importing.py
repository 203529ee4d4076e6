"""``rapport exchange import``: a peer's package checked whole, then written whole.

In order: the file's form; the sender is a pinned peer and the signature verifies against
its pinned key; the package is addressed to this instance's organisation; its sequence
follows the last one received (a gap names the missing number; the same package again
changes nothing); then every object — its content hash, its labels (bound to that hash),
its organisation (a peer sends only its own organisation's records), releasable to this
organisation and within the link's accreditation, never a draft. Any failure refuses the
whole package and nothing is written. The rest is written in one transaction under the
peer's account, through the federation's rule (``rules.py``), with an audit entry per record
naming the package's hash."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from lxml import etree

from rapport.access.policy import can, require
from rapport.audit.record import record, snapshot
from rapport.contributions.models import Contribution, ContributionRevision
from rapport.core.errors import InputError
from rapport.markings.labels import BINDING_NS, LABEL_NS, PERMISSIVE, RELEASABLE_TO
from rapport.markings.querysets import PUBLIC_RANK

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
from .contents import KIND, BadContent, Lookups, Resolved, resolve
from .identity import require_identity
from .models import Direction, Package, Peer, ReceivedCopy
from .rules import FederationAction

PACKAGE_RECEIVED = "federation.package_received"
COPY_RECEIVED = "federation.copy_received"
AUDITED = ["narrative", "language", "translations", "assessment", "state", "version", "classification",
           "releasable_to"]


class Refused(InputError):
    """The package is refused whole; the message says why."""


@dataclass
class Outcome:
    package: Package | None
    replay: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    part_conflicts: int = 0
    notes: list[str] = field(default_factory=list)


def _refuse(message: str, **values) -> Refused:
    return Refused(_("Package refused: ") + (message % values if values else message))


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _labels(text: str) -> tuple[str, list[tuple[str, str, str, list[str]]]]:
    """(data reference, [(role, policy URI, classification, releasable values)]) of a label
    document; ValueError if it is not one."""
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise ValueError("a label may not carry a document type")
    root = etree.fromstring(text.encode(), _PARSER)
    ns = {"mb": BINDING_NS, "s": LABEL_NS}
    if root.tag != f"{{{BINDING_NS}}}BindingInformation":
        raise ValueError("not a STANAG 4778 BindingInformation")
    refs = root.findall(".//mb:DataReference", ns)
    if len(refs) != 1:
        raise ValueError("expected one data reference")
    found = []
    for meta in root.findall(".//mb:Metadata", ns):
        for label in meta:
            role = etree.QName(label).localname.replace("ConfidentialityLabel", "")
            policy = label.find("s:ConfidentialityInformation/s:PolicyIdentifier", ns)
            level = label.find("s:ConfidentialityInformation/s:Classification", ns)
            if policy is None or level is None:
                raise ValueError("a label without policy or classification")
            categories = label.findall("s:ConfidentialityInformation/s:Category", ns)
            if any(c.get("TagName") != RELEASABLE_TO or c.get("Type") != PERMISSIVE for c in categories):
                raise ValueError("a category other than the permissive Releasable To")
            values = [v.text or "" for c in categories for v in c.findall("s:GenericValue", ns)]
            found.append((role, policy.get("URI", ""), level.text or "", sorted(values)))
    return refs[0].get("URI", ""), found


def _resolve(n: int, obj: dict, peer: Peer, lookups: Lookups):
    """The kind's own checks of an object's content: (resolved item, its level, releasable_to)."""
    where = _("object %(n)s (%(kind)s %(id)s)") % {"n": n, "kind": obj["kind"], "id": obj["id"]}
    try:
        if obj["kind"] == KIND:
            item = resolve(obj["content"], lookups)
            if item.organisation.pk != peer.organisation_id:
                raise _refuse(_("%(where)s is %(org)s's; %(peer)s sends only its own organisation's records."),
                              where=where, org=item.organisation.short_name, peer=peer.organisation.short_name)
            return item, item.level, item.releasable_to, item.commitment
        if obj["kind"] == joint_texts.KIND:
            item = joint_texts.resolve(obj["content"], lookups, peer)
            return item, item.level, item.releasable_to, item.commitment
        if obj["kind"] == report_approvals.KIND:
            item = report_approvals.resolve(obj["content"], lookups, peer)
            return item, None, [], None
        if obj["kind"] == period_agreements.KIND:
            item = period_agreements.resolve(obj["content"], lookups, peer)
            return item, None, [], None
        if obj["kind"] == report_parts.KIND:
            item = report_parts.resolve(obj["content"], lookups, peer)
            return item, item.level, item.releasable_to, None
        if obj["kind"] == report_parts.REMOVED:
            item = report_parts.resolve_removal(obj["content"], lookups, peer)
            return item, None, [], None
        if obj["kind"] == register.KIND:
            return register.resolve(obj["content"], lookups), None, [], None
        if obj["kind"] == withdrawals.KIND:
            item = withdrawals.resolve(obj["content"], peer)
            return item, None, [], item.contribution.commitment if item.contribution else None
    except BadContent as exc:
        raise _refuse(_("%(where)s: %(problem)s."), where=where, problem=str(exc)) from None
    raise _refuse(_("%(where)s is of a kind this instance does not receive."), where=where)


def _check_object(n: int, obj: dict, peer: Peer, own, lookups: Lookups, own_levels: dict):
    where = _("object %(n)s (%(kind)s %(id)s)") % {"n": n, "kind": obj["kind"], "id": obj["id"]}
    if package.content_hash(obj["content"]) != obj["content_sha256"]:
        raise _refuse(_("%(where)s: its content does not match its hash."), where=where)
    item, level, releasable, commitment = _resolve(n, obj, peer, lookups)
    if commitment is not None and not can(peer.actor, FederationAction.RECEIVE, commitment,
                                          organisation_id=peer.organisation_id):
        raise _refuse(_("%(where)s is about a commitment %(peer)s may not write on here."), where=where,
                      peer=peer.organisation.short_name)
    shared = getattr(item, "report", None) or (item.period if commitment is None else None)
    if shared is not None and not can(peer.actor, FederationAction.RECEIVE, shared):
        raise _refuse(_("%(where)s is about a record %(peer)s may not agree to here."), where=where,
                      peer=peer.organisation.short_name)
    if level is None:  # agreements and approvals: signed statements, no marked content
        level = peer.organisation.scheme.levels.get(rank=PUBLIC_RANK)
    if level.rank != PUBLIC_RANK and own.pk not in {o.pk for o in releasable}:
        raise _refuse(_("%(where)s is not releasable to %(org)s."), where=where, org=own.short_name)
    if level.rank > peer.accredited_up_to.rank:
        raise _refuse(_("%(where)s is marked %(level)s, above the link's accreditation (%(limit)s)."),
                      where=where, level=level.name, limit=peer.accredited_up_to.name)
    try:
        reference, labels = _labels(obj["label"])
    except (ValueError, etree.XMLSyntaxError) as exc:
        raise _refuse(_("%(where)s: its label is not readable (%(why)s)."), where=where, why=str(exc)) from None
    if reference != package.data_reference(obj["kind"], obj["id"], obj["content_sha256"]):
        raise _refuse(_("%(where)s: its label is bound to other data."), where=where)
    originators = [lb for lb in labels if lb[0] == "originator"]
    values = sorted(o.short_name for o in releasable) if level.rank != PUBLIC_RANK else []
    if len(originators) != 1 or originators[0][1:] != (f"urn:oid:{level.scheme.policy_oid}", level.name, values):
        raise _refuse(_("%(where)s: its originator label does not say the marking its content carries."),
                      where=where)
    if own.scheme_id != level.scheme_id and level.rank in own_levels:
        wanted = (f"urn:oid:{own.scheme.policy_oid}", own_levels[level.rank], values)
        alternatives = [lb[1:] for lb in labels if lb[0] == "alternative"]
        if wanted not in alternatives:
            raise _refuse(_("%(where)s: it has no alternative label in %(scheme)s."), where=where,
                          scheme=own.scheme.name)
        if any(alt[0] == wanted[0] and alt != wanted for alt in alternatives):
            raise _refuse(_("%(where)s: its labels in %(scheme)s contradict each other."), where=where,
                          scheme=own.scheme.name)
    return item


def check(data: bytes) -> tuple[Peer, dict, str, list[Resolved], Package | None]:
    """Everything but the writing: (peer, package, its hash, the resolved objects, the package
    already received with this sequence if it is a replay). Raises Refused."""
    own = require_identity()
    try:
        body, signature = package.load(data)
    except package.BadPackage as exc:
        raise _refuse(str(exc)) from None
    header = body["header"]
    digest = package.sha256(data)
    peer = (Peer.objects.select_related("organisation__scheme", "accredited_up_to__scheme", "actor")
            .filter(organisation__key=header["sender"]).first())
    if peer is None:
        raise _refuse(_("it comes from %(sender)s, which is not a pinned peer of this instance."),
                      sender=repr(header["sender"]))
    pinned = keys.load_public_pem(peer.public_key)
    if not keys.verify(pinned, signature, package.canonical(body)):
        if header["sender_key"] != peer.fingerprint:
            raise _refuse(_("it is signed by an unknown key (%(key)s), not %(org)s's pinned key %(pinned)s."),
                          key=repr(header["sender_key"])[:100], org=peer.organisation.short_name, pinned=peer.fingerprint)
        raise _refuse(_("its signature does not verify against %(org)s's pinned key %(pinned)s: "
                        "the package was altered or not signed by %(org)s."),
                      org=peer.organisation.short_name, pinned=peer.fingerprint)
    if header["receiver"] != own.key:
        raise _refuse(_("it is addressed to %(receiver)s, not to %(org)s."), receiver=repr(header["receiver"]),
                      org=own.short_name)
    received = Package.objects.filter(peer=peer, direction=Direction.RECEIVED)
    same = received.filter(sequence=header["sequence"]).first()
    if same is not None:
        if same.sha256 == digest:
            return peer, body, digest, [], same
        raise _refuse(_("package %(n)s from %(org)s was already received with other content."),
                      n=header["sequence"], org=peer.organisation.short_name)
    last = received.order_by("-sequence").first()
    expected = (last.sequence + 1) if last else 1
    if header["sequence"] != expected:
        raise _refuse(_("it is package %(n)s from %(org)s, but package %(missing)s has not been received: "
                        "import that one first."), n=header["sequence"], org=peer.organisation.short_name,
                      missing=expected)
    if header["previous"] != (last.sha256 if last else ""):
        raise _refuse(_("it does not follow the last package received from %(org)s (its previous hash differs)."),
                      org=peer.organisation.short_name)
    lookups = Lookups()
    if header["partnership"] not in lookups.partnerships:
        raise _refuse(_("it is for the partnership %(key)s, which this instance does not hold."),
                      key=repr(header["partnership"]))
    lookups.prepare([obj["content"] for obj in body["objects"]])
    own_levels = {lv.rank: lv.name for lv in own.scheme.levels.all()}
    resolved, places = [], set()
    for n, obj in enumerate(body["objects"], start=1):
        item = _check_object(n, obj, peer, own, lookups, own_levels)
        period = item.period
        if period is not None and period.partnership.key != header["partnership"]:
            raise _refuse(_("object %(n)s is of another partnership than the package's."), n=n)
        if obj["kind"] in (report_parts.KIND, report_parts.REMOVED):  # a part and its removal: one place
            place = (report_parts.KIND, item.kind, item.name)
        elif obj["kind"] == register.KIND:  # one register per package
            place = (register.KIND,)
        else:
            place = ((obj["kind"], obj["id"]) if period is None
                     else (obj["kind"], getattr(item, "commitment", None) and item.commitment.pk, period.pk))
        if place in places:
            raise _refuse(_("object %(n)s is a second record for the same commitment and period."), n=n)
        places.add(place)
        resolved.append(item)
    return peer, body, digest, resolved, None


def import_package(data: bytes) -> Outcome:
    peer, body, digest, resolved, replay = check(data)
    own = require_identity()
    if replay is not None:
        return Outcome(package=replay, replay=True)
    with transaction.atomic():
        # The same checks again under the transaction: a package imported meanwhile wins.
        if Package.objects.filter(peer=peer, direction=Direction.RECEIVED,
                                  sequence=body["header"]["sequence"]).exists():
            raise _refuse(_("package %(n)s was imported meanwhile."), n=body["header"]["sequence"])
        made = Package.objects.create(peer=peer, direction=Direction.RECEIVED, sequence=body["header"]["sequence"],
                                      sha256=digest, previous=body["header"]["previous"],
                                      object_count=len(resolved))
        outcome = Outcome(package=made)
        for obj, item in zip(body["objects"], resolved, strict=True):
            if obj["kind"] == joint_texts.KIND:
                require(peer.actor, FederationAction.RECEIVE, item.commitment, organisation_id=peer.organisation_id)
                joint_texts.receive(peer, made, item, outcome)
            elif obj["kind"] == report_approvals.KIND:
                if item.report is not None:
                    require(peer.actor, FederationAction.RECEIVE, item.report)
                report_approvals.receive(peer, made, item, outcome)
            elif obj["kind"] == withdrawals.KIND:
                if item.contribution is not None:
                    require(peer.actor, FederationAction.RECEIVE, item.contribution.commitment,
                            organisation_id=peer.organisation_id)
                withdrawals.receive(peer, made, item, outcome)
            elif obj["kind"] == report_parts.KIND:
                require(peer.actor, FederationAction.RECEIVE, item.report)
                report_parts.receive(peer, made, item, outcome)
            elif obj["kind"] == report_parts.REMOVED:
                if item.report is not None:
                    require(peer.actor, FederationAction.RECEIVE, item.report)
                report_parts.receive_removal(peer, made, item, outcome)
            elif obj["kind"] == register.KIND:
                register.receive(peer, made, item, outcome)
            elif obj["kind"] == period_agreements.KIND:
                require(peer.actor, FederationAction.RECEIVE, item.period)
                period_agreements.receive(peer, made, item, outcome)
            else:
                _apply(peer, made, obj, item, outcome)
        record(actor=peer.actor, verb=PACKAGE_RECEIVED, obj=peer.organisation,
               classification=peer.accredited_up_to, releasable_to=[own, peer.organisation],
               message=f"Package {made.sequence} from {peer.organisation.short_name} (sha256 {digest}), "
                       f"signature verified: {outcome.created} new, {outcome.updated} changed, "
                       f"{outcome.unchanged} unchanged, {outcome.conflicts + outcome.part_conflicts} conflicts.")
    return outcome


def _apply(peer: Peer, made: Package, obj: dict, item: Resolved, outcome: Outcome) -> None:
    copy = ReceivedCopy.objects.filter(peer=peer, kind=KIND, source_id=obj["id"]).first()
    if copy is not None and copy.content_sha256 == obj["content_sha256"]:
        outcome.unchanged += 1
        return
    require(peer.actor, FederationAction.RECEIVE, item.commitment, organisation_id=item.organisation.pk)
    contribution = Contribution.objects.filter(organisation=item.organisation, commitment=item.commitment,
                                               period=item.period).first()
    before = snapshot(contribution, AUDITED) if contribution else None
    content = item.content
    fields = {"narrative": content["narrative"], "language": content["language"],
              "translations": content["translations"], "assessment": item.assessment, "state": content["state"],
              "version": content["version"], "classification": item.level, "approved_at": item.approved_at}
    if contribution is None:
        contribution = Contribution(organisation=item.organisation, commitment=item.commitment, period=item.period,
                                    author=peer.actor, **fields)
        contribution.full_clean(exclude=["author", "approved_by", "approved_revision"])
        contribution.save()
        outcome.created += 1
    else:
        for name, value in fields.items():
            setattr(contribution, name, value)
        contribution.save()
        outcome.updated += 1
    contribution.releasable_to.set(item.releasable_to)
    revision, _made = ContributionRevision.objects.update_or_create(
        contribution=contribution, version=content["version"],
        defaults={"narrative": content["narrative"], "language": content["language"],
                  "translations": content["translations"], "assessment": item.assessment, "classification": item.level,
                  "author": peer.actor})
    contribution.approved_revision = revision if content["state"] == "approved" else None
    contribution.save(update_fields=["approved_revision"])
    ReceivedCopy.objects.update_or_create(peer=peer, kind=KIND, source_id=obj["id"],
                                          defaults={"local_id": contribution.pk, "package": made,
                                                    "content_sha256": obj["content_sha256"],
                                                    "names": {"author": content["author"],
                                                              "approver": content["approved_by"]}})
    record(actor=peer.actor, verb=COPY_RECEIVED, obj=contribution, before=before,
           after=snapshot(contribution, AUDITED),
           message=f"Copy of {peer.organisation.short_name}'s record {obj['id']}, received in package "
                   f"{made.sequence} (sha256 {made.sha256}), signature verified.")
