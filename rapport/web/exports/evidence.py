"""The evidence list of one kind (formats, meetings, exercises, partner activities)."""

from __future__ import annotations

from django.utils import translation

from ..evidence_listing import evidence_listing
from ..spreadsheets import Sheet
from .rows import MAX_ROWS, RowMarkings, form_errors


def evidence_sheet(user, params) -> tuple[Sheet, dict]:
    listing = evidence_listing(user, params)
    markings = RowMarkings(user)
    rows = [[*row.cells, markings.of(row.shown)] for row in listing.rows(listing.records[:MAX_ROWS])]
    # Spreadsheets keep English headings, as every export and the import template do (docs/i18n.md).
    with translation.override("en"):
        title, columns = str(listing.spec.label), [str(c) for c in listing.spec.columns]
    return (Sheet(title=title, columns=[*columns, "Marking"], marking=markings.sheet.text,
                  rows=rows, top_rank=markings.sheet.rank), form_errors(listing.form))
