"""The evidence list of one kind (formats, meetings, exercises, partner activities)."""

from __future__ import annotations

from ..evidence_listing import evidence_listing
from ..spreadsheets import Sheet
from .rows import MAX_ROWS, RowMarkings, form_errors


def evidence_sheet(user, params) -> tuple[Sheet, dict]:
    listing = evidence_listing(user, params)
    markings = RowMarkings(user)
    rows = [[*row.cells, markings.of(row.shown)] for row in listing.rows(listing.records[:MAX_ROWS])]
    # The headings in the reader's language (the page's), as plain text for the spreadsheet.
    return (Sheet(title=str(listing.spec.label), columns=[*map(str, listing.spec.columns), "Marking"],
                  marking=markings.sheet.text,
                  rows=rows, top_rank=markings.sheet.rank), form_errors(listing.form))
