"""Who wrote and approved what, for the report's provenance, on an instance that holds other
organisations' records: a received copy is written here under the peer's instance account,
but the report names the people the peer's instance named (``reports.records.Records.provenance``)."""

from __future__ import annotations

import json

from rapport.core.registry import register

from .models import Peer, ReceivedCopy, SharedText, Statement


@register("record_provenance", "federation")
def names(kind: str, objs: list) -> dict:
    """{pk: {"author": ..., "approver": ...}} for the records of ``kind`` that came from a peer;
    for the report's parts, {pk: {"name": "eu:57", "sort": ("eu", 57)}}: the name every instance
    knows a part by (report_parts.py)."""
    if kind in ("highlight", "outlook", "text") and objs:
        from .report_parts import names_of

        return {pk: {"name": f"{origin}:{origin_id}", "sort": (origin, origin_id)}
                for pk, (origin, origin_id) in names_of(kind, objs).items()}
    actors = set(Peer.objects.values_list("actor_id", flat=True))
    if not actors or not objs:
        return {}
    if kind == "contribution":
        ids = [o.pk for o in objs if o.author_id in actors]
        return {c.local_id: c.names for c in ReceivedCopy.objects.filter(kind="contribution", local_id__in=ids)}
    if kind == "joint_text":
        ids = [o.pk for o in objs if o.author_id in actors]
        return {s.joint_text_id: {"author": s.author}
                for s in SharedText.objects.filter(joint_text_id__in=ids).exclude(author="")}
    if kind == "report_approval":
        found = {}
        for approval in objs:
            if approval.approver_id not in actors:
                continue
            statement = (Statement.objects.filter(approval_id=approval.pk, organisation_id=approval.organisation_id,
                                                  peer__isnull=False, subject=_subject(approval))
                         .order_by("-pk").first())
            if statement is not None:
                found[approval.pk] = {"approver": json.loads(statement.body)["approver"]}
        return found
    return {}


def _subject(approval) -> str:
    from .statements import report_subject

    period = approval.report.period
    return report_subject(period.partnership.key, period.ordinal)
