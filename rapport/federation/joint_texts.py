"""Joint texts between instances: a text both organisations write and both approve.

A joint text is shared: each instance holds its own row for (commitment, period), and the two
are kept the same by exchange. A version is named by its SHA-256 (text and marking,
``version_digest``); each instance remembers the versions its text has been through
(``SharedText.history``). A received version replaces ours only when it was made from ours
(ours is in its history); an older one of ours changes nothing; otherwise both sides changed
the text since they last agreed, and the peer's version waits as a ``Conflict`` beside ours,
visible on the page, until someone resolves it — never a silent last-writer-wins. Nothing is
approved while a conflict is open (``rules.no_approval_during_conflict``).

Approvals travel as signed statements (``statements.py``) that name the version's digest: an
instance sends its own organisation's approvals of the current version, and counts a peer's
approval only for the version it names. When a peer's approval of our current version is no
longer in what it sends (it returned the text), the approval is withdrawn here too."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.access.policy import require
from rapport.audit.record import record, snapshot
from rapport.contributions import services as contribution_services
from rapport.contributions.choices import JointTextState
from rapport.contributions.models import JointText, JointTextApproval
from rapport.contributions.rules import JointTextAction
from rapport.contributions.signals import approved_content_changed
from rapport.contributions.translations import DEFAULT_LANGUAGE
from rapport.core.errors import InputError
from rapport.core.text import MESSAGE, clean_text
from rapport.reports.records import person  # the report names people as it does: one function

from . import package, statements, versions
from .models import Conflict, Package, Peer, SharedText

KIND = "joint_text"
HISTORY_LIMIT = versions.HISTORY_LIMIT
RECEIVED = "federation.joint_text_received"
CONFLICT_OPENED = "federation.conflict_opened"
CONFLICT_RESOLVED = "federation.conflict_resolved"
APPROVAL_RECEIVED = "federation.joint_text_approved"
MARKING_TAKEN = "federation.joint_text_marking_taken"
APPROVAL_WITHDRAWN = "federation.joint_text_approval_withdrawn"
AUDITED = ["text", "language", "translations", "state", "version", "classification", "releasable_to"]


def _marking(level, releasable) -> dict:
    return {"classification": {"scheme": level.scheme.key, "level": level.name, "rank": level.rank},
            "releasable_to": sorted(o.key for o in releasable) if level.rank else []}


def version_digest(text: str, level, releasable, language: str = DEFAULT_LANGUAGE,
                   translations: dict | None = None) -> str:
    """The SHA-256 naming one version of a joint text: its text, language and translations (a
    translation is approved with the text), and its marking."""
    return package.content_hash({"text": text, "language": language, "translations": translations or {},
                                 **_marking(level, releasable)})


def digest_of(jt: JointText) -> str:
    return version_digest(jt.text, jt.classification, jt.releasable_to.all(), jt.language, jt.translations)


def subject_of(jt: JointText) -> str:
    return statements.joint_text_subject(jt.commitment.partnership.key, jt.commitment.ref, jt.period.ordinal)


def history(jt: JointText, current: str | None = None) -> list[str]:
    """The versions this instance's text has been through, the current one last (remembered now
    if it is new: a local edit is noticed when the text is next sent or received)."""
    current = current or digest_of(jt)
    shared, _made = SharedText.objects.get_or_create(joint_text=jt, defaults={"history": [current]})
    if not shared.history or shared.history[-1] != current:
        shared.history = versions.appended(shared.history, current)
        shared.save(update_fields=["history"])
    return list(shared.history)


def _remember(jt: JointText, digests, author: str | None = None) -> None:
    shared, _made = SharedText.objects.get_or_create(joint_text=jt, defaults={"history": []})
    shared.history = versions.merged(shared.history, digests)
    if author is not None:
        shared.author = author
    shared.save(update_fields=["history", "author"])


def author_of(jt: JointText) -> str:
    """The current version's author: ours by account, a peer's as its instance named them."""
    if _by_peer(jt):
        shared = SharedText.objects.filter(joint_text=jt).first()
        if shared is not None and shared.author:
            return shared.author
    return person(jt.author)


def _by_peer(jt: JointText) -> bool:
    from .models import Peer

    return Peer.objects.filter(actor_id=jt.author_id).exists()


def content(jt: JointText, own) -> dict:
    """The exchanged form of a joint text: the version, where it comes from, and this
    organisation's signed approvals of it."""
    digest = digest_of(jt)
    approvals = (JointTextApproval.objects.filter(joint_text=jt, organisation=own, version=jt.version)
                 .select_related("approver"))
    subject = subject_of(jt)
    return {
        "partnership": jt.commitment.partnership.key,
        "commitment": jt.commitment.ref,
        "period": jt.period.ordinal,
        "text": jt.text,
        "language": jt.language,
        "translations": jt.translations,
        **_marking(jt.classification, jt.releasable_to.all()),
        "digest": digest,
        "history": history(jt, digest),
        "author": author_of(jt),
        "approvals": [statements.sign_approval(organisation=own, subject=subject, digest=digest,
                                               approver=person(a.approver), at=a.at) for a in approvals],
    }


