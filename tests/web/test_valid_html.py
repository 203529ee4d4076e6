"""The pages are valid HTML: the HTML5 parser reports no error, ids are unique, every label
names a control that exists, htmx is written as data-hx-* (the Nu checker refuses hx-*), and
machine-readable times carry no microseconds. With RAPPORT_VNU_JAR (a vnu.jar, npm package
vnu-jar) and java, the Nu checker itself reads the same pages and must find no error."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from django.test import Client
from tinyhtml5.parser import HTMLParser

from rapport.reports import parts
from rapport.reports.models import Report

pytestmark = pytest.mark.django_db
H = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def pages(eu_nato, make_user, level):
    """Pages with forms, threads, filters and htmx, as a coordinator sees them."""
    from rapport.discussions.services import add_comment

    user = make_user(org="eu", role="coordinator", clearance=3)
    report = Report.objects.select_related("period").get(period__partnership=eu_nato, state="draft")
    every = list(eu_nato.organisations.all())
    h = parts.create_highlight(actor=user, report=report, text="A line.", classification=level(0, scheme="eu"),
                               releasable_to=every)
    add_comment(actor=user, subject=h, text="A remark.", classification=level(0, scheme="eu"), releasable_to=every)
    n = report.period.ordinal
    client = Client()
    client.force_login(user)
    paths = ["/dashboard/", "/commitments/", "/search/?q=staff", f"/reports/{n}/edit/",
             f"/reports/{n}/parts/highlight/{h.pk}/edit/", "/periods/", "/inbox/", "/audit/", "/reports/",
             "/commitments/1/", "/calendar/", "/evidence/",
             "/evidence/?kind=activities"]
    found = {p: client.get(p) for p in paths}
    found.update(_import_pages(client, eu_nato))
    found["/public/reports/ (signed out)"] = Client().get("/public/reports/")
    assert all(r.status_code == (400 if p == "import preview" else 200) for p, r in found.items()), {
        p: r.status_code for p, r in found.items()}
    return {p: r.content.decode() for p, r in found.items()}


def _import_pages(client, partnership) -> dict:
    """The import page, and the preview of a template with one row filled in and one row wrong."""
    import io

    from openpyxl import load_workbook

    from rapport.periods.models import ReportingPeriod

    n = ReportingPeriod.objects.get(partnership=partnership, state="open").ordinal
    book = load_workbook(io.BytesIO(client.get(f"/periods/{n}/import/template.xlsx").content))
    ws = book["Contributions"]
    ws["D3"], ws["F3"], ws["D4"], ws["E4"], ws["F4"] = "A line.", "PUBLIC", "Another.", "Brilliant", "PUBLIC"
    out = io.BytesIO()
    book.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "contributions.xlsx"
    preview = client.post(f"/periods/{n}/import/", {"file": upload})["Location"]
    return {"import page": client.get(f"/periods/{n}/import/"), "import preview": client.get(preview)}


def test_pages_parse_cleanly_with_unique_ids_and_labelled_controls(pages):
    for path, html in pages.items():
        parser = HTMLParser()
        tree = parser.parse(html)
        assert parser.errors == [], (path, parser.errors[:3])
        elements = list(tree.iter())
        ids = [e.get("id") for e in elements if e.get("id")]
        assert len(ids) == len(set(ids)), (path, sorted({i for i in ids if ids.count(i) > 1}))
        for label in tree.iter(f"{H}label"):
            target = label.get("for")
            assert target is None or target in ids, (path, target)
        for e in elements:
            assert not any(a.startswith("hx-") for a in e.attrib), (path, e.tag, dict(e.attrib))
        for time in tree.iter(f"{H}time"):
            assert "." not in (time.get("datetime") or ""), (path, time.get("datetime"))


@pytest.mark.skipif(not (os.environ.get("RAPPORT_VNU_JAR") and shutil.which("java")),
                    reason="the Nu HTML checker: set RAPPORT_VNU_JAR to a vnu.jar (npm package vnu-jar) and have java")
def test_pages_pass_the_nu_checker(pages, tmp_path):
    files = []
    for n, html in enumerate(pages.values()):
        path = tmp_path / f"page{n}.html"
        path.write_text(html)
        files.append(str(path))
    found = subprocess.run(["java", "-jar", os.environ["RAPPORT_VNU_JAR"], "--errors-only", *files],
                           capture_output=True, text=True, timeout=300)
    assert found.returncode == 0 and found.stderr.strip() == "", found.stderr
