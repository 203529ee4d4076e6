"""PostgreSQL backend: full-text search computed in the query (weighted title and body
vectors, prefix terms), ranked with ts_rank. At Rapport's scale no stored vector is
needed; a GIN index can be added later without changing callers.

Each text is read three ways: as written with accents folded (``rapport_simple``), and
stemmed in English and in French (``rapport_en``, ``rapport_fr``; the configurations are
made by this app's migration). A query word is matched by any of its alternatives
(``text.plan``), each turned into a ``tsquery`` by the configuration of its language, so
PostgreSQL's own Snowball stemmers stem both sides."""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import TextField, Value
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, Concat

from . import text as analysis
from .sources import Source, translation_paths

MARK_START, MARK_END = "\x02", "\x03"
CONFIGS = {"english": "rapport_en", "french": "rapport_fr"}
AS_WRITTEN = "rapport_simple"


def _text(fields: tuple) -> object:
    if not fields:
        return Value("")
    if len(fields) == 1:
        return fields[0]
    parts = []
    for f in fields:
        parts += [f, Value(" ")]
    return Concat(*parts[:-1], output_field=TextField())


def _body(source: Source):
    """The body as written, then its translations (contributions.translations)."""
    translations = [Coalesce(KeyTextTransform(name, KeyTransform(language, "translations")), Value(""),
                             output_field=TextField())
                    for language, name in translation_paths(source)]
    return _text((*source.body_fields, *translations))


def _configs() -> list[str]:
    return [AS_WRITTEN, *CONFIGS.values()] if analysis.STEMMING else ["simple"]


def _vector(text, weight: str):
    return reduce(lambda a, b: a + b, [SearchVector(text, weight=weight, config=c) for c in _configs()])


def _tsquery(tokens: tuple[str, ...], prefix: bool = True) -> str:
    return " <-> ".join(tokens) + (":*" if prefix else "")


def build_query(text: str):
    """Every word required; each matched as typed (a prefix of a word as written) or by any
    of its alternatives in either language. Only letters and digits reach ``to_tsquery``."""
    words = []
    for word in analysis.plan(text):
        either = [SearchQuery(_tsquery((word.word,)), search_type="raw", config=_configs()[0])]
        if word.alternatives:
            raw = " | ".join(f"({_tsquery(a.words, a.prefix)})" for a in word.alternatives)
            either += [SearchQuery(raw, search_type="raw", config=c) for c in CONFIGS.values()]
        words.append(reduce(or_, either))
    return reduce(and_, words) if words else None


def search_source(source: Source, queryset, text: str, limit: int = 500):
    """The given (already visible-filtered) queryset narrowed to matches, best first."""
    query = build_query(text)
    if query is None:
        return []
    body = _body(source)
    vector = _vector(_text(source.title_fields), "A") + _vector(body, "B")
    body = body if source.body_fields else _text(source.title_fields)
    headline = CONFIGS["english"] if analysis.STEMMING else "simple"
    rows = (
        queryset.annotate(
            _vector=vector,
            _rank=SearchRank(vector, query),
            _snippet=SearchHeadline(body, query, config=headline, start_sel=MARK_START, stop_sel=MARK_END,
                                    max_words=40, min_words=15),
        )
        .filter(_vector=query)
        .order_by("-_rank")[:limit]
    )
    return [(obj, -float(obj._rank), obj._snippet or "") for obj in rows]
