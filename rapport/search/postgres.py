"""PostgreSQL backend: stored, weighted ``tsvector``s with a GIN index, ranked with ts_rank.

Each record's vector is kept in ``search_document`` (``models.SearchDocument``): its title
(weight A) and its body with its translations (weight B), each read three ways, as
written with accents folded (``rapport_simple``) and stemmed in English and in French
(``rapport_en``, ``rapport_fr``; the configurations are made by this app's first
migration). Triggers on the source tables keep it current on every write, as SQLite's
triggers keep its FTS5 index (a TRUNCATE of a source table empties that kind's entries).
A query word is matched by any of its alternatives (``text.plan``), each turned into a
``tsquery`` by the configuration of its language, so PostgreSQL's own Snowball stemmers
stem both sides; the GIN index gives the matches and only they are ranked and given a
snippet (``ts_headline`` on the record's own text, which the index does not keep).

The triggers and the SQL that makes a vector carry a digest of that SQL in their names
(``signature``): after every ``migrate`` (``rapport init`` runs it), and once per process
before the first search, the index is checked and rebuilt if a trigger is missing or made
for another format (other fields, ``RAPPORT_SEARCH_STEMMING``). ``rapport searchindex``
rebuilds it by hand."""

from __future__ import annotations

import hashlib
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import transaction
from django.db.models import F, FloatField, OuterRef, Subquery, TextField, Value
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, Concat

from . import text as analysis
from .sources import SOURCES, Source, translation_paths

MARK_START, MARK_END = "\x02", "\x03"
CONFIGS = {"english": "rapport_en", "french": "rapport_fr"}
AS_WRITTEN = "rapport_simple"
TABLE = "search_document"
PREFIX = "search_document_"  # of the trigger functions and the triggers
_checked: set[str] = set()


def _configs() -> list[str]:
    return [AS_WRITTEN, *CONFIGS.values()] if analysis.STEMMING else ["simple"]


# The stored vectors ------------------------------------------------------------------


def _column(model, name: str) -> str:
    return model._meta.get_field(name).column


def _sql_text(parts: list[str]) -> str:
    return " || ' ' || ".join(f"coalesce({p}, '')" for p in parts) if parts else "''"


def _sql_vector(row: str, source: Source) -> str:
    """The record's vector, from the row ``row`` (``NEW`` in a trigger): the title in each
    configuration with weight A, then the body and its translations with weight B."""
    model = source.model
    title = _sql_text([f'{row}."{_column(model, f)}"' for f in source.title_fields])
    body = _sql_text([f'{row}."{_column(model, f)}"' for f in source.body_fields]
                     + [f"({row}.\"{_column(model, 'translations')}\" -> '{language}') ->> '{name}'"
                        for language, name in translation_paths(source)])
    return " || ".join(f"setweight(to_tsvector('{config}'::regconfig, {text}), '{weight}')"
                       for text, weight in ((title, "A"), (body, "B")) for config in _configs())


def _watched(source: Source) -> list[str]:
    """The columns whose change rewrites a record's entry."""
    fields = (*source.title_fields, *source.body_fields, *(("translations",) if source.translated else ()))
    return [f'"{_column(source.model, f)}"' for f in fields]


