"""What joint texts and the report's parts share between instances: the versions a record has
been through (its history, the current one last) and a peer's signed approval of the current
version, counted here while the peer sends it and withdrawn when it no longer does."""

from __future__ import annotations

from collections.abc import Callable

from rapport.audit.record import record

from . import statements

HISTORY_LIMIT = 1000  # versions remembered per record (a text exchanged after every edit for years)


def appended(history: list[str], current: str) -> list[str]:
    """The history with ``current`` last (once)."""
    return ([d for d in history if d != current] + [current])[-HISTORY_LIMIT:]


def merged(history: list[str], digests: list[str]) -> list[str]:
    """Ours with the peer's versions after it, each once, in the peer's order."""
    known = [d for d in history if d not in digests]
    return (known + [d for d in digests if d not in known])[-HISTORY_LIMIT:]


def take_approval(obj, *, peer, made, approvals: list, subject: str, mine, create: Callable,
                  received: str, withdrawn: str) -> bool:
    """Count the peer's signed approval of ``obj``'s current version (``create`` makes the
    approval row), or withdraw the one counted if the peer no longer sends it; True if anything
    changed. ``mine`` is the peer organisation's approvals of ``obj`` here."""
    if approvals:
        kept = statements.keep(approvals[0], peer, made)
        statements.withdraw(peer, subject, keep_digest=kept.digest)
        if mine.exists():
            return False
        approval = create()
        kept.approval_id = approval.pk
        kept.save(update_fields=["approval_id"])
        record(actor=peer.actor, verb=received, obj=obj,
               message=f"Approved for {peer.organisation.short_name} by {approvals[0]['body']['approver']}, "
                       f"signed statement verified (package {made.sequence}, sha256 {made.sha256}).")
        return True
    statements.withdraw(peer, subject)
    if mine.exists():
        mine.delete()
        record(actor=peer.actor, verb=withdrawn, obj=obj,
               message=f"{peer.organisation.short_name} no longer approves this version "
                       f"(package {made.sequence}, sha256 {made.sha256}).")
        return True
    return False
