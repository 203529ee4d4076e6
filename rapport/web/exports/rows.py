"""What every exported row shares: its own marking, the highest of what it holds.

A sheet holds thousands of rows: the organisations each record is releasable to are read
with one query per kind of record (``releasability``) rather than as model instances."""

from __future__ import annotations

from collections import defaultdict

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
        """From records whose releasability is loaded (``with_marking``)."""
        return self.of_levels([(obj.classification, [o.short_name for o in obj.releasable_to.all()])
                               for obj in objs])

    def of_levels(self, marks) -> str:
        """From (level, names of the organisations it is releasable to) pairs."""
        row = PageMarking(reader=self.user)
        for level, names in marks:
            row.note(level, names)
            self.sheet.note(level, names)
        key = (row.rank, frozenset(row.releasable or ()))
        if key not in self._names:
            self._names[key] = row.text
        return self._names[key]


def releasability(model, ids) -> dict[int, list[str]]:
    """The short names of the organisations each record of ``model`` (ids: a list or a
    subquery) is releasable to, in one query."""
    through = model.releasable_to.through
    own = next(f.name for f in through._meta.fields if f.related_model is model)
    found: dict[int, list[str]] = defaultdict(list)
    rows = through.objects.filter(**{f"{own}_id__in": ids}).values_list(f"{own}_id", "organisation__short_name")
    for pk, name in rows:
        found[pk].append(name)
    return found


def form_errors(form) -> dict:
    return {name: list(errors) for name, errors in form.errors.items()} if form.is_bound else {}
