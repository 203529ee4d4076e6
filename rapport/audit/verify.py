"""Recompute the audit chain and name the first entry that does not fit."""

from __future__ import annotations

from dataclasses import dataclass

from .chain import GENESIS, entry_hash
from .models import AuditEvent, AuditHead


@dataclass(frozen=True)
class ChainStatus:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""

    def describe(self) -> str:
        if self.ok:
            return f"Audit chain intact: {self.checked} entries verified."
        return f"Audit chain broken at entry #{self.first_bad_seq}: {self.problem}"


def verify_chain(batch_size: int = 2000) -> ChainStatus:
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    events = AuditEvent.objects.order_by("seq").prefetch_related("releasable_to")
    for event in events.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            if event.seq > expected_seq:
                return ChainStatus(False, checked, expected_seq, f"entry is missing (next entry found is #{event.seq}).")
            return ChainStatus(False, checked, event.seq, "sequence number repeats or goes backwards.")
        if event.prev_hash != expected_prev:
            return ChainStatus(False, checked, event.seq, "it does not follow the previous entry (inserted, or a previous entry was removed).")
        if entry_hash(event, [o.key for o in event.releasable_to.all()]) != event.hash:
            return ChainStatus(False, checked, event.seq, "its content was altered after it was written.")
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != checked or head.hash != expected_prev):
        return ChainStatus(False, checked, checked + 1 if head.seq > checked else head.seq,
                           f"the log ends at #{checked} but {head.seq} entries were written (entries removed from the end).")
    return ChainStatus(True, checked)
