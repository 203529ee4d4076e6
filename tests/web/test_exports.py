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


# The other lists -------------------------------------------------------------------------------


def test_the_periods_contributions_side_by_side(make_user, write, commitments, open_period):
    """One row per commitment the list shows, a group of columns per organisation; a draft stays
    with its organisation, a restricted text with those it is releasable to."""
    eu = make_user(org="eu", role="drafter", clearance=5)
    nato = make_user(org="nato", role="drafter", clearance=5)
    c0, c1 = commitments[0], commitments[1]
    write(eu, c0, "=EU text on the first")
    write(nato, c0, "NATO text on the first", submit=True)
    write(nato, c1, "MXNATODRAFT", marking="NATO RESTRICTED", to=["nato"])
    write(nato, commitments[2], "MXNATORESTRICTED", marking="NATO RESTRICTED", to=["nato"], submit=True)
    query = {"period": open_period.ordinal, "q": " ".join(c.ref for c in commitments[:1])}
    rows, ws = xlsx_rows(client_for(eu).get("/commitments/contributions.xlsx", query).content)
    header = rows[1]
    assert header[:3] == ["Reference", "Title", "Area"] and header[-1] == "Marking"
    assert header[3:11] == ["EU: state", "EU: assessment", "EU: narrative", "EU: marking",
                            "NATO: state", "NATO: assessment", "NATO: narrative", "NATO: marking"]
    first = next(r for r in rows if r[0] == c0.ref)
    assert first[3:7] == ["Draft", "Substantial", "'=EU text on the first", "PUBLIC"]
    assert first[7:11] == ["Submitted", "Substantial", "NATO text on the first", "PUBLIC"]
    # Everything: the EU reader never gets NATO's draft nor its restricted text.
    everything = client_for(eu).get("/commitments/contributions.csv", {"period": open_period.ordinal})
    text = everything.content.decode("utf-8-sig")
    assert "MXNATODRAFT" not in text and "MXNATORESTRICTED" not in text
    assert len(list(csv.reader(io.StringIO(text)))) - 3 == Commitment.objects.visible_to(eu).count()
    # A NATO reader gets the restricted one, and the row and the sheet say how high.
    rows, ws = xlsx_rows(client_for(make_user(org="nato", role="reader", clearance=3)).get(
        "/commitments/contributions.xlsx", {"period": open_period.ordinal}).content)
    restricted = next(r for r in rows if r[0] == commitments[2].ref)
    assert "MXNATORESTRICTED" in restricted and restricted[-1].startswith("NATO RESTRICTED")
    assert "MXNATODRAFT" in str(rows)  # a draft stays home: NATO's staff read it
    assert rows[0][0].startswith("NATO RESTRICTED") and ws.oddHeader.center.text == rows[0][0]


@pytest.fixture
def hidden_evidence(eu_nato, level):
    """One NATO CONFIDENTIAL record of each kind of evidence, releasable to NATO only."""
    from rapport.evidence.models import (
        CoordinationFormat,
        Exercise,
        Meeting,
        PartnerActivity,
        PartnerCountry,
    )

    nc, nato = level("NATO CONFIDENTIAL"), Organisation.objects.filter(key="nato")
    fmt = CoordinationFormat.objects.create(partnership=eu_nato, key="mx-f", kind="cross_briefing", name="MXFORMAT",
                                            classification=nc)
    country = PartnerCountry.objects.create(partnership=eu_nato, code="MXC", name="MXCOUNTRY", classification=nc)
    made = [fmt, country,
            Meeting.objects.create(partnership=eu_nato, key="mx-m", date="2026-09-01", title="MXMEETING",
                                   format=fmt, classification=nc),
            Exercise.objects.create(partnership=eu_nato, key="mx-e", name="MXEXERCISE", kind="parallel",
                                    classification=nc),
            PartnerActivity.objects.create(partnership=eu_nato, key="mx-a", country=country, title="MXACTIVITY",
                                           classification=nc)]
    public_meeting = Meeting.objects.filter(classification__rank=0).order_by("pk").first()
    public_meeting.format = fmt  # a public meeting of a hidden format: the format is not named
    public_meeting.save()
    for obj in made:
        obj.releasable_to.set(nato)
    return {"meeting": public_meeting}


@pytest.mark.parametrize("kind, title", [("meetings", "MXMEETING"), ("formats", "MXFORMAT"),
                                         ("exercises", "MXEXERCISE"), ("activities", "MXACTIVITY")])
