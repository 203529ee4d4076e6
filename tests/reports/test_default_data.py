"""Every format of every default-data period, read back; the eighth report's public summary."""

import re

import pytest

from rapport.reports.build import public_summary_markdown, render_edition
from tests.synthetic import reader_for

from .readback import text

FORMATS = ["html", "md", "docx", "pdf"]


def flat(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_period_renders_in_every_format(eu_nato, fmt):
    for period in eu_nato.periods.order_by("ordinal"):
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


def test_public_summary_of_the_eighth_report_has_every_fact(eu_nato):
    md = public_summary_markdown(eu_nato.periods.get(ordinal=8))
    s = flat(md)
    facts = [
        "eighth", "took note", "Council of the European Union", "74 common proposals", "North Atlantic Council",
        "6 December 2016", "5 December 2017", "June 2022", "May 2023", "every area of cooperation",
        "Russia's war of aggression against Ukraine", "Euro-Atlantic security", "stronger and more pertinent",
        "united, coherent and complementary", "right to self-defence", "Staff Coordination on Ukraine",
        "Structured Dialogue on Resilience", "Task Force on the resilience of critical infrastructure",
        "crisis management exercises", "Ukraine, Moldova, Georgia, Bosnia and Herzegovina, Tunisia, Jordan and Mauritania",
        "climate and defence", "space", "emerging and disruptive technologies", "openness and transparency",
        "inclusiveness and reciprocity", "decision-making autonomy", "Strategic Concept", "Strategic Compass",
        "transatlantic unity", "10 January 2023", "third Joint Declaration", "European Commission",
    ]
    missing = [f for f in facts if f not in s]
    assert not missing, missing
    assert re.search(r"^- ", md, re.M)  # highlights as a bulleted list
    release = open("/work/shared/reference/seed-eighth-progress-report-press-release.txt", encoding="utf-8").read() \
        if __import__("os").path.exists("/work/shared/reference/seed-eighth-progress-report-press-release.txt") else ""
    for sentence in re.split(r"(?<=[.:])\s+", flat(release)):
        if len(sentence.split()) >= 10:
            assert sentence not in s  # written in our own words, never copied


def test_summary_command(eu_nato):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("summary", "--period", "8", stdout=out)
    assert out.getvalue().startswith("# EU–NATO strategic partnership: eighth progress report")
