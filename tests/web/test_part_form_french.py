"""The report editor's part form in French: areas by their French names, in a group of their own,
and commitments by their title in the page's language, each option tagged where its name is English."""

from __future__ import annotations

import re

import pytest

from rapport.commitments.models import Commitment
from rapport.partnerships.models import Area

pytestmark = pytest.mark.django_db


def _form(client, user, url, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.content.decode()


def _options(page: str, name: str) -> list[str]:
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option[^>]*>[^<]*</option>", select)


def test_the_part_forms_name_areas_and_commitments_in_the_pages_language(client, eu_nato, make_user):
    coordinator = make_user(org="eu", role="coordinator", clearance=3)
    from rapport.reports.choices import ReportState
    from rapport.reports.models import Report

    report = (Report.objects.filter(period__partnership=eu_nato).exclude(state=ReportState.PUBLISHED)
              .select_related("period").order_by("-period__ordinal").first())
    assert report is not None
    ordinal = report.period.ordinal
    area = Area.objects.filter(partnership=eu_nato).exclude(translations={}).order_by("order").first()
    french_name = area.translations["fr"]["name"]
    page = _form(client, coordinator, f"/reports/{ordinal}/edit/", "fr")
    options = _options(page, "text-area")
    assert any(f">{french_name}</option>" in o and "lang=" not in o for o in options), options
    assert 'optgroup label="Domaines de coopération"' in page
    assert not any(f">{area.name}</option>" in o for o in options)  # not the English name
    english = _form(client, coordinator, f"/reports/{ordinal}/edit/", "en")
    assert any(f">{area.name}</option>" in o for o in _options(english, "text-area"))

    page = _form(client, coordinator, f"/reports/{ordinal}/edit/", "fr")
    commitment = Commitment.objects.filter(partnership=eu_nato).order_by("order", "ref").first()
    [option] = [o for o in _options(page, "highlight-commitments") if f"{commitment.ref} " in o]
    has_french = bool((commitment.translations or {}).get("fr", {}).get("title")) if hasattr(commitment, "translations") else False
    assert ('lang="en"' in option) is not has_french, option


def test_the_editors_previews_are_in_the_pages_language(client, eu_nato, make_user):
    from rapport.reports.choices import ReportState
    from rapport.reports.models import Report

    coordinator = make_user(org="eu", role="coordinator", clearance=3)
    report = (Report.objects.filter(period__partnership=eu_nato).exclude(state=ReportState.PUBLISHED)
              .select_related("period").order_by("-period__ordinal").first())
    ordinal = report.period.ordinal
    for language in ("fr", "en"):
        page = _form(client, coordinator, f"/reports/{ordinal}/edit/", language)
        links = re.findall(rf'href="(/reports/{ordinal}/preview/[^"]*)"', page)
        assert links and all(link.endswith(f"&amp;language={language}") for link in links), links
        preview = client.get(links[0].replace("&amp;", "&"))
        assert preview.status_code == 200 and f'<html lang="{language}' in preview.content.decode()[:500]
