"""Signed heads: the chain's last entry (seq and hash), signed with the instance's Ed25519
key, for another organisation to keep. Whoever holds the database, the audit key and
the checkpoint file can rewrite the log so that it verifies again, but cannot change a
head that someone else keeps: ``rapport audit verify --against FILE`` finds it.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
from typing import Any

from django.utils.translation import gettext as _

from rapport.core.secretfiles import instance_private_key
from rapport.partnerships.models import Partnership

from .chain import canonical_json
from .models import AuditEvent

FORMAT = "rapport-audit-head/1"
FIELDS = {"format": str, "partnerships": list, "seq": int, "hash": str, "at": str,
          "instance_key": str, "public_key": str, "signature": str}


class BadSignedHead(Exception):
    """The file is not a signed head of this instance, or does not fit the log."""


def _raw_public(private_key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return private_key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(raw_public: bytes) -> str:
    return "sha256:" + hashlib.sha256(raw_public).hexdigest()


def sign_head(seq: int, hash_: str) -> dict[str, Any]:
    """A signed head for the entry (seq, hash); the caller verified the chain up to it."""
    private = instance_private_key()
    raw = _raw_public(private)
    head = {
        "format": FORMAT,
        "partnerships": sorted(Partnership.objects.values_list("key", flat=True)),
        "seq": seq,
        "hash": hash_,
        "at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "instance_key": fingerprint(raw),
        "public_key": base64.b64encode(raw).decode(),
    }
    head["signature"] = base64.b64encode(private.sign(canonical_json(head))).decode()
    return head


def check_signed_head(head: Any) -> str:
    """Raise BadSignedHead unless ``head`` was signed by this instance and the log still has
    that entry with that hash; return a sentence saying what was checked."""
    from cryptography.exceptions import InvalidSignature

    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise BadSignedHead(_("not a signed audit head (expected %(format)s).") % {"format": f'"format": "{FORMAT}"'})
    for name, kind in FIELDS.items():
        if not isinstance(head.get(name), kind) or (kind is int and isinstance(head[name], bool)):
            raise BadSignedHead(_("field '%(name)s' is missing or not a %(kind)s.") % {"name": name, "kind": kind.__name__})
    private = instance_private_key()
    ours = fingerprint(_raw_public(private))
    if head["instance_key"] != ours:
        raise BadSignedHead(_("it was signed with key %(theirs)s, not with this instance's key %(ours)s.")
                            % {"theirs": head["instance_key"], "ours": ours})
    unsigned = {k: v for k, v in head.items() if k != "signature"}
    try:
        private.public_key().verify(base64.b64decode(head["signature"], validate=True), canonical_json(unsigned))
    except (InvalidSignature, ValueError):
        raise BadSignedHead(_("its signature does not fit its content: the file was changed after it was "
                              "signed.")) from None
    found = AuditEvent.objects.filter(seq=head["seq"]).values_list("hash", flat=True).first()
    if found is None:
        raise BadSignedHead(_("the log has no entry #%(seq)s, which the head signed at %(at)s names: entries were "
                              "removed from the end, or the log was replaced.") % {"seq": head["seq"], "at": head["at"]})
    if found != head["hash"]:
        raise BadSignedHead(_("entry #%(seq)s has another hash than the head signed at %(at)s: the log was "
                              "rewritten since.") % {"seq": head["seq"], "at": head["at"]})
    return _("Signed head of %(at)s fits: entry #%(seq)s still has hash %(hash)s…") % {
        "at": head["at"], "seq": head["seq"], "hash": head["hash"][:16]}