CONTENT_FIELDS = {"partnership": str, "commitment": str, "period": int, "text": str, "language": str,
                  "translations": dict, "classification": dict,
                  "releasable_to": list, "digest": str, "history": list, "author": str, "approvals": list}


@dataclass
class ResolvedText:
    commitment: object
    period: object
    level: object
    releasable_to: list
    content: dict
    approvals: list  # checked statement bodies, as received


def resolve(content: dict, lookups, peer: Peer) -> ResolvedText:
    """This instance's rows for a received joint text; BadContent names the first field at fault."""
    from .contents import BadContent, check_fields, check_texts, resolve_place

    check_fields(content, CONTENT_FIELDS)
    versions.check_lengths(content)
    commitment, period, level, releasable = resolve_place(content, lookups)
    language = check_texts(content, "text", ("author",), JointText)
    if content["digest"] != version_digest(content["text"], level, releasable, language, content["translations"]):
        raise BadContent("digest", _("does not name this text and marking"))
    members = {o for (p, o) in lookups.members if p == commitment.partnership.key}
    if level.rank and members - {o.key for o in releasable}:
        raise BadContent("releasable_to", _("a joint text must be releasable to every organisation that approves it"))
    subject = statements.joint_text_subject(commitment.partnership.key, commitment.ref, period.ordinal)
    approvals = versions.checked_history_and_approvals(content, peer, subject)
    return ResolvedText(commitment, period, level, releasable, content, approvals)


# Receiving ----------------------------------------------------------------------------------


def _settle(jt: JointText, actor) -> None:
    """The state the approvals of the current version give (as the approval service settles it)."""
    was = jt.state
    needed = set(jt.commitment.partnership.organisations.values_list("pk", flat=True))
    have = set(jt.approvals.filter(version=jt.version).values_list("organisation_id", flat=True))
    jt.state = (JointTextState.APPROVED if needed <= have else
                JointTextState.IN_APPROVAL if have else JointTextState.DRAFT)
    jt.save(update_fields=["state", "updated"])
    if (was == JointTextState.APPROVED) != (jt.state == JointTextState.APPROVED):
        approved_content_changed.send(JointText, actor=actor, period=jt.period, obj=jt)


def _take_approvals(jt: JointText, peer: Peer, made: Package, item: ResolvedText) -> bool:
    """Count the peer's approval of our current version, or withdraw it if the peer no longer
    sends one; True if anything changed."""
    return versions.take_approval(
        jt, peer=peer, made=made, approvals=item.approvals, subject=subject_of(jt),
        mine=jt.approvals.filter(organisation=peer.organisation),
        create=lambda: JointTextApproval.objects.create(joint_text=jt, organisation=peer.organisation,
                                                        version=jt.version, approver=peer.actor),
        received=APPROVAL_RECEIVED, withdrawn=APPROVAL_WITHDRAWN)


