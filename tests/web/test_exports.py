"""The commitment list as a spreadsheet (XLSX and CSV): the rows the list shows with its
filters, only what the reader may read, the marking on every row and at the top and bottom,
formulas made inert, every export audited; and `rapport export`."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment
from rapport.partnerships.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(eu_nato, level):
    """A NATO-only commitment, and a PUBLIC one whose title a spreadsheet would take for a formula."""
    template = Commitment.objects.filter(partnership=eu_nato).order_by("order").first()
    secret = Commitment.objects.create(partnership=eu_nato, ref="MX-XL-01", mandate=template.mandate,
                                       area=template.area, title="MXXLSECRET", text="x",
                                       classification=level("NATO CONFIDENTIAL"), order=9998)
    secret.releasable_to.set(Organisation.objects.filter(key="nato"))
    formula = Commitment.objects.create(partnership=eu_nato, ref="MX-XL-02", mandate=template.mandate,
                                        area=template.area, title='=HYPERLINK("http://x.example","click")',
                                        text="x", classification=level(0), order=9999)
    return {"secret": secret, "formula": formula, "area": template.area}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def xlsx_rows(content: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in ws.iter_rows()], ws


def test_the_sheet_holds_what_the_filtered_list_shows(make_user, planted, eu_nato):
    eu = make_user(org="eu", role="reader", clearance=5)
    client = client_for(eu)
    area = planted["area"]
    response = client.get("/commitments/export.xlsx", {"area": area.pk})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('rapport-commitments.xlsx"')
    rows, ws = xlsx_rows(response.content)
    refs = [r[0] for r in rows[2:-1]]
    expected = list(Commitment.objects.visible_to(eu).filter(area=area).order_by("order", "ref")
                    .values_list("ref", flat=True))
    assert refs == expected and "MX-XL-01" not in refs and "MX-XL-02" in refs
    # Every page of the list, not only the first (the page shows 50 rows at a time).
    everything, _ws = xlsx_rows(client.get("/commitments/export.xlsx").content)
    visible = Commitment.objects.visible_to(eu).count()
    assert len(everything) - 3 == visible > 50
    # The marking at the top and bottom and on every page printed; a marking column per row.
    assert rows[0][0] == rows[-1][0] == "PUBLIC" and ws.oddHeader.center.text == "PUBLIC"
    assert rows[1][-1] == "Marking" and all(r[-1] == "PUBLIC" for r in rows[2:-1])
    # A title that looks like a formula is text.
    title = next(r[1] for r in rows if r[0] == "MX-XL-02")
    assert title.startswith("'=HYPERLINK")


def test_a_nato_reader_gets_the_restricted_row_and_the_sheet_says_how_high(make_user, planted):
    nato = make_user(org="nato", role="reader", clearance=3)
    rows, ws = xlsx_rows(client_for(nato).get("/commitments/export.xlsx", {"area": planted["area"].pk}).content)
    secret = next(r for r in rows if r[0] == "MX-XL-01")
    assert secret[1] == "MXXLSECRET" and secret[-1] != "PUBLIC"
    assert rows[0][0].startswith("NATO CONFIDENTIAL") and "releasable to NATO" in rows[0][0]
    assert ws.oddFooter.center.text == rows[0][0]


def test_csv_and_the_audit_entry(make_user, planted):
    eu = make_user(org="eu", role="reader", clearance=5)
    before = AuditEvent.objects.filter(verb="export.downloaded").count()
    response = client_for(eu).get("/commitments/export.csv", {"q": "MX-XL"})
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["PUBLIC"] and lines[1][0] == "Reference" and [r[0] for r in lines[2:-1]] == ["MX-XL-02"]
    entry = AuditEvent.objects.filter(verb="export.downloaded").get()
    assert before == 0 and entry.actor_id == eu.pk
    assert entry.after["list"] == "commitments" and entry.after["rows"] == 1 and entry.after["filters"] == {"q": "MX-XL"}
    # Who exported is their organisation's business.
    assert [o.key for o in entry.releasable_to.all()] == ["eu"] and entry.classification.rank >= 1
    nato = make_user(org="nato", role="reader", clearance=5)
    assert not AuditEvent.objects.visible_to(nato).filter(pk=entry.pk).exists()


def test_an_unknown_format_is_404_and_signed_out_readers_are_sent_to_sign_in(make_user):
    assert client_for(make_user(org="eu", role="reader")).get("/commitments/export.exe").status_code == 404
    assert Client().get("/commitments/export.csv").status_code == 302
    assert not AuditEvent.objects.filter(verb="export.downloaded").exists()


def test_the_export_command(make_user, planted, tmp_path, capsys):
    nato = make_user(org="nato", role="reader", clearance=3, username="nato-export")
    out = tmp_path / "list.xlsx"
    call_command("export", "commitments", "--user", "nato-export", "--query", f"area={planted['area'].pk}",
                 "--output", str(out))
    rows, _ws = xlsx_rows(out.read_bytes())
    assert "MX-XL-01" in [r[0] for r in rows]
    call_command("export", "commitments", "--user", "nato-export", "--format", "csv", "--query", "q=MX-XL-02",
                 "--output", "-")
    assert "MX-XL-02" in capsys.readouterr().out
    for bad in (["--user", "nobody"], ["--user", nato.username, "--query", "area=abc"],
                ["--user", nato.username, "--output", "-"]):
        with pytest.raises(CommandError):
            call_command("export", "commitments", *(bad + (["--output", str(tmp_path / "x.xlsx")]
                                                          if "--output" not in bad else [])))
    assert AuditEvent.objects.filter(verb="export.downloaded").count() == 2


def test_a_rows_marking_is_the_highest_of_what_it_holds(make_user, planted, eu_nato, level):
    """A PUBLIC commitment whose row shows a NATO RESTRICTED contribution's state is marked NATO
    RESTRICTED in that row, not PUBLIC."""
    from rapport.contributions.models import Contribution
    from rapport.periods.models import ReportingPeriod

    period = ReportingPeriod.objects.filter(partnership=eu_nato, state="open").first()
    formula = planted["formula"]
    c = Contribution.objects.create(organisation=Organisation.objects.get(key="nato"), commitment=formula,
                                    period=period, narrative="x", state="submitted",
                                    classification=level("NATO RESTRICTED"))
    c.releasable_to.set(Organisation.objects.filter(key="nato"))
    nato = make_user(org="nato", role="reader", clearance=3)
    rows, _ws = xlsx_rows(client_for(nato).get("/commitments/export.xlsx",
                                                {"q": "MX-XL-02", "period": period.ordinal}).content)
    row = next(r for r in rows if r[0] == "MX-XL-02")
    assert "Submitted" in row and row[-1].startswith("NATO RESTRICTED") and "releasable to NATO" in row[-1]