def test_each_kind_of_evidence_as_the_page_shows_it(kind, title, make_user, hidden_evidence):
    from rapport.web.evidence_listing import KINDS

    eu = make_user(org="eu", role="reader", clearance=5)
    nato = make_user(org="nato", role="reader", clearance=3)
    model = KINDS[kind].model
    rows, _ws = xlsx_rows(client_for(eu).get("/evidence/export.xlsx", {"kind": kind}).content)
    assert rows[1][-1] == "Marking" and len(rows) - 3 == model.objects.visible_to(eu).count() > 0
    assert title not in str(rows) and "MXFORMAT" not in str(rows) and "MXCOUNTRY" not in str(rows)
    page = client_for(eu).get("/evidence/", {"kind": kind}).content.decode()
    assert title not in page and "MXFORMAT" not in page and f"{len(rows) - 3} record" in page
    rows, _ws = xlsx_rows(client_for(nato).get("/evidence/export.xlsx", {"kind": kind}).content)
    row = next(r for r in rows if title in r)
    assert row[-1].startswith("NATO CONFIDENTIAL") and rows[0][0].startswith("NATO CONFIDENTIAL")
    if kind == "meetings":  # the public meeting names its hidden format only to who may read it
        meeting = hidden_evidence["meeting"]
        shown = next(r for r in rows if r[1] == meeting.title)
        assert shown[2] == "MXFORMAT" and shown[-1].startswith("NATO CONFIDENTIAL")
    if kind == "activities":
        assert row[1] == "MXCOUNTRY"


def test_the_evidence_filter_narrows_the_sheet_as_the_page(make_user):
    from django.db.models import Q

    from rapport.evidence.models import CoordinationFormat

    eu = make_user(org="eu", role="reader")
    client = client_for(eu)
    rows, _ws = xlsx_rows(client.get("/evidence/export.xlsx", {"kind": "formats", "q": "structured dialogue"}).content)
    names = [r[0] for r in rows[2:-1]]
    expected = CoordinationFormat.objects.visible_to(eu)
    for word in ("structured", "dialogue"):
        expected = expected.filter(Q(name__icontains=word) | Q(description__icontains=word))
    expected = list(expected.order_by("name", "key").values_list("name", flat=True))
    assert names == expected and len(names) >= 2
    page = client.get("/evidence/", {"kind": "formats", "q": "structured dialogue"}).content.decode()
    assert all(n in page for n in names) and "/evidence/export.xlsx?kind=formats&amp;q=structured+dialogue" in page


def test_the_audit_log_as_its_reader_may_read_it(make_user, write, commitments):
    nato = make_user(org="nato", role="drafter", clearance=3)
    write(nato, commitments[0], "A NATO draft", marking="NATO RESTRICTED", to=["nato"])  # internal to NATO
    eu = make_user(org="eu", role="reader", clearance=5)
    from rapport.web.views.audit import visible_entries

    client = client_for(eu)
    expected = list(visible_entries(eu).order_by("-seq").values_list("object_repr", flat=True))
    rows, ws = xlsx_rows(client.get("/audit/export.xlsx").content)
    assert rows[1] == ["When (UTC)", "Who", "For", "Action", "Record", "Message", "Marking"]
    from rapport.web.spreadsheets import inert

    # No entry the reader may not read, and no entry number; a record's name that looks like a formula is text.
    assert [r[4] for r in rows[2:-1]] == [inert(e) for e in expected]
    assert not any(commitments[0].ref in str(r) and "nato" in str(r).lower() for r in rows[2:-1])
    filtered, _ws = xlsx_rows(client_for(eu).get("/audit/export.xlsx", {"verb": "export.downloaded"}).content)
    assert {r[3] for r in filtered[2:-1]} == {"List exported as a spreadsheet"}
    # The NATO drafter reads their own organisation's entry, marked as it is.
    rows, _ws = xlsx_rows(client_for(nato).get("/audit/export.xlsx", {"verb": "contribution.created"}).content)
    assert len(rows) == 4 and rows[2][1] == nato.username and rows[2][-1].startswith("NATO RESTRICTED")
    assert AuditEvent.objects.filter(verb="export.downloaded", after__list="audit").count() == 3


def test_the_export_command_takes_every_list(make_user, hidden_evidence, tmp_path, capsys):
    make_user(org="nato", role="reader", clearance=3, username="nato-lists")
    make_user(org="eu", role="reader", clearance=5, username="eu-lists")
    for what, query in (("contributions", "period=12"), ("evidence", "kind=exercises"), ("audit", "")):
        for user in ("nato-lists", "eu-lists"):
            call_command("export", what, "--user", user, "--format", "csv", "--query", query, "--output", "-")
            out = capsys.readouterr().out
            assert out.splitlines()[1].endswith("Marking")
            assert ("MXEXERCISE" in out) == (what == "evidence" and user == "nato-lists")
    with pytest.raises(CommandError, match="kind"):
        call_command("export", "evidence", "--user", "eu-lists", "--query", "kind=rumours",
                     "--output", str(tmp_path / "x.xlsx"))


def test_a_refused_evidence_filter_narrows_nothing_and_says_so(make_user):
    client = client_for(make_user(org="eu", role="reader"))
    response = client.get("/evidence/", {"kind": "formats", "q": "x" * 201})
    page = response.content.decode()
    assert response.status_code == 200 and "<h1>Evidence: Coordination formats</h1>" in page
    assert 'class="field-error"' in page and "at most 200 characters" in page
    wrong = client.get("/evidence/", {"kind": "rumours"}).content.decode()
    assert "<h1>Evidence: Meetings</h1>" in wrong and 'class="field-error"' in wrong
