"""The checkpoint file: outside the database, one line (JSON: seq, hash, at) appended
after every commit that wrote audit entries.

``verify`` checks every line against the log: the entry with that seq must still
have that hash, and the log may be longer than the checkpoints (commits since) but
never shorter. So removing entries from the end, emptying the log or replacing it
shows even when the database's own head row was rewritten to match.

Lines are appended with O_APPEND in one write of well under 4 KiB, so writers in
several processes never interleave; they may land out of order, which is fine:
each line stands alone.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

log = logging.getLogger("rapport.audit")

_HASH = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    line: int


def path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def append(seq: int, hash: str) -> None:
    at = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    line = json.dumps({"seq": seq, "hash": hash, "at": at}, separators=(",", ":")) + "\n"
    target = path()
    if not target.parent.exists():
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def _parse(text: str, number: int) -> Checkpoint | None:
    try:
        data = json.loads(text)
        seq, hash_, at = data["seq"], data["hash"], data.get("at", "")
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1 or not isinstance(hash_, str) \
            or not _HASH.match(hash_):
        return None
    return Checkpoint(seq, hash_, str(at), number)


def read_all() -> tuple[list[Checkpoint], list[int]]:
    """Every checkpoint in the file, and the numbers of the lines that are not one."""
    try:
        text = path().read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return [], []
    found, bad = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        checkpoint = _parse(line, number)
        if checkpoint is None:
            bad.append(number)
        else:
            found.append(checkpoint)
    return found, bad


def read_since(seq: int, chunk: int = 65536) -> tuple[list[Checkpoint], bool]:
    """The checkpoints after entry ``seq``, read from the end of the file back to the first
    line at or before it (the pages use this: the cost follows what is new, not the file's
    length), and whether a line among those read is not a checkpoint. Lines from several
    processes may land slightly out of order, so one more chunk is read after that line."""
    try:
        f = open(path(), "rb")  # closed by the with below
    except FileNotFoundError:
        return [], False
    found, bad, carry, old_chunks = [], False, b"", 0
    with f:
        end = f.seek(0, os.SEEK_END)
        while end > 0 and old_chunks < 2:
            start = max(0, end - chunk)
            f.seek(start)
            lines = (f.read(end - start) + carry).split(b"\n")
            carry = lines.pop(0) if start > 0 else b""  # a line cut by the chunk's start
            saw_old = False
            for raw in lines:
                text = raw.decode("utf-8", errors="replace").strip()
                if not text:
                    continue
                mark = _parse(text, 0)
                if mark is None:
                    bad = True
                elif mark.seq > seq:
                    found.append(mark)
                else:
                    saw_old = True
            old_chunks += saw_old or bool(old_chunks)
            end = start
    return found, bad


def write_current() -> Checkpoint | None:
    """Append the database's head as it is now (tests use it: their transactions never commit)."""
    from .models import AuditHead

    head = AuditHead.objects.filter(pk=1).first()
    if head is None or head.seq == 0:
        return None
    append(head.seq, head.hash)
    return Checkpoint(head.seq, head.hash, "", 0)


class _AfterCommit:
    """Writes the last entry appended at one savepoint level, once that commits."""

    def __init__(self, seq: int, hash: str):
        self.seq, self.hash = seq, hash

    def __call__(self) -> None:
        try:
            append(self.seq, self.hash)
        except OSError:
            # The change is committed already; failing the request would not undo it.
            log.exception("Could not write audit checkpoint #%s to %s", self.seq, path())


def after_commit(seq: int, hash: str) -> None:
    """Arrange for (seq, hash) to be written once the current transaction commits.

    One line per commit rather than one per entry: a later entry at the same savepoint
    level replaces the pending one. An entry in a deeper savepoint gets its own callback,
    since Django drops that callback if the savepoint is rolled back."""
    connection = transaction.get_connection()
    level = tuple(connection.savepoint_ids)
    queued = {id(func) for _, func, _ in connection.run_on_commit}
    # Callbacks Django dropped (rolled back) or already ran are forgotten.
    pending_by_level = {lvl: p for lvl, p in getattr(connection, "_rapport_audit_checkpoints", {}).items()
                        if id(p) in queued}
    connection._rapport_audit_checkpoints = pending_by_level
    pending = pending_by_level.get(level)
    if pending is not None:
        pending.seq, pending.hash = seq, hash
        return
    pending = _AfterCommit(seq, hash)
    if connection.in_atomic_block:
        pending_by_level[level] = pending
    transaction.on_commit(pending)