def receive(peer: Peer, made: Package, item: ResolvedText, outcome) -> None:
    """Apply a received joint text (the caller checked the package whole and the rule)."""
    c = item.content
    jt = JointText.objects.filter(commitment=item.commitment, period=item.period).first()
    if jt is None:
        jt = JointText(commitment=item.commitment, period=item.period, text=c["text"], classification=item.level,
                       language=c["language"], translations=c["translations"], author=peer.actor)
        jt.full_clean(exclude=["author"])
        jt.save()
        jt.releasable_to.set(item.releasable_to)
        _remember(jt, c["history"], author=c["author"])
        _take_approvals(jt, peer, made, item)
        _settle(jt, peer.actor)
        record(actor=peer.actor, verb=RECEIVED, obj=jt, after=snapshot(jt, AUDITED),
               message=_received(peer, made, c, "first version"))
        outcome.created += 1
        return
    ours = history(jt)
    if c["digest"] == ours[-1]:
        _remember(jt, c["history"])
        _close_conflicts(jt, peer, c["history"])  # the peer took our version: nothing left to resolve
        changed = _take_approvals(jt, peer, made, item)
        if changed:
            _settle(jt, peer.actor)
            outcome.updated += 1
        else:
            outcome.unchanged += 1
        return
    if c["digest"] in ours:  # an older version of ours: we are ahead
        outcome.unchanged += 1
        outcome.notes.append(f"joint text on {jt.commitment.ref}: the peer's version is older than ours")
        return
    # Made from ours, and marked at least as high (a peer never lowers the marking of a text
    # this organisation holds: a lower one waits as a conflict, for someone here to decide).
    if ours[-1] in c["history"] and item.level.rank >= jt.classification.rank and _writable(jt):
        before = snapshot(jt, AUDITED)
        jt.text, jt.classification, jt.version, jt.author = c["text"], item.level, jt.version + 1, peer.actor
        jt.language, jt.translations = c["language"], c["translations"]
        jt.save()
        jt.releasable_to.set(item.releasable_to)
        jt.approvals.all().delete()  # an approval is for a version
        _remember(jt, c["history"], author=c["author"])
        _take_approvals(jt, peer, made, item)
        _settle(jt, peer.actor)
        _close_conflicts(jt, peer, c["history"])
        record(actor=peer.actor, verb=RECEIVED, obj=jt, before=before, after=snapshot(jt, AUDITED),
               message=_received(peer, made, c, "a new version made from ours"))
        outcome.updated += 1
        return
    _open_conflict(jt, peer, made, item)
    outcome.conflicts += 1


def _close_conflicts(jt: JointText, peer: Peer, their_history) -> None:
    """Close the open conflicts with ``peer`` that its version now takes into account."""
    for conflict in Conflict.objects.filter(joint_text=jt, peer=peer, resolved_at__isnull=True,
                                            their_sha256__in=their_history):
        conflict.resolved_at, conflict.resolution = timezone.now(), Conflict.Resolution.SUPERSEDED
        conflict.save(update_fields=["resolved_at", "resolution"])
        record(actor=peer.actor, verb=CONFLICT_RESOLVED, obj=jt,
               message=f"Conflict with {peer.organisation.short_name}'s version resolved on its instance.")


def _writable(jt: JointText) -> bool:
    from rapport.periods.choices import PeriodState

    return jt.period.state not in (PeriodState.PUBLISHED, PeriodState.ARCHIVED)


def _received(peer, made, c, what) -> str:
    return (f"{peer.organisation.short_name}'s {what} (by {c['author'] or '—'}), received in package "
            f"{made.sequence} (sha256 {made.sha256}), signature verified.")


def _open_conflict(jt: JointText, peer: Peer, made: Package, item: ResolvedText) -> None:
    c = item.content
    open_ = Conflict.objects.filter(joint_text=jt, peer=peer, resolved_at__isnull=True)
    if open_.filter(their_sha256=c["digest"]).exists():
        return
    open_.update(resolved_at=timezone.now(), resolution=Conflict.Resolution.SUPERSEDED)  # the newer one stands
    conflict = Conflict.objects.create(joint_text=jt, peer=peer, their_text=c["text"], their_sha256=c["digest"],
                                       their_author=c["author"], package=made, classification=item.level,
                                       their_history=c["history"], their_language=c["language"],
                                       their_translations=c["translations"])
    conflict.releasable_to.set(item.releasable_to)
    record(actor=peer.actor, verb=CONFLICT_OPENED, obj=jt,
           message=f"{peer.organisation.short_name} changed this joint text while it changed here too "
                   f"(package {made.sequence}, sha256 {made.sha256}): both versions wait for a resolution.")


