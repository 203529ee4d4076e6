"""Search: the index follows every write, and results pass the visibility filter."""

import pytest
from django.db import connection

from rapport.search.service import search


@pytest.mark.django_db
def test_index_follows_writes_and_filters_by_visibility(make_user, write, commitments):
    nato_author = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    c = write(nato_author, commitments[0], "Quasiperiodic flotilla exercise", marking="NATO RESTRICTED", to=["nato"], submit=True)
    eu_reader = make_user(org="eu", role="reader", clearance=4)
    nato_reader = make_user(org="nato", role="reader", clearance="NATO RESTRICTED")
    assert [h.obj.pk for h in search(nato_reader, "quasiperiod")] == [c.pk]  # prefix match
    assert search(eu_reader, "quasiperiodic") == []
    c.narrative = "Renamed to heliotrope"
    c.save()
    assert search(nato_reader, "quasiperiodic") == []
    assert [h.obj.pk for h in search(nato_reader, "heliotrope")] == [c.pk]


@pytest.mark.django_db
def test_user_input_cannot_break_the_query(make_user):
    user = make_user(org="eu", role="reader")
    for text in ['"', "AND OR NOT", "a*)(", "NEAR(", "-", "::"]:
        search(user, text)  # no exception


@pytest.mark.django_db
def test_commitments_and_meetings_are_found(make_user):
    user = make_user(org="eu", role="reader")
    kinds = {h.kind for h in search(user, "hybrid")}
    assert "commitment" in kinds


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 index")
@pytest.mark.django_db
def test_index_is_rebuilt_when_a_trigger_is_missing(make_user):
    from rapport.search.sqlite import ensure_index

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER search_fts_commitment_ai_v1")
    assert ensure_index(connection) is True
    assert ensure_index(connection) is False
    assert search(make_user(org="eu", role="reader"), "hybrid")
