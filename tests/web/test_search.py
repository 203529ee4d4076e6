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
    from rapport.search.sqlite import VERSION, ensure_index

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER search_fts_commitment_ai_{VERSION}")
    assert ensure_index(connection) is False  # checked once per process: a search does not introspect
    assert ensure_index(connection, recheck=True) is True  # as after a migration
    assert ensure_index(connection) is False
    assert search(make_user(org="eu", role="reader"), "hybrid")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 index")
@pytest.mark.django_db
def test_an_edit_replaces_only_its_own_index_row(make_user, write, commitments):
    """Index rows are keyed by kind and id: an update finds its row without scanning the index,
    and an update that does not touch an indexed column does not touch the index at all."""
    from rapport.search.sqlite import TABLE, VERSION

    author = make_user(org="eu", role="drafter")
    c = write(author, commitments[0], "Zanzibar quartermaster logistics.")

    def rows():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH 'zanzibar'")
            return cursor.fetchone()[0]

    def trigger(name):
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
            return cursor.fetchone()[0]

    assert rows() == 1
    c.narrative = "Kilimanjaro quartermaster logistics."
    c.save()
    assert rows() == 0 and search(author, "kilimanjaro")
    type(c).objects.filter(pk=c.pk).update(version=7)  # no indexed column: the index is left alone
    assert search(author, "kilimanjaro")
    update = trigger(f"{TABLE}_contribution_au_{VERSION}")
    assert 'AFTER UPDATE OF "narrative"' in update and "WHERE rowid = old" in update


@pytest.mark.django_db
def test_matches_the_reader_may_not_see_never_crowd_out_those_they_may(make_user, eu_nato, level):
    """More hidden matches than the index returns at once, ranked first: the readable ones
    are still found (both databases)."""
    from rapport.commitments.models import Commitment
    from rapport.contributions.models import Contribution
    from rapport.partnerships.models import Organisation

    nato = Organisation.objects.get(key="nato")
    period = eu_nato.periods.get(state="open")
    commitments = list(Commitment.objects.filter(partnership=eu_nato).order_by("pk"))
    hidden = [Contribution(organisation=nato, commitment=c, period=period, state="draft", version=1,
                           narrative="Xylophonist xylophonist xylophonist, NATO draft.",
                           classification=level(0, scheme="nato")) for c in commitments]
    Contribution.objects.bulk_create(hidden)
    more = Commitment.objects.bulk_create([
        Commitment(partnership=eu_nato, ref=f"ZZ-{n:03d}", mandate=commitments[0].mandate, area=commitments[0].area,
                   title=f"Xylophonist xylophonist {n}", text="Xylophonist.", order=5000 + n,
                   classification=level(3, scheme="nato")) for n in range(520)])
    Commitment.releasable_to.through.objects.bulk_create([
        Commitment.releasable_to.through(commitment_id=c.pk, organisation_id=nato.pk) for c in more])
    eu = make_user(org="eu", role="reader", clearance=3)
    mine = Contribution.objects.create(organisation=Organisation.objects.get(key="eu"), commitment=commitments[0],
                                       period=period, state="submitted", version=1, narrative="A xylophonist.",
                                       classification=level(0, scheme="eu"))
    hits = search(eu, "xylophonist")
    assert [h.obj.pk for h in hits if h.kind == "contribution"] == [mine.pk]
    assert not [h for h in hits if h.kind == "commitment" and h.obj.ref.startswith("ZZ-")]


@pytest.mark.django_db
def test_the_reports_outlook_and_texts_are_found_by_their_readers_only(make_user, eu_nato, level):
    from django.test import Client

    from rapport.partnerships.models import Organisation
    from rapport.reports import parts
    from rapport.reports.models import Report

    report = Report.objects.select_related("period").get(period__partnership=eu_nato, state="draft")
    nato = Organisation.objects.get(key="nato")
    coordinator = make_user(org="nato", role="coordinator", clearance=3)
    every = list(eu_nato.organisations.all())
    outlook = parts.create_outlook(actor=coordinator, report=report, text="Xylophonic resilience workshops next year.",
                                   classification=level(0, scheme="nato"), releasable_to=every)
    text = parts.create_text(actor=coordinator, report=report, text="Zanzibarian staff exchanges widened.",
                             classification=level(0, scheme="nato"), releasable_to=every)
    secret = parts.create_text(actor=coordinator, report=report, text="Zanzibarian secret strand.",
                               classification=level("NATO CONFIDENTIAL"), releasable_to=every)
    secret.releasable_to.set([nato])
    eu_reader = make_user(org="eu", role="reader", clearance=5)
    nato_reader = make_user(org="nato", role="reader", clearance=3)
    assert [(h.kind, h.obj.pk) for h in search(eu_reader, "xylophonic")] == [("outlook", outlook.pk)]
    assert [(h.kind, h.obj.pk) for h in search(eu_reader, "zanzibarian")] == [("text", text.pk)]
    assert {h.obj.pk for h in search(nato_reader, "zanzibarian")} == {text.pk, secret.pk}
    client = Client()
    client.force_login(eu_reader)
    page = client.get("/search/", {"q": "zanzibarian"}).content.decode()
    assert f"/reports/{report.period.ordinal}/parts/text/{text.pk}/edit/" in page and "secret strand" not in page
