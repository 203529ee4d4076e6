"""The index and the text search configurations: a database indexed in an older format
is reindexed by the next migrate, and both databases stem words alike."""

import pytest
from django.db import connection

from rapport.search import text

pytestmark = pytest.mark.django_db
SQLITE = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite FTS5 index")
POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's text search")

# The index as it was before stemming: text as written only, triggers of format v2.
OLD_FORMAT = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(kind UNINDEXED, obj_id UNINDEXED, title, body, "
    "tokenize='unicode61 remove_diacritics 2')",
    'CREATE TRIGGER search_fts_commitment_ai_v2 AFTER INSERT ON "commitments_commitment" BEGIN SELECT 1; END',
]


def _downgrade(cursor):
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_fts%'")
    for (name,) in cursor.fetchall():
        cursor.execute(f'DROP TRIGGER "{name}"')
    cursor.execute("DROP TABLE search_fts")
    for statement in OLD_FORMAT:
        cursor.execute(statement)


@SQLITE
def test_an_index_of_the_old_format_is_rebuilt_after_a_migrate(corpus, found, make_user):
    from rapport.search.apps import _ensure_search_index

    reader = make_user(org="eu", role="reader", clearance=3)
    with connection.cursor() as cursor:
        _downgrade(cursor)
    _ensure_search_index()  # what post_migrate runs
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'search_fts%v2'")
        assert cursor.fetchall() == []
    assert found(reader, "cyberdéfense") == ["SRCH-A", "SRCH-B", "SRCH-C", "SRCH-D"]


@SQLITE
def test_the_migrate_that_rapport_init_runs_rebuilds_an_old_index(corpus, found, make_user):
    """``rapport init`` on an existing database runs ``migrate`` (operations/…/init.py), which
    reindexes a database indexed before stemming."""
    from django.core.management import call_command

    from rapport.search import sqlite

    reader = make_user(org="eu", role="reader", clearance=3)
    with connection.cursor() as cursor:
        _downgrade(cursor)
    sqlite._checked.clear()  # a process that has not searched yet, as ``rapport init``
    call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
    assert found(reader, "cyber défense") == ["SRCH-A", "SRCH-B", "SRCH-C", "SRCH-D", "SRCH-E"]


@SQLITE
def test_a_write_from_a_connection_without_the_stemmer_fails_rather_than_leaving_the_index_stale():
    """The triggers call Python: on a plain sqlite3 connection (the commitments table, the
    index and its triggers copied from the test database) a write to an indexed column fails."""
    import sqlite3

    from rapport.commitments.models import Commitment

    table = Commitment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s OR (type = 'table' AND name = 'search_fts') "
                       "OR (type = 'trigger' AND tbl_name = %s AND name LIKE 'search_fts%%') ORDER BY type",
                       [table, table])
        schema = [row[0] for row in cursor.fetchall()]
    plain = sqlite3.connect(":memory:")
    try:
        for statement in schema:
            plain.execute(statement)
        columns = [f'"{f.column}"' for f in Commitment._meta.local_fields]
        with pytest.raises(sqlite3.OperationalError, match="rapport_search_stems"):
            plain.execute(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})',
                          [1] * len(columns))
    finally:
        plain.close()


# Not "organization": PostgreSQL 15's Snowball stems it "organ", PyStemmer's newer one
# "organiz". Each database stems a record and a query alike, so such a difference only
# changes which rare forms share a stem on one database and not the other.
WORDS = ["Capacités", "nationales", "nationaux", "cyberdéfense", "Défense", "résilience", "mobilité",
         "militaires", "exercices", "capabilities", "defence", "organisation", "staffs", "training", "OTAN",
         "Conseil", "européenne", "menaces", "hybrides", "manœuvres", "renforcement", "coopération",
         "opérations", "sécurité", "threats", "cooperation", "communication"]


@POSTGRES
def test_postgresql_stems_as_the_sqlite_index_does():
    """Both databases must agree: PostgreSQL's Snowball dictionaries behind unaccent, and
    PyStemmer on the folded words."""
    with connection.cursor() as cursor:
        for language, config in (("english", "rapport_en"), ("french", "rapport_fr")):
            for word in WORDS:
                cursor.execute("SELECT tsvector_to_array(to_tsvector(%s::regconfig, %s))", [config, word])
                assert cursor.fetchone()[0] == [text.stems(language, word)], (language, word)


@POSTGRES
def test_the_configurations_keep_stop_words_as_sqlite_does():
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('rapport_fr', 'de la Défense')::text, "
                       "to_tsvector('rapport_en', 'the Defence')::text")
        assert cursor.fetchone() == ("'de':1 'defens':3 'la':2", "'defenc':2 'the':1")


def test_the_folding_matches_unaccent():
    assert text.fold("Manœuvres ÉTÉ Straße") == "manoeuvres ete strasse"
    assert text.words("l'armée, cyber-défense_2024") == ["l", "armee", "cyber", "defense", "2024"]


def test_a_records_language_chooses_its_stemmers():
    assert text.languages_for(None) == ("english", "french")
    assert text.languages_for("fr") == ("french",) and text.languages_for("en-gb") == ("english",)
