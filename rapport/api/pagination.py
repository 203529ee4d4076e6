"""Cursor pagination: each page of a list is the next ``limit`` rows after the last id of
the previous page (rows in id order), so a page costs the same wherever it is and rows
written meanwhile neither repeat nor vanish. The cursor is that last id, opaque to callers."""

from __future__ import annotations

import base64

from rapport.core.errors import InputError

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_ID = 2**63 - 1


def decode(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        value = int(base64.urlsafe_b64decode(cursor.encode("ascii") + b"==").decode("ascii"))
    except (ValueError, UnicodeError):
        raise InputError("the cursor is not one this API gave", field="cursor") from None
    if not 0 <= value <= MAX_ID:
        raise InputError("the cursor is not one this API gave", field="cursor")
    return value


def encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(str(last_id).encode("ascii")).decode("ascii").rstrip("=")


def page(queryset, cursor: str | None, limit: int) -> tuple[list, str | None]:
    """One page of ``queryset`` (already filtered by visibility) and the next cursor."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"limit is from 1 to {MAX_LIMIT}", field="limit")
    rows = list(queryset.filter(pk__gt=decode(cursor)).order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode(rows[-1].pk) if more else None)
