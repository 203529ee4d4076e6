"""What every exported row shares: its own marking, the highest of what it holds."""

from __future__ import annotations

from ..marking import PageMarking

MAX_ROWS = 100_000  # a sheet holds at most this many rows (XLSX takes about a million)


class RowMarkings:
    """Names each row's marking (the highest of everything in it, and where all of it may go)
    and raises the sheet's marking with it; a kind of row is named once."""

    def __init__(self, user):
        self.user = user
        self.sheet = PageMarking(reader=user)
        self._names: dict = {}

    def of(self, objs) -> str:
        row = PageMarking(reader=self.user)
        for obj in objs:
            row.note_object(obj)
            self.sheet.note_object(obj)
        key = (row.rank, frozenset(row.releasable or ()))
        if key not in self._names:
            self._names[key] = row.text
        return self._names[key]


def form_errors(form) -> dict:
    return {name: list(errors) for name, errors in form.errors.items()} if form.is_bound else {}
