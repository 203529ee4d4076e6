import datetime

from rapport.commitments.models import Commitment
from rapport.contributions.models import ReportingPeriod


def test_74_commitments_42_plus_32(eu_nato):
    assert Commitment.objects.filter(partnership=eu_nato).count() == 74
    assert Commitment.objects.filter(mandate__key="set-2016").count() == 42
    assert Commitment.objects.filter(mandate__key="set-2017").count() == 32


def test_ninth_period_is_june_2023_to_may_2024(eu_nato):
    ninth = ReportingPeriod.objects.get(partnership=eu_nato, ordinal=9)
    assert (ninth.start, ninth.end) == (datetime.date(2023, 6, 1), datetime.date(2024, 5, 31))
