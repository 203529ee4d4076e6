"""PostgreSQL keeps each record's search vector in ``search_document`` (triggers on the
source tables, a GIN index): the stored vector is the one the query used to compute from
the record, a search gives what computing it in the query gave, every kind of write
keeps it current, and an index of another format is rebuilt. SQLite has no such table."""

from __future__ import annotations

from functools import reduce
from operator import add

import pytest
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from rapport.search import postgres as pg
from rapport.search.sources import BY_KIND, SOURCES

pytestmark = pytest.mark.django_db
POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's stored vectors")

QUERIES = ["cyberdéfense", "cyber défense", "cyber déf", "défense", "defence", "staff", "capacités nationales",
           "exercise", "réseaux commandement", "mobility", "capabilit", "military", "the", "OTAN"]


def computed(source):
    """The record's vector as the query computed it before it was stored."""
    from django.contrib.postgres.search import SearchVector

    vectors = [SearchVector(text, weight=weight, config=config)
               for text, weight in ((pg._text(source.title_fields), "A"), (pg._body(source), "B"))
               for config in pg._configs()]
    return reduce(add, vectors)


def stored(kind: str) -> dict[int, str]:
    from rapport.search.models import SearchDocument

    rows = SearchDocument.objects.filter(kind=kind).annotate(_tsv=Cast("vector", TextField()))
    return dict(rows.values_list("obj_id", "_tsv"))


def expected(kind: str) -> dict[int, str]:
    source = BY_KIND[kind]
    rows = source.model._base_manager.annotate(_tsv=Cast(computed(source), TextField()))
    return dict(rows.values_list("pk", "_tsv"))


def reference_search(source, queryset, text: str, limit: int = 40):
    """Search as it was done before the vectors were stored: computed in the query for
    every record the reader may see."""
    from django.contrib.postgres.search import SearchHeadline, SearchRank

    query = pg.build_query(text)
    vector = computed(source)
    body = pg._body(source) if source.body_fields else pg._text(source.title_fields)
    rows = (queryset.annotate(_vector=vector, _rank=SearchRank(vector, query),
                              _snippet=SearchHeadline(body, query, config="rapport_en", start_sel=pg.MARK_START,
                                                      stop_sel=pg.MARK_END, max_words=40, min_words=15))
            .filter(_vector=query).order_by("-_rank", "pk")[:limit])
    return [(obj.pk, -float(obj._rank), obj._snippet or "") for obj in rows]


@pytest.fixture
def translated(eu_nato, make_user, level):
    """A contribution with a French translation."""
    from rapport.commitments.models import Commitment
    from rapport.contributions import services
    from rapport.periods.models import ReportingPeriod

    drafter = make_user(org="eu", role="drafter", clearance=3)
    period = ReportingPeriod.objects.get(partnership=eu_nato, state="open")
    commitment = Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref").first()
    return services.create_contribution(
        actor=drafter, commitment=commitment, period=period,
        narrative="Staff trained together on the protection of command networks.",
        classification=level(0, scheme="eu"), releasable_to=list(eu_nato.organisations.all()),
        translations={"fr": {"narrative": "Les états-majors se sont formés à la cyberdéfense des réseaux."}})


@POSTGRES
def test_the_table_and_its_gin_index_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [pg.TABLE])
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("USING gin (vector)" in d for d in definitions), definitions


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite")
def test_sqlite_has_no_table_of_stored_vectors():
    """The model is not managed; its migration makes the table on PostgreSQL alone."""
    assert pg.TABLE not in connection.introspection.table_names()
    assert "search_fts" in connection.introspection.table_names()


@POSTGRES
def test_every_record_has_the_vector_the_query_computed(corpus, translated):
    for source in SOURCES:
        want = expected(source.kind)
        assert stored(source.kind) == want, source.kind
    assert expected("commitment") and expected("contribution")
    assert "'cyberdefens'" in stored("contribution")[translated.pk]  # through its French translation


@POSTGRES
@pytest.mark.parametrize("org, clearance", [("eu", 3), ("nato", "NATO CONFIDENTIAL")])
def test_a_search_gives_what_computing_the_vectors_in_the_query_gave(corpus, translated, make_user, org, clearance):
    from rapport.search.service import _visible

    reader = make_user(org=org, role="reader", clearance=clearance)
    compared = 0
    for source in SOURCES:
        for query in QUERIES:
            visible = _visible(source, reader)
            want = reference_search(source, visible, query)
            got = [(obj.pk, score, snippet) for obj, score, snippet in pg.search_source(source, visible, query, 40)]
            assert got == want, (source.kind, query)
            compared += len(want)
    assert compared > 50  # the queries find records of several kinds


