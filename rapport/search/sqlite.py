"""SQLite FTS5 backend: one FTS table kept current by triggers on the source tables.

The triggers catch every write (services, loaders, bulk writes, raw SQL). Each
index row's rowid is derived from the record's kind and id, so a trigger finds
the row it replaces by rowid instead of scanning the index; the update trigger
fires only when an indexed column changes. A migration that rebuilds a source
table drops its triggers, so ``ensure_index`` runs after every ``migrate`` and
recreates and refills the index when anything is missing (once per process and
database otherwise).

A record that holds translations (``Source.translated``) has them in its body after the
original, read from its ``translations`` JSON column with ``json_extract``; the update
trigger fires when that column changes too.

Besides the text as written (``title``, ``body``: snippets, and prefixes as typed), each
row holds the text's stems in each language (``stems_en``, ``stems_fr``), made in Python
(``text.stems``) by the SQL function ``rapport_search_stems`` that ``register_functions``
gives every connection Django opens. The triggers call it, so a write to a source table
from a connection without it (the ``sqlite3`` shell) fails instead of leaving the index
stale. The index's format is in its trigger names (``VERSION``): a database indexed by an
older format is reindexed after the next ``migrate`` (``rapport init`` runs it).
"""

from __future__ import annotations

from . import text as analysis
from .sources import SOURCES, Source, translation_paths

TABLE = "search_fts"
VERSION = "v5" if analysis.STEMMING else "v5plain"
FUNCTION = "rapport_search_stems"
STEM_COLUMNS = {"english": "stems_en", "french": "stems_fr"}
KINDS = 8  # rowid = id * KINDS + the source's position in SOURCES
_checked: set[str] = set()
MARK_START, MARK_END = "\x02", "\x03"


def _column(model, name: str) -> str:
    return model._meta.get_field(name).column


def _expr(prefix: str, model, fields: tuple[str, ...]) -> str:
    if not fields:
        return "''"
    parts = [f"coalesce({prefix}.\"{_column(model, f)}\", '')" for f in fields]
    return " || ' ' || ".join(parts)


def register_functions(connection) -> None:
    """Give a new SQLite connection the function the index's triggers call."""
    connection.create_function(FUNCTION, 2, analysis.stems, deterministic=True)


def _stems(language: str, title: str, body: str) -> str:
    return f"{FUNCTION}('{language}', {title} || ' ' || {body})"


def _body(prefix: str, model, source: Source) -> str:
    """The body as written, then its translations (read from the JSON column)."""
    body = _expr(prefix, model, source.body_fields)
    column = _column(model, "translations") if source.translated else ""
    for language, name in translation_paths(source):
        body += f" || ' ' || coalesce(json_extract({prefix}.\"{column}\", '$.{language}.{name}'), '')"
    return body


def _watched(model, source: Source) -> str:
    """The columns whose change rewrites a record's index row."""
    fields = (*source.title_fields, *source.body_fields, *(("translations",) if source.translated else ()))
    return ", ".join(f'"{_column(model, f)}"' for f in fields)


def _values(prefix: str, model, source: Source) -> str:
    title, body = _expr(prefix, model, source.title_fields), _body(prefix, model, source)
    return ", ".join([title, body, *(_stems(language, title, body) for language in STEM_COLUMNS)])


def _trigger_names(source: Source) -> list[str]:
    return [f"{TABLE}_{source.kind}_{op}_{VERSION}" for op in ("ai", "au", "ad")]


_COLUMNS = ", ".join(["title", "body", *STEM_COLUMNS.values()])


