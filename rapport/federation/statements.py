"""Signed statements: an organisation's approval of a shared record, signed by its instance.

A statement names the record by its keys (``joint_text:eu-nato:1.1:11``, ``report:eu-nato:11``)
and the SHA-256 of what was approved (a joint text's version, a report's public content). It
travels inside a package but is signed on its own, so the receiving instance keeps a proof of
the peer's approval that stands apart from the package, and checks it again whenever it shows
the approval (``verified``)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from rapport.core.errors import InputError
from rapport.core.text import clean_text

from . import keys, package
from .models import Peer, Statement

APPROVAL = "approval"
BODY_FIELDS = {"statement": str, "subject": str, "organisation": str, "digest": str, "approver": str, "at": str}


class BadStatement(ValueError):
    pass


def joint_text_subject(partnership: str, commitment: str, period: int) -> str:
    return f"joint_text:{partnership}:{commitment}:{period}"


def report_subject(partnership: str, period: int) -> str:
    return f"report:{partnership}:{period}"


def sign_approval(*, organisation, subject: str, digest: str, approver: str, at: datetime.datetime,
                  private_key=None) -> dict:
    """This instance's signed approval, as it travels: {"body": ..., "signature": ...}. Signing
    the same approval again gives the same bytes (Ed25519 is deterministic)."""
    body = {"statement": APPROVAL, "subject": subject, "organisation": organisation.key, "digest": digest,
            "approver": approver, "at": at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    return {"body": body, "signature": keys.sign(package.canonical(body), private_key)}


def check(item, peer: Peer, subject: str) -> dict:
    """The body of a peer's signed approval of ``subject``; BadStatement says what is wrong."""
    if not isinstance(item, dict) or set(item) != {"body", "signature"} or not isinstance(item["signature"], str):
        raise BadStatement(_("not a signed statement"))
    body = item["body"]
    if not isinstance(body, dict) or set(body) != set(BODY_FIELDS) or any(
            not isinstance(body[k], t) for k, t in BODY_FIELDS.items()):
        raise BadStatement(_("the statement's fields are not those of an approval"))
    if body["statement"] != APPROVAL or body["subject"] != subject:
        raise BadStatement(_("the statement is about another record"))
    if body["organisation"] != peer.organisation.key:
        raise BadStatement(_("the statement is %(org)s's, and %(peer)s signs only its own organisation's approvals")
                           % {"org": repr(body["organisation"]), "peer": repr(peer.organisation.key)})
    if len(body["digest"]) != 64 or any(c not in "0123456789abcdef" for c in body["digest"]):
        raise BadStatement(_("the statement's digest is not a SHA-256"))
    try:
        clean_text(body["approver"], field="approver", required=True, max_length=200)
    except InputError as exc:
        raise BadStatement(_("the statement's approver: %(problem)s") % {"problem": exc.detail}) from None
    if any(c in body["approver"] for c in "\r\n\t"):
        raise BadStatement(_("the statement's approver: a name is one line"))
    try:
        at = parse_datetime(body["at"]) if len(body["at"]) <= 40 else None
    except ValueError:  # well formed but no such day (30 February)
        at = None
    if at is None or at.tzinfo is None:
        raise BadStatement(_("the statement's time is not a date and time with its time zone"))
    if not keys.verify(keys.load_public_pem(peer.public_key), item["signature"], package.canonical(body)):
        raise BadStatement(_("its signature does not verify against %(org)s's pinned key")
                           % {"org": peer.organisation.short_name})
    return body


def keep(item: dict, peer: Peer, made) -> Statement:
    """Store a checked statement of ``peer`` (once per organisation, subject and digest)."""
    body = item["body"]
    found, _ = Statement.objects.update_or_create(
        organisation=peer.organisation, subject=body["subject"], digest=body["digest"],
        defaults={"body": package.canonical(body).decode(), "signature": item["signature"], "peer": peer,
                  "package": made, "withdrawn_at": None})
    return found


def withdraw(peer: Peer, subject: str, keep_digest: str = "") -> None:
    """The peer no longer stands behind its statements on ``subject`` (but the one naming
    ``keep_digest``): they no longer count, here either."""
    (Statement.objects.filter(peer=peer, subject=subject, withdrawn_at__isnull=True).exclude(digest=keep_digest)
     .update(withdrawn_at=timezone.now()))


def verified(statement: Statement) -> bool:
    """Whether a kept peer statement still stands and verifies against that peer's pinned key."""
    if statement.peer is None:
        return True
    if statement.withdrawn_at is not None:
        return False
    return keys.verify(keys.load_public_pem(statement.peer.public_key), statement.signature,
                       statement.body.encode())
