"""How an audit entry is hashed: canonical JSON of its fields, including the previous
entry's hash, then HMAC-SHA-256 with the audit key (kept outside the database), so
someone who holds only the database cannot recompute a hash."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from typing import Any

from .keys import audit_key

GENESIS = "0" * 64


def _utc(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_payload(event, releasable_keys: list[str]) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": _utc(event.at),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "actor_org": event.actor_org,
        "verb": event.verb,
        "object_type": event.object_label,
        "object_id": str(event.object_pk),
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "message": event.message,
        "request_id": event.request_id,
        "classification_id": event.classification_id,
        "releasable_to": sorted(releasable_keys),
        "prev_hash": event.prev_hash,
    }


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def keyed_hash(key: bytes, value: Any) -> str:
    return hmac.new(key, canonical_json(value), hashlib.sha256).hexdigest()


def entry_hash(event, releasable_keys: list[str], key: bytes | None = None) -> str:
    return keyed_hash(key if key is not None else audit_key(), entry_payload(event, releasable_keys))
