"""Contributions imported from a spreadsheet: the template, the upload, the preview of what
would change row by row, the confirmation written through the services in one transaction,
the same file again changing nothing; every bad file refused with a message naming the row
and the column and nothing changed; an upload kept for its own session only; `rapport import`."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.contributions.models import Contribution
from rapport.partnerships.models import Organisation
from rapport.web.imports import uploads

pytestmark = pytest.mark.django_db

COLUMNS = {"Reference": "A", "Narrative": "D", "Assessment": "E", "Contribution marking": "F", "Releasable to": "G"}


@pytest.fixture(autouse=True)
def own_data_dir(settings, tmp_path):
    """Each test keeps its uploads in a folder of its own (the tests run side by side)."""
    settings.DATA_DIR = tmp_path


@pytest.fixture
def secret(eu_nato, level):
    """A NATO-only commitment (NATO CONFIDENTIAL): EU staff may not know it exists."""
    template = Commitment.objects.filter(partnership=eu_nato).order_by("order").first()
    c = Commitment.objects.create(partnership=eu_nato, ref="MX-IM-01", mandate=template.mandate, area=template.area,
                                  title="MXIMPORTSECRET", text="x", classification=level("NATO CONFIDENTIAL"),
                                  order=9998)
    c.releasable_to.set(Organisation.objects.filter(key="nato"))
    return c


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def template_of(client, ordinal):
    response = client.get(f"/periods/{ordinal}/import/template.xlsx")
    assert response.status_code == 200, response.content[:300]
    return load_workbook(io.BytesIO(response.content))


def row_of(book, ref) -> int:
    ws = book["Contributions"]
    for row in ws.iter_rows(min_row=3):
        if row[0].value == ref:
            return row[0].row
    raise LookupError(ref)


def fill(book, ref, **cells):
    """fill(book, "2016-HYB-01", Narrative="…", Assessment="Limited") -> the row number."""
    ws, n = book["Contributions"], row_of(book, ref)
    for name, value in cells.items():
        ws[f"{COLUMNS[name.replace('_', ' ')]}{n}"] = value
    return n


def as_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, ordinal, data: bytes, name="contributions.xlsx"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(f"/periods/{ordinal}/import/", {"file": f})


def preview_of(client, ordinal, data):
    response = upload(client, ordinal, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    url = response["Location"]
    return url, client.get(url)


def digest_of(response) -> str:
    html = response.content.decode()
    start = html.index('name="digest" value="') + len('name="digest" value="')
    return html[start:html.index('"', start)]


def changes():
    return AuditEvent.objects.filter(verb__startswith="contribution.").count()


# The template ---------------------------------------------------------------------------------


def test_the_template_holds_only_what_the_importer_may_write_on(make_user, secret, write, commitments, open_period):
    eu = make_user(org="eu", role="drafter", clearance=5)
    nato = make_user(org="nato", role="drafter", clearance=5)
    write(eu, commitments[0], "EU draft MXEUDRAFT")
    write(eu, commitments[1], "EU submitted text", submit=True)  # frozen: not offered
    write(nato, commitments[2], "NATO draft MXNATODRAFT", marking="NATO RESTRICTED", to=["nato"])
    book = template_of(client_for(eu), open_period.ordinal)
    ws = book["Contributions"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    refs = [r[0] for r in cells[2:-1]]
    writable = list(Commitment.objects.visible_to(eu).order_by("order", "ref").values_list("ref", flat=True))
    assert refs == [r for r in writable if r != commitments[1].ref]
    assert "MX-IM-01" not in refs and "MXIMPORTSECRET" not in str(cells)
    assert "MXNATODRAFT" not in str(cells) and "EU submitted text" not in str(cells)
    own = cells[row_of(book, commitments[0].ref) - 1]
    assert own[2:7] == ["Draft", "EU draft MXEUDRAFT", "Substantial", "PUBLIC", "EU, NATO"]
    # The marking at the top and bottom, in the printed header and footer, and per row.
    assert cells[0][0] == cells[-1][0] == "PUBLIC" == ws.oddHeader.center.text == ws.oddFooter.center.text
    assert cells[1][-1] == "Row marking (not read)" and all(r[-1] == "PUBLIC" for r in cells[2:-1])
    # Drop-down lists for the choice columns, from a hidden sheet of the scheme's values.
    checks = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert set(checks) == {"E", "F", "G"}
    lists = book["Lists"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["B"]][1:] == ["PUBLIC", "LIMITE", "RESTREINT UE/EU RESTRICTED",
                                                "CONFIDENTIEL UE/EU CONFIDENTIAL", "SECRET UE/EU SECRET",
                                                "TRÈS SECRET UE/EU TOP SECRET"]
    about = {r[0].value: r[1].value for r in book["About"].iter_rows(min_row=2, max_row=6)}
    assert about["Period"] == open_period.ordinal and about["Organisation"] == "eu"
    # A reader writes nothing: the template has no rows. Downloads are audited.
    reader_book = template_of(client_for(make_user(org="eu", role="reader")), open_period.ordinal)
    assert reader_book["Contributions"].max_row == 3  # marking, header, marking
    assert AuditEvent.objects.filter(verb="export.downloaded", after__list="contributions-template").count() == 2


def test_a_restricted_draft_raises_the_templates_marking(make_user, write, commitments, open_period):
    nato = make_user(org="nato", role="drafter", clearance=3)
    write(nato, commitments[0], "NATO draft", marking="NATO RESTRICTED", to=["nato"])
    ws = template_of(client_for(nato), open_period.ordinal)["Contributions"]
    assert ws["A1"].value.startswith("NATO RESTRICTED") and ws.oddHeader.center.text == ws["A1"].value
    assert ws["F3"].value == "NATO RESTRICTED" and ws["G3"].value == "NATO"
    assert ws["H3"].value.startswith("NATO RESTRICTED") and ws["H4"].value == "PUBLIC"


# Upload, preview, confirm, and again ----------------------------------------------------------


def test_upload_preview_confirm_and_the_same_file_again_changes_nothing(make_user, write, commitments,
                                                                         open_period):
    eu = make_user(org="eu", role="drafter", clearance=2)
    draft = write(eu, commitments[0], "First text")
    client = client_for(eu)
    book = template_of(client, open_period.ordinal)
    fill(book, commitments[0].ref, Narrative="First text, with the dates of the talks")
    new_row = fill(book, commitments[1].ref, Narrative="'=Staff talks held twice.", Assessment="limited",
                   Contribution_marking="LIMITE", Releasable_to="EU")
    data = as_bytes(book)
    before = changes()
    url, response = preview_of(client, open_period.ordinal, data)
    html = response.content.decode()
    assert response.status_code == 200 and "1 new, 1 changed, " in html, re.findall(r"<li>[^<]*</li>", html)
    assert "<del>First text</del> → <ins>First text, with the dates of the talks</ins>" in html
    assert f"<td>{new_row}</td>" in html and "<ins>LIMITE</ins>" in html and "<ins>Limited</ins>" in html
    assert changes() == before  # the preview wrote nothing (its dry run was rolled back)
    assert not Contribution.objects.filter(commitment=commitments[1]).exists()
    # The preview shows a LIMITE text: its banner says so.
    assert 'id="marking-banner-top"' in html and "LIMITE" in html[:html.index("<h1")]
    response = client.post(url, {"action": "confirm", "digest": digest_of(response)})
    assert response.status_code == 302 and "period=" in response["Location"]
    draft.refresh_from_db()
    new = Contribution.objects.get(commitment=commitments[1], organisation__key="eu")
    assert draft.narrative == "First text, with the dates of the talks" and draft.version == 2
    assert new.narrative == "=Staff talks held twice." and new.classification.name == "LIMITE"
    assert [o.key for o in new.releasable_to.all()] == ["eu"] and new.assessment.key == "limited"
    assert new.revisions.count() == 1  # written by the service, which keeps revisions
    entries = AuditEvent.objects.filter(verb__startswith="contribution.").order_by("-seq")[:2]
    assert {e.verb for e in entries} == {"contribution.created", "contribution.edited"}
    assert all(e.actor_id == eu.pk for e in entries) and changes() == before + 2
    # The changes are on the pages.
    page = client.get(f"/contributions/{new.pk}/").content.decode()
    assert "=Staff talks held twice." in page
    # The same file again: nothing changes, nothing is written.
    url, response = preview_of(client, open_period.ordinal, data)
    assert "0 new, 0 changed, " in response.content.decode() and 'value="confirm"' not in response.content.decode()
    client.post(url, {"action": "confirm", "digest": digest_of(response)})
    draft.refresh_from_db()
    assert changes() == before + 2 and draft.version == 2
    # A template downloaded now holds what was written, and reads back unchanged.
    again = template_of(client, open_period.ordinal)
    _url, response = preview_of(client, open_period.ordinal, as_bytes(again))
    assert "0 new, 0 changed, " in response.content.decode()


def test_a_discarded_upload_is_gone(make_user, commitments, open_period, db_state):
    eu = make_user(org="eu", role="drafter")
    client = client_for(eu)
    book = template_of(client, open_period.ordinal)
    fill(book, commitments[0].ref, Narrative="x", Contribution_marking="PUBLIC")
    url, _response = preview_of(client, open_period.ordinal, as_bytes(book))
    state = db_state()
    assert client.post(url, {"action": "discard"}).status_code == 302
    assert client.get(url).status_code == 404 and db_state() == state


# Bad files ------------------------------------------------------------------------------------


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return out.getvalue()


def _header(book, old, new):
    ws = book["Contributions"]
    for cell in ws[2]:
        if cell.value == old:
            cell.value = new
    return book


def _zip_bomb() -> bytes:
    """A few hundred kilobytes that unpack to 100 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (100 * 1024 * 1024))
    return out.getvalue()


