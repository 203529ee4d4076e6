"""The audit log as the reader may read it (the page's own query), newest first, with the
page's action filter. Entry numbers are left out, as on the page: the numbers of the entries
a reader sees would show how many others were written in between."""

from __future__ import annotations

from datetime import UTC

from rapport.audit.models import AuditEvent

from ..spreadsheets import Sheet
from ..views.audit import visible_entries
from .rows import MAX_ROWS, RowMarkings, releasability

COLUMNS = ["When (UTC)", "Who", "For", "Action", "Record", "Message", "Marking"]


def audit_sheet(user, params) -> tuple[Sheet, dict]:
    verb = (params or {}).get("verb", "") or ""
    markings = RowMarkings(user)
    rows = []
    entries = visible_entries(user, verb).prefetch_related(None)  # a sheet holds thousands: see rows.py
    shared = releasability(AuditEvent, entries.values("pk"))
    for e in entries.order_by("-seq")[:MAX_ROWS]:
        rows.append([e.at.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat(sep=" "), e.actor_name,
                     e.actor_org, e.get_verb_display(), e.object_repr, e.message,
                     markings.of_levels([(e.classification, shared.get(e.pk, []))])])
    return Sheet(title="Audit log", columns=COLUMNS, marking=markings.sheet.text, rows=rows,
                 top_rank=markings.sheet.rank), {}