@POSTGRES
def test_the_index_follows_every_kind_of_write(corpus, found, make_user):
    from rapport.commitments.models import Commitment

    reader = make_user(org="eu", role="reader", clearance=3)
    a = corpus["SRCH-A"]
    Commitment.objects.filter(pk=a.pk).update(title="Logistique portuaire")  # no save(), no signal
    assert found(reader, "portuaire") == ["SRCH-A"] and found(reader, "cyberdéfense") == ["SRCH-B", "SRCH-C", "SRCH-D"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE commitments_commitment SET text = 'Ravitaillement en vol.' WHERE id = %s", [a.pk])
    assert found(reader, "ravitaillement") == ["SRCH-A"] and found(reader, "réseaux") == []
    assert stored("commitment") == expected("commitment")
    a.delete()
    assert a.pk not in stored("commitment") and found(reader, "portuaire") == []


@POSTGRES
def test_a_write_that_leaves_the_text_alone_leaves_the_entry_alone(corpus):
    from rapport.commitments.models import Commitment

    b = corpus["SRCH-B"]

    def row():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT ctid::text FROM {pg.TABLE} WHERE kind = 'commitment' AND obj_id = %s", [b.pk])
            return cursor.fetchone()[0]

    before = row()
    Commitment.objects.filter(pk=b.pk).update(order=4321)
    b.refresh_from_db()
    b.save()  # every column written, the same text
    assert row() == before
    Commitment.objects.filter(pk=b.pk).update(title="Exercices d'état-major")
    assert row() != before


@POSTGRES
def test_a_truncated_table_leaves_no_entries_of_its_kind(corpus, translated):
    from rapport.search.models import SearchDocument

    assert SearchDocument.objects.filter(kind="contribution").exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: TRUNCATE refuses them
        cursor.execute("TRUNCATE contributions_contribution CASCADE")
    assert not SearchDocument.objects.filter(kind="contribution").exists()
    assert SearchDocument.objects.filter(kind="commitment").count() == len(expected("commitment")) > 0


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname LIKE %s",
                       [r"search\_document\_%"])
        return {row[0] for row in cursor.fetchall()}


@POSTGRES
def test_an_index_of_another_format_or_missing_a_trigger_is_rebuilt_after_a_migrate(corpus, found, make_user):
    from rapport.search.apps import _ensure_search_index

    reader = make_user(org="eu", role="reader", clearance=3)
    current = _triggers()
    assert len(current) == 4 * len(SOURCES) and all(pg.signature() in t for t in current)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER {sorted(current)[0]} ON {_table_of(sorted(current)[0])}")
        # An older format: its own function and trigger, which would write other vectors.
        cursor.execute("CREATE FUNCTION search_document_commitment_0000000000() RETURNS trigger LANGUAGE plpgsql "
                       "AS $$ BEGIN RETURN NULL; END $$")
        cursor.execute("CREATE TRIGGER search_document_commitment_0000000000_ai AFTER INSERT ON "
                       "commitments_commitment FOR EACH ROW EXECUTE FUNCTION search_document_commitment_0000000000()")
        cursor.execute(f"DELETE FROM {pg.TABLE}")
    _ensure_search_index()  # what post_migrate runs
    assert _triggers() == current
    assert stored("commitment") == expected("commitment")
    assert found(reader, "cyberdéfense") == ["SRCH-A", "SRCH-B", "SRCH-C", "SRCH-D"]


def _table_of(trigger: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [trigger])
        return cursor.fetchone()[0]


@POSTGRES
def test_searchindex_rebuilds_the_stored_vectors(corpus):
    from io import StringIO

    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {pg.TABLE} SET vector = ''::tsvector")
    out = StringIO()
    call_command("searchindex", stdout=out)
    assert out.getvalue().strip() == "Search index rebuilt."
    assert stored("commitment") == expected("commitment")


@POSTGRES
def test_the_matches_come_from_the_gin_index(corpus, make_user):
    """The query's shape lets PostgreSQL find the matches through the GIN index. The test's
    tables are small, so the planner would rather read them whole or by kind: with
    sequential scans discouraged and the primary key's index out of the way (inside the
    test's transaction, rolled back), the plan of a search reads the GIN index."""
    from django.test.utils import CaptureQueriesContext

    from rapport.search.service import _visible

    reader = make_user(org="eu", role="reader", clearance=3)
    source = BY_KIND["commitment"]
    with CaptureQueriesContext(connection) as queries:
        pg.search_source(source, _visible(source, reader), "cyberdéfense")
    sql = next(q["sql"] for q in queries.captured_queries if "@@" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"ALTER TABLE {pg.TABLE} DROP CONSTRAINT {pg.TABLE}_pkey")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_document_vector" in plan, plan