# (what to do to the file, what the message must say): the file is refused at upload.
UNREADABLE = {
    "not a workbook": (lambda book, ctx: b"Reference,Narrative\n2016-HYB-01,text\n", ["not an Excel workbook"]),
    "a zip that is not a workbook": (lambda book, ctx: _zip_without_workbook(), ["not an Excel workbook"]),
    "a damaged workbook": (lambda book, ctx: as_bytes(book)[:4000], ["not an Excel workbook"]),
    "wrong columns": (lambda book, ctx: as_bytes(_header(book, "Narrative", "Text")),
                      ["the columns are not the template's", "no column 'Narrative'", "'Text'"]),
    "no header": (lambda book, ctx: as_bytes(_header(book, "Reference", "Ref")), ["no header row"]),
    "too big": (lambda book, ctx: b"PK" + b"x" * (5 * 1024 * 1024), ["at most 5 MB"]),
    "unpacks too big": (lambda book, ctx: _zip_bomb(), ["unpacks to more than 64 MB"]),
}


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_an_unreadable_file_is_refused_and_changes_nothing(case, make_user, write, commitments, open_period,
                                                           db_state, settings):
    eu = make_user(org="eu", role="drafter")
    write(eu, commitments[0], "First text")
    client = client_for(eu)
    book = template_of(client, open_period.ordinal)
    fill(book, commitments[0].ref, Narrative="Changed")
    spoil, expected = UNREADABLE[case]
    state, kept = db_state(), _kept(settings)
    response = upload(client, open_period.ordinal, spoil(book, {}))
    body = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400
    for text in expected:
        assert text.lower() in body.lower(), (case, text)
    assert "Nothing was written." in body and db_state() == state
    assert _kept(settings) == kept  # a refused file is not kept


