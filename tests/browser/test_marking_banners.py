"""The marking banners in a real browser: worded for the reader, and in view at the
top and the bottom of the window while a long page scrolls, without covering it."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EU_LABEL = "RESTREINT UE/EU RESTRICTED (equivalent: NATO RESTRICTED) — releasable to EU, NATO"
NATO_LABEL = "NATO RESTRICTED (equivalent: RESTREINT UE/EU RESTRICTED) — releasable to EU, NATO"
HEIGHT = 900  # the window height of every session (tests/browser/conftest.py)


@pytest.fixture
def people(make_user):
    return {
        "eu-drafter": make_user(org="eu", role="drafter", clearance=2, username="eu-drafter"),
        "nato-reader": make_user(org="nato", role="reader", clearance=2, username="nato-reader"),
    }


def _box(page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box


def _on_top(page, element_id: str) -> bool:
    """Whether the banner itself is what the window shows at its centre (nothing covers it)."""
    return page.evaluate(
        """(id) => { const el = document.getElementById(id); const r = el.getBoundingClientRect();
                     return el.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); }""",
        element_id,
    )


@pytest.mark.parametrize("width,label", [(1366, "laptop"), (820, "tablet")])
def test_banners_stay_in_view_while_a_long_page_scrolls(browse, people, write, eu_nato, width, label):
    from rapport.commitments.models import Commitment

    commitment = Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref").first()
    write(people["eu-drafter"], commitment, "Restricted staff text.", marking="RESTREINT UE/EU RESTRICTED",
          to=["eu", "nato"], submit=True)
    user = browse(width).sign_in("eu-drafter")
    user.go("/commitments/")
    page = user.page
    assert page.locator("#marking-banner-top").inner_text() == EU_LABEL
    assert page.locator("#marking-banner-bottom").inner_text() == EU_LABEL

    length = page.evaluate("document.documentElement.scrollHeight")
    assert length > 3 * HEIGHT  # a long page: 74 commitments
    for y in (0, length // 4, length // 2, length):
        page.evaluate(f"window.scrollTo(0, {y})")
        top, bottom = _box(page, "#marking-banner-top"), _box(page, "#marking-banner-bottom")
        assert top["y"] == 0, y
        assert bottom["y"] + bottom["height"] == pytest.approx(HEIGHT, abs=1), y
        assert _on_top(page, "marking-banner-top") and _on_top(page, "marking-banner-bottom"), y
        if 0 < y < length:
            assert page.evaluate("window.scrollY") > 0  # really scrolled

    # At either end of the page the banners cover nothing.
    page.evaluate("window.scrollTo(0, 0)")
    assert _box(page, ".site-header")["y"] >= _box(page, "#marking-banner-top")["height"]
    page.evaluate(f"window.scrollTo(0, {length})")
    footer = _box(page, ".site-footer")
    assert footer["y"] + footer["height"] <= _box(page, "#marking-banner-bottom")["y"] + 0.5

    # A link that sits under the bottom banner is scrolled clear of it when it gets the focus.
    link = "#results tbody tr:nth-child(40) a"
    page.evaluate("window.scrollTo(0, 0)")
    under = _box(page, link)["y"] - (HEIGHT - _box(page, "#marking-banner-bottom")["height"] / 2)
    page.evaluate(f"window.scrollTo(0, {under})")
    banner = _box(page, "#marking-banner-bottom")
    assert banner["y"] <= _box(page, link)["y"] <= banner["y"] + banner["height"]  # hidden under it
    page.locator(link).first.focus()
    assert _box(page, link)["y"] >= _box(page, "#marking-banner-top")["height"]
    assert _box(page, link)["y"] + _box(page, link)["height"] <= _box(page, "#marking-banner-bottom")["y"]
    user.shot(f"{label}-commitments-scrolled")


def test_each_organisation_reads_its_own_level_first(browse, people, write, eu_nato):
    from rapport.commitments.models import Commitment

    commitment = Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref").first()
    write(people["eu-drafter"], commitment, "Restricted staff text.", marking="RESTREINT UE/EU RESTRICTED",
          to=["eu", "nato"], submit=True)
    for username, expected in [("eu-drafter", EU_LABEL), ("nato-reader", NATO_LABEL)]:
        user = browse().sign_in(username)
        user.go("/commitments/")
        assert user.page.locator("#marking-banner-top").inner_text() == expected, username
    public = browse()
    public.go("/")
    assert public.page.locator("#marking-banner-top").inner_text() == "PUBLIC"
