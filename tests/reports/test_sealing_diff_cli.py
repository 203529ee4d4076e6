"""Sealing and verifying, the comparison of two periods, and the command line."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rapport.access.models import User
from rapport.access.roles import Role
from rapport.audit.models import AuditEvent
from rapport.contributions.models import Contribution
from rapport.core.errors import Refused
from rapport.reports.build import diff_document, render_edition
from rapport.reports.choices import ReportState
from rapport.reports.models import SealedEdition
from rapport.reports.sealing import seal_edition, verify_file
from tests.synthetic import reader_for


def run(*args) -> str:
    import io

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_sealed_edition_is_frozen_and_verifiable(syn, tmp_path):
    period, actor = syn["periods"][1], syn["users"][("syn0", "coordinator")]
    seals = seal_edition(actor=actor, period=period, edition="public", formats=["pdf", "md"])
    assert {s.format for s in seals} == {"pdf", "md"}
    assert AuditEvent.objects.filter(verb="report.sealed", actor=actor).count() == 2
    before = render_edition(period, "public", "pdf", actor=reader_for(period, "public"))
    assert before.sealed and before.sha256 == seals[0].sha256 or before.sha256 == seals[1].sha256
    c = Contribution.objects.filter(period=period, classification__rank=0).first()
    c.narrative = "Changed after sealing."
    c.save()
    after = render_edition(period, "public", "pdf", actor=reader_for(period, "public"))
    assert after.content == before.content  # regenerating a sealed edition gives the same file
    path = tmp_path / after.filename
    path.write_bytes(after.content)
    assert verify_file(path, period, "public")[0]
    assert "OK:" in run("report", "verify", str(path), "--period", "2", "--edition", "public", "--partnership", "syn")
    path.write_bytes(after.content + b"%")
    with pytest.raises(CommandError, match="NOT the sealed"):
        run("report", "verify", str(path), "--period", "2", "--edition", "public", "--partnership", "syn")
    # The canonical document itself (the data file the archival PDF carries) verifies too.
    document_file = tmp_path / "document.json"
    document_file.write_bytes(seals[0].content.encode())
    out = run("report", "verify", str(document_file), "--period", "2", "--edition", "public", "--partnership", "syn")
    assert "OK:" in out and "canonical document" in out
    document_file.write_bytes(seals[0].content.encode() + b" ")
    with pytest.raises(CommandError, match="NOT the sealed"):
        run("report", "verify", str(document_file), "--period", "2", "--edition", "public", "--partnership", "syn")


def test_only_approved_or_published_reports_are_sealed(syn):
    period = syn["periods"][0]
    period.report.state = ReportState.DRAFT
    period.report.save()
    coordinator = syn["users"][("syn0", "coordinator")]
    with pytest.raises(Refused, match="approved or published"):
        seal_edition(actor=coordinator, period=period, edition="public", formats=["md"])
    admin = User.objects.create(username="syn0-admin", organisation=syn["orgs"][0], role=Role.ADMINISTRATOR,
                                clearance=coordinator.clearance)
    with pytest.raises(Refused, match="coordinators and approvers"):  # administrators have no workflow rights
        seal_edition(actor=admin, period=syn["periods"][1], edition="public", formats=["md"])
    assert not SealedEdition.objects.exists()


def test_restricted_seal_carries_the_document_marking(syn):
    seal = seal_edition(actor=syn["users"][("syn0", "coordinator")], period=syn["periods"][1], edition="syn0",
                        formats=["md"])[0]
    assert seal.classification.rank == 3
    assert [o.key for o in seal.releasable_to.all()] == ["syn0"]
    assert SealedEdition.objects.visible_to(syn["users"][("syn1", "coordinator")]).count() == 0


def test_diff_shows_changed_gained_and_lost(syn):
    period = syn["periods"][1]
    Contribution.objects.filter(period=syn["periods"][0], commitment=syn["commitments"][0]).delete()
    doc = diff_document(period, "syn0")  # sees every record, so only the deletion shows
    by_anchor = {s.anchor: s for s in doc.sections}
    changed = by_anchor["changed"].blocks[0]
    assert changed.rows and all(r.cells[3] != r.cells[4] for r in changed.rows)
    assert [r.cells[0] for r in by_anchor["gained"].blocks[0].rows] == ["SYN-A0-000", "SYN-A0-000"]
    with pytest.raises(CommandError, match="No such report"):  # the public may not see an unpublished report
        run("report", "diff", "--period", "2", "--partnership", "syn")
    md = run("report", "diff", "--period", "2", "--partnership", "syn", "--user", "syn1-coordinator")
    assert "Assessments that changed" in md and "RESTRICTED-SECRET" not in md


def test_cli_writes_the_file_and_prints_its_path(syn, tmp_path):
    out = run("report", "--period", "2", "--edition", "syn1", "--format", "md", "--output", str(tmp_path / "o"),
              "--partnership", "syn", "--user", "syn1-coordinator")
    path = out.strip()
    assert path.endswith("syn-report-02-syn1-syn1c.md")
    assert "RESTRICTED-SECRET" in open(path, encoding="utf-8").read()


@pytest.mark.parametrize("args, message", [
    (["--period", "9", "--edition", "public"], "no reporting period 9"),
    (["--period", "2", "--edition", "atlantis"], "No organisation 'atlantis'"),
    (["--period", "2", "--edition", "delegation:ZZ"], "No member state"),
])
def test_cli_bad_input_is_a_clear_error_and_writes_nothing(syn, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run("report", *args, "--format", "pdf", "--output", str(tmp_path / "o"), "--partnership", "syn")
    assert not list((tmp_path).rglob("*.pdf"))


def test_cli_unwritable_output(syn, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CommandError, match="not a folder"):
        run("report", "--period", "2", "--format", "md", "--output", str(blocker), "--partnership", "syn")
    with pytest.raises(CommandError, match="cannot create"):
        run("report", "--period", "2", "--format", "md", "--output", str(blocker / "sub"), "--partnership", "syn")


def test_cli_exits_non_zero_without_traceback(syn, tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "rapport", "report", "--period", "99", "--format", "md",
                           "--output", str(tmp_path)], capture_output=True, text=True,
                          env={"DATABASE_URL": f"sqlite:///{tmp_path}/none.sqlite3", "PATH": "/usr/bin:/bin"})
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr and "rapport init" in proc.stderr


def test_an_edition_is_sealed_in_french_too_and_its_french_file_is_the_frozen_one(syn, tmp_path):
    period, actor = syn["periods"][1], syn["users"][("syn0", "coordinator")]
    out = run("report", "seal", "--period", "2", "--edition", "public", "--partnership", "syn", "--format", "md",
              "--language", "fr", "--user", actor.username)
    (seal,) = SealedEdition.objects.filter(report__period=period, edition="public")
    assert (seal.format, seal.language) == ("md", "fr") and seal.filename.endswith("-public-fr.md")
    assert f"sealed public md   fr {seal.sha256}" in out
    assert '"language":"fr"' in seal.content
    c = Contribution.objects.filter(period=period, classification__rank=0).first()
    c.narrative = "Changed after sealing."
    c.save()
    french = render_edition(period, "public", "md", actor=reader_for(period, "public"), language="fr")
    assert french.sealed and french.sha256 == seal.sha256  # the French file is the frozen one
    english = render_edition(period, "public", "md", actor=reader_for(period, "public"))
    assert not english.sealed  # English was not sealed: it is rendered from the records
    path = tmp_path / french.filename
    path.write_bytes(french.content)
    assert verify_file(path, period, "public")[0]
