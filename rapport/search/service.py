"""Search across commitments, contributions, meetings and reports, filtered by
the same visibility rules as every other read: the index finds candidates, and
only records in ``Model.objects.visible_to(user)`` are returned, so counts and
snippets come from readable records only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .sources import BY_KIND, REPORT_PARTS, SOURCES

MARK_START, MARK_END = "\x02", "\x03"


@dataclass
class Hit:
    kind: str
    obj: object
    score: float  # lower is better
    snippet: SafeString


def highlight(snippet: str) -> SafeString:
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # escaped above; only our own markers become tags


def _visible(source, user):
    qs = source.model.objects.visible_to(user)
    if source.kind in REPORT_PARTS:
        from rapport.reports.models import Report

        qs = qs.filter(report__in=Report.objects.visible_to(user))
    return qs


BATCH = 200
# Hits shown per kind of record: every kind that matches is shown (one kind never crowds
# out another), and the page's size and queries do not grow with the number of matches.
PER_KIND = 40


def _sqlite_hits(user, text: str, wanted: set[str], per_kind: int) -> list[Hit]:
    """For each kind, the index's matches of that kind in batches, best first, each batch
    narrowed to what the reader may see, until ``per_kind`` readable hits are found or the
    matches end: matches the reader may not see never take the place of ones they may."""
    from .sqlite import search as fts_search

    hits: list[Hit] = []
    for kind in sorted(wanted):
        found, offset = 0, 0
        while found < per_kind:
            matches = fts_search(connection, text, limit=BATCH, offset=offset, kind=kind)
            objects = _visible(BY_KIND[kind], user).in_bulk([obj_id for _k, obj_id, _s, _n in matches])
            for _kind, obj_id, score, snippet in matches:
                obj = objects.get(obj_id)
                if obj is not None and found < per_kind:
                    found += 1
                    hits.append(Hit(kind, obj, score, highlight(snippet)))
            if len(matches) < BATCH:
                break
            offset += BATCH
    return hits


def search(user, text: str, kinds: list[str] | None = None, per_kind: int = PER_KIND) -> list[Hit]:
    """The best ``per_kind`` hits of each chosen kind the reader may see, best first overall."""
    chosen = [BY_KIND[k] for k in kinds if k in BY_KIND] if kinds else list(SOURCES)
    hits: list[Hit] = []
    if not text.strip():
        return hits
    if connection.vendor == "postgresql":
        from .postgres import search_source

        for source in chosen:
            for obj, score, snippet in search_source(source, _visible(source, user), text, limit=per_kind):
                hits.append(Hit(source.kind, obj, score, highlight(snippet)))
    else:
        hits = _sqlite_hits(user, text, {s.kind for s in chosen}, per_kind)
    hits.sort(key=lambda h: h.score)
    return hits
