"""Reference data, the audit log and search through the API: the audit entries and search hits
a caller gets are those their pages show them (never a restricted record's title or its
recorded values), reference data is the same for everyone."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.audit.models import AuditEvent
from rapport.audit.record import record
from rapport.audit.verbs import Verb
from rapport.commitments.models import Commitment
from rapport.partnerships.models import Membership, Organisation

from .clients import token_client

pytestmark = pytest.mark.django_db



@pytest.fixture
def readers(make_user):
    return {"eu": make_user(org="eu", role="reader", clearance=3), "nato": make_user(org="nato", role="reader",
                                                                                     clearance=3)}


@pytest.fixture
def nato_only(eu_nato, level):
    c = Commitment.objects.create(partnership=eu_nato, ref="MX-J-01", mandate=eu_nato.mandates.first(),
                                  area=eu_nato.areas.first(), title="MXJOURNALSECRET", text="MXJOURNALSECRET text",
                                  classification=level("NATO RESTRICTED"), order=9998)
    c.releasable_to.set(Organisation.objects.filter(key="nato"))
    record(actor=None, system_actor="test", verb=Verb.COMMITMENT_ASSIGNED, obj=c, after={"title": c.title},
           message="MXJOURNALSECRET made")
    return c


def _all(client, path, **query):
    items, cursor = [], None
    while True:
        body = client.get(path, {**query, **({"cursor": cursor} if cursor else {})}).json()
        items += body["items"]
        cursor = body["next"]
        if not cursor:
            return items


def test_an_audit_cursor_is_only_one_the_api_gave(readers):
    client = token_client(readers["eu"], scope="read")
    for forged in ("1", "x" * 50):
        answer = client.get("/api/v1/audit", {"cursor": forged})
        assert answer.status_code == 400 and answer.json()["field"] == "cursor"


def test_the_audit_log_holds_only_entries_the_caller_may_read(readers, nato_only):
    eu = _all(token_client(readers["eu"], scope="read"), "/api/v1/audit", limit=50)
    nato = _all(token_client(readers["nato"], scope="read"), "/api/v1/audit", limit=50)
    assert not [e for e in eu if "MXJOURNALSECRET" in e["object_repr"] + e["message"]]
    mine = [e for e in nato if e["object_repr"] == "MX-J-01 MXJOURNALSECRET" or "MXJOURNALSECRET" in e["message"]]
    assert len(mine) == 1 and mine[0]["object_type"] == "commitments.commitment"
    assert "after" not in mine[0] and "before" not in mine[0]  # the recorded values are the history page's
    # Neither an entry's number nor its id is answered: they would show how many others were written between.
    assert not {"seq", "id"} & set(mine[0])
    assert [e["at"] for e in nato] == sorted(e["at"] for e in nato)
    # Each reader's own token entry is internal to their organisation: neither sees the other's.
    assert len(nato) == len(eu) + 1 == AuditEvent.objects.count() - 1


def test_an_audit_page_costs_the_same_at_any_length(readers, nato_only):
    client = token_client(readers["nato"], scope="read")
    client.get("/api/v1/audit", {"limit": 5})
    with CaptureQueriesContext(connection) as short:
        client.get("/api/v1/audit", {"limit": 5})
    for n in range(30):
        record(actor=None, system_actor="test", verb=Verb.COMMITMENT_ASSIGNED, obj=nato_only, message=f"edit {n}")
    with CaptureQueriesContext(connection) as long:
        client.get("/api/v1/audit", {"limit": 5})
    assert len(long) == len(short)


def test_search_finds_only_readable_records(readers, nato_only):
    eu = token_client(readers["eu"], scope="read").get("/api/v1/search", {"q": "MXJOURNALSECRET"})
    nato = token_client(readers["nato"], scope="read").get("/api/v1/search", {"q": "MXJOURNALSECRET"})
    assert eu.status_code == 200 and eu.json()["items"] == []
    hits = nato.json()["items"]
    assert [(h["kind"], h["id"], h["api"]) for h in hits] == [
        ("commitment", nato_only.pk, f"/api/v1/commitments/{nato_only.pk}")]
    assert "MXJOURNALSECRET" in hits[0]["snippet"] and "<mark>" not in hits[0]["snippet"]
    bad = token_client(readers["eu"], scope="read").get("/api/v1/search", {"q": "x", "kind": "nonsense"})
    assert bad.status_code == 400 and bad.json()["field"] == "kind"
    assert token_client(readers["eu"], scope="read").get("/api/v1/search", {"q": ""}).status_code == 400


def test_reference_data_is_the_same_for_everyone(readers, eu_nato):
    answers = [token_client(u, scope="read").get(p).json() for p in ("/api/v1/partnerships", "/api/v1/organisations")
               for u in readers.values()]
    assert answers[0] == answers[1] and answers[2] == answers[3]
    assert answers[0][0]["key"] == "eu-nato" and answers[0][0]["organisations"] == ["eu", "nato"]
    members = _all(token_client(readers["eu"], scope="read"), "/api/v1/memberships", organisation="nato", limit=10)
    assert len(members) == Membership.objects.filter(organisation__key="nato").count() > 0
    assert {m["organisation"] for m in members} == {"nato"}


def test_a_parameter_of_one_value_given_twice_is_a_400(readers):
    client = token_client(readers["eu"], scope="read")
    answer = client.get("/api/v1/audit?verb=a&verb=b")
    assert answer.status_code == 400 and answer.json()["field"] == "verb"
    assert client.get("/api/v1/commitments?area=A&area=B").json()["field"] == "area"
    assert client.get("/api/v1/search?q=x&kind=commitment&kind=meeting").status_code == 200  # a list parameter


def test_a_parameter_without_a_name_is_a_400(readers):
    client = token_client(readers["eu"], scope="read")
    for path in ("/api/v1/search?q=0&=null", "/api/v1/commitments?=x"):
        answer = client.get(path)
        assert answer.status_code == 400 and answer.json()["field"] == "query", path


@pytest.mark.parametrize("path", ["/api/v1/audit?verb=", "/api/v1/commitments?area=", "/api/v1/contributions?state=",
                                  "/api/v1/memberships?organisation="])
def test_an_empty_filter_value_is_a_400(readers, path):
    answer = token_client(readers["eu"], scope="read").get(path)
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
