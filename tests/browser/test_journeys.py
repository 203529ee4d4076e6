"""The real journeys, as different people in their own browsers."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "Quokka-lagoon sensor arrangement"


@pytest.fixture
def people(make_user):
    return {
        "eu-drafter": make_user(org="eu", role="drafter", clearance=2, username="eu-drafter"),
        "eu-approver": make_user(org="eu", role="approver", clearance=3, username="eu-approver"),
        "eu-coordinator": make_user(org="eu", role="coordinator", clearance=3, username="eu-coordinator"),
        "nato-drafter": make_user(org="nato", role="drafter", clearance="NATO RESTRICTED", username="nato-drafter"),
        "nato-approver": make_user(org="nato", role="approver", clearance="NATO CONFIDENTIAL", username="nato-approver"),
        "nato-coordinator": make_user(org="nato", role="coordinator", clearance="NATO CONFIDENTIAL", username="nato-coordinator"),
    }


def test_contribution_to_published_report(browse, people, eu_nato):
    from rapport.commitments.models import Commitment
    from rapport.contributions.models import Contribution
    from rapport.periods.models import ReportingPeriod

    period = ReportingPeriod.objects.get(partnership=eu_nato, state="open")
    commitment = Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref").first()

    # A drafter writes and submits.
    drafter = browse().sign_in("eu-drafter")
    drafter.shot("dashboard-eu-drafter")
    drafter.go(f"/commitments/{commitment.pk}/")
    drafter.page.get_by_role("link", name="Write a contribution").click()
    drafter.page.get_by_label("Progress in this period").fill("Staffs met twice and agreed a joint work plan.")
    drafter.page.get_by_label("Your organisation's assessment").select_option(label="Substantial")
    # No marking is chosen for the writer: saving without one is refused, the text kept.
    drafter.page.get_by_role("button", name="Save draft").click()
    assert drafter.page.get_by_text("Choose a marking: nothing is saved without one.").is_visible()
    assert drafter.page.get_by_label("Progress in this period").input_value() == "Staffs met twice and agreed a joint work plan."
    drafter.page.get_by_label("Marking", exact=True).select_option(label="PUBLIC")
    drafter.shot("contribution-editor")
    drafter.page.get_by_role("button", name="Save draft").click()
    drafter.page.get_by_role("button", name="Submit for approval").click()
    assert drafter.page.get_by_text("Submitted for approval.").is_visible()
    contribution = Contribution.objects.get(commitment=commitment, period=period, organisation__key="eu")
    assert contribution.state == "submitted"

    # The other organisation's approver cannot approve it.
    nato_approver = browse().sign_in("nato-approver")
    nato_approver.go(f"/contributions/{contribution.pk}/")
    assert nato_approver.page.get_by_role("button", name="Approve").count() == 0
    assert "only EU staff act on it" in nato_approver.page.content()

    # Its own approver approves.
    eu_approver = browse().sign_in("eu-approver")
    assert eu_approver.page.get_by_role("link", name=re.compile(commitment.ref)).count() >= 1  # waiting for me
    eu_approver.go(f"/contributions/{contribution.pk}/")
    eu_approver.page.get_by_role("button", name="Approve").click()
    assert eu_approver.page.get_by_text("Approved.", exact=True).is_visible()
    contribution.refresh_from_db()
    assert contribution.state == "approved"

    # A coordinator assembles the report: the preview carries the approved text.
    coordinator = browse().sign_in("eu-coordinator")
    coordinator.go(f"/periods/{period.ordinal}/")
    coordinator.shot("period")
    coordinator.page.get_by_role("button", name="Start the report of this period").click()
    assert coordinator.page.get_by_text("The report is started").is_visible()
    coordinator.go("/reports/")
    coordinator.shot("reports")
    coordinator.go(f"/reports/{period.ordinal}/")
    coordinator.shot("report-detail")
    preview = coordinator.go(f"/reports/{period.ordinal}/preview/?edition=public")
    assert preview.status == 200
    assert "Staffs met twice" in coordinator.page.content()

    # Both organisations approve.
    for approver in (eu_approver, nato_approver):
        approver.go(f"/reports/{period.ordinal}/")
        approver.page.get_by_role("button", name=re.compile(r"^Approve for")).click()
        assert approver.page.get_by_text("Approved for your organisation.").is_visible()

    # A coordinator publishes, and the public reads the summary.
    coordinator.go(f"/reports/{period.ordinal}/")
    coordinator.page.get_by_role("button", name="Publish").click()
    assert coordinator.page.get_by_text("Published.", exact=False).first.is_visible()
    public = browse()
    public.go("/public/reports/")
    public.page.get_by_role("link", name=re.compile("progress report", re.I)).first.click()
    public.page.wait_for_url(f"**/public/reports/{period.ordinal}/")
    assert public.page.get_by_role("heading", name="Public summary").is_visible()
    public.shot("public-report")
    assert "PUBLIC" in public.page.locator("#marking-banner-top").inner_text()


def test_restricted_item_never_appears(browse, people, write, eu_nato):
    from rapport.commitments.models import Commitment

    commitment = Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref").first()
    restricted = write(people["nato-drafter"], commitment, f"{SECRET} near the strait.",
                       marking="NATO RESTRICTED", to=["nato"], submit=True)

    eu = browse().sign_in("eu-approver")
    for path in ["/dashboard/", "/commitments/", f"/commitments/{commitment.pk}/", "/audit/",
                 f"/search/?q={SECRET.split()[0]}"]:
        eu.go(path)
        assert SECRET not in eu.page.content(), path
        assert "NATO RESTRICTED" not in eu.page.locator("#marking-banner-top").inner_text(), path
    eu.page.get_by_label("Words to find").fill("Quokka")
    eu.page.wait_for_timeout(800)  # the live search swaps results in
    assert "0 results" in eu.page.locator("#search-results").inner_text()
    response = eu.go(f"/contributions/{restricted.pk}/")
    assert response.status == 404

    nato = browse().sign_in("nato-coordinator")
    nato.go(f"/commitments/{commitment.pk}/")
    assert SECRET in nato.page.content()
    assert "NATO RESTRICTED" in nato.page.locator("#marking-banner-top").inner_text()
    nato.shot("commitment-detail-restricted")

    public = browse()
    for path in ["/", "/public/reports/"]:
        public.go(path)
        assert SECRET not in public.page.content()


MAIN_PAGES = ["/dashboard/", "/commitments/", "/commitments/{c}/", "/reports/", "/reports/9/", "/search/?q=hybrid",
              "/audit/", "/commitments/{c}/periods/{p}/contribution/"]


@pytest.mark.parametrize("width,label", [(1366, "laptop"), (820, "tablet")])
def test_main_pages_are_accessible(browse, people, write, eu_nato, width, label):
    from rapport.commitments.models import Commitment
    from rapport.periods.models import ReportingPeriod

    commitment = Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref").first()
    period = ReportingPeriod.objects.get(partnership=eu_nato, state="open")
    write(people["eu-drafter"], Commitment.objects.order_by("order")[1], "Drafted text for the dashboard.", submit=True)
    user = browse(width).sign_in("eu-drafter")
    problems = {}
    for template in MAIN_PAGES:
        path = template.format(c=commitment.pk, p=period.ordinal)
        assert user.go(path).status == 200, path
        name = re.sub(r"[^a-z0-9]+", "-", template.replace("{c}", "commitment").replace("{p}", "period").strip("/")) or "home"
        user.shot(f"{label}-{name}")
        violations = user.axe()
        if violations:
            problems[path] = violations
    public = browse(width)
    for path in ["/", "/public/reports/", "/accounts/login/"]:
        public.go(path)
        public.shot(f"{label}-public-{re.sub(r'[^a-z0-9]+', '-', path.strip('/')) or 'home'}")
        violations = public.axe()
        if violations:
            problems[f"public {path}"] = violations
    assert not problems, problems
    csp_errors = [e for e in user.console_errors + public.console_errors if "Content Security Policy" in e and "nonce" not in e]
    assert not csp_errors, csp_errors


def test_keyboard_reaches_content_first(browse, people):
    user = browse().sign_in("eu-drafter")
    user.page.keyboard.press("Tab")
    focused = user.page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"


def test_filters_update_in_place(browse, people, eu_nato):
    user = browse().sign_in("eu-drafter")
    user.go("/commitments/")
    total = user.page.locator("#results tbody tr").count()
    user.page.get_by_label("Text").fill("hybrid")
    user.page.wait_for_timeout(1000)
    filtered = user.page.locator("#results tbody tr").count()
    assert 0 < filtered < total
    assert "q=hybrid" in user.page.url  # the filtered list has its own address
    user.go("/dashboard/")
    user.page.get_by_label("NATO").check()
    user.page.wait_for_url("**org=nato**")
    assert "(NATO)" in user.page.locator("#heatmap-h").inner_text()