def _statements() -> tuple[str, list[str], set[str]]:
    """The index's signature, the statements that make its functions and triggers, and the
    triggers' names."""
    statements, triggers = [], set()
    clear = f"{PREFIX}clear_{{sig}}"
    statements.append(
        f"CREATE FUNCTION {clear}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"DELETE FROM {TABLE} WHERE kind = TG_ARGV[0]; RETURN NULL; END $$"
    )
    for source in SOURCES:
        model = source.model
        table, pk = model._meta.db_table, model._meta.pk.column
        function = f"{PREFIX}{source.kind}_{{sig}}"
        statements.append(
            f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.\"{pk}\" IS DISTINCT FROM NEW.\"{pk}\") THEN "
            f"DELETE FROM {TABLE} WHERE kind = '{source.kind}' AND obj_id = OLD.\"{pk}\"; END IF; "
            f"IF TG_OP <> 'DELETE' THEN "
            f"INSERT INTO {TABLE} (kind, obj_id, vector) VALUES ('{source.kind}', NEW.\"{pk}\", "
            f"{_sql_vector('NEW', source)}) ON CONFLICT (kind, obj_id) DO UPDATE SET vector = EXCLUDED.vector; "
            "END IF; RETURN NULL; END $$"
        )
        watched = [f'"{pk}"', *_watched(source)]
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in watched)
        for suffix, event in (("ai", "AFTER INSERT"), ("ad", "AFTER DELETE"),
                              ("au", f"AFTER UPDATE OF {', '.join(watched)}")):
            when = f" WHEN ({changed})" if suffix == "au" else ""
            statements.append(f'CREATE TRIGGER {function}_{suffix} {event} ON "{table}" '
                              f"FOR EACH ROW{when} EXECUTE FUNCTION {function}()")
            triggers.add(f"{function}_{suffix}")
        statements.append(f'CREATE TRIGGER {function}_at AFTER TRUNCATE ON "{table}" '
                          f"FOR EACH STATEMENT EXECUTE FUNCTION {clear}('{source.kind}')")
        triggers.add(f"{function}_at")
    signature = hashlib.sha256("\n".join(statements).encode()).hexdigest()[:10]
    return (signature, [s.replace("{sig}", signature) for s in statements],
            {t.replace("{sig}", signature) for t in triggers})


def _fill_statements() -> list[str]:
    return [
        f'INSERT INTO {TABLE} (kind, obj_id, vector) SELECT \'{source.kind}\', t."{source.model._meta.pk.column}", '
        f'{_sql_vector("t", source)} FROM "{source.model._meta.db_table}" t'
        for source in SOURCES
    ]


def signature() -> str:
    return _statements()[0]


def ensure_index(connection, *, force: bool = False, recheck: bool = False) -> bool:
    """Make the triggers and refill the table if a trigger is missing or of another format.
    Returns True if rebuilt. Checked once per process and database, unless ``recheck``
    (after a migration) or ``force``. One transaction: searches meanwhile see the old index
    or the new one, and writes to the source tables wait for it."""
    name = str(connection.settings_dict["NAME"])
    if recheck:
        _checked.discard(name)
    if not force and name in _checked:
        return False
    tables = set(connection.introspection.table_names())
    if TABLE not in tables or any(s.model._meta.db_table not in tables for s in SOURCES):
        return False  # not migrated yet
    _signature, statements, triggers = _statements()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s",
                       [PREFIX.replace("_", r"\_") + "%"])
        if not force and {row[0] for row in cursor.fetchall()} == triggers:
            _checked.add(name)
            return False
        cursor.execute("SELECT oid::regprocedure::text FROM pg_proc WHERE proname LIKE %s",
                       [PREFIX.replace("_", r"\_") + "%"])
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION {function} CASCADE")  # and its triggers
        for statement in statements:
            cursor.execute(statement)
        cursor.execute(f"TRUNCATE {TABLE}")
        for statement in _fill_statements():
            cursor.execute(statement)
        cursor.execute(f"ANALYZE {TABLE}")  # the planner's figures, for the GIN index to be chosen
    _checked.add(name)
    return True


# The query ---------------------------------------------------------------------------


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
    """The given (already visible-filtered) queryset narrowed to the records whose stored
    vector matches, best first; only those are ranked and given a snippet."""
    from django.db import connections

    from .models import SearchDocument

    query = build_query(text)
    if query is None:
        return []
    ensure_index(connections[queryset.db])
    documents = SearchDocument.objects.using(queryset.db).filter(kind=source.kind)
    rank = documents.filter(obj_id=OuterRef("pk")).annotate(rank=SearchRank(F("vector"), query)).values("rank")
    body = _body(source) if source.body_fields else _text(source.title_fields)
    headline = CONFIGS["english"] if analysis.STEMMING else "simple"
    rows = (
        queryset.filter(pk__in=documents.filter(vector=query).values("obj_id"))
        .annotate(
            _rank=Subquery(rank, output_field=FloatField()),
            _snippet=SearchHeadline(body, query, config=headline, start_sel=MARK_START, stop_sel=MARK_END,
                                    max_words=40, min_words=15),
        )
        .order_by("-_rank", "pk")[:limit]
    )
    return [(obj, -float(obj._rank), obj._snippet or "") for obj in rows]
