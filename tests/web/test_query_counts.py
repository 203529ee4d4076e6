"""Query counts do not grow with the number of rows a page shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGES = [
    "/dashboard/", "/dashboard/?org=nato", "/commitments/", "/commitments/{first}/", "/search/?q=staff",
    "/audit/", "/reports/", "/", "/contributions/{contribution}/", "/inbox/", "/evidence/",
]


def _counts(client, first, contribution):
    counts = {}
    for url in PAGES:
        url = url.format(first=first, contribution=contribution)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        counts[url] = len(ctx.captured_queries)
    return counts


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_rows(make_user, write, commitments, signed_in):
    from rapport.evidence.models import Meeting

    eu = make_user(org="eu", role="drafter", clearance=2)
    nato = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    reader = make_user(org="nato", role="coordinator", clearance="NATO CONFIDENTIAL")
    client = signed_in(reader)
    meetings = list(Meeting.objects.all()[:2])

    def add(rows):
        made = []
        for i, c in enumerate(rows):
            author, marking, to = (nato, "NATO RESTRICTED", ["nato"]) if i % 2 else (eu, None, ["eu", "nato"])
            made.append(write(author, c, f"Staff progress text {i}", marking=marking, to=to, submit=True))
            made[-1].meetings.set(meetings)
        return made

    first = commitments[0].pk
    made = add(commitments[:2])
    for url in ("/dashboard/", "/inbox/"):  # warm caches (content types, sessions)
        client.get(url)
    small = _counts(client, first, made[0].pk)
    add(commitments[2:30])
    large = _counts(client, first, made[0].pk)
    assert large == small


# Every page, at the default data's size and at twice and three times as many commitments ------------

EVERY_PAGE = [
    "/", "/public/commitments/{public_commitment}/", "/public/reports/", "/public/reports/8/",
    "/dashboard/", "/dashboard/?org=eu", "/commitments/", "/commitments/?status=missing&organisation=eu",
    "/commitments/?page=2", "/commitments/{first}/", "/contributions/{contribution}/",
    "/contributions/{draft}/edit/", "/meetings/{meeting}/", "/reports/", "/reports/8/", "/reports/8/diff/",
    "/reports/8/summary/", "/search/?q=staff", "/audit/", "/audit/contributions.contribution/{contribution}/",
    "/inbox/", "/inbox/?show=unread",
    "/contributions/{contribution}/compare/", "/joint-texts/{joint_text}/",
    "/reports/{editable}/edit/", "/reports/{editable}/parts/highlight/{highlight}/edit/",
    "/evidence/", "/evidence/?kind=activities", "/evidence/?kind=formats&q=dialogue", "/evidence/?kind=exercises",
    "/periods/12/import/",
]


def _discuss(author, subjects, n):
    """n comments on each subject (the threads grow with the data too)."""
    from rapport.discussions.services import add_comment

    for subject in subjects:
        for i in range(n):
            add_comment(actor=author, subject=subject, text=f"Comment {i} for @{author.username}",
                        classification=subject.classification, releasable_to=list(subject.releasable_to.all()))


def _every_page_counts(client, ids) -> dict[str, int]:
    counts = {}
    for url in EVERY_PAGE:
        url = url.format(**ids)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[url] = len(ctx.captured_queries)
    return counts


@pytest.mark.django_db
def test_every_page_makes_as_many_queries_at_three_times_the_data(eu_nato, signed_in, make_user, write, open_period):
    """The demonstration generator at 1× (the default data, every commitment with contributions),
    then grown to 3× (three times the commitments): every page must make the same queries."""
    from rapport.access.demo import ensure_demo_users
    from rapport.commitments.models import Commitment
    from rapport.contributions.models import Contribution
    from rapport.contributions.services import create_joint_text
    from rapport.evidence.models import Meeting
    from rapport.partnerships.models import Organisation
    from rapport.reports.models import Report
    from rapport.reports.parts import create_highlight
    from rapport.seed.demo import generate

    ensure_demo_users(eu_nato)
    drafter = make_user(org="nato", role="drafter", clearance=3)
    reader = make_user(org="nato", role="drafter", clearance=3)
    first = Commitment.objects.filter(partnership=eu_nato).order_by("order").first()
    contribution = write(drafter, first, "Staff progress text.", submit=True)
    draft = write(reader, Commitment.objects.order_by("order")[1], "A draft of mine.")
    joint_text = create_joint_text(actor=drafter, commitment=first, period=open_period, text="Written together.",
                                   classification=contribution.classification,
                                   releasable_to=list(Organisation.objects.all()))
    _discuss(drafter, [contribution, joint_text], 2)
    editable = Report.objects.filter(period__partnership=eu_nato).exclude(state="published").order_by(
        "-period__ordinal").first()
    coordinator = make_user(org="nato", role="coordinator", clearance=3)
    highlight = create_highlight(actor=coordinator, report=editable, text="A draft highlight.",
                                 classification=contribution.classification,
                                 releasable_to=list(Organisation.objects.all()), links={"commitments": [first.pk]})
    ids = {"public_commitment": first.pk, "first": first.pk, "contribution": contribution.pk, "draft": draft.pk,
           "meeting": Meeting.objects.filter(classification__rank=0).order_by("pk").first().pk,
           "joint_text": joint_text.pk, "editable": editable.period.ordinal, "highlight": highlight.pk}
    client = signed_in(reader)
    generate(eu_nato)
    for url in ("/dashboard/", "/inbox/"):  # warm caches (content types, sessions)
        client.get(url)
    small = _every_page_counts(client, ids)
    before = Contribution.objects.count()
    _discuss(drafter, [contribution, joint_text], 40)  # more than a page of the thread (before the demo's
    generate(eu_nato, scale=3)                         # entries, so the audit log's newest page is alike)
    assert Contribution.objects.count() > 2.5 * before
    large = _every_page_counts(client, ids)
    assert large == small
