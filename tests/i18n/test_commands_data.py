"""The data commands print in the command line's language: 'rapport periods' says in French that a
period has no published report, and its help is French too."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from rapport.reports.management.commands.periods import Command as Periods

pytestmark = pytest.mark.django_db


def periods(language: str) -> str:
    out = io.StringIO()
    with translation.override(language):
        call_command("periods", stdout=out)
    return out.getvalue()


def test_periods_says_in_french_that_a_period_has_no_published_report(eu_nato):
    french, english = periods("fr"), periods("en")
    unpublished = eu_nato.periods.exclude(report__state="published").count()
    assert unpublished and french.count("aucun rapport publié") == unpublished
    assert english.count("no published report") == unpublished
    assert "no published report" not in french and "aucun rapport publié" not in english
    # The same lines, a line per period, with the same dates.
    assert len(french.splitlines()) == len(english.splitlines()) == eu_nato.periods.count()
    assert [line.split()[:4] for line in french.splitlines()] == [line.split()[:4] for line in english.splitlines()]


def test_the_help_of_periods_is_in_the_active_language():
    with translation.override("fr"):
        french = Periods().create_parser("rapport", "periods").format_help()
    with translation.override("en"):
        english = Periods().create_parser("rapport", "periods").format_help()
    assert "Liste les périodes de rapport" in " ".join(french.split())
    assert "List the reporting periods" in " ".join(english.split())
