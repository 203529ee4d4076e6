"""Recompute the audit chain and name the first entry that does not fit.

Both checks read one consistent picture of the log: the head row first (in the same
statement as the highest sequence number), then only the entries up to the head,
which no writer changes any more; on PostgreSQL everything runs in one REPEATABLE
READ, read-only transaction. The checkpoint file is read before the database, so
each of its lines names an entry that was committed before the head was read.

``verify_chain`` checks the whole log (``rapport audit verify``, ``rapport check``).
``page_status`` (the audit pages) checks only the entries written since the last
verification, whose result is kept in ``ChainVerification`` under an HMAC.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import checkpoints
from .chain import GENESIS, entry_hash, keyed_hash
from .keys import audit_key
from .models import AuditEvent, AuditHead, ChainVerification
from .verbs import Verb


@dataclass(frozen=True)
class ChainStatus:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""
    notices: tuple[str, ...] = ()
    verified_seq: int = 0  # the chain is intact up to this entry
    verified_hash: str = GENESIS

    def describe(self) -> str:
        if self.ok:
            return _("Audit chain intact: %(count)s entries verified.") % {"count": self.checked}
        if self.first_bad_seq is None:
            return _("Audit chain broken: %(problem)s") % {"problem": self.problem}
        return _("Audit chain broken at entry #%(seq)s: %(problem)s") % {"seq": self.first_bad_seq,
                                                                         "problem": self.problem}


class _Broken(Exception):
    def __init__(self, seq: int | None, problem: str):
        super().__init__(problem)
        self.seq, self.problem = seq, problem


@contextmanager
def _snapshot() -> Iterator[None]:
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    else:
        # SQLite: the head and the highest seq come from one statement; entries up to
        # the head are never changed by writers, who only append after it.
        yield


def _head_and_last() -> tuple[int | None, str, int]:
    """(head seq or None if the row is missing, head hash, highest seq in the log), in one statement."""
    last = AuditEvent.objects.order_by("-seq").values("seq")[:1]
    row = (AuditHead.objects.filter(pk=1).annotate(last_seq=Subquery(last))
           .values_list("seq", "hash", "last_seq").first())
    if row is not None:
        return row[0], row[1], row[2] or 0
    return None, GENESIS, AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@dataclass
class _Walk:
    """Walks entries first..upto, chained from (after_seq, after_hash)."""

    key: bytes
    after_seq: int
    after_hash: str
    marks: dict[int, list[checkpoints.Checkpoint]] = field(default_factory=dict)
    checked: int = 0
    notices: list[str] = field(default_factory=list)

    def run(self, upto: int, batch_size: int, anchor: bool = False) -> None:
        expected_seq, expected_prev = self.after_seq + 1, self.after_hash
        lo = self.after_seq if anchor else self.after_seq + 1
        while lo <= upto:
            hi = min(upto, lo + batch_size - 1)
            rows = list(AuditEvent.objects.filter(seq__gte=lo, seq__lte=hi).order_by("seq"))
            releasable: dict[int, list[str]] = defaultdict(list)
            through = AuditEvent.releasable_to.through.objects
            for event_id, org_key in through.filter(auditevent__seq__gte=lo, auditevent__seq__lte=hi) \
                    .values_list("auditevent_id", "organisation__key"):
                releasable[event_id].append(org_key)
            for event in rows:
                if anchor and event.seq == self.after_seq:
                    if event.hash != self.after_hash or entry_hash(event, releasable[event.pk], self.key) != event.hash:
                        raise _Broken(event.seq, _("it was altered since it was last verified."))
                    anchor = False
                    continue
                if anchor:
                    raise _Broken(self.after_seq, _("entry is missing (it was verified before)."))
                self._check(event, releasable[event.pk], expected_seq, expected_prev)
                expected_seq, expected_prev = event.seq + 1, event.hash
                self.checked += 1
            if anchor:
                raise _Broken(self.after_seq, _("entry is missing (it was verified before)."))
            lo = hi + 1
        if expected_seq <= upto:
            raise _Broken(expected_seq, _("entry is missing (the log ends at #%(last)s, the head row names "
                                          "#%(head)s; entries removed from the end).")
                          % {"last": expected_seq - 1, "head": upto})
        self.after_seq, self.after_hash = expected_seq - 1, expected_prev

    def _check(self, event: AuditEvent, releasable: list[str], expected_seq: int, expected_prev: str) -> None:
        if event.seq != expected_seq:
            if event.seq > expected_seq:
                raise _Broken(expected_seq, _("entry is missing (next entry found is #%(seq)s).") % {"seq": event.seq})
            raise _Broken(event.seq, _("sequence number repeats or goes backwards."))
        if event.prev_hash != expected_prev:
            raise _Broken(event.seq, _("it does not follow the previous entry (inserted, or a previous entry was "
                                       "removed)."))
        if entry_hash(event, releasable, self.key) != event.hash:
            raise _Broken(event.seq, _("its content was altered after it was written."))
        for mark in self.marks.get(event.seq, ()):
            if mark.hash != event.hash:
                raise _Broken(event.seq, _("it does not match the checkpoint file (%(where)s): the log was "
                                           "rewritten after that checkpoint.") % {"where": _where(mark)})
        if event.verb == Verb.AUDIT_HEAD_RESTORED:
            self.notices.append(_("Entry #%(seq)s: %(message)s") % {"seq": event.seq, "message": event.message})


def _tail(head_seq: int | None, head_hash: str, last_seq: int, walk: _Walk) -> None:
    """What the entries alone cannot show: the head row against the last entry."""
    if head_seq is None:
        if last_seq:
            raise _Broken(None, _("the head row is missing (deleted?); the log ends at entry #%(seq)s. The next "
                                  "audited write rebuilds it and records that in the log.") % {"seq": last_seq})
        return
    if last_seq > head_seq:
        raise _Broken(head_seq + 1, _("entry comes after the head row (#%(seq)s): appended outside Rapport, or "
                                      "the head row was rewritten.") % {"seq": head_seq})
    if walk.after_hash != head_hash:
        raise _Broken(head_seq, _("the head row does not name this entry's hash (the head row was rewritten)."))


def _checkpoint_marks(marks: list[checkpoints.Checkpoint], bad_lines: list[int]) -> dict:
    if bad_lines:
        raise _Broken(None, _("line %(line)s of the checkpoint file %(file)s is not a checkpoint.")
                      % {"line": bad_lines[0], "file": checkpoints.path()})
    by_seq: dict[int, list[checkpoints.Checkpoint]] = defaultdict(list)
    for mark in marks:
        by_seq[mark.seq].append(mark)
    return by_seq


def _where(mark: checkpoints.Checkpoint) -> str:
    if mark.line:
        return _("line %(line)s, written %(at)s") % {"line": mark.line, "at": mark.at}
    return _("the line written %(at)s") % {"at": mark.at}


def _beyond(marks: dict[int, list], verified_seq: int) -> None:
    if marks:
        last = max(marks)
        if last > verified_seq:
            mark = marks[last][0]
            raise _Broken(verified_seq + 1, _("entry is missing: the checkpoint file (%(where)s) records entry "
                                              "#%(seq)s, but the log ends at #%(last)s (entries removed from the end, "
                                              "or the log emptied).")
                          % {"where": _where(mark), "seq": last, "last": verified_seq})


def verify_chain(batch_size: int = 2000, *, remember: bool = True) -> ChainStatus:
    """Check every entry, the head row and every line of the checkpoint file."""
    key = audit_key()
    marks, bad_lines = checkpoints.read_all()  # before the database: see the module's docstring
    walk = _Walk(key, 0, GENESIS)
    try:
        walk.marks = _checkpoint_marks(marks, bad_lines)
        with _snapshot():
            head_seq, head_hash, last_seq = _head_and_last()
            walk.run(head_seq if head_seq is not None else last_seq, batch_size)
            _tail(head_seq, head_hash, last_seq, walk)
            _beyond(walk.marks, walk.after_seq)
    except _Broken as broken:
        return ChainStatus(False, walk.checked, broken.seq, broken.problem, tuple(walk.notices),
                           walk.after_seq, walk.after_hash)
    if walk.checked and not marks:
        walk.notices.append(_("There is no checkpoint file at %(file)s (or it is empty): entries removed from "
                              "the end are then caught only by a signed head kept elsewhere ('rapport audit verify "
                              "--against').") % {"file": checkpoints.path()})
    status = ChainStatus(True, walk.checked, notices=tuple(walk.notices),
                         verified_seq=walk.after_seq, verified_hash=walk.after_hash)
    if remember:
        _remember(key, status.verified_seq, status.verified_hash, ChainVerification.Kind.FULL, None)
    return status


# The pages: verify from the last verified entry ---------------------------------------------------


@dataclass(frozen=True)
class PageStatus:
    status: ChainStatus
    verified_from: int  # this request checked entries after this one
    full_verified_at: datetime.datetime | None

    @property
    def ok(self) -> bool:
        return self.status.ok

    @property
    def verified_seq(self) -> int:
        return self.status.verified_seq

    def describe(self) -> str:
        """For every reader of the audit pages: no entry numbers or counts, which would tell how
        much was written that the reader may not see."""
        if not self.ok:
            return self.status.describe()
        if self.verified_seq == 0:
            return _("The audit log has no entries yet.")
        if self.full_verified_at:
            full = _("the whole log was last verified on %(when)s") % {
                "when": date_format(timezone.localtime(self.full_verified_at), "d M Y H:i")}
        else:
            full = _("the whole log has not been verified yet ('rapport audit verify')")
        return _("The entries written since the last check were verified now, each against the one before and "
                 "the checkpoint file; %(full)s.") % {"full": full}


def _stamp(at: datetime.datetime | None) -> str | None:
    return at.astimezone(datetime.UTC).isoformat() if at else None


def _mac(key: bytes, seq: int, hash_: str, verified_at, kind: str, full_at) -> str:
    return keyed_hash(key, {"purpose": "rapport audit verification", "seq": seq, "hash": hash_,
                            "verified_at": _stamp(verified_at), "kind": kind, "full_verified_at": _stamp(full_at)})


def _last_verification(key: bytes) -> ChainVerification | None:
    state = ChainVerification.objects.filter(pk=1).first()
    if state is None:
        return None
    expected = _mac(key, state.seq, state.hash, state.verified_at, state.kind, state.full_verified_at)
    return state if state.mac == expected else None  # forged or stale: verify from #1


def _remember(key: bytes, seq: int, hash_: str, kind: str, previous: ChainVerification | None) -> None:
    now = timezone.now().replace(microsecond=0)
    full_at = now if kind == ChainVerification.Kind.FULL else (previous.full_verified_at if previous else None)
    row = ChainVerification(pk=1, seq=seq, hash=hash_, verified_at=now, kind=kind, full_verified_at=full_at,
                            mac=_mac(key, seq, hash_, now, kind, full_at))
    # One statement whether the row exists or not.
    ChainVerification.objects.bulk_create([row], update_conflicts=True, unique_fields=["id"],
                                          update_fields=["seq", "hash", "verified_at", "kind",
                                                         "full_verified_at", "mac"])


def page_status(batch_size: int = 5000) -> PageStatus:
    """Verify the entries written since the last verification, against the checkpoint lines
    written since, and that the entry it ended at still fits. A rebuilt head row among the new
    entries asks for a full verification: only that compares the whole log with the file."""
    key = audit_key()
    previous = _last_verification(key)
    start_seq, start_hash = (previous.seq, previous.hash) if previous else (0, GENESIS)
    marks, garbled = checkpoints.read_since(start_seq)  # before the database
    walk = _Walk(key, start_seq, start_hash)
    try:
        if garbled:
            raise _Broken(None, _("a recent line of the checkpoint file %(file)s is not a checkpoint.")
                          % {"file": checkpoints.path()})
        walk.marks = _checkpoint_marks(marks, [])
        with _snapshot():
            head_seq, head_hash, last_seq = _head_and_last()
            upto = head_seq if head_seq is not None else last_seq
            if start_seq > upto:
                raise _Broken(upto + 1, _("entry is missing: entries up to #%(verified)s were verified before, but "
                                          "the log ends at #%(last)s (entries removed from the end).")
                              % {"verified": start_seq, "last": upto})
            walk.run(upto, batch_size, anchor=start_seq > 0)
            _tail(head_seq, head_hash, last_seq, walk)
            _beyond(walk.marks, walk.after_seq)
        restored = AuditEvent.objects.filter(seq__gt=start_seq, seq__lte=walk.after_seq,
                                             verb=Verb.AUDIT_HEAD_RESTORED).order_by("seq").first()
        if restored is not None:
            raise _Broken(restored.seq, _("the audit head row was found changed and rebuilt: entries may have been "
                                          "removed or replaced. Run 'rapport audit verify' to check the whole log."))
    except _Broken as broken:
        status = ChainStatus(False, walk.checked, broken.seq, broken.problem, tuple(walk.notices))
        return PageStatus(status, start_seq, previous.full_verified_at if previous else None)
    status = ChainStatus(True, walk.checked, notices=tuple(walk.notices),
                         verified_seq=walk.after_seq, verified_hash=walk.after_hash)
    if previous is None or previous.seq != walk.after_seq:
        _remember(key, walk.after_seq, walk.after_hash, ChainVerification.Kind.INCREMENTAL, previous)
    return PageStatus(status, start_seq, previous.full_verified_at if previous else None)
