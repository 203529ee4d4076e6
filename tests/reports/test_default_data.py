"""Every format of every default-data period, read back; the eighth report's public summary."""

import re
from pathlib import Path

import pytest

from rapport.reports.build import public_summary_markdown, render_edition
from tests.synthetic import reader_for

from .readback import md_text, text

FORMATS = ["html", "md", "docx", "pdf"]
PRESS_RELEASE = Path(__file__).parents[1] / "fixtures" / "seed-eighth-progress-report-press-release.txt"


def flat(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_period_renders_in_every_format(eu_nato, fmt):
    for period in eu_nato.periods.filter(report__isnull=False).order_by("ordinal"):
        f = render_edition(period, "public", fmt, actor=reader_for(period, "public"))
        body = flat(text(fmt, f.content))
        assert f.filename == f"eu-nato-report-{period.ordinal:02d}-public.{f.filename.rsplit('.', 1)[1]}"
        assert "PUBLIC" in body
        assert "Annex A" in body and "2016-HYB-01" in body
        assert f"{period.start:%B %Y}" in body
        assert "RESTRICTED" not in body and "CONFIDENTIAL" not in body


@pytest.mark.parametrize("edition, marking", [("nato", "NATO"), ("eu:R-UE", "UE"), ("delegation:FI:2", "")])
def test_staff_and_delegation_editions_of_the_eighth_report(eu_nato, edition, marking):
    period = eu_nato.periods.get(ordinal=8)
    f = render_edition(period, edition, "pdf", actor=reader_for(period, edition))
    body = flat(text("pdf", f.content))
    assert "Eighth progress report" in body
    assert marking in body


def test_public_summary_of_the_eighth_report_is_in_our_own_words(eu_nato):
    """The wording of the summary is tested on a synthetic partnership (test_summary.py);
    here: the default data's summary copies no sentence of the Council's press release."""
    summary = flat(md_text(public_summary_markdown(eu_nato.periods.get(ordinal=8)).encode()))
    release = flat(PRESS_RELEASE.read_text(encoding="utf-8"))
    sentences = [s for s in re.split(r"(?<=[.:])\s+", release) if len(s.split()) >= 10]
    assert len(sentences) >= 5  # the fixture is the press release, not an empty file
    for sentence in sentences:
        assert sentence not in summary


def test_public_summary_of_the_eighth_report_states_the_principles_once(eu_nato):
    summary = md_text(public_summary_markdown(eu_nato.periods.get(ordinal=8)).encode())
    assert summary.count("guiding principles") == 1
    assert summary.count("inclusiveness and reciprocity") == 1


def test_summary_command(eu_nato):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("summary", "--period", "8", stdout=out)
    assert out.getvalue().startswith("# EU–NATO strategic partnership: eighth progress report")
