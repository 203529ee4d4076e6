"""Spreadsheets in a real browser: a drafter downloads a filtered list and the template of the
same commitments, fills the template in with openpyxl (as Excel would), uploads it, reads the
preview, confirms, and finds the changes on the pages."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _download(session, link_name: str) -> bytes:
    with session.page.expect_download() as info:
        session.page.get_by_role("link", name=link_name).first.click()
    return open(info.value.path(), "rb").read()


def test_export_a_filtered_list_fill_it_in_and_import_it(browse, make_user, write, open_period, eu_nato):
    from rapport.commitments.models import Commitment
    from rapport.contributions.models import Contribution

    drafter = make_user(org="eu", role="drafter", clearance=2, username="eu-sheet-drafter")
    first = Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref").first()
    area = first.area
    in_area = list(Commitment.objects.visible_to(drafter).filter(area=area).order_by("order", "ref"))
    draft = write(drafter, first, "Staffs met once.")
    second = in_area[1]

    s = browse().sign_in("eu-sheet-drafter")
    missing = []
    s.page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    s.go("/commitments/")
    s.page.get_by_label("Area").select_option(label=area.name)
    s.page.get_by_role("button", name="Filter").click()
    s.page.wait_for_url(f"**area={area.pk}**")

    # The list as CSV: the rows the filtered list shows, and only those.
    with s.page.expect_download() as info:
        s.page.locator(".export-links").get_by_role("link", name="CSV").first.click()
    lines = list(csv.reader(io.StringIO(open(info.value.path(), "rb").read().decode("utf-8-sig"))))
    assert [r[0] for r in lines[2:-1]] == [c.ref for c in in_area] and lines[0] == ["PUBLIC"]

    # The template of the same commitments, filled in as a spreadsheet program would.
    book = load_workbook(io.BytesIO(_download(s, "template to fill in (XLSX)")))
    ws = book["Contributions"]
    rows = {ws.cell(row=n, column=1).value: n for n in range(3, ws.max_row)}
    assert list(rows) == [c.ref for c in in_area]
    ws[f"D{rows[first.ref]}"] = "Staffs met twice and agreed a work plan."
    n = rows[second.ref]
    ws[f"D{n}"], ws[f"E{n}"], ws[f"F{n}"] = "A first exchange of staff lists.", "Limited", "PUBLIC"
    out = io.BytesIO()
    book.save(out)

    # Upload, preview, confirm.
    s.page.get_by_role("link", name="import it").click()
    s.page.get_by_label("Spreadsheet (.xlsx)").set_input_files(
        files=[{"name": "contributions.xlsx", "buffer": out.getvalue(),
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    s.page.get_by_role("button", name="Upload and preview").click()
    s.page.wait_for_url("**/import/*/")
    assert s.page.locator("#import-summary").inner_text().startswith("1 new, 1 changed")
    assert s.page.get_by_text("Staffs met twice and agreed a work plan.").is_visible()
    assert s.page.locator("tr.import-new").get_by_text(second.ref).is_visible()
    assert Contribution.objects.filter(commitment=second).count() == 0  # nothing written yet
    s.shot("import-preview")
    assert s.axe() == []
    s.page.get_by_role("button", name="Write 2 contributions").click()
    assert s.page.get_by_text("Imported: 1 new and 1 changed contribution(s)").is_visible()

    # The changes are on the pages.
    s.go(f"/commitments/{first.pk}/")
    assert s.page.get_by_text("Staffs met twice and agreed a work plan.").is_visible()
    s.go(f"/commitments/{second.pk}/")
    assert s.page.get_by_text("A first exchange of staff lists.").is_visible()
    draft.refresh_from_db()
    assert draft.version == 2 and Contribution.objects.get(commitment=second).assessment.label == "Limited"
    assert not [e for e in s.console_errors if "Content Security Policy" in e], s.console_errors
    assert missing == [], missing