def signed_approvals(jt: JointText, approvals) -> dict:
    """{approval pk: (approver as the peer's instance named them, signature verifies)} for the
    approvals of ``jt`` that a peer's instance sent."""
    from .models import Statement

    peers = dict(Peer.objects.values_list("actor_id", "organisation_id"))
    theirs = [a for a in approvals if a.approver_id in peers]
    if not theirs:
        return {}
    found = {}
    subject, digest = subject_of(jt), digest_of(jt)
    for a in theirs:
        statement = (Statement.objects.filter(organisation_id=a.organisation_id, subject=subject, digest=digest)
                     .select_related("peer").first())
        if statement is not None:
            found[a.pk] = (json.loads(statement.body)["approver"], statements.verified(statement))
    return found


# Resolving a conflict ------------------------------------------------------------------------


def open_conflicts(jt: JointText, user):
    """The open conflicts on a joint text that ``user`` may read."""
    return (Conflict.objects.visible_to(user).filter(joint_text=jt, resolved_at__isnull=True)
            .select_related("peer__organisation", "package").order_by("opened", "pk"))


@transaction.atomic
def resolve_conflict(*, actor, conflict: Conflict, keep: str, text: str = "", message: str = "") -> JointText:
    """Close a conflict by keeping ours, taking theirs, or writing a new version. Taking theirs
    or writing is an edit of the joint text (it asks the edit rule and clears approvals); the
    version that results is made from both, so the peer takes it without a new conflict."""
    message = clean_text(message, field="message", max_length=MESSAGE, what=_("the message"))
    if keep not in Conflict.Resolution.values or keep == Conflict.Resolution.SUPERSEDED:
        raise InputError(_("Say which version to keep: ours, theirs, or a new text."), field="keep")
    conflict = Conflict.objects.select_related("joint_text", "peer__organisation").get(pk=conflict.pk)
    if conflict.resolved_at is not None:
        raise InputError(_("This conflict is already resolved."), field="keep")
    jt = conflict.joint_text
    require(actor, JointTextAction.EDIT, jt)
    if keep == Conflict.Resolution.OURS:
        history(jt)
    elif keep == Conflict.Resolution.THEIRS:
        if conflict.classification.rank < jt.classification.rank:
            raise InputError(_("%(org)s's version is marked %(theirs)s, lower than the text here (%(ours)s): taking "
                               "it would lower the text's marking. Keep the version here, or write a new one.")
                             % {"org": conflict.peer.organisation.short_name, "theirs": conflict.classification.name,
                                "ours": jt.classification.name}, field="keep")
        jt = contribution_services.edit_joint_text(
            actor=actor, joint_text=jt, base_version=jt.version, text=conflict.their_text,
            language=conflict.their_language or jt.language, translations=conflict.their_translations)
        if (jt.classification_id, sorted(jt.releasable_to.values_list("pk", flat=True))) != (
                conflict.classification_id, sorted(conflict.releasable_to.values_list("pk", flat=True))):
            before = snapshot(jt, AUDITED)  # their version comes with its marking, as high or higher
            jt.classification = conflict.classification
            jt.save(update_fields=["classification"])
            jt.releasable_to.set(conflict.releasable_to.all())
            record(actor=actor, verb=MARKING_TAKEN, obj=jt, before=before, after=snapshot(jt, AUDITED),
                   message=f"The marking of {conflict.peer.organisation.short_name}'s version comes with it.")
        history(jt)
    else:
        jt = contribution_services.edit_joint_text(actor=actor, joint_text=jt, base_version=jt.version, text=text)
        history(jt)
    _remember(jt, [*conflict.their_history, digest_of(jt)])
    conflict.resolved_at, conflict.resolved_by, conflict.resolution = timezone.now(), actor, keep
    conflict.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    record(actor=actor, verb=CONFLICT_RESOLVED, obj=jt,
           message=message or f"Conflict with {conflict.peer.organisation.short_name}'s version resolved: "
                              f"{conflict.get_resolution_display()}.")
    return jt
