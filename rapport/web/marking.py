"""The highest marking on a page, for the banner that classified systems show.

Views and the ``{% portion %}`` tag note every marked record a page shows; the
banner is filled in after the page is rendered (see ``rendering.page``), so it
always covers what the page really contains.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PUBLIC_LABEL = "PUBLIC"


@dataclass
class PageMarking:
    """Collects (level, releasable organisations) pairs while a page renders."""

    rank: int = 0
    names: list[str] = field(default_factory=list)
    releasable: set[str] | None = None  # intersection over non-public items; None = no such item

    def note(self, level, releasable_names) -> None:
        if level is None:
            return
        if level.rank == 0:
            return
        names = set(releasable_names)
        self.releasable = names if self.releasable is None else (self.releasable & names)
        if level.rank > self.rank:
            self.rank, self.names = level.rank, [level.name]
        elif level.rank == self.rank and level.name not in self.names:
            self.names.append(level.name)

    def note_object(self, obj) -> None:
        level = getattr(obj, "classification", None)
        if level is None or level.rank == 0:
            return
        self.note(level, [o.short_name for o in obj.releasable_to.all()])

    @property
    def label(self) -> str:
        if self.rank == 0:
            return PUBLIC_LABEL
        return " / ".join(sorted(self.names))

    @property
    def caveat(self) -> str:
        if self.rank == 0 or self.releasable is None:
            return ""
        if not self.releasable:
            return "not releasable to any one organisation"
        return "releasable to " + ", ".join(sorted(self.releasable))

    @property
    def css_class(self) -> str:
        return f"marking-rank-{min(self.rank, 5)}"


def portion_label(obj) -> str:
    """The short portion marking shown before a paragraph, e.g. "(NR)" or "(PUBLIC)"."""
    level = obj.classification
    if level.rank == 0:
        return "PUBLIC"
    rel = sorted(o.short_name for o in obj.releasable_to.all())
    return f"{level.abbreviation} · REL {'/'.join(rel)}" if rel else level.abbreviation
