"""Pages that count, aggregate and page through rows never count or show what the reader
may not see: totals, page numbers, dashboard figures and drill-down lists come from the
reader's visible rows only, and the banner covers what the figures were made from."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def grown(eu_nato):
    """The demonstration data at 2×: 148 commitments, some restricted; contributions in every state."""
    from rapport.access.demo import ensure_demo_users
    from rapport.seed.demo import generate

    ensure_demo_users(eu_nato)
    generate(eu_nato, scale=2)
    return eu_nato


def _visible_commitments(user):
    from rapport.commitments.models import Commitment

    return Commitment.objects.visible_to(user)


def test_the_commitment_list_counts_and_pages_visible_rows_only(grown, make_user, signed_in):
    from rapport.commitments.models import Commitment

    low = make_user(org="eu", role="reader", clearance=0)
    client = signed_in(low)
    visible = _visible_commitments(low).count()
    assert visible < Commitment.objects.count()  # the data has commitments this reader may not see
    response = client.get("/commitments/")
    page = response.context["page_obj"]
    assert page.paginator.count == visible
    assert f"{visible} commitments" in response.content.decode()
    hidden = list(Commitment.objects.exclude(pk__in=_visible_commitments(low).values("pk")).values_list("ref", flat=True))
    for n in range(1, page.paginator.num_pages + 1):
        body = client.get(f"/commitments/?page={n}").content.decode()
        assert not [ref for ref in hidden if f">{ref}<" in body], n
    last = client.get(f"/commitments/?page={page.paginator.num_pages}").context["page_obj"]
    assert last.end_index() == visible


def test_status_filters_count_only_visible_contributions(grown, make_user, signed_in):
    from rapport.contributions.models import Contribution

    eu = make_user(org="eu", role="reader", clearance=3)
    client = signed_in(eu)
    # NATO's drafts stay with NATO: an EU reader finds none, whatever NATO has.
    assert Contribution.objects.filter(organisation__key="nato", state="draft").exists()
    response = client.get("/commitments/?status=draft&organisation=nato&period=12")
    assert response.context["page_obj"].paginator.count == 0
    mine = client.get("/commitments/?status=draft&organisation=eu&period=12").context["page_obj"].paginator.count
    expected = (Contribution.objects.visible_to(eu).filter(organisation__key="eu", state="draft", period__ordinal=12)
                .values("commitment").distinct().count())
    assert mine == expected > 0


def test_dashboard_figures_come_from_visible_rows(grown, make_user, signed_in):
    from rapport.contributions.models import Contribution

    low = make_user(org="nato", role="drafter", clearance=0)
    client = signed_in(low)
    response = client.get("/dashboard/?org=nato")
    by_period = response.context["by_period"]
    total = sum(row["total"] for row in by_period)
    assert total == _visible_commitments(low).count()
    open_period = next(c for c in by_period[0]["cells"] if c["period"].ordinal == 12)
    assert open_period["n"] <= by_period[0]["total"]
    counted = sum(next(c for c in row["cells"] if c["period"].ordinal == 12)["n"] for row in by_period)
    expected = (Contribution.objects.visible_to(low).filter(organisation__key="nato", period__ordinal=12,
                                                             commitment__in=_visible_commitments(low))
                .values("commitment").distinct().count())
    assert counted == expected
    missing = {m["organisation"].key: m for m in response.context["missing"]}
    done = (Contribution.objects.visible_to(low).filter(organisation__key="eu", period__ordinal=12,
                                                         state__in=["submitted", "approved"],
                                                         commitment__in=_visible_commitments(low))
            .values("commitment").distinct().count())
    assert missing["eu"]["done"] == done
    assert missing["eu"]["missing"] == _visible_commitments(low).count() - done
    assert re.search(r'id="marking-banner-top"[^>]*>\s*<strong>PUBLIC', response.content.decode())


def test_dashboard_banner_covers_restricted_rows_behind_the_figures(eu_nato, make_user, signed_in):
    """At 1× the commitments are all PUBLIC and a reader has no work listed: only the counted
    contributions can raise the banner."""
    from rapport.access.demo import ensure_demo_users
    from rapport.seed.demo import generate

    ensure_demo_users(eu_nato)
    generate(eu_nato)
    from rapport.commitments.models import Commitment

    assert not Commitment.objects.exclude(classification__rank=0).exists()
    cleared = make_user(org="nato", role="reader", clearance=3)
    body = signed_in(cleared).get("/dashboard/?org=nato").content.decode()
    banner = re.search(r'id="marking-banner-top"[^>]*>\s*<strong>([^<]+)', body).group(1)
    assert banner == "NATO CONFIDENTIAL"  # the demonstration data holds rank-3 contributions it may see


def test_the_audit_log_pages_by_entry_number_through_visible_entries_only(grown, make_user, signed_in):
    from rapport.audit.models import AuditEvent

    reader = make_user(org="eu", role="reader", clearance=1)
    client = signed_in(reader)
    expected = list(AuditEvent.objects.visible_to(reader).order_by("-seq").values_list("seq", flat=True))
    assert AuditEvent.objects.count() > len(expected) > 120  # some entries are hidden; several pages
    seen, url, pages = [], "/audit/", 0
    while url:
        response = client.get(url)
        entries = response.context["entries"]
        seen += [e.seq for e in entries.events]
        url = f"/audit/?before={entries.older}" if entries.older else None
        pages += 1
    assert seen == expected and pages == -(-len(expected) // 50)
    from rapport.core.tokens import seal

    back = client.get(f"/audit/?after={seal(expected[-1] - 1, 'audit-page')}").context["entries"]
    assert [e.seq for e in back.events] == expected[-len(back.events):] and back.newer and not back.older
    # The cursors are sealed: a number, or a token made for another purpose, is ignored.
    assert back.newer and not back.newer.strip("-").isdigit()
    for nonsense in ("-5", str(expected[10]), seal(expected[10], "other")):
        again = client.get(f"/audit/?before={nonsense}").context["entries"]
        assert [e.seq for e in again.events] == expected[:50]


def test_the_public_home_counts_and_pages_public_commitments_only(grown, client):
    from rapport.commitments.models import Commitment

    public = _visible_commitments(None)
    response = client.get("/")
    assert response.context["total"] == public.count() < Commitment.objects.count()
    hidden = list(Commitment.objects.exclude(pk__in=public.values("pk")).values_list("title", flat=True))
    pages = response.context["page_obj"].paginator.num_pages
    shown = 0
    for n in range(1, pages + 1):
        r = client.get(f"/?page={n}")
        body = r.content.decode()
        assert not [t for t in hidden if t in body]
        shown += len(r.context["page_obj"].object_list)
    assert shown == public.count()
    area = public.order_by("-area__order").first().area
    chosen = client.get(f"/?area={area.key}").context
    assert chosen["page_obj"].paginator.count == public.filter(area=area).count()
