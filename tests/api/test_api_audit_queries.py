"""The API's audit log costs the same however long the log is, and its kept answers (the
pages' cache, keyed by the reader's scope and the log's head) never reach a reader of
another scope, nor outlive a new entry."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.audit.record import record
from rapport.audit.verbs import Verb
from rapport.commitments.models import Commitment
from rapport.partnerships.models import Organisation

from .clients import token_client

pytestmark = pytest.mark.django_db

SECRET = "MXAUDITQUERIES"


def _cache(settings, on: bool) -> None:
    backend = "locmem.LocMemCache" if on else "dummy.DummyCache"
    settings.CACHES = {**settings.CACHES, "fragments": {"BACKEND": f"django.core.cache.backends.{backend}",
                                                        "LOCATION": "test-api-audit"}}
    if on:
        from django.core.cache import caches

        caches["fragments"].clear()


def _entries(n: int, about) -> None:
    for i in range(n):
        record(actor=None, system_actor="test", verb=Verb.COMMITMENT_ASSIGNED, obj=about, after={"n": i},
               message=f"entry {i}")


def _queries(client, **query) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/v1/audit", query)
    assert answer.status_code == 200 and answer.json()["items"]
    return len(queries)


def test_the_query_count_does_not_grow_with_the_log(make_user, eu_nato):
    about = Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("pk").first()
    client = token_client(make_user(org="nato", role="coordinator", clearance=3), scope="read")
    _entries(12, about)
    client.get("/api/v1/audit", {"limit": 10})  # the first request of a token records its use
    short = {"first": _queries(client, limit=10), "verb": _queries(client, limit=10, verb=Verb.COMMITMENT_ASSIGNED)}
    cursor = client.get("/api/v1/audit", {"limit": 5}).json()["next"]
    short["next"] = _queries(client, limit=5, cursor=cursor)
    _entries(150, about)
    long = {"first": _queries(client, limit=10), "verb": _queries(client, limit=10, verb=Verb.COMMITMENT_ASSIGNED)}
    long["next"] = _queries(client, limit=5, cursor=cursor)
    assert short == long
    assert max(long.values()) <= 8


def _pages(client, **query) -> list[list[dict]]:
    pages, cursor = [], None
    while True:
        body = client.get("/api/v1/audit", {**query, **({"cursor": cursor} if cursor else {})}).json()
        pages.append(body["items"])
        cursor = body["next"]
        if not cursor:
            return pages


@pytest.fixture
def readers(make_user, eu_nato, level):
    c = Commitment.objects.create(partnership=eu_nato, ref="MX-AQ-01", mandate=eu_nato.mandates.first(),
                                  area=eu_nato.areas.first(), title=SECRET, text=f"{SECRET} text",
                                  classification=level("NATO RESTRICTED"), order=9997)
    c.releasable_to.set(Organisation.objects.filter(key="nato"))
    record(actor=None, system_actor="test", verb=Verb.COMMITMENT_ASSIGNED, obj=c, after={"title": c.title},
           message=f"{SECRET} made")
    return {
        "nato": make_user(org="nato", role="coordinator", clearance=3),
        "nato-same-scope": make_user(org="nato", role="reader", clearance=3),
        "nato-low": make_user(org="nato", role="reader", clearance=0),
        "eu": make_user(org="eu", role="coordinator", clearance=3),
        "delegation": make_user(org=None, delegation="FI", clearance=2),
    }


def test_a_kept_answer_never_reaches_another_scope(settings, readers):
    clients = {name: token_client(user, scope="read") for name, user in readers.items()}
    _cache(settings, False)
    expected = {name: _pages(client, limit=40) for name, client in clients.items()}
    assert SECRET in str(expected["nato"]) and SECRET not in str(expected["eu"])
    assert SECRET not in str(expected["nato-low"]) and SECRET in str(expected["delegation"])  # FI: EU and NATO
    _cache(settings, True)
    for order in (list(clients), list(clients)[::-1]):  # every reader after every other, cache warm
        for name in order:
            assert _pages(clients[name], limit=40) == expected[name], name


def test_a_new_entry_is_in_the_next_answer(settings, readers, eu_nato):
    _cache(settings, True)
    client = token_client(readers["eu"], scope="read")
    before = [e for page in _pages(client, limit=40) for e in page]
    about = Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("pk").first()
    _entries(1, about)
    after = [e for page in _pages(client, limit=40) for e in page]
    assert after[:len(before)] == before and len(after) == len(before) + 1 and after[-1]["message"] == "entry 0"
