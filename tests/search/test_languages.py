"""Search in English and French, on both databases: accents folded, words stemmed in
both languages, compounds found whether written as one word, two or hyphenated."""

import pytest

pytestmark = pytest.mark.django_db

COMPOUND = ["SRCH-A", "SRCH-B", "SRCH-C", "SRCH-D"]


@pytest.fixture
def reader(make_user):
    return make_user(org="eu", role="reader", clearance=3)


@pytest.mark.parametrize("query", ["cyberdéfense", "cyberdefense", "CYBERDÉFENSE", "cyberdefence", "CyberDefense"])
def test_a_compound_typed_as_one_word_finds_it_written_as_one_two_or_hyphenated(corpus, found, reader, query):
    """"cyber" and "défense" side by side, in any of their spellings; not where they stand apart (E)."""
    assert found(reader, query) == COMPOUND


@pytest.mark.parametrize("query", ["cyber défense", "Cyber-Défense", "cyber defence", "cyber defense"])
def test_a_compound_typed_as_two_words_finds_it_written_as_one_two_or_hyphenated(corpus, found, reader, query):
    """Every record with both words, as before (E), and now those that write them as one."""
    assert found(reader, query) == sorted([*COMPOUND, "SRCH-E"])


def test_the_one_word_queries_find_only_the_compound(corpus, found, reader):
    assert found(reader, "cyberdéfense") == found(reader, "cyberdefense") == COMPOUND  # not E: "cyber" stands apart
    assert found(reader, "cyber défense") == sorted([*COMPOUND, "SRCH-E"])  # every word there, as before


def test_accents_are_folded_both_ways(corpus, found, reader):
    assert found(reader, "défense aérienne") == found(reader, "DEFENSE AERIENNE") == ["SRCH-E"]
    assert found(reader, "mobilite militaire") == ["SRCH-G"]
    assert found(reader, "réseaux") == found(reader, "reseaux") == ["SRCH-A"]


def test_french_words_are_stemmed(corpus, found, reader):
    assert found(reader, "capacité nationale") == ["SRCH-G"]  # "capacités nationales"
    assert found(reader, "nationaux") == ["SRCH-D", "SRCH-G", "SRCH-H"]  # "nationales", and English "national"
    assert found(reader, "exercice conjoint") == ["SRCH-B"]
    assert found(reader, "militant") == []  # a stem is matched whole: not "militaire"


def test_english_words_are_stemmed(corpus, found, reader):
    assert found(reader, "capabilities") == ["SRCH-F", "SRCH-H"]  # "capability" and "capabilities"
    assert found(reader, "exercise") == ["SRCH-C"]
    assert found(reader, "trained staffs") == ["SRCH-D"]
    assert found(reader, "listing") == ["SRCH-H"]


def test_british_and_american_spellings_find_each_other(corpus, found, reader):
    assert found(reader, "air defense") == found(reader, "air defence") == ["SRCH-F"]


def test_a_partly_typed_word_finds_what_the_whole_word_finds(corpus, found, reader):
    assert found(reader, "capabilit") == ["SRCH-F", "SRCH-H"]
    assert found(reader, "cyberdéf") == found(reader, "cyberdef") == COMPOUND  # typed on: the compound, as written
    assert found(reader, "cyber déf") == sorted([*COMPOUND, "SRCH-E"])


def test_a_hidden_record_is_never_found(corpus, found, reader, make_user):
    nato = make_user(org="nato", role="reader", clearance="NATO CONFIDENTIAL")
    for query in ["cyberdéfense", "cyber défense", "confidentielle", "OTAN"]:
        assert "SRCH-X" not in found(reader, query)
        assert "SRCH-X" in found(nato, query)  # the record is there: the filter hides it


def test_a_hidden_record_leaves_no_trace_on_the_page_or_in_the_api(corpus, reader, client, make_user):
    from tests.api.clients import token_client

    client.force_login(reader)
    page = client.get("/search/", {"q": "cyberdéfense"}).content.decode()
    assert "SRCH-A" in page and "SRCH-X" not in page and "confidentielle" not in page
    for user, sees in ((reader, False), (make_user(org="nato", role="reader", clearance="NATO CONFIDENTIAL"), True)):
        answer = token_client(user, scope="read").get("/api/v1/search", {"q": "cyberdéfense", "kind": "commitment"})
        ids = {hit["id"] for hit in answer.json()["items"]}
        assert corpus["SRCH-A"].pk in ids and (corpus["SRCH-X"].pk in ids) == sees


def test_snippets_mark_the_words_found(corpus, reader):
    from rapport.search.service import search

    hit = next(h for h in search(reader, "defense", kinds=["commitment"]) if h.obj.ref == "SRCH-E")
    assert "<mark>Défense</mark>" in hit.snippet


def test_user_input_never_becomes_query_syntax(corpus, found, reader):
    for text in ['"', "cyber* OR défense", "NEAR(cyber défense)", "a & b | !c", "<->", "::", "stems_en : x",
                 "{title} : cyber", "'", "l'armée", "_", "–—", "x" * 300, "cyber " * 40]:
        found(reader, text)  # no exception
    assert found(reader, "l'OTAN") == []  # the hidden record only
