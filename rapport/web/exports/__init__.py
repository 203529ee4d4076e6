"""The lists a user can take away as a spreadsheet: the same rows the list page shows with
the same filters (the filter form and the visibility filter are the page's own), all pages
at once, only what the reader may read. Used by the download view and ``rapport export``.
Every export is an audit entry, marked as high as the sheet.

Each list is a function ``(user, params) -> (Sheet, errors)``: ``params`` are the list
page's query parameters, ``errors`` the filter's field errors (the page shows them beside
the field and does not narrow by that filter; the command refuses to write)."""

from __future__ import annotations

from .audit import audit_sheet
from .commitments import commitments_sheet, contributions_sheet
from .evidence import evidence_sheet
from .record import record_export

LISTS = {
    "commitments": commitments_sheet,
    "contributions": contributions_sheet,
    "evidence": evidence_sheet,
    "audit": audit_sheet,
}

__all__ = ["LISTS", "audit_sheet", "commitments_sheet", "contributions_sheet", "evidence_sheet", "record_export"]