def _kept(settings) -> set:
    folder = settings.DATA_DIR / "imports"
    return set(folder.glob("*")) if folder.exists() else set()


def _bad_rows(book, ctx):
    """Rows each wrong in one column; returns {row number: (column, words the message must have)}."""
    c = ctx["commitments"]
    return {
        fill(book, c[2].ref, Narrative="x", Assessment="Brilliant", Contribution_marking="PUBLIC"):
            ("Assessment", "'Brilliant' is not a value of the assessment scale"),
        fill(book, c[3].ref, Narrative="x", Contribution_marking="RESTREINT UE/EU RESTRICTED"):
            ("Contribution marking", "you cannot mark content above your own clearance"),
        fill(book, c[4].ref, Narrative="x", Contribution_marking="NATO RESTRICTED", Releasable_to="EU"):
            ("Contribution marking", "mark what you write in your own organisation's scheme"),
        fill(book, c[5].ref, Narrative="x", Contribution_marking="TOP SECRET PLUS"):
            ("Contribution marking", "'TOP SECRET PLUS' is not a marking of your organisation's scheme"),
        fill(book, c[6].ref, Narrative="x", Contribution_marking="PUBLIC", Releasable_to="EU, Mars"):
            ("Releasable to", "'Mars' is not an organisation of the partnership"),
        fill(book, c[7].ref, Narrative="=1+1", Contribution_marking="PUBLIC"):
            ("Narrative", "a formula"),
        fill(book, c[8].ref, Assessment="Limited", Contribution_marking="PUBLIC"):
            ("Narrative", "write the progress narrative"),
        fill(book, c[9].ref, Narrative="x"): ("Contribution marking", "choose a marking"),
    }


