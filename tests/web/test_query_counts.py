"""Query counts do not grow with the number of rows a page shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGES = [
    "/dashboard/", "/dashboard/?org=nato", "/commitments/", "/commitments/{first}/", "/search/?q=staff",
    "/audit/", "/reports/", "/", "/contributions/{contribution}/",
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
    client.get("/dashboard/")  # warm caches (content types, sessions)
    small = _counts(client, first, made[0].pk)
    add(commitments[2:30])
    large = _counts(client, first, made[0].pk)
    assert large == small
