"""Page fragments kept across requests (rapport/web/fragments.py) never reach a reader of
another scope, go stale with the next audited change, and leave every page exactly as it
is rendered without them."""

import re

import pytest
from django.test import Client

CACHED_PAGES = [
    "/", "/public/reports/8/", "/commitments/", "/commitments/?organisation=nato&status=reported",
    "/commitments/{commitment}/", "/dashboard/", "/dashboard/?org=nato", "/search/?q=Fragmentwort", "/audit/",
]
SECRET = "Fragmentwort nato-only progress"


def _normalised(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    html = re.sub(r'nonce="[^"]+"', "NONCE", html)
    return re.sub(r"(before|after)=gAAAA[A-Za-z0-9_%=-]+", "TOKEN", html)


def _fragments(settings, on: bool) -> None:
    backend = "locmem.LocMemCache" if on else "dummy.DummyCache"
    settings.CACHES = {**settings.CACHES, "fragments": {"BACKEND": f"django.core.cache.backends.{backend}",
                                                        "LOCATION": "test-fragments"}}
    if on:
        from django.core.cache import caches

        caches["fragments"].clear()


@pytest.fixture
def world(make_user, write, commitments):
    """A NATO RESTRICTED contribution releasable to NATO only, and readers of four scopes."""
    nato = make_user(org="nato", role="coordinator", clearance="NATO CONFIDENTIAL")
    readers = {
        "nato": nato,
        "nato-other": make_user(org="nato", role="reader", clearance="NATO CONFIDENTIAL"),  # same scope
        "eu": make_user(org="eu", role="coordinator", clearance=3),
        "nato-low": make_user(org="nato", role="reader", clearance=0),
        "delegation": make_user(org=None, delegation="FI", clearance=2),
    }
    write(make_user(org="nato", role="drafter", clearance="NATO RESTRICTED"), commitments[0], SECRET,
          marking="NATO RESTRICTED", to=["nato"], submit=True)
    clients = {}
    for name, user in readers.items():  # signing in writes audit entries: all before any page is read
        clients[name] = Client()
        clients[name].force_login(user)
    clients["public"] = Client()
    return clients, {"commitment": commitments[0].pk}


def _pages(client, ids) -> dict[str, tuple[int, str]]:
    found = {}
    for url in CACHED_PAGES:
        response = client.get(url.format(**ids))
        found[url] = (response.status_code, _normalised(response.content.decode()))
    return found


@pytest.mark.django_db
def test_a_cached_fragment_never_reaches_a_reader_of_another_scope(settings, world):
    clients, ids = world
    _fragments(settings, on=False)
    uncached = {name: _pages(client, ids) for name, client in clients.items()}
    assert SECRET in uncached["nato"]["/commitments/{commitment}/"][1]
    _fragments(settings, on=True)
    # The NATO reader fills the cache first; every other reader, whatever order, then gets
    # exactly the page it gets with no cache at all.
    for order in (["nato", "eu", "nato-low", "delegation", "public", "nato-other"],
                  ["public", "delegation", "nato-low", "eu", "nato-other", "nato"]):
        for name in order:
            got = _pages(clients[name], ids)
            for url, (status, html) in got.items():
                assert (status, html) == uncached[name][url], (name, url)
                if name not in ("nato", "nato-other", "delegation"):  # Finland reads for NATO too
                    assert "nato-only progress" not in html, (name, url)


@pytest.mark.django_db
def test_readers_of_one_scope_share_a_fragment_and_an_audited_change_replaces_it(
        settings, world, make_user, write, commitments):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients, ids = world
    _fragments(settings, on=True)
    url = "/commitments/"
    with CaptureQueriesContext(connection) as first:
        clients["nato"].get(url)
    with CaptureQueriesContext(connection) as second:
        same_scope = clients["nato-other"].get(url)
    assert len(second.captured_queries) < len(first.captured_queries) - 3
    assert not any("commitments_commitment" in q["sql"] for q in second.captured_queries)
    # A change written through a service moves the audit head: the next reader reads afresh.
    write(make_user(org="nato", role="drafter", clearance="NATO RESTRICTED"), commitments[1], "A second text",
          marking="NATO RESTRICTED", to=["nato"], submit=True)
    after = clients["nato-other"].get(url).content.decode()
    assert after != same_scope.content.decode()
    assert after.count("Submitted") == same_scope.content.decode().count("Submitted") + 1


@pytest.mark.django_db
def test_a_form_in_a_cached_fragment_carries_each_session_its_own_token(settings, world):
    from rapport.web.fragments import CSRF_SLOT

    clients, ids = world
    _fragments(settings, on=True)
    url = f"/commitments/{ids['commitment']}/"
    tokens = []
    # One page's forms outside the fragment (signing out, the language switch) share its token.
    for _ in range(2):
        html = clients["nato"].get(url).content.decode()
        assert CSRF_SLOT not in html
        tokens += set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    html = clients["eu"].get(url).content.decode()
    assert CSRF_SLOT not in html
    tokens += set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) >= 6 and len(set(tokens)) == len(tokens)


@pytest.mark.django_db
def test_a_form_from_a_cached_fragment_posts(settings, make_user, commitments):
    """The token a cached page carries is the session's own: the form it is in is accepted."""
    _fragments(settings, on=True)
    coordinator = make_user(org="nato", role="coordinator", clearance="NATO CONFIDENTIAL")
    url = f"/commitments/{commitments[0].pk}/"
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    client.get(url)  # fills the cache
    html = client.get(url).content.decode()  # from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(f"/commitments/{commitments[0].pk}/assign/",
                           {"csrfmiddlewaretoken": token, "unit": "Cyber desk", "staff": ""})
    assert response.status_code == 302
    assert "Cyber desk" in client.get(url).content.decode()


def test_scope_key_is_what_visible_to_depends_on():
    from types import SimpleNamespace

    from rapport.markings.querysets import scope_key

    def reader(**kw):
        base = dict(is_authenticated=True, is_active=True, clearance_id=1, clearance_rank=2, organisation_id=1,
                    delegation_id=None, role="reader", pk=1)
        base.update(kw)
        user = SimpleNamespace(**base)
        user.reading_organisations = lambda: [user.organisation_id]
        return user

    assert scope_key(reader()) == scope_key(reader(role="coordinator", pk=2))
    assert scope_key(reader()) != scope_key(reader(clearance_rank=3, clearance_id=2))
    assert scope_key(reader()) != scope_key(reader(organisation_id=2))
    assert scope_key(None) == scope_key(reader(is_authenticated=False)) == ("public",)
    assert scope_key(reader(is_active=False)) == ("public",)
