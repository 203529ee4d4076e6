"""Property: the language of the pages never changes what a user may see.

For users drawn from the access tests' world (every organisation, role and clearance, the
delegations, the signed-out public) and pages drawn from the lists, searches and the world's
object pages (objects of every marking and releasability), the page asked for in English and
in French answers with the same status, the same links (so the same objects, by id), the same
records (by their titles), the same marking banner and the same portion markings. Only the wording may differ.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access.conftest import world  # noqa: F401 — the module's users and marked objects
from tests.access.world import user_specs

pytestmark = pytest.mark.django_db

LIST_PAGES = ["/", "/public/reports/", "/dashboard/", "/commitments/", "/commitments/?mine=on", "/evidence/",
              "/evidence/?kind=meetings", "/periods/", "/reports/", "/audit/", "/search/?q=world", "/inbox/"]
OBJECT_PAGES = {"commitments.commitment": "/commitments/{pk}/", "contributions.contribution": "/contributions/{pk}/",
                "evidence.meeting": "/meetings/{pk}/", "contributions.jointtext": "/joint-texts/{pk}/"}
USERS = [s.key for s in user_specs() if s.kind != "inactive"]

_HREF = re.compile(r'href="([^"#]*)')
_BANNER = re.compile(r'id="marking-banner-top" class="[^"]*(marking-rank-\d)')
_PORTION = re.compile(r'<span class="portion (marking-rank-\d)"')
# Every object of the world carries a unique title: the records a page shows, by name.
_TITLE = re.compile(r"MXTITLE-[\w-]+")
# Addresses that are the same page in another form, not content: the switch's own page.
_NOT_CONTENT = ("/language/",)


def what_is_shown(response) -> dict:
    html = response.content.decode()
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "links": sorted(h for h in _HREF.findall(html) if h.startswith("/") and not h.startswith(_NOT_CONTENT)
                        and not h.startswith("/static/")),
        "banner": _BANNER.findall(html),
        "portions": sorted(_PORTION.findall(html)),
        "records": sorted(_TITLE.findall(html)),
    }


def _page_for(world, choice):  # noqa: F811 — the fixture's name
    kind, index = choice
    if kind == "list":
        return LIST_PAGES[index % len(LIST_PAGES)]
    objects = [s for label in OBJECT_PAGES for s in world["objects"].get(label, [])]
    spec = objects[index % len(objects)]
    return OBJECT_PAGES[spec.label].format(pk=spec.obj.pk)


def _client(world, key):  # noqa: F811
    client = Client()
    if key != "anonymous":
        client.force_login(world["users"][key])
    return client


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(user=st.sampled_from(USERS),
       choice=st.tuples(st.sampled_from(["list", "object"]), st.integers(min_value=0, max_value=10_000)))
def test_english_and_french_show_the_same_things(world, user, choice):  # noqa: F811
    path = _page_for(world, choice)
    client = _client(world, user)
    english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    french = client.get(path, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert english.get("Content-Language", "en").startswith("en")
    if english.status_code == 200:
        assert french["Content-Language"] == "fr", path
        assert '<html lang="fr">' in french.content.decode()
    assert what_is_shown(english) == what_is_shown(french), (user, path)


def test_the_comparison_sees_a_difference(world):  # noqa: F811
    """The same user on two different object pages: the records differ, so the property can fail."""
    client = _client(world, "nato-reader-3")
    a, b = (client.get(OBJECT_PAGES["commitments.commitment"].format(pk=s.obj.pk), HTTP_ACCEPT_LANGUAGE="fr")
            for s in [s for s in world["objects"]["commitments.commitment"] if s.rank == 0][:2])
    assert a.status_code == b.status_code == 200
    assert what_is_shown(a)["records"] != what_is_shown(b)["records"]


# One user of each kind: each organisation at the lowest and highest clearance, a delegation of
# a state in both organisations and of one in only one, a clearance in the other scheme, none.
MATRIX_USERS = ["anonymous", "eu-reader-0", "eu-coordinator-3", "nato-reader-1", "nato-approver-3",
                "del-fi-2", "del-at-3", "eu-reader-natocleared-2", "eu-drafter-uncleared"]


def test_each_kind_of_user_on_every_list_page_in_both_languages(world):  # noqa: F811
    """The matrix behind the property, for the lists."""
    assert set(MATRIX_USERS) <= set(USERS)
    for user in MATRIX_USERS:
        client = _client(world, user)
        for path in LIST_PAGES:
            english = what_is_shown(client.get(path, HTTP_ACCEPT_LANGUAGE="en"))
            french = what_is_shown(client.get(path, HTTP_ACCEPT_LANGUAGE="fr"))
            assert english == french, (user, path)