def test_values_outside_the_scheme_are_named_by_row_and_column_and_nothing_is_written(
        make_user, write, commitments, open_period, db_state):
    eu = make_user(org="eu", role="drafter", clearance=1)
    write(eu, commitments[0], "First text")
    client = client_for(eu)
    book = template_of(client, open_period.ordinal)
    fill(book, commitments[0].ref, Narrative="A good change")  # a good row does not save the file
    fill(book, commitments[1].ref, Narrative="A good new row", Contribution_marking="LIMITE")
    bad = _bad_rows(book, {"commitments": commitments})
    # The formula must be a real one in the file, not text.
    book["Contributions"][f"D{row_of(book, commitments[7].ref)}"].data_type = "f"
    state = db_state()
    url, response = preview_of(client, open_period.ordinal, as_bytes(book))
    body = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400 and "nothing will be written until there are none" in body
    for number, (column, words) in bad.items():
        assert f"Row {number}, {column}: {words}" in body, (number, column, words)
    assert 'value="confirm"' not in body
    response = client.post(url, {"action": "confirm", "digest": digest_of(response)})
    assert response.status_code == 400 and db_state() == state


def test_a_commitment_the_importer_may_not_read_is_unknown_exactly_like_a_missing_one(
        make_user, secret, commitments, open_period, db_state):
    eu = make_user(org="eu", role="drafter", clearance=5)
    client = client_for(eu)
    book = template_of(client, open_period.ordinal)
    ws = book["Contributions"]
    ws.append(["MX-IM-01", "", "", "Hidden", "", "PUBLIC", ""])
    ws.append(["MX-IM-99", "", "", "Missing", "", "PUBLIC", ""])
    state = db_state()
    _url, response = preview_of(client, open_period.ordinal, as_bytes(book))
    body = response.content.decode().replace("&#x27;", "'")
    items = re.findall(r"<li>(Row \d+, Reference: [^<]*)</li>", body)
    hidden = next(i for i in items if "'MX-IM-01'" in i)
    missing = next(i for i in items if "'MX-IM-99'" in i)
    assert hidden.startswith(f"Row {ws.max_row - 1}, Reference: unknown commitment 'MX-IM-01'")
    assert hidden.replace("MX-IM-01", "X").replace(str(ws.max_row - 1), "N") == \
        missing.replace("MX-IM-99", "X").replace(str(ws.max_row), "N")
    assert "MXIMPORTSECRET" not in body and db_state() == state


def test_the_file_must_be_this_periods_and_this_organisations(make_user, commitments, open_period, db_state):
    eu = make_user(org="eu", role="drafter")
    client = client_for(eu)
    book = template_of(client, open_period.ordinal)
    fill(book, commitments[0].ref, Narrative="x", Contribution_marking="PUBLIC")
    about = book["About"]
    about["B2"], about["B3"] = open_period.ordinal - 1, "nato"
    state = db_state()
    _url, response = preview_of(client, open_period.ordinal, as_bytes(book))
    body = response.content.decode().replace("&#x27;", "'")
    assert f"The file is the template of period {open_period.ordinal - 1}, not of period" in body
    assert "The file is the template of another organisation's contributions ('nato'); you write for eu" in body
    assert response.status_code == 400 and db_state() == state


def test_a_row_twice_is_an_error_on_the_second(make_user, commitments, open_period):
    client = client_for(make_user(org="eu", role="drafter"))
    book = template_of(client, open_period.ordinal)
    first = fill(book, commitments[0].ref, Narrative="x", Contribution_marking="PUBLIC")
    book["Contributions"].append([commitments[0].ref, "", "", "y", "", "PUBLIC", ""])
    _url, response = preview_of(client, open_period.ordinal, as_bytes(book))
    body = response.content.decode().replace("&#x27;", "'")
    assert f"Reference: the commitment '{commitments[0].ref}' is on row {first} already" in body


