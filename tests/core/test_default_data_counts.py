"""The default EU–NATO data, as loaded: counts, wording, markings, periods,
partner countries and principles."""

import datetime
import re
from collections import Counter

import pytest
import yaml
from django.apps import apps

from rapport.commitments.models import Commitment
from rapport.core.registry import registry
from rapport.evidence.models import PartnerCountry
from rapport.markings.models import MarkedModel
from rapport.partnerships.models import Principle
from rapport.periods.models import ReportingPeriod
from rapport.reports.models import Report

# Rapport's own allocation of the 74 proposals to areas (commitments.yaml, allocation_note). The 2016
# set keeps to the seven Warsaw areas: political dialogue appears only in the 2017 set.
WARSAW_AREAS = {"hybrid", "operational_maritime", "cyber", "capabilities", "industry_research", "exercises",
                "capacity_building"}
ALLOCATION = {
    "set-2016": {"hybrid": 10, "operational_maritime": 6, "cyber": 5, "capabilities": 6,
                 "industry_research": 4, "exercises": 4, "capacity_building": 7},
    "set-2017": {"hybrid": 10, "counter_terrorism": 4, "wps": 2, "military_mobility": 5, "cyber": 3,
                 "capabilities": 1, "industry_research": 1, "exercises": 1, "capacity_building": 2,
                 "political_dialogue": 3},
}


def test_74_commitments_42_plus_32(eu_nato):
    assert Commitment.objects.filter(partnership=eu_nato).count() == 74
    assert Commitment.objects.filter(mandate__key="set-2016").count() == 42
    assert Commitment.objects.filter(mandate__key="set-2017").count() == 32
    assert eu_nato.mandates.get(key="set-2016").proposal_count == 42
    assert eu_nato.mandates.get(key="set-2017").proposal_count == 32


def test_ninth_period_is_june_2023_to_may_2024(eu_nato):
    ninth = ReportingPeriod.objects.get(partnership=eu_nato, ordinal=9)
    assert (ninth.start, ninth.end) == (datetime.date(2023, 6, 1), datetime.date(2024, 5, 31))


def test_eighth_period_is_june_2022_to_may_2023(eu_nato):
    eighth = ReportingPeriod.objects.get(partnership=eu_nato, ordinal=8)
    assert (eighth.start, eighth.end) == (datetime.date(2022, 6, 1), datetime.date(2023, 5, 31))


def test_commitments_per_area_per_set_match_the_allocation(eu_nato):
    found: dict[str, dict[str, int]] = {}
    for c in Commitment.objects.filter(partnership=eu_nato).select_related("mandate", "area"):
        found.setdefault(c.mandate.key, Counter())[c.area.key] += 1
    assert {k: dict(v) for k, v in found.items()} == ALLOCATION
    assert set(ALLOCATION["set-2016"]) == WARSAW_AREAS
    assert sum(ALLOCATION["set-2016"].values()) == 42
    assert sum(ALLOCATION["set-2017"].values()) == 32


def test_allocation_note_in_commitments_yaml_states_the_same_split():
    """The file's own note and the data must not drift apart."""
    raw = yaml.safe_load((registry["seed_datasets"]["eu_nato"] / "commitments.yaml").read_text(encoding="utf-8"))
    note = " ".join(raw["allocation_note"].split())
    for set_key, year in (("set-2016", "2016"), ("set-2017", "2017")):
        part = re.search(rf"{year} set \((\d+)\) = ([^;.]+)", note)
        assert part, f"the allocation note has no split for the {year} set"
        stated = {area: int(n) for area, n in re.findall(r"([a-z_]+) (\d+)", part.group(2))}
        assert int(part.group(1)) == sum(ALLOCATION[set_key].values())
        assert stated == ALLOCATION[set_key]


def test_wording_29_public_summaries_and_45_not_public(eu_nato):
    commitments = Commitment.objects.filter(partnership=eu_nato)
    assert commitments.filter(wording="public_summary").count() == 29
    assert commitments.filter(wording="not_public").count() == 45
    for c in commitments.filter(wording="not_public"):
        assert "not public" in c.text.lower(), f"{c.ref} is marked not_public but its text does not say so"
    for c in commitments.filter(wording="public_summary"):
        assert "wording of this proposal is not public" not in c.text, f"{c.ref} is a summary but reads as a placeholder"


def _marked_models():
    from django.db import connection

    tables = set(connection.introspection.table_names())
    return [m for m in apps.get_models() if issubclass(m, MarkedModel) and m._meta.db_table in tables]


def test_everything_loaded_is_public(eu_nato):
    total = 0
    for model in _marked_models():
        rows = model._base_manager.all()
        total += rows.count()
        not_public = rows.exclude(classification__rank=0)
        assert not not_public.exists(), f"{model._meta.label}: {not_public.count()} row(s) are not PUBLIC"
    # Guard against an empty database passing the loop above.
    assert total > 74


@pytest.mark.parametrize("model_label", ["commitments.Commitment", "partnerships.Area", "partnerships.Mandate",
                                         "reports.Report", "reports.Highlight", "evidence.Meeting",
                                         "evidence.PartnerCountry", "audit.AuditEvent"])
def test_each_content_table_has_public_rows(eu_nato, model_label):
    model = apps.get_model(model_label)
    assert model.objects.filter(classification__rank=0).exists()
    assert model.objects.count() == model.objects.filter(classification__rank=0).count()


def test_periods_one_to_ten_have_published_reports_and_the_cycle_stands_where_the_dates_put_it(eu_nato):
    published = list(
        Report.objects.filter(period__partnership=eu_nato, state="published")
        .order_by("period__ordinal").values_list("period__ordinal", flat=True)
    )
    assert published == list(range(1, 11))
    ninth = ReportingPeriod.objects.get(partnership=eu_nato, ordinal=9)
    assert ninth.report.presented_on == ninth.report_due == datetime.date(2024, 6, 13)
    assert ninth.report.council_actions.get().date == datetime.date(2024, 6, 13)
    states = dict(ReportingPeriod.objects.filter(partnership=eu_nato).values_list("ordinal", "state"))
    assert states == {**{n: "published" for n in range(1, 11)}, 11: "in_preparation", 12: "open"}
    assert ReportingPeriod.objects.get(partnership=eu_nato, ordinal=11).report.state == "draft"
    # The public (signed-out) reader sees exactly the ten published reports.
    assert Report.objects.visible_to(None).count() == 10


@pytest.mark.parametrize("name", ["Ukraine", "Moldova", "Georgia", "Bosnia and Herzegovina", "Tunisia",
                                  "Jordan", "Mauritania"])
def test_partner_countries_of_the_eighth_report_exist(eu_nato, name):
    assert PartnerCountry.objects.filter(partnership=eu_nato, name=name).exists()


def test_eighth_report_names_those_partner_countries(eu_nato):
    text = " ".join(ReportingPeriod.objects.get(partnership=eu_nato, ordinal=8).report.highlights
                    .values_list("text", flat=True))
    for name in ["Ukraine", "Moldova", "Georgia", "Bosnia and Herzegovina", "Tunisia", "Jordan", "Mauritania"]:
        assert name in text


def test_three_agreed_guiding_principles(eu_nato):
    assert eu_nato.principle_list() == [
        "Mutual openness and transparency",
        "Inclusiveness and reciprocity",
        "Decision-making autonomy of both organisations",
    ]
    assert Principle.objects.filter(partnership=eu_nato, agreed=False).count() == 2
