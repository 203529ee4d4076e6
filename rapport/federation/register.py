"""The register of commitments between instances: the same on both, or said to differ.

Commitments are the partnership's reference data: no page, command or API of an instance changes
them; each instance loads them with the partnership's dataset. Every package carries the
SHA-256 of the sender's PUBLIC register (each commitment's reference, title, text, wording, area,
mandate, parent and due date), and the receiver compares it with its own: when they differ, the
import says so, ``rapport peer list`` and the Partners page show it, and an audit entry records
it. Only PUBLIC commitments are hashed, so the digest says nothing of what either network holds
above PUBLIC; a difference in the register also shows as "approved other content" when the
organisations approve a report built on it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from rapport.audit.record import record
from rapport.commitments.models import Commitment

from . import package
from .models import Package, Peer

KIND = "register"
DIFFERS = "federation.register_differs"
AGREES = "federation.register_agrees"
CONTENT_FIELDS = {"partnership": str, "commitments": int, "register": str}


def rows(partnership) -> list[list]:
    return [[c.ref, c.title, c.text, c.wording, c.area.key, c.mandate.key, c.parent.ref if c.parent_id else None,
             c.due.isoformat() if c.due else None]
            for c in (Commitment.objects.filter(partnership=partnership, classification__rank=0)
                      .select_related("area", "mandate", "parent").order_by("ref"))]


def content(partnership) -> dict:
    found = rows(partnership)
    return {"partnership": partnership.key, "commitments": len(found), "register": package.content_hash({"rows": found})}


@dataclass
class ResolvedRegister:
    partnership: object
    content: dict

    period = None
    commitment = None


def resolve(content: dict, lookups) -> ResolvedRegister:
    from .contents import BadContent, check_fields

    check_fields(content, CONTENT_FIELDS)
    partnership = lookups.partnerships.get(content["partnership"])
    if partnership is None:
        raise BadContent("partnership", _("no partnership %(key)s here") % {"key": repr(content["partnership"])})
    if not re.fullmatch(r"[0-9a-f]{64}", content["register"]) or not 0 <= content["commitments"] < 2**31:
        raise BadContent("register", _("expected a SHA-256 and a count"))
    return ResolvedRegister(partnership, content)


def receive(peer: Peer, made: Package, item: ResolvedRegister, outcome) -> None:
    ours = content(item.partnership)
    theirs = item.content
    same = ours["register"] == theirs["register"]
    was = peer.register_agrees
    peer.register_agrees, peer.register_checked_at = same, timezone.now()
    peer.save(update_fields=["register_agrees", "register_checked_at"])
    if not same:
        outcome.notes.append(_("the register of commitments differs: %(theirs)s PUBLIC commitments on %(org)s's "
                               "instance, %(ours)s here, not the same (load the partnership's dataset on both)")
                             % {"theirs": theirs["commitments"], "org": peer.organisation.short_name,
                                "ours": ours["commitments"]})
    if was is not same:
        record(actor=peer.actor, verb=AGREES if same else DIFFERS, obj=peer.organisation,
               message=f"{peer.organisation.short_name}'s register of PUBLIC commitments ({theirs['commitments']}, "
                       f"sha256 {theirs['register']}) is {'the same as' if same else 'not the same as'} this "
                       f"instance's ({ours['commitments']}, sha256 {ours['register']}); package {made.sequence}.")
    outcome.unchanged += 1