def test_a_failing_row_in_the_middle_changes_nothing(make_user, write, commitments, open_period, db_state,
                                                      tmp_path, capsys):
    """The importer cannot read their colleague's NATO CONFIDENTIAL draft on the second commitment,
    so the comparison sees a new row there; the service refuses it when writing, after the first
    row was written: the whole import is rolled back."""
    importer = make_user(org="nato", role="drafter", clearance=2, username="nato-importer")
    colleague = make_user(org="nato", role="drafter", clearance=3)
    write(colleague, commitments[1], "Colleague's text", marking="NATO CONFIDENTIAL", to=["nato"])
    path = tmp_path / "import.xlsx"
    call_command("import", "template", "--user", "nato-importer", "--period", str(open_period.ordinal),
                 "--output", str(path))
    book = load_workbook(path)
    rows = [fill(book, c.ref, Narrative=f"Text {i}", Contribution_marking="PUBLIC")
            for i, c in enumerate(commitments[:3])]
    book.save(path)
    state = db_state()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import", "contributions", str(path), "--user", "nato-importer",
                     "--period", str(open_period.ordinal))
    out = capsys.readouterr().out
    assert f"Row {rows[1]}, Reference: Not allowed: a contribution cannot be started" in out
    assert db_state() == state
    assert not Contribution.objects.filter(organisation__key="nato", commitment=commitments[0]).exists()
    assert importer.pk  # the importer wrote nothing at all


# The upload stays on the server, for its own session -------------------------------------------


def test_an_upload_is_only_its_own_sessions(make_user, commitments, open_period, db_state, monkeypatch):
    eu = make_user(org="eu", role="drafter")
    client = client_for(eu)
    book = template_of(client, open_period.ordinal)
    fill(book, commitments[0].ref, Narrative="x", Contribution_marking="PUBLIC")
    url, response = preview_of(client, open_period.ordinal, as_bytes(book))
    digest = digest_of(response)
    missing = url.rstrip("/").rsplit("/", 1)[0] + "/not-a-token/"
    others = (client_for(eu), client_for(make_user(org="eu", role="drafter")),
              client_for(make_user(org="nato", role="drafter")))
    state = db_state()
    for other in others:
        assert other.get(url).status_code == 404
        assert other.post(url, {"action": "confirm", "digest": digest}).status_code == 404
        assert other.get(url).content == other.get(missing).content
    assert client.get(url.replace(f"/{open_period.ordinal}/", f"/{open_period.ordinal - 1}/")).status_code == 404
    assert db_state() == state
    monkeypatch.setattr(uploads, "LIFETIME", -1)  # expired
    assert client.get(url).status_code == 404


def test_the_confirmation_reads_the_file_and_the_data_again(make_user, write, commitments, open_period):
    """A change between the preview and the confirmation: the confirmation writes nothing and
    shows the new preview."""
    eu = make_user(org="eu", role="drafter")
    draft = write(eu, commitments[0], "First text")
    client = client_for(eu)
    book = template_of(client, open_period.ordinal)
    fill(book, commitments[0].ref, Narrative="Imported text")
    url, response = preview_of(client, open_period.ordinal, as_bytes(book))
    digest = digest_of(response)
    services.edit_contribution(actor=eu, contribution=draft, base_version=1, narrative="Edited on the page",
                               classification=draft.classification, releasable_to=list(draft.releasable_to.all()))
    before = changes()
    response = client.post(url, {"action": "confirm", "digest": digest})
    assert response.status_code == 400 and "is not what the preview showed" in response.content.decode()
    assert changes() == before and Contribution.objects.get(pk=draft.pk).narrative == "Edited on the page"
    assert "<del>Edited on the page</del>" in response.content.decode()
    # A forged digest is only a digest: the file is read and checked again in any case.
    response = client.post(url, {"action": "confirm", "digest": digest_of(response)})
    assert response.status_code == 302 and Contribution.objects.get(pk=draft.pk).narrative == "Imported text"


# The command -----------------------------------------------------------------------------------


