"""The report's parts between instances: introduction and area texts, highlights, outlook items
and Council actions, which the coordinators write on their own instances and every organisation
approves (a Council action: its own organisation).

A part is shared as a joint text is (joint_texts.py), with three differences:

- it has no natural key, so it is named everywhere by the organisation whose instance wrote it
  first and its id there (``SharedPart``: ``highlight:eu:57``); the report names it so too, and
  orders parts of the same place by that name after their order, so the public edition is the
  same on both instances;
- its place (``order``) travels with it but is not part of the version: moving a part is not
  a new text to approve;
- a part deleted on one instance is removed on the other (``removal_content``), and a Council
  action travels only from its own organisation's instance, which alone writes it.

Parts loaded with the default data (no author) are on every instance already and do not travel.
A received version made from ours replaces ours; both changed: a ``PartConflict`` waits beside
ours, and nothing is approved until a coordinator keeps ours or takes theirs."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from rapport.access.policy import require
from rapport.audit.record import record, snapshot
from rapport.commitments.models import Commitment
from rapport.contributions.signals import approved_content_changed
from rapport.core.errors import InputError
from rapport.core.text import MESSAGE, clean_text
from rapport.periods.choices import PeriodState
from rapport.reports import parts as part_services
from rapport.reports.choices import CouncilActionKind, PartState, ReportState
from rapport.reports.models import (
    CouncilAction,
    Highlight,
    Outlook,
    PartApproval,
    Report,
    ReportText,
)
from rapport.reports.records import person  # the report names people as it does: one function
from rapport.reports.rules import PartAction, part_organisations

from . import package, statements, versions
from .models import Package, PartConflict, Peer, SentObject, SharedPart, Statement

KIND = "report_part"
REMOVED = "report_part_removed"
MODELS = {"text": ReportText, "highlight": Highlight, "outlook": Outlook, "council_action": CouncilAction}
NAMES = {model: name for name, model in MODELS.items()}
HISTORY_LIMIT = versions.HISTORY_LIMIT
MAX_ORDER = 32767
RECEIVED = "federation.report_part_received"
APPROVAL_RECEIVED = "federation.report_part_approved"
APPROVAL_WITHDRAWN = "federation.report_part_approval_withdrawn"
REMOVED_VERB = "federation.report_part_removed"
CONFLICT_OPENED = "federation.report_part_conflict_opened"
CONFLICT_RESOLVED = "federation.report_part_conflict_resolved"
AUDITED = ["text", "language", "translations", "order", "state", "version", "classification", "releasable_to",
           "commitments", "action", "date", "organisation", "area"]


# Names and versions ---------------------------------------------------------------------------


def own_key() -> str:
    from .identity import own_organisation

    own = own_organisation()
    return own.key if own is not None else ""


def name_of(part, shared: SharedPart | None = None) -> tuple[str, int] | None:
    """(origin organisation's key, id there) of a part written in Rapport on this instance or
    received; None for a part of the default data (the same on every instance) or on a shared
    server."""
    if shared is None:
        shared = SharedPart.objects.filter(kind=NAMES[type(part)], local_id=part.pk).first()
    if shared is not None:
        return shared.origin, shared.origin_id
    key = own_key()
    return (key, part.pk) if key and part.author_id is not None else None


def names_of(kind: str, parts) -> dict[int, tuple[str, int]]:
    """{part pk: its name} for many parts of one kind, in one query."""
    key = own_key()
    if not key:
        return {}
    ids = [p.pk for p in parts]
    found = {s.local_id: (s.origin, s.origin_id) for s in SharedPart.objects.filter(kind=kind, local_id__in=ids)}
    for p in parts:
        if p.pk not in found and p.author_id is not None:
            found[p.pk] = (key, p.pk)
    return found


def subject_of(partnership: str, period: int, kind: str, name: tuple[str, int]) -> str:
    return f"report_part:{partnership}:{period}:{kind}:{name[0]}:{name[1]}"


def _marking(level, releasable) -> dict:
    return {"classification": {"scheme": level.scheme.key, "level": level.name, "rank": level.rank},
            "releasable_to": sorted(o.key for o in releasable) if level.rank else []}


def _version(kind: str, text: str, language: str, translations: dict, marking: dict, area, commitments,
             organisation, action, date) -> dict:
    """What one version of a part is: everything its approvers approve (not its place in the order)."""
    return {"kind": kind, "text": text, "language": language, "translations": translations or {}, **marking,
            "area": area, "commitments": commitments, "organisation": organisation, "action": action, "date": date}


def _fields(part) -> dict:
    kind = NAMES[type(part)]
    return {
        "area": part.area.key if kind == "text" and part.area_id else None,
        "commitments": sorted(part.commitments.values_list("ref", flat=True)) if kind == "highlight" else [],
        "organisation": part.organisation.key if kind == "council_action" else None,
        "action": part.action if kind == "council_action" else None,
        "date": part.date.isoformat() if kind == "council_action" and part.date else None,
    }


def digest_of(part) -> str:
    kind = NAMES[type(part)]
    return package.content_hash(_version(kind, part.text, part.language, part.translations,
                                         _marking(part.classification, part.releasable_to.all()), **_fields(part)))


def _shared(part, name=None) -> SharedPart:
    kind = NAMES[type(part)]
    found = SharedPart.objects.filter(kind=kind, local_id=part.pk).first()
    if found is None:
        origin, origin_id = name or (own_key(), part.pk)
        found = SharedPart.objects.create(kind=kind, local_id=part.pk, origin=origin, origin_id=origin_id, history=[])
    return found


def history(part, current: str | None = None) -> list[str]:
    """The versions this instance's part has been through, the current one last."""
    current = current or digest_of(part)
    shared = _shared(part)
    if not shared.history or shared.history[-1] != current:
        shared.history = versions.appended(shared.history, current)
        shared.save(update_fields=["history"])
    return list(shared.history)


def _remember(part, digests, author: str | None = None) -> None:
    shared = _shared(part)
    shared.history = versions.merged(shared.history, digests)
    if author is not None:
        shared.author = author
    shared.save(update_fields=["history", "author"])


def _by_peer(part) -> bool:
    return Peer.objects.filter(actor_id=part.author_id).exists()


def author_of(part) -> str:
    if _by_peer(part):
        shared = SharedPart.objects.filter(kind=NAMES[type(part)], local_id=part.pk).first()
        if shared is not None and shared.author:
            return shared.author
    return person(part.author)


# Sending --------------------------------------------------------------------------------------


def parts_to_send(peer: Peer, own, reader):
    """(kind, part) of every part written in Rapport the peer may receive, on the reports still
    open for parts: a joint part from any instance, a Council action from its own organisation's."""
    for kind, model in MODELS.items():
        qs = (model.objects.visible_to(reader)
              .filter(report__period__partnership__organisations=own, author__isnull=False,
                      classification__rank__lte=peer.accredited_up_to.rank)
              .exclude(report__period__state=PeriodState.ARCHIVED)
              .select_related("report__period__partnership", "classification__scheme", "author")
              .prefetch_related("releasable_to")
              .order_by("pk"))
        if model is CouncilAction:
            qs = qs.filter(organisation=own).select_related("organisation")
        else:
            qs = qs.exclude(report__state=ReportState.PUBLISHED)
        if model is ReportText:
            qs = qs.select_related("area")
        for part in qs:
            yield kind, part


def content(part, own) -> dict:
    """The exchanged form of a part: its name, place, version, and this organisation's signed
    approval of that version."""
    kind = NAMES[type(part)]
    period = part.report.period
    name = name_of(part, _shared(part))
    fields = _fields(part)
    marking = _marking(part.classification, part.releasable_to.all())
    digest = package.content_hash(_version(kind, part.text, part.language, part.translations, marking, **fields))
    subject = subject_of(period.partnership.key, period.ordinal, kind, name)
    approvals = PartApproval.objects.filter(**{part_services.APPROVAL_FIELD[type(part)]: part}, organisation=own,
                                            version=part.version).select_related("approver")
    return {
        "partnership": period.partnership.key, "period": period.ordinal, "part": kind,
        "origin": name[0], "origin_id": name[1], "order": part.order if kind != "council_action" else 0,
        "text": part.text, "language": part.language, "translations": part.translations, **marking, **fields,
        "digest": digest, "history": history(part, digest), "author": author_of(part),
        "approvals": [statements.sign_approval(organisation=own, subject=subject, digest=digest,
                                               approver=person(a.approver), at=a.at) for a in approvals],
    }


def removals(peer: Peer, sent_ids, partnership: str) -> list[tuple[int, dict]]:
    """(local id, removal) of the parts sent to ``peer`` that no longer exist here: each goes as
    a removal by its name."""
    gone = []
    for kind, model in MODELS.items():
        ids = sent_ids.get(kind, set())
        if not ids:
            continue
        missing = ids - set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
        for shared in SharedPart.objects.filter(kind=kind, local_id__in=missing).order_by("local_id"):
            gone.append((shared.local_id, {"partnership": partnership, "part": kind, "origin": shared.origin,
                                           "origin_id": shared.origin_id}))
    return gone


# Receiving ------------------------------------------------------------------------------------

CONTENT_FIELDS = {"partnership": str, "period": int, "part": str, "origin": str, "origin_id": int, "order": int,
                  "text": str, "language": str, "translations": dict, "classification": dict, "releasable_to": list,
                  "area": (str, type(None)), "commitments": list, "organisation": (str, type(None)),
                  "action": (str, type(None)), "date": (str, type(None)), "digest": str, "history": list,
                  "author": str, "approvals": list}
REMOVAL_FIELDS = {"partnership": str, "part": str, "origin": str, "origin_id": int}


@dataclass
class ResolvedPart:
    report: Report
    period: object
    kind: str
    name: tuple[str, int]
    level: object
    releasable_to: list
    area: object
    commitments: list
    organisation: object
    date: object
    content: dict
    approvals: list
    part: object = None  # this instance's part of that name, if the peer may name it

    commitment = None  # asked of every received item: a part is about its report


def _report(period):
    from .contents import BadContent

    report = Report.objects.filter(period=period).select_related("period__partnership").first()
    if report is None:
        raise BadContent("period", _("no report of period %(n)s here yet: import the packages before") % {"n": period.ordinal})
    return report


def _name(content: dict, lookups):
    from .contents import BadContent

    if content["part"] not in MODELS:
        raise BadContent("part", _("%(part)s is not a part of the report") % {"part": repr(content["part"])})
    members = {o for (p, o) in lookups.members if p == content["partnership"]}
    if content["origin"] not in members:
        raise BadContent("origin", _("not an organisation of the partnership"))
    if not 1 <= content["origin_id"] < 2**63:
        raise BadContent("origin_id", _("must be a whole number from 1"))
    return content["part"], (content["origin"], content["origin_id"])


def resolve(content: dict, lookups, peer: Peer) -> ResolvedPart:
    """This instance's rows for a received part; BadContent names the first field at fault."""
    from .contents import BadContent, check_texts, period_of, resolve_marking

    period = period_of(content, CONTENT_FIELDS, lookups)
    kind, name = _name(content, lookups)
    model = MODELS[kind]
    versions.check_lengths(content)
    if not 0 <= content["order"] <= MAX_ORDER:
        raise BadContent("order", _("must be a whole number from 0 to %(n)s") % {"n": MAX_ORDER})
    level, releasable = resolve_marking(content, lookups)
    language = check_texts(content, "text", ("author",), model, required=kind != "council_action")
    partnership = lookups.partnerships[content["partnership"]]
    members = {o for (p, o) in lookups.members if p == content["partnership"]}
    if level.rank and kind != "council_action" and members - {o.key for o in releasable}:
        raise BadContent("releasable_to", _("a joint part must be releasable to every organisation that approves it"))
    area = commitments = organisation = date = None
    for field in ("area", "organisation", "action", "date"):
        wanted = (kind == "text" and field == "area") or (kind == "council_action" and field != "area")
        if content[field] is not None and not wanted:
            raise BadContent(field, _("a %(kind)s has none") % {"kind": kind})
    if content["commitments"] and kind != "highlight":
        raise BadContent("commitments", _("a %(kind)s has none") % {"kind": kind})
    if content["area"] is not None:
        area = partnership.areas.filter(key=content["area"]).first()
        if area is None:
            raise BadContent("area", _("no area %(key)s in the partnership") % {"key": repr(content["area"])})
    refs = content["commitments"]
    if not all(isinstance(r, str) for r in refs) or refs != sorted(set(refs)) or len(refs) > 500:
        raise BadContent("commitments", _("expected distinct commitment references, in order"))
    commitments = list(Commitment.objects.filter(partnership=partnership, ref__in=refs))
    if len(commitments) != len(refs):
        raise BadContent("commitments", _("names a commitment not in this registry"))
    if kind == "council_action":
        organisation = lookups.members.get((content["partnership"], content["organisation"]))
        if organisation is None or organisation.pk != peer.organisation_id:
            raise BadContent("organisation", _("a peer sends only its own Council's actions"))
        if content["action"] not in CouncilActionKind.values:
            raise BadContent("action", _("not a Council action"))
        if content["date"] is not None:
            try:
                date = parse_date(content["date"]) if len(content["date"]) <= 10 else None
            except ValueError:
                date = None
            if date is None:
                raise BadContent("date", _("not a day (YYYY-MM-DD)"))
    version = _version(kind, content["text"], language, content["translations"], _marking(level, releasable),
                       content["area"], refs, content["organisation"], content["action"], content["date"])
    if content["digest"] != package.content_hash(version):
        raise BadContent("digest", _("does not name this part's version"))
    approvals = versions.checked_history_and_approvals(content, peer, subject_of(content["partnership"],
                                                                                  period.ordinal, kind, name))
    report = _report(period)
    part = _local(kind, name, peer)
    _place_of(part, report, peer)
    return ResolvedPart(report, period, kind, name, level, releasable, area, commitments, organisation,
                        date, content, approvals, part)


@dataclass
class ResolvedRemoval:
    report: Report
    period: object
    kind: str
    name: tuple[str, int]
    content: dict
    part: object = None

    commitment = None


def resolve_removal(content: dict, lookups, peer: Peer) -> ResolvedRemoval:
    from .contents import BadContent, check_fields

    check_fields(content, REMOVAL_FIELDS)
    if content["partnership"] not in lookups.partnerships:
        raise BadContent("partnership", _("no partnership %(key)s here") % {"key": repr(content["partnership"])})
    kind, name = _name(content, lookups)
    part = _local(kind, name, peer)
    _place_of(part, None, peer)
    report = part.report if part is not None else None
    return ResolvedRemoval(report, report.period if report else None, kind, name, content, part)


def _local(kind: str, name: tuple[str, int], peer: Peer):
    """This instance's part of that name, if it holds one that ``peer`` knows of: one the peer's
    instance wrote first, or one sent to it (a name the peer guesses finds nothing)."""
    shared = SharedPart.objects.filter(kind=kind, origin=name[0], origin_id=name[1]).first()
    if shared is None:
        return None
    if name[0] != peer.organisation.key and not SentObject.objects.filter(
            peer=peer, kind=f"{KIND}:{kind}", object_id=shared.local_id).exists():
        return None
    return (MODELS[kind].objects.filter(pk=shared.local_id).select_related("report__period__partnership")
            .prefetch_related("releasable_to").first())


def _within_link(part, peer: Peer) -> bool:
    """Whether the part as it is here may go to ``peer``: a peer never changes or removes one
    marked above the link's accreditation or not releasable to it (re-marked since it went)."""
    level = part.classification
    if level.rank > peer.accredited_up_to.rank:
        return False
    return level.rank == 0 or any(o.pk == peer.organisation_id for o in part.releasable_to.all())


def _place_of(part, report, peer: Peer) -> None:
    """Refuse a received part or removal that names one of ours it may not touch."""
    from .contents import BadContent

    if part is None:
        return
    if isinstance(part, CouncilAction) and part.organisation_id != peer.organisation_id:
        raise BadContent("part", _("a peer changes or removes only its own Council's actions"))
    if report is not None and part.report_id != report.pk:
        raise BadContent("period", _("the part is in another report here"))


_GONE = object()  # a part this instance held under that name and has deleted since


def _again(item, peer: Peer):
    """The part the checks found, read again and locked inside the import's transaction: None if
    there was none, False if it changed meanwhile so that the peer may no longer touch it."""
    if item.part is None:
        return None
    qs = MODELS[item.kind].objects
    if transaction.get_connection().features.has_select_for_update:
        qs = qs.select_for_update()
    part = qs.filter(pk=item.part.pk).select_related("report__period__partnership").first()
    if part is None:
        return _GONE
    try:
        _place_of(part, getattr(item, "report", None) if isinstance(item, ResolvedPart) else None, peer)
    except ValueError:
        return False
    return part


def _content_changed(part, actor) -> None:
    approved_content_changed.send(type(part), actor=actor, period=part.report.period, obj=part)


def _settle(part, actor, was: str) -> None:
    needed = part_organisations(part)
    have = set(part.approvals.filter(version=part.version).values_list("organisation_id", flat=True))
    part.state = (PartState.APPROVED if needed <= have else PartState.IN_APPROVAL if have else PartState.DRAFT)
    part.save(update_fields=["state"])
    if (was == PartState.APPROVED) != (part.state == PartState.APPROVED):
        _content_changed(part, actor)


def _take_approvals(part, peer: Peer, made: Package, item: ResolvedPart) -> bool:
    return versions.take_approval(
        part, peer=peer, made=made, approvals=item.approvals,
        subject=subject_of(item.content["partnership"], item.period.ordinal, item.kind, item.name),
        mine=part.approvals.filter(organisation=peer.organisation),
        create=lambda: PartApproval.objects.create(**{part_services.APPROVAL_FIELD[type(part)]: part},
                                                   organisation=peer.organisation, version=part.version,
                                                   approver=peer.actor),
        received=APPROVAL_RECEIVED, withdrawn=APPROVAL_WITHDRAWN)


def _write(part, item: ResolvedPart, peer: Peer) -> None:
    c = item.content
    part.text, part.language, part.translations = c["text"], c["language"], c["translations"]
    part.classification = item.level
    if item.kind == "text":
        part.area = item.area
    if item.kind == "council_action":
        part.organisation, part.action, part.date = item.organisation, c["action"], item.date
    else:
        part.order = c["order"]


def _writable(part) -> bool:
    from rapport.reports.rules import _open_for

    return _open_for(type(part), part.report) is None


def receive(peer: Peer, made: Package, item: ResolvedPart, outcome) -> None:
    """Apply a received part (the caller checked the package whole and the rule)."""
    c = item.content
    model = MODELS[item.kind]
    part = _again(item, peer)
    if part is False:
        outcome.unchanged += 1
        outcome.notes.append(_("a %(kind)s of the report changed here while the package was checked: kept as it "
                               "is") % {"kind": item.kind})
        return
    if part is None and SharedPart.objects.filter(kind=item.kind, origin=item.name[0],
                                                  origin_id=item.name[1]).exists():
        part = _GONE
    if part is _GONE or (part is None and item.name[0] == own_key()):
        outcome.unchanged += 1  # deleted here since it went: our removal goes with the next package
        outcome.notes.append(_("a %(kind)s of the report sent before is no longer held here") % {"kind": item.kind})
        return
    if part is not None and not _within_link(part, peer):
        outcome.unchanged += 1  # re-marked here since it went: what the peer sends of it changes nothing
        outcome.notes.append(_("a %(kind)s of the report is now marked here above what the link carries: "
                               "kept as it is") % {"kind": item.kind})
        return
    if part is None:
        part = model(report=item.report, author=peer.actor, state=PartState.DRAFT, version=1)
        _write(part, item, peer)
        part.full_clean(exclude=["author"])
        part.save()
        part.releasable_to.set(item.releasable_to)
        if item.kind == "highlight":
            part.commitments.set(item.commitments)
        SharedPart.objects.create(kind=item.kind, local_id=part.pk, origin=item.name[0], origin_id=item.name[1],
                                  history=c["history"][-HISTORY_LIMIT:], author=c["author"])
        # The peer holds it: deleted here, it goes to the peer as a removal even if never sent back.
        SentObject.objects.get_or_create(peer=peer, kind=f"{KIND}:{item.kind}", object_id=part.pk,
                                         defaults={"content_sha256": "", "package": made})
        _take_approvals(part, peer, made, item)
        _settle(part, peer.actor, PartState.DRAFT)
        record(actor=peer.actor, verb=RECEIVED, obj=part, after=snapshot(part, AUDITED),
               message=_received(peer, made, c, "first version"))
        outcome.created += 1
        return
    ours = history(part)
    if c["digest"] == ours[-1]:
        _remember(part, c["history"])
        _close_conflicts(part, peer, c["history"])
        changed = _take_approvals(part, peer, made, item)
        moved = _move(part, c["order"], peer, made)
        if changed or moved:
            was = part.state
            _settle(part, peer.actor, was)
            outcome.updated += 1
        else:
            outcome.unchanged += 1
        return
    if c["digest"] in ours:
        outcome.unchanged += 1
        outcome.notes.append(_("a %(kind)s of the report: the peer's version is older than ours") % {"kind": item.kind})
        return
    if ours[-1] in c["history"] and item.level.rank >= part.classification.rank and _writable(part):
        was = part.state
        before = snapshot(part, AUDITED)
        _write(part, item, peer)
        part.version, part.author = part.version + 1, peer.actor
        part.full_clean(exclude=["author"])
        part.save()
        part.releasable_to.set(item.releasable_to)
        if item.kind == "highlight":
            part.commitments.set(item.commitments)
        part.approvals.all().delete()
        _remember(part, c["history"], author=c["author"])
        _take_approvals(part, peer, made, item)
        _settle(part, peer.actor, was)
        _close_conflicts(part, peer, c["history"])
        record(actor=peer.actor, verb=RECEIVED, obj=part, before=before, after=snapshot(part, AUDITED),
               message=_received(peer, made, c, "a new version made from ours"))
        outcome.updated += 1
        return
    _open_conflict(part, peer, made, item)
    outcome.part_conflicts += 1


def _move(part, order: int, peer: Peer, made: Package) -> bool:
    if isinstance(part, CouncilAction) or part.order == order or not _writable(part):
        return False
    before = snapshot(part, AUDITED)
    part.order = order
    part.save(update_fields=["order"])
    record(actor=peer.actor, verb=RECEIVED, obj=part, before=before, after=snapshot(part, AUDITED),
           message=f"Moved on {peer.organisation.short_name}'s instance (package {made.sequence}, sha256 {made.sha256}).")
    if part.state == PartState.APPROVED:
        _content_changed(part, peer.actor)
    return True


def _received(peer, made, c, what) -> str:
    return (f"{peer.organisation.short_name}'s {what} (by {c['author'] or '—'}), received in package "
            f"{made.sequence} (sha256 {made.sha256}), signature verified.")


def _close_conflicts(part, peer: Peer, their_history) -> None:
    for conflict in PartConflict.objects.filter(kind=NAMES[type(part)], part_id=part.pk, peer=peer,
                                                resolved_at__isnull=True, their_sha256__in=their_history):
        conflict.resolved_at, conflict.resolution = timezone.now(), PartConflict.Resolution.SUPERSEDED
        conflict.save(update_fields=["resolved_at", "resolution"])
        record(actor=peer.actor, verb=CONFLICT_RESOLVED, obj=part,
               message=f"Conflict with {peer.organisation.short_name}'s version resolved on its instance.")


def _open_conflict(part, peer: Peer, made: Package, item: ResolvedPart) -> None:
    c = item.content
    kind = NAMES[type(part)]
    open_ = PartConflict.objects.filter(kind=kind, part_id=part.pk, peer=peer, resolved_at__isnull=True)
    if open_.filter(their_sha256=c["digest"]).exists():
        return
    open_.update(resolved_at=timezone.now(), resolution=PartConflict.Resolution.SUPERSEDED)
    conflict = PartConflict.objects.create(kind=kind, part_id=part.pk, peer=peer, their_text=c["text"],
                                           their_sha256=c["digest"], their_author=c["author"],
                                           their_content={k: v for k, v in c.items() if k != "approvals"},
                                           package=made, classification=item.level)
    conflict.releasable_to.set(item.releasable_to)
    record(actor=peer.actor, verb=CONFLICT_OPENED, obj=part,
           message=f"{peer.organisation.short_name} changed this part while it changed here too "
                   f"(package {made.sequence}, sha256 {made.sha256}): both versions wait for a resolution.")


def receive_removal(peer: Peer, made: Package, item: ResolvedRemoval, outcome) -> None:
    """Delete this instance's part the peer deleted (whatever was done to it here since: a
    deletion is not a version, and either organisation's coordinators may delete a joint part)."""
    part = _again(item, peer)
    if part is False or part is _GONE:
        part = None
    if part is None or not _writable(part) or not _within_link(part, peer):
        outcome.unchanged += 1
        if part is not None:
            outcome.notes.append(_("a %(kind)s of the report the peer deleted stays here: its report is final, "
                                   "or it is now marked above what the link carries") % {"kind": item.kind})
        return
    was_approved = part.state == PartState.APPROVED
    record(actor=peer.actor, verb=REMOVED_VERB, obj=part, before=snapshot(part, AUDITED),
           message=f"Deleted on {peer.organisation.short_name}'s instance (package {made.sequence}, "
                   f"sha256 {made.sha256}).")
    report = part.report
    kind = NAMES[type(part)]
    PartConflict.objects.filter(kind=kind, part_id=part.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolution=PartConflict.Resolution.SUPERSEDED)
    SharedPart.objects.filter(kind=kind, local_id=part.pk).delete()
    part.delete()
    if was_approved:
        approved_content_changed.send(MODELS[kind], actor=peer.actor, period=report.period, obj=report)
    outcome.updated += 1


# Reading and resolving ------------------------------------------------------------------------


def open_conflicts(part, user):
    """The open conflicts on a part that ``user`` may read."""
    return (PartConflict.objects.visible_to(user)
            .filter(kind=NAMES[type(part)], part_id=part.pk, resolved_at__isnull=True)
            .select_related("peer__organisation", "package").order_by("opened", "pk"))


def exchange_notes(parts, user) -> dict:
    """{(kind, pk): {"author": ..., "conflict": bool}} for the parts a page lists: who wrote a
    version received from a peer (as its instance named them), and which parts wait on a
    conflict the reader may read. A few queries whatever the number of parts; none on a server
    without peers."""
    actors = set(Peer.objects.values_list("actor_id", flat=True))
    if not actors or not parts:
        return {}
    notes = {}
    by_kind: dict[str, list[int]] = {}
    for part in parts:
        by_kind.setdefault(NAMES[type(part)], []).append(part.pk)
        if part.author_id in actors:
            notes[(NAMES[type(part)], part.pk)] = {"author": "", "conflict": False}
    for kind, ids in by_kind.items():
        for local_id, author in SharedPart.objects.filter(kind=kind, local_id__in=ids).values_list("local_id",
                                                                                                     "author"):
            if (kind, local_id) in notes:
                notes[(kind, local_id)]["author"] = author
        for part_id in (PartConflict.objects.visible_to(user).filter(kind=kind, part_id__in=ids,
                                                                     resolved_at__isnull=True)
                        .values_list("part_id", flat=True)):
            notes.setdefault((kind, part_id), {"author": "", "conflict": False})["conflict"] = True
    return notes


def signed_approvals(part, approvals) -> dict:
    """{approval pk: (approver as the peer's instance named them, signature verifies)}."""
    peers = set(Peer.objects.values_list("actor_id", flat=True))
    theirs = [a for a in approvals if a.approver_id in peers]
    name = name_of(part) if theirs else None
    if not theirs or name is None:
        return {}
    period = part.report.period
    subject = subject_of(period.partnership.key, period.ordinal, NAMES[type(part)], name)
    found = {}
    for a in theirs:
        statement = (Statement.objects.filter(organisation_id=a.organisation_id, subject=subject,
                                              digest=digest_of(part)).select_related("peer").first())
        if statement is not None:
            found[a.pk] = (json.loads(statement.body)["approver"], statements.verified(statement))
    return found


@transaction.atomic
def resolve_conflict(*, actor, conflict: PartConflict, keep: str, message: str = ""):
    """Close a conflict by keeping ours or taking theirs (an edit: it asks the write rule and
    clears approvals). Either way the version that results is made from both, so the peer takes
    it without a new conflict; to write a third version, keep ours and edit it."""
    message = clean_text(message, field="message", max_length=MESSAGE, what=_("the message"))
    if keep not in (PartConflict.Resolution.OURS, PartConflict.Resolution.THEIRS):
        raise InputError(_("Say which version to keep: ours or theirs."), field="keep")
    conflict = PartConflict.objects.select_related("peer__organisation").get(pk=conflict.pk)
    if conflict.resolved_at is not None:
        raise InputError(_("This conflict is already resolved."), field="keep")
    model = MODELS[conflict.kind]
    part = model.objects.select_related("report__period__partnership").get(pk=conflict.part_id)
    require(actor, PartAction.WRITE, part)
    theirs = conflict.their_content
    if keep == PartConflict.Resolution.THEIRS:
        if conflict.classification.rank < part.classification.rank:
            raise InputError(_("%(org)s's version is marked %(theirs)s, lower than the part here (%(ours)s): taking "
                               "it would lower its marking. Keep the version here.")
                             % {"org": conflict.peer.organisation.short_name, "theirs": conflict.classification.name,
                                "ours": part.classification.name}, field="keep")
        extra = {}
        if conflict.kind == "text":
            extra["area"] = part.report.period.partnership.areas.filter(key=theirs.get("area") or "").first()
        if conflict.kind == "council_action":
            extra.update(action=theirs["action"], date=parse_date(theirs["date"]) if theirs["date"] else None)
        if conflict.kind == "highlight":
            refs = theirs.get("commitments") or []
            extra["links"] = {"commitments": list(Commitment.objects.filter(
                partnership=part.report.period.partnership, ref__in=refs).values_list("pk", flat=True))}
        # Their marking, in the writer's own scheme (the level of the same rank), as every writer marks.
        level = actor.organisation.scheme.levels.filter(rank=conflict.classification.rank).first()
        if level is None:
            raise InputError(_("%(scheme)s has no level of the rank %(org)s's version is marked at.")
                             % {"scheme": actor.organisation.scheme.name,
                                "org": conflict.peer.organisation.short_name}, field="keep")
        part = part_services.edit_part(
            actor=actor, part=part, base_version=part.version, text=conflict.their_text,
            classification=level, releasable_to=list(conflict.releasable_to.all()),
            language=theirs.get("language") or part.language, translations=theirs.get("translations") or {},
            **extra)
    history(part)
    _remember(part, [*(theirs.get("history") or []), digest_of(part)])
    conflict.resolved_at, conflict.resolved_by, conflict.resolution = timezone.now(), actor, keep
    conflict.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    record(actor=actor, verb=CONFLICT_RESOLVED, obj=part,
           message=message or f"Conflict with {conflict.peer.organisation.short_name}'s version resolved: "
                              f"{conflict.get_resolution_display()}.")
    return part