def _create_statements() -> list[str]:
    statements = [
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
        f"kind UNINDEXED, obj_id UNINDEXED, title, body, {', '.join(STEM_COLUMNS.values())}, "
        "tokenize='unicode61 remove_diacritics 2')"
    ]
    assert len(SOURCES) <= KINDS
    for n, source in enumerate(SOURCES):
        model = source.model
        table = model._meta.db_table
        pk = model._meta.pk.column
        insert = (
            f"INSERT INTO {TABLE}(rowid, kind, obj_id, {_COLUMNS}) VALUES (new.\"{pk}\" * {KINDS} + {n}, "
            f"'{source.kind}', new.\"{pk}\", {_values('new', model, source)});"
        )
        delete = f"DELETE FROM {TABLE} WHERE rowid = old.\"{pk}\" * {KINDS} + {n};"
        indexed = _watched(model, source)
        ai, au, ad = _trigger_names(source)
        statements += [
            f'CREATE TRIGGER {ai} AFTER INSERT ON "{table}" BEGIN {insert} END',
            f'CREATE TRIGGER {au} AFTER UPDATE OF {indexed} ON "{table}" BEGIN {delete} {insert} END',
            f'CREATE TRIGGER {ad} AFTER DELETE ON "{table}" BEGIN {delete} END',
        ]
        statements.append(
            f"INSERT INTO {TABLE}(rowid, kind, obj_id, {_COLUMNS}) SELECT t.\"{pk}\" * {KINDS} + {n}, "
            f"'{source.kind}', t.\"{pk}\", {_values('t', model, source)} FROM \"{table}\" t"
        )
    return statements


def _expected_objects() -> set[str]:
    names = {TABLE}
    for source in SOURCES:
        names.update(_trigger_names(source))
    return names


def ensure_index(connection, *, force: bool = False, recheck: bool = False) -> bool:
    """Create (or recreate) the index if it or any trigger is missing. Returns True if rebuilt.
    Checked once per process and database, unless ``recheck`` (after a migration) or ``force``."""
    name = str(connection.settings_dict["NAME"])
    if recheck:
        _checked.discard(name)
    if not force and name in _checked:
        return False
    tables = set(connection.introspection.table_names())
    if any(s.model._meta.db_table not in tables for s in SOURCES):
        return False  # not migrated yet
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE %s", [f"{TABLE}%"])
        present = {row[0] for row in cursor.fetchall()}
        if not force and _expected_objects() <= present:
            _checked.add(name)
            return False
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{TABLE}%"])
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
        for statement in _create_statements():
            cursor.execute(statement)
    _checked.add(name)
    return True


def _phrase(tokens, prefix: bool = True) -> str:
    return '"' + " ".join(tokens) + '"' + ("*" if prefix else "")


def fts_query(text: str) -> str:
    """Every query word required, each matched by any of its alternatives (``text.plan``):
    as typed, a prefix of a word as written; stemmed in each language, against that
    language's stems. Only quoted letters and digits reach FTS5: user input cannot make
    FTS5 syntax. The snippet marks the words found as typed."""
    parts = []
    for word in analysis.plan(text):
        either = [f"{{title body}} : {_phrase([word.word])}"]
        for language, column in STEM_COLUMNS.items():
            phrases = dict.fromkeys(_phrase(analysis.stem_words(language, list(alternative.words)), alternative.prefix)
                                    for alternative in word.alternatives)
            if phrases:
                either.append(f"{column} : ({' OR '.join(phrases)})")
        parts.append("(" + " OR ".join(either) + ")")
    return " AND ".join(parts)


def search(connection, text: str, limit: int = 500, offset: int = 0,
           kind: str | None = None) -> list[tuple[str, int, float, str]]:
    """Matches as (kind, id, score, snippet), best first (lower bm25 is better), ``limit``
    from ``offset``; of one kind of record only when ``kind`` is given."""
    query = fts_query(text)
    if not query:
        return []
    ensure_index(connection)
    sql = (
        f"SELECT kind, obj_id, bm25({TABLE}, 0, 0, 4.0, 1.0, 1.0, 1.0) AS score, "
        f"snippet({TABLE}, 3, '{MARK_START}', '{MARK_END}', ' … ', 24) "
        f"FROM {TABLE} WHERE {TABLE} MATCH %s{' AND kind = %s' if kind else ''} "
        "ORDER BY score, rowid LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [query, *([kind] if kind else []), limit, offset])
        return [(kind, int(obj_id), float(score), snippet or "") for kind, obj_id, score, snippet in cursor.fetchall()]
