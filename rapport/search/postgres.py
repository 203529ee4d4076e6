"""PostgreSQL backend: full-text search computed in the query (weighted title
and body vectors, prefix terms), ranked with ts_rank. At Rapport's scale no
stored vector is needed; a GIN index can be added later without changing callers."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import Value
from django.db.models.functions import Concat

from .sources import Source

MARK_START, MARK_END = "\x02", "\x03"


def ts_query(text: str) -> str:
    words = re.findall(r"\w+", text)
    return " & ".join(f"{w}:*" for w in words[:12])


def _text(fields: tuple[str, ...]):
    if not fields:
        return Value("")
    if len(fields) == 1:
        return fields[0]
    parts = []
    for f in fields:
        parts += [f, Value(" ")]
    return Concat(*parts[:-1])


def search_source(source: Source, queryset, text: str, limit: int = 500):
    """The given (already visible-filtered) queryset narrowed to matches, best first."""
    raw = ts_query(text)
    if not raw:
        return []
    query = SearchQuery(raw, search_type="raw", config="simple")
    vector = SearchVector(_text(source.title_fields), weight="A", config="simple") + SearchVector(
        _text(source.body_fields), weight="B", config="simple"
    )
    body = _text(source.body_fields) if source.body_fields else _text(source.title_fields)
    rows = (
        queryset.annotate(
            _vector=vector,
            _rank=SearchRank(vector, query),
            _snippet=SearchHeadline(body, query, config="simple", start_sel=MARK_START, stop_sel=MARK_END, max_words=40, min_words=15),
        )
        .filter(_vector=query)
        .order_by("-_rank")[:limit]
    )
    return [(obj, -float(obj._rank), obj._snippet or "") for obj in rows]
