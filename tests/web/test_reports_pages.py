"""Report pages: downloads of readable editions only, the diff, the summary, the public area."""

import pytest


@pytest.mark.django_db
def test_downloads_only_editions_the_user_may_read(make_user, signed_in):
    client = signed_in(make_user(org="eu", role="coordinator", clearance=3))
    ok = client.get("/reports/9/download/?edition=eu:C-UE&format=md")
    assert ok.status_code == 200 and "attachment" in ok["Content-Disposition"]
    assert client.get("/reports/9/download/?edition=nato&format=md").status_code == 404
    assert client.get("/reports/9/download/?edition=eu:S-UE&format=md").status_code == 404  # above clearance
    assert client.get("/reports/9/download/?edition=public&format=exe").status_code == 404


@pytest.mark.django_db
def test_preview_diff_and_summary(make_user, signed_in):
    client = signed_in(make_user(org="nato", role="reader", clearance="NATO RESTRICTED"))
    preview = client.get("/reports/9/preview/?edition=public")
    assert preview.status_code == 200 and "nonce-" in preview["Content-Security-Policy"]
    assert client.get("/reports/9/diff/").status_code == 200
    assert client.get("/reports/1/diff/").status_code == 404  # nothing earlier to compare with
    summary = client.get("/reports/9/summary/")
    assert summary.status_code == 200 and "Public summary" in summary.content.decode()


@pytest.mark.django_db
def test_public_download_of_a_published_report(client, eu_nato):
    from rapport.reports.models import Report

    published = Report.objects.filter(period__partnership=eu_nato, state="published").first()
    assert published is not None, "the default data has published reports"
    response = client.get(f"/public/reports/{published.period.ordinal}/download.md")
    assert response.status_code == 200
    assert client.get(f"/public/reports/{published.period.ordinal}/").status_code == 200


@pytest.mark.django_db
def test_the_preview_draws_under_its_content_security_policy(make_user, signed_in):
    """Every style block carries the response's nonce and no element has an inline style
    (the policy forbids them): charts included, so they draw instead of black boxes."""
    import re

    client = signed_in(make_user(org="nato", role="reader", clearance=2))
    response = client.get("/reports/9/preview/?edition=public")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    assert "<svg" in html  # the statistics' charts
    blocks = re.findall(r"<style([^>]*)>", html)
    assert blocks and all(f'nonce="{nonce}"' in attrs for attrs in blocks)
    assert "<colgroup>" in html and "<svg" in html  # tables with set column widths, and charts
    assert not re.findall(r"<[a-z][^>]*\sstyle=[^>]*>", html)
    # The column widths come from classes the style block defines.
    used = set(re.findall(r'<col class="(w\d+)"', html))
    assert used and all(f"col.{c} {{" in html for c in used)