def test_the_import_command(make_user, write, commitments, open_period, tmp_path, capsys, db_state):
    eu = make_user(org="eu", role="drafter", username="eu-importer")
    write(eu, commitments[0], "First text")
    path = tmp_path / "t.xlsx"
    ordinal = str(open_period.ordinal)
    call_command("import", "template", "--user", "eu-importer", "--period", ordinal, "--output", str(path))
    book = load_workbook(path)
    fill(book, commitments[0].ref, Narrative="Second text", Assessment="Limited")
    n = fill(book, commitments[1].ref, Narrative="New text", Contribution_marking="PUBLIC")
    book.save(path)
    state = db_state()
    call_command("import", "contributions", str(path), "--user", "eu-importer", "--period", ordinal, "--dry-run")
    out = capsys.readouterr().out
    assert f"Row {n} {commitments[1].ref}: new (Narrative, Assessment, Contribution marking, Releasable to)" in out
    assert "(Narrative, Assessment)" in out and "Dry run: 1 new, 1 changed" in out and db_state() == state
    call_command("import", "contributions", str(path), "--user", "eu-importer", "--period", ordinal)
    assert "Written: 1 new, 1 changed" in capsys.readouterr().out
    written = db_state()
    call_command("import", "contributions", str(path), "--user", "eu-importer", "--period", ordinal)
    assert "Written: 0 new, 0 changed" in capsys.readouterr().out and db_state() == written
    path.write_bytes(b"not a workbook")
    for args in (["--user", "eu-importer", "--period", ordinal], ["--user", "nobody", "--period", ordinal],
                 ["--user", "eu-importer", "--period", "99"]):
        with pytest.raises(CommandError):
            call_command("import", "contributions", str(path), *args)
    assert db_state() == written


def test_the_template_of_a_filtered_list_holds_the_commitments_it_shows(make_user, commitments, open_period):
    eu = make_user(org="eu", role="drafter")
    client = client_for(eu)
    area = commitments[0].area
    page = client.get("/commitments/", {"area": area.pk, "period": open_period.ordinal}).content.decode()
    link = f"/periods/{open_period.ordinal}/import/template.xlsx?area={area.pk}&amp;period={open_period.ordinal}"
    assert link in page
    response = client.get(link.replace("&amp;", "&"))
    ws = load_workbook(io.BytesIO(response.content))["Contributions"]
    refs = [r[0].value for r in ws.iter_rows(min_row=3)][:-1]
    assert refs == list(Commitment.objects.visible_to(eu).filter(area=area).order_by("order", "ref")
                        .values_list("ref", flat=True))
    assert 0 < len(refs) < Commitment.objects.visible_to(eu).count()
    entry = AuditEvent.objects.filter(verb="export.downloaded").latest("seq")
    assert entry.after["list"] == "contributions-template" and entry.after["filters"]["area"] == str(area.pk)


def test_a_delegation_imports_nothing(make_user, commitments, open_period, db_state):
    """A member state's delegation reads; it writes for no organisation."""
    delegation = make_user(org=None, delegation="FI", clearance=1)
    client = client_for(delegation)
    book = template_of(client, open_period.ordinal)
    assert book["Contributions"].max_row == 3  # no row to fill in
    book["Contributions"].append([commitments[0].ref, "", "", "Text", "", "PUBLIC", ""])
    state = db_state()
    _url, response = preview_of(client, open_period.ordinal, as_bytes(book))
    body = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400 and f"Row 4, Reference: you cannot write your organisation's contribution on " \
        f"{commitments[0].ref} now" in body
    assert db_state() == state



def test_the_preview_of_unchanged_rows_costs_the_same_however_many(make_user, write, commitments, open_period):
    """Only rows that change meet the services; reading and comparing the others is a fixed
    number of queries (the preview page's cost grows with what the file changes, not its length)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    eu = make_user(org="eu", role="drafter")
    client = client_for(eu)

    def queries() -> int:
        url, _response = preview_of(client, open_period.ordinal, as_bytes(template_of(client, open_period.ordinal)))
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as ctx:
            assert "0 new, 0 changed" in client.get(url).content.decode()
        return len(ctx.captured_queries)

    write(eu, commitments[0], "A text")
    few = queries()
    for c in commitments[1:25]:
        write(eu, c, f"Text on {c.ref}", assessment=None)
    assert queries() == few
