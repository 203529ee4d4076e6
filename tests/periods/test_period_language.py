"""A period's words in the reader's language: its ordinal, its states and the rules' reasons;
what a record says of itself (its name in the audit log) stays English."""

from __future__ import annotations

import pytest
from django.utils import translation

from rapport.periods.lifecycle import contribution_refusal, mermaid
from rapport.periods.models import ReportingPeriod, ordinal_word


@pytest.mark.parametrize(("n", "english", "french"), [
    (1, "first", "première"), (8, "eighth", "huitième"), (17, "seventeenth", "dix-septième"),
    (21, "21st", "21e"), (22, "22nd", "22e"), (23, "23rd", "23e"), (111, "111th", "111e"),
])
def test_the_ordinal_of_a_period_in_each_language(n, english, french):
    assert ordinal_word(n) == english
    with translation.override("fr"):
        assert ordinal_word(n) == french


@pytest.mark.django_db
def test_a_closed_period_is_refused_in_french_and_named_in_english(eu_nato):
    period = ReportingPeriod.objects.filter(partnership=eu_nato, state="published").order_by("ordinal").first()
    english = contribution_refusal(period, None, None)
    with translation.override("fr"):
        french = contribution_refusal(period, None, None)
        name = str(period)
        diagram = mermaid()
    assert english == f"the {ordinal_word(period.ordinal)} period is not open for writing (report published)"
    assert french.startswith("la ") and french.endswith("période n’est pas ouverte à la rédaction (rapport publié)")
    assert name.endswith(f"reporting period ({period.start:%B %Y} – {period.end:%B %Y})")
    assert diagram == mermaid()  # the docs' diagram is English whatever the language
