"""The highest marking on a page, for the banner that classified systems show.

Views and the ``{% portion %}`` tag note every marked record a page shows; the
banner is filled in after the page is rendered (see ``rendering.page``), so it
always covers what the page really contains.

The page keeps the highest *rank* it showed and the organisations everything
non-public on it is releasable to. The banner then names that rank for the
reader: the level of their own organisation's scheme first, then the equivalent
levels of the partnership's other schemes (levels of equal rank are equivalent),
e.g. "RESTREINT UE/EU RESTRICTED (equivalent: NATO RESTRICTED)" for EU staff and
"NATO RESTRICTED (equivalent: RESTREINT UE/EU RESTRICTED)" for NATO staff. A
delegation has no scheme of its own: the schemes of the organisations it reads
for come first.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _

PUBLIC_LABEL = "PUBLIC"


class NotedLevel(NamedTuple):
    """What ``PageMarking.note`` reads of a level, kept with a cached fragment."""

    rank: int
    name: str


def reader_organisations(reader) -> list[int]:
    """The organisations whose schemes the reader knows: staff their own, a
    delegation every organisation it reads for today, anyone else none."""
    if reader is None or not getattr(reader, "is_authenticated", False):
        return []
    return list(reader.reading_organisations())


@dataclass
class PageMarking:
    """Collects the rank and releasability of what a page shows; names it for its reader."""

    rank: int = 0
    names: list[str] = field(default_factory=list)  # the noted levels of that rank, if no scheme names it
    releasable: set[str] | None = None  # intersection over non-public items; None = no such item
    reader: object = None  # set by the page's banner slot (``{% marking_banner_slot %}``)
    version: str | None = None  # the data's version (rendering.data_version), if known: names are then cached
    _named: tuple | None = field(default=None, repr=False, compare=False)
    _recorders: list = field(default_factory=list, repr=False, compare=False)

    @contextmanager
    def recording(self):
        """Collect every note made inside the block, so a cached fragment can replay them
        (``replay``) and raise the banner exactly as rendering it did."""
        notes: list = []
        self._recorders.append(notes)
        try:
            yield notes
        finally:
            self._recorders.remove(notes)

    def replay(self, notes) -> None:
        for kind, first, names in notes:
            if kind == "level":
                self.note(NotedLevel(*first), names)
            else:
                self.note_rank(first, names)

    def _record(self, kind, first, names) -> None:
        for notes in self._recorders:
            notes.append((kind, first, tuple(sorted(names))))

    def note(self, level, releasable_names) -> None:
        if level is None:
            return
        if level.rank == 0:
            return
        names = set(releasable_names)
        self._record("level", (level.rank, level.name), names)
        self.releasable = names if self.releasable is None else (self.releasable & names)
        if level.rank > self.rank:
            self.rank, self.names = level.rank, [level.name]
        elif level.rank == self.rank and level.name not in self.names:
            self.names.append(level.name)

    def note_rank(self, rank: int, releasable_names) -> None:
        """A figure computed from rows of this rank and releasability (MarkedQuerySet.marking_summary)."""
        if rank == 0:
            return
        names = set(releasable_names)
        self._record("rank", rank, names)
        self.releasable = names if self.releasable is None else (self.releasable & names)
        if rank > self.rank:
            self.rank, self.names = rank, []

    def note_object(self, obj) -> None:
        level = getattr(obj, "classification", None)
        if level is None or level.rank == 0:
            return
        self.note(level, [o.short_name for o in obj.releasable_to.all()])

    def level_names(self) -> list[str]:
        """The names of the page's rank, the reader's schemes first (organisation key order)."""
        if self.rank == 0:
            return [PUBLIC_LABEL]
        key = (self.rank, getattr(self.reader, "pk", None))
        if self._named is None or self._named[0] != key:
            self._named = (key, self._look_up_names())
        return self._named[1]

    def _look_up_names(self) -> list[str]:
        rows = level_rows(self.rank, self.version)
        own = set(reader_organisations(self.reader))
        ordered = [name for org, name in rows if org in own] + [name for org, name in rows if org not in own]
        return list(dict.fromkeys(ordered)) or sorted(self.names)

    @property
    def label(self) -> str:
        """The level as the reader's own organisation names it."""
        return self.level_names()[0]

    @property
    def equivalents(self) -> list[str]:
        """The same rank in the partnership's other schemes."""
        return self.level_names()[1:]

    @property
    def caveat(self) -> str:
        if self.rank == 0 or self.releasable is None:
            return ""
        if not self.releasable:
            return _("not releasable to any one organisation")
        return _("releasable to %(organisations)s") % {"organisations": ", ".join(sorted(self.releasable))}

    @property
    def text(self) -> str:
        """The whole banner line, as the banner template writes it."""
        line = self.label
        if self.equivalents:
            line += " ({} {})".format(_("equivalent:"), ", ".join(self.equivalents))
        if self.caveat:
            line += f" — {self.caveat}"
        return line

    @property
    def css_class(self) -> str:
        return f"marking-rank-{min(self.rank, 5)}"


def level_rows(rank: int, version: str | None) -> list[tuple[int, str]]:
    """(organisation, level banner in the active language) of every scheme's level of this rank, organisation key order;
    kept across requests for one version of the data (the schemes change only through the
    audited loader)."""
    from django.core.cache import caches
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from rapport.markings.models import ClassificationLevel, LevelMarking, marking_language

    # The banner text in the active language where the scheme gives one (NATO DIFFUSION RESTREINTE).
    language = marking_language()
    key = f"level-names:{rank}:{language}:{version}"
    rows = caches["fragments"].get(key) if version else None
    if rows is None:
        banner = LevelMarking.objects.filter(level=OuterRef("pk"), language=language).values("banner")[:1]
        rows = list(
            ClassificationLevel.objects.filter(rank=rank, scheme__organisations__isnull=False)
            .order_by("scheme__organisations__key")
            .annotate(banner=Coalesce(Subquery(banner), "name"))
            .values_list("scheme__organisations", "banner")
        )
        if version:
            caches["fragments"].set(key, rows)
    return rows


def portion_label(obj) -> str:
    """The short portion marking shown before a paragraph, e.g. "(NR)" or "(PUBLIC)"."""
    level = obj.classification
    if level.rank == 0:
        return "PUBLIC"
    rel = sorted(o.short_name for o in obj.releasable_to.all())
    return f"{level.abbreviation} · REL {'/'.join(rel)}" if rel else level.abbreviation
