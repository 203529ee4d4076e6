"""The single writer of the audit log. Service functions call ``record`` inside
their transaction, so an audit entry exists exactly when its change does."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from rapport.markings.models import MarkedModel

from . import checkpoints
from .chain import GENESIS, entry_hash
from .context import current_request_id
from .models import AuditEvent, AuditHead
from .signals import recorded
from .verbs import Verb


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe picture of a record's concrete fields (and many-to-many ids)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields and field.name not in fields:
            continue
        value = field.value_from_object(obj)
        data[field.attname] = value
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            if fields and field.name not in fields:
                continue
            data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return json.loads(json.dumps(data, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _actor_org(actor) -> str:
    if actor is None:
        return ""
    if getattr(actor, "organisation_id", None):
        return actor.organisation.key
    if getattr(actor, "delegation_id", None):
        return f"delegation:{actor.delegation.code}"
    return ""


def record(
    *,
    actor,
    verb: Verb | str,
    obj: models.Model,
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    message: str = "",
    classification=None,
    releasable_to: list | None = None,
    system_actor: str = "system",
) -> AuditEvent:
    """Append one entry to the chain.

    The entry's marking is, in order of preference: the one given, the marking
    of ``obj`` if it carries one, else PUBLIC (reference data such as
    organisations and member states is public by nature).
    """
    from rapport.markings.models import ClassificationLevel

    object_repr = (object_repr or str(obj))[:300]
    if classification is None:
        if isinstance(obj, MarkedModel):
            classification = obj.classification
            releasable_to = list(obj.releasable_to.all()) if releasable_to is None else releasable_to
        else:
            classification = ClassificationLevel.objects.filter(rank=0).order_by("pk").first()
    releasable_to = releasable_to or []
    with transaction.atomic():
        head = _current_head()
        event = AuditEvent(
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=getattr(actor, "username", "") or system_actor,
            actor_org=_actor_org(actor),
            verb=str(verb),
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_pk=obj.pk,
            object_repr=object_repr,
            before=before,
            after=after,
            message=message,
            request_id=current_request_id.get(),
            classification=classification,
        )
        _append(head, event, releasable_to)
        recorded.send(AuditEvent, event=event, obj=obj, actor=actor)
    checkpoints.after_commit(event.seq, event.hash)
    return event


@dataclass
class Entry:
    """One entry of ``record_many``: what ``record`` takes for one object."""

    obj: models.Model
    after: dict | None = None
    before: dict | None = None
    message: str = ""
    object_repr: str = ""
    classification: object = None
    releasable_to: list | None = None


def record_many(*, actor, verb: Verb | str, entries: list[Entry], system_actor: str = "system",
                batch_size: int = 2000) -> int:
    """Append one entry per item, as ``record`` would one by one, in a few queries per batch.

    For writers that create many records at once (the demonstration data). Each item
    must give its marking (``classification`` and ``releasable_to``), so nothing is read
    per object."""
    if not entries:
        return 0
    through = AuditEvent.releasable_to.through
    with transaction.atomic():
        head = _current_head()
        for start in range(0, len(entries), batch_size):
            events, links = [], []
            for item in entries[start:start + batch_size]:
                event = AuditEvent(
                    actor=actor if getattr(actor, "pk", None) else None,
                    actor_name=getattr(actor, "username", "") or system_actor,
                    actor_org=_actor_org(actor), verb=str(verb),
                    content_type=ContentType.objects.get_for_model(item.obj, for_concrete_model=False),
                    object_pk=item.obj.pk, object_repr=(item.object_repr or str(item.obj))[:300],
                    before=item.before, after=item.after, message=item.message,
                    request_id=current_request_id.get(), classification=item.classification,
                    seq=head.seq + 1, at=timezone.now(), prev_hash=head.hash,
                )
                releasable = list(item.releasable_to or [])
                event.hash = entry_hash(event, [o.key for o in releasable])
                head.seq, head.hash = event.seq, event.hash
                events.append(event)
                links.append(releasable)
            AuditEvent.objects.bulk_create(events)
            saved = dict(AuditEvent.objects.filter(seq__in=[e.seq for e in events]).values_list("seq", "pk"))
            through.objects.bulk_create([through(auditevent_id=saved[e.seq], organisation_id=o.pk)
                                         for e, orgs in zip(events, links, strict=True) for o in orgs])
        head.save(update_fields=["seq", "hash"])
    checkpoints.after_commit(head.seq, head.hash)
    return len(entries)


def _append(head: AuditHead, event: AuditEvent, releasable_to: list) -> None:
    event.seq, event.at, event.prev_hash = head.seq + 1, timezone.now(), head.hash
    event.hash = entry_hash(event, [o.key for o in releasable_to])
    event.save()
    if releasable_to:
        event.releasable_to.set(releasable_to)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])


def _current_head() -> AuditHead:
    """The locked head row. If it is missing or does not name the last entry (someone
    changed the database), it is rebuilt from the last entry and an entry says so:
    audited writes go on and the tampering stays in the log."""
    from rapport.markings.models import ClassificationLevel

    head_qs = AuditHead.objects.all()
    if connection.features.has_select_for_update:
        head_qs = head_qs.select_for_update()
    head = head_qs.filter(pk=1).first()
    last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first() or (0, GENESIS)
    if head is not None and (head.seq, head.hash) == last:
        return head
    if head is None and last == (0, GENESIS):
        return AuditHead.objects.create(pk=1, seq=0, hash=GENESIS)  # a new log
    if head is None:
        before, found = None, "was missing"
        head = AuditHead(pk=1)
    else:
        before, found = {"seq": head.seq, "hash": head.hash}, f"named entry #{head.seq}"
    head.seq, head.hash = last
    head.save()
    where = f"the log ends at entry #{last[0]}" if last[0] else "the log is empty"
    restored = AuditEvent(
        actor=None, actor_name="audit", actor_org="", verb=str(Verb.AUDIT_HEAD_RESTORED),
        content_type=ContentType.objects.get_for_model(AuditHead), object_pk=head.pk,
        object_repr=str(head), before=before, after={"seq": last[0], "hash": last[1]},
        message=f"The audit head row {found} but {where}; rebuilt from the log. "
                "Run 'rapport audit verify' to see what was changed.",
        request_id=current_request_id.get(),
        classification=ClassificationLevel.objects.filter(rank=0).order_by("pk").first(),
    )
    _append(head, restored, [])
    return head
