"""Cursor pagination: each page of a list is the next ``limit`` rows after the id the
cursor names (rows in id order), so a page costs the same wherever it is and rows written
meanwhile neither repeat nor vanish. The cursor is the last id of the previous page, as
``next`` gives it; any id is a valid cursor."""

from __future__ import annotations

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_ID = 2**63 - 1


def page(queryset, cursor: int | None, limit: int) -> tuple[list, int | None]:
    """One page of ``queryset`` (already filtered by visibility) and the next cursor."""
    rows = list(queryset.filter(pk__gt=cursor or 0).order_by("pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].pk if more else None)
