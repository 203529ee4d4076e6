"""What joint texts and the report's parts share between instances: the versions a record has
been through (its history, the current one last) and a peer's signed approval of the current
version, counted here while the peer sends it and withdrawn when it no longer does."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

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


# Checking what a peer sends --------------------------------------------------------------------


def check_lengths(content: dict) -> None:
    """No longer a history, nor more approvals, than an instance sends."""
    from .contents import BadContent

    if len(content["history"]) > HISTORY_LIMIT or len(content["approvals"]) > 1:
        raise BadContent("history" if len(content["history"]) > HISTORY_LIMIT else "approvals",
                         _("longer than an instance sends"))


def checked_history_and_approvals(content: dict, peer, subject: str) -> list:
    """The history ends with the version sent, and each approval is the peer's signed approval of
    that version of ``subject``; the approvals, as received. BadContent names the field at fault."""
    from .contents import BadContent

    history = content["history"]
    if (not all(isinstance(d, str) and len(d) == 64 for d in history) or not history
            or history[-1] != content["digest"] or len(history) > HISTORY_LIMIT):
        raise BadContent("history", _("expected the version digests, the current one last"))
    approvals = []
    for item in content["approvals"]:
        try:
            body = statements.check(item, peer, subject)
        except statements.BadStatement as exc:
            raise BadContent("approvals", str(exc)) from None
        if body["digest"] != content["digest"]:
            raise BadContent("approvals", _("an approval of another version than the one sent"))
        approvals.append(item)
    return approvals
