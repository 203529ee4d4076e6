"""How an audit entry is hashed: canonical JSON of its fields, then SHA-256 with the previous hash."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

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


def entry_hash(event, releasable_keys: list[str]) -> str:
    return hashlib.sha256(canonical_json(entry_payload(event, releasable_keys))).hexdigest()
