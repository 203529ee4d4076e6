"""Query counts do not grow with the number of rows a page shows."""

import pytest
from django.db import connection
from django.test import Client
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
    "/periods/12/import/", "/periods/", "/periods/12/", "/calendar/", "/accounts/security/", "/accounts/password/",
    "/accounts/tokens/", "/accounts/session/",
]

# The console's pages, read by the reader's organisation's administrator.
CONSOLE_PAGES = ["/console/", "/console/accounts/new/", "/console/accounts/{account}/", "/console/settings/"]

# The Partners pages of an organisation's instance (test_partners_pages_make_as_many_queries_at_more_data).
PARTNERS_PAGES = ["/partners/", "/partners/nato/", "/partners/nato/?sent=2&received=2&waiting=2"]

# Routes that answer GET but are not pages of a size the data could grow: each with the reason.
NOT_PAGES = {
    "login": "the sign-in form (no data; its queries are the session's)",
    "logout": "signs out and redirects",
    "sign-in-code": "the second step of signing in (the account's own devices only)",
    "sign-in-enrol": "setting up an authenticator (the account's own device only)",
    "account-welcome": "a one-time sign-in link (the account only)",
    "account-two-factor": "setting up an authenticator (the account's own device only)",
    "account-recovery-codes": "the account's own recovery codes",
    "health": "the health check (the trivial view of the load benchmarks)",
    "assessment-css": "a style sheet of the partnership's assessment scale",
    "public-report-download": "a report document: its size is the report's (bench/bench_reports.py measures it)",
    "report-download": "a report document: its size is the report's (bench/bench_reports.py measures it)",
    "report-preview": "a report document: its size is the report's (bench/bench_reports.py measures it)",
    "commitment-export": "a spreadsheet of the whole list (bench/bench_exports.py measures it)",
    "contributions-export": "a spreadsheet of the whole list (bench/bench_exports.py measures it)",
    "evidence-export": "a spreadsheet of the whole list (bench/bench_exports.py measures it)",
    "audit-export": "a spreadsheet of the whole list (bench/bench_exports.py measures it)",
    "contributions-import-template": "a spreadsheet of the organisation's rows (bench/bench_exports.py measures it)",
    "contributions-import-preview": "the preview of an uploaded file: its size is the file's",
    "calendar-feed": "an iCalendar feed of every meeting (a download, not a page)",
    "set-language": "the language switch: POST sets the language, GET shows the switch alone (no data)",
    "joint-text-conflict": "resolves an exchange conflict on a joint text (POST only)",
    "report-part-conflict": "resolves an exchange conflict on a report part (POST only)",
}


def test_every_page_route_is_counted_or_said_not_to_be_a_page():
    """A new page without a place in the query-count test below fails here."""
    from django.urls import URLPattern, URLResolver, get_resolver, resolve

    def names(resolver, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from names(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                yield prefix + str(p.pattern), p.name

    # Routes of one action (POST only) and the API (its own bench and counts) are not pages.
    routes = {name for route, name in names(get_resolver()) if not route.startswith("api/")}
    posts_only = {name for name in routes
                  if name.endswith(("-action", "-revoke", "-read", "-read-all", "-comment", "-adopt", "-end",
                                    "-extend", "-everywhere", "-off", "-assign"))
                  or name in {"report-part-new", "contribution-new", "joint-text-new",
                              "contribution-edit", "joint-text-edit", "report-part-edit", "contributions-import",
                              "console-account-new"}}
    counted = {resolve(url.split("?")[0].format(**{k: 1 for k in ("public_commitment", "first", "contribution",
                                                                   "draft", "meeting", "joint_text", "editable",
                                                                   "highlight", "account")})).url_name
               for url in EVERY_PAGE + CONSOLE_PAGES + PARTNERS_PAGES}
    missing = routes - counted - set(NOT_PAGES) - posts_only
    assert not missing, f"pages without a query count: {sorted(missing)}"
    assert not set(NOT_PAGES) - routes, "NOT_PAGES names a route that no longer exists"


def _discuss(author, subjects, n):
    """n comments on each subject (the threads grow with the data too)."""
    from rapport.discussions.services import add_comment

    for subject in subjects:
        for i in range(n):
            add_comment(actor=author, subject=subject, text=f"Comment {i} for @{author.username}",
                        classification=subject.classification, releasable_to=list(subject.releasable_to.all()))


def _every_page_counts(client, ids, pages=EVERY_PAGE) -> dict[str, int]:
    counts = {}
    for url in pages:
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
    administrator = make_user(org="nato", role="administrator", clearance=3)
    console = Client()
    console.force_login(administrator)
    ids["account"] = reader.pk
    generate(eu_nato)
    for url in ("/dashboard/", "/inbox/"):  # warm caches (content types, sessions)
        client.get(url)
    console.get("/console/")
    small = _every_page_counts(client, ids)
    small_console = _every_page_counts(console, ids, CONSOLE_PAGES)
    for _ in range(5):  # more accounts for the console to list
        make_user(org="nato", role="reader", clearance=1)
    before = Contribution.objects.count()
    _discuss(drafter, [contribution, joint_text], 40)  # more than a page of the thread (before the demo's
    generate(eu_nato, scale=3)                         # entries, so the audit log's newest page is alike)
    assert Contribution.objects.count() > 2.5 * before
    large = _every_page_counts(client, ids)
    assert large == small
    assert _every_page_counts(console, ids, CONSOLE_PAGES) == small_console


@pytest.mark.django_db
def test_partners_pages_make_as_many_queries_at_more_data(eu_nato, settings, tmp_path, make_user, write,
                                                           commitments, signed_in):
    """An organisation's instance with a few packages each way and a few records waiting to go,
    then with more than a page of each: the Partners pages make the same queries."""
    from rapport.federation.exporting import export_package

    from .federation_setup import eu_instance, receive_from_nato

    instance = eu_instance(settings, tmp_path)
    eu = make_user(org="eu", role="drafter", clearance=3)
    nato = make_user(org="nato", role="drafter", clearance=3)
    client = signed_in(make_user(org="eu", role="coordinator", clearance=3))

    def grow(start, stop, packages):
        for i, c in enumerate(commitments[start:stop]):
            write(eu, c, f"EU text {i}.", marking="RESTREINT UE/EU RESTRICTED" if i % 2 else None,
                  to=["eu", "nato"], submit=True)
        for _ in range(packages):
            export_package(instance["peer"])
        for c in commitments[start:stop:4]:
            receive_from_nato(instance, [write(nato, c, "NATO text.", marking="NATO RESTRICTED", to=["eu", "nato"],
                                               submit=True)])
        for i, c in enumerate(commitments[stop:stop + (stop - start)]):  # written after the last package
            write(eu, c, f"EU text waiting {i}.", to=["eu", "nato"], submit=True)

    grow(0, 4, 2)
    client.get("/partners/")  # warm caches (content types, sessions)
    small = _every_page_counts(client, {}, PARTNERS_PAGES)
    grow(8, 32, 22)
    large = _every_page_counts(client, {}, PARTNERS_PAGES)
    assert "Page 1 of 2" in client.get("/partners/nato/").content.decode()  # more than a page of each list
    assert large == small
