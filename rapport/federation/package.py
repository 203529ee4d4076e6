"""The exchange package as bytes: canonical JSON (sorted keys, no spaces, UTF-8), so the same
content always gives the same bytes and any changed byte either breaks the signature or
makes the file non-canonical, which is refused as well.

    {"package": {"format": FORMAT, "header": {...}, "objects": [...]},
     "signature": base64(Ed25519(canonical(package)))}

Each object carries its content, the content's SHA-256 and its STANAG 4774 labels in a
STANAG 4778 binding whose data reference names that hash: a label cannot be moved to other
data, nor changed, without the signature over the whole package failing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils.translation import gettext as _

FORMAT = "rapport-exchange/1"
HEADER_FIELDS = {"sender": str, "receiver": str, "partnership": str, "sequence": int, "previous": str,
                 "created": str, "sender_key": str}
OBJECT_FIELDS = {"kind": str, "id": int, "content": dict, "content_sha256": str, "label": str}
MAX_BYTES = 64 * 1024 * 1024  # about 30,000 records; parsing takes some 30 times the size in memory
MAX_ID = 2**63 - 1


class BadPackage(ValueError):
    """The file is not a well-formed exchange package; the message says what is wrong."""


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_hash(content: dict) -> str:
    return sha256(canonical(content))


def data_reference(kind: str, source_id: int, content_sha256: str) -> str:
    """The URI a label's binding points at: the object and the hash of its content."""
    return f"urn:rapport:exchange:{kind}:{source_id}:sha256:{content_sha256}"


def dump(package: dict, signature: str) -> bytes:
    return canonical({"package": package, "signature": signature})


def _typed(where: str, value: Any, fields: dict) -> None:
    if not isinstance(value, dict):
        raise BadPackage(_("%(where)s is not an object") % {"where": where})
    for name, kind in fields.items():
        if name not in value:
            raise BadPackage(_("%(where)s has no %(name)s") % {"where": where, "name": repr(name)})
        if not isinstance(value[name], kind) or (kind is int and isinstance(value[name], bool)):
            raise BadPackage(_("%(where)s: %(name)s is not a %(kind)s") % {"where": where, "name": repr(name),
                                                                             "kind": kind.__name__})
    extra = set(value) - set(fields)
    if extra:
        raise BadPackage(_("%(where)s has unknown fields: %(fields)s")
                         % {"where": where, "fields": ", ".join(repr(e) for e in sorted(extra))})


def load(data: bytes) -> tuple[dict, str]:
    """(package, signature) of a file, or BadPackage naming what is wrong. The file must be
    exactly the canonical form of what it holds."""
    if len(data) > MAX_BYTES:
        raise BadPackage(_("the file is larger than %(mb)s MB") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        outer = json.loads(data.decode("utf-8"))
        canonical_form = canonical(outer)
    except (UnicodeError, ValueError, RecursionError) as exc:
        raise BadPackage(_("not an exchange package (not JSON in UTF-8: %(error)s)")
                         % {"error": type(exc).__name__}) from None
    if not isinstance(outer, dict) or set(outer) != {"package", "signature"} or not isinstance(outer["signature"], str):
        raise BadPackage(_("not an exchange package (expected a package and its signature)"))
    package = outer["package"]
    if not isinstance(package, dict) or package.get("format") != FORMAT:
        raise BadPackage(_("not an exchange package of format %(format)s") % {"format": FORMAT})
    if canonical_form != data:
        raise BadPackage(_("the file was altered: it is not in the form its sender wrote"))
    _typed("the header", package.get("header"), HEADER_FIELDS)
    if set(package) != {"format", "header", "objects"} or not isinstance(package["objects"], list):
        raise BadPackage(_("the package must hold a format, a header and a list of objects"))
    seen = set()
    for n, obj in enumerate(package["objects"], start=1):
        _typed(f"object {n}", obj, OBJECT_FIELDS)
        if not 1 <= obj["id"] <= MAX_ID:
            raise BadPackage(_("object %(n)s: its id is out of range") % {"n": n})
        if (obj["kind"], obj["id"]) in seen:
            raise BadPackage(_("object %(n)s: %(kind)s %(id)s is in the package twice")
                             % {"n": n, "kind": obj["kind"], "id": obj["id"]})
        seen.add((obj["kind"], obj["id"]))
    if not 1 <= package["header"]["sequence"] <= MAX_ID:
        raise BadPackage(_("the header's sequence number is out of range"))
    return package, outer["signature"]
