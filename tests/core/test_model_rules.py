"""Rules the models enforce: membership on a date, one contribution per
organisation × commitment × period, markings required, scheme values checked."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.test.utils import isolate_apps

from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution, JointText
from rapport.evidence import models as em
from rapport.markings import checks
from rapport.markings.models import ClassificationLevel, ClassificationScheme, MarkedModel
from rapport.partnerships.models import (
    Area,
    AssessmentScheme,
    AssessmentValue,
    Mandate,
    Membership,
    MemberState,
    Organisation,
    Partnership,
)
from rapport.periods.models import ReportingPeriod
from rapport.reports.models import CouncilAction, Highlight, Outlook, Report, ReportText

D = datetime.date


def members(org: str, on: datetime.date) -> int:
    return Membership.objects.current(on).filter(organisation__key=org).count()


def is_member(code: str, org: str, on: datetime.date) -> bool:
    return Membership.objects.current(on).filter(state__code=code, organisation__key=org).exists()


# Membership on a date -------------------------------------------------------------


@pytest.mark.parametrize(("org", "on", "count"), [
    ("nato", D(2022, 12, 31), 30),
    ("nato", D(2023, 5, 1), 31),
    ("nato", D(2024, 4, 1), 32),
    ("eu", D(2019, 4, 1), 28),
    ("eu", D(2020, 2, 1), 27),
])
def test_member_counts_on_a_date(eu_nato, org, on, count):
    assert members(org, on) == count


def test_finland_joined_nato_on_4_april_2023(eu_nato):
    assert not is_member("FI", "nato", D(2023, 4, 3))
    assert is_member("FI", "nato", D(2023, 4, 4))


def test_sweden_joined_nato_on_7_march_2024(eu_nato):
    assert not is_member("SE", "nato", D(2024, 3, 6))
    assert is_member("SE", "nato", D(2024, 3, 7))


def test_united_kingdom_left_the_eu_on_31_january_2020(eu_nato):
    assert is_member("GB", "eu", D(2020, 1, 30))
    assert not is_member("GB", "eu", D(2020, 2, 1))
    assert Membership.objects.get(state__code="GB", organisation__key="eu").left == D(2020, 1, 31)
    # ... and stayed in NATO throughout.
    assert is_member("GB", "nato", D(2020, 2, 1))


def test_current_without_a_date_means_today(eu_nato):
    assert Membership.objects.current().filter(organisation__key="nato").count() == members("nato", datetime.date.today())


def test_a_state_in_both_organisations_on_a_date(eu_nato, make_user):
    finland = MemberState.objects.get(code="FI")
    assert {o.key for o in finland.organisations_on(D(2023, 1, 1))} == {"eu"}
    assert {o.key for o in finland.organisations_on(D(2023, 5, 1))} == {"eu", "nato"}
    # A delegation reads for every organisation its state belongs to on that date.
    delegate = make_user(org=None, delegation="FI")
    eu, nato = Organisation.objects.get(key="eu").pk, Organisation.objects.get(key="nato").pk
    assert delegate.reading_organisations(D(2023, 1, 1)) == [eu]
    assert sorted(delegate.reading_organisations(D(2023, 5, 1))) == sorted([eu, nato])


def test_membership_must_end_after_it_starts(eu_nato):
    spell = Membership(state=MemberState.objects.get(code="FI"), organisation=Organisation.objects.get(key="eu"),
                       joined=D(2030, 1, 1), left=D(2029, 1, 1))
    with pytest.raises(ValidationError) as exc:
        spell.full_clean()
    assert "left" in exc.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        spell.save()


# One contribution per organisation × commitment × period ---------------------------------


@pytest.fixture
def public(eu_nato):
    return ClassificationLevel.objects.get(scheme__key="eu", rank=0)


def _contribution(org="eu", ref="2016-HYB-01", ordinal=9, public=None, **extra):
    return Contribution(
        organisation=Organisation.objects.get(key=org),
        commitment=Commitment.objects.get(ref=ref),
        period=ReportingPeriod.objects.get(ordinal=ordinal),
        narrative="Work went on.",
        classification=public,
        **extra,
    )


def test_second_contribution_for_the_same_triple_violates_the_db_constraint(public):
    _contribution(public=public).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _contribution(public=public).save()
    # Another period, or the other organisation, is a different contribution.
    _contribution(public=public, ordinal=8).save()
    _contribution(public=public, org="nato").save()
    assert Contribution.objects.filter(commitment__ref="2016-HYB-01").count() == 3


def test_full_clean_reports_the_duplicate_contribution(public):
    _contribution(public=public).save()
    duplicate = _contribution(public=public)
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean(validate_constraints=True)
    assert "__all__" in exc.value.error_dict
    assert "already exists" in " ".join(exc.value.messages)
    # The same contribution for another period passes.
    _contribution(public=public, ordinal=8).full_clean(validate_constraints=True)


# Markings are required -----------------------------------------------------------------

CONTENT_MODELS = [Mandate, Area, Commitment, Contribution, JointText, em.CoordinationFormat, em.Meeting,
                  em.Exercise, em.PartnerCountry, em.PartnerActivity, Report, Highlight, Outlook, CouncilAction, ReportText,
                  apps.get_model("audit", "AuditEvent")]


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m._meta.label)
def test_every_content_model_inherits_marked_model(model):
    assert issubclass(model, MarkedModel)
    classification = model._meta.get_field("classification")
    assert not classification.null, "a content row must not exist without a marking"


def test_content_row_without_classification_fails(eu_nato):
    commitment = Commitment(partnership=eu_nato, ref="TEST-NO-MARKING", mandate=Mandate.objects.get(key="set-2016"),
                            area=Area.objects.get(key="cyber"), title="Unmarked", text="No marking here.")
    with pytest.raises(ValidationError) as exc:
        commitment.full_clean()
    assert "classification" in exc.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        commitment.save()
    assert not Commitment.objects.filter(ref="TEST-NO-MARKING").exists()


def test_system_check_passes_on_the_real_models():
    assert checks.content_models_are_marked(None) == []


def test_system_check_flags_a_text_model_without_marking(monkeypatch):
    with isolate_apps("rapport.core"):
        class UnmarkedNote(models.Model):  # noqa: DJ008
            body = models.TextField()

            class Meta:
                app_label = "core"

        UnmarkedNote.__module__ = "rapport.core.fake"

        class MarkedNote(MarkedModel):
            body = models.TextField()

            class Meta:
                app_label = "core"

        MarkedNote.__module__ = "rapport.core.fake"

        class TitleOnly(models.Model):  # noqa: DJ008
            title = models.CharField(max_length=10)

            class Meta:
                app_label = "core"

        TitleOnly.__module__ = "rapport.core.fake"

        real = apps.get_models()
        monkeypatch.setattr(checks.apps, "get_models", lambda: [*real, UnmarkedNote, MarkedNote, TitleOnly])
        errors = checks.content_models_are_marked(None)
    assert [e.id for e in errors] == ["rapport.E001"]
    assert errors[0].obj is UnmarkedNote
    assert "core.unmarkednote" in errors[0].msg


def test_system_check_flags_an_exempt_model_once_its_exemption_is_removed(monkeypatch):
    exemptions = dict(checks.UNMARKED_WITH_TEXT)
    exemptions.pop("partnerships.assessmentscheme")
    monkeypatch.setattr(checks, "UNMARKED_WITH_TEXT", exemptions)
    errors = checks.content_models_are_marked(None)
    assert [(e.id, e.obj) for e in errors] == [("rapport.E001", AssessmentScheme)]


# Scheme values and partnership boundaries are validated ------------------------------------


def test_assessment_from_another_scheme_is_refused(public):
    compliance = AssessmentValue.objects.get(scheme__key="compliance", key="beyond")
    contribution = _contribution(public=public, assessment=compliance)
    with pytest.raises(ValidationError) as exc:
        contribution.full_clean(validate_constraints=True)
    assert set(exc.value.error_dict) == {"assessment"}
    assert "Completion" in exc.value.error_dict["assessment"][0].messages[0]


def test_assessment_from_the_partnership_scheme_is_accepted(public):
    completion = AssessmentValue.objects.get(scheme__key="completion", key="substantial")
    _contribution(public=public, assessment=completion).full_clean(validate_constraints=True)


@pytest.fixture
def other_partnership(eu_nato):
    scheme = AssessmentScheme.objects.create(key="other-scale", name="Other", kind="score")
    other = Partnership.objects.create(key="other", name="Another partnership", assessment_scheme=scheme)
    ou = Organisation.objects.create(key="ou", name="Other Union", short_name="OU", council="OU Council",
                                     scheme=ClassificationScheme.objects.get(key="eu"))
    other.organisations.set([ou])
    return other


def test_period_of_another_partnership_is_refused(public, other_partnership):
    foreign = ReportingPeriod.objects.create(partnership=other_partnership, ordinal=1,
                                             start=D(2023, 6, 1), end=D(2024, 5, 31))
    contribution = _contribution(public=public)
    contribution.period = foreign
    with pytest.raises(ValidationError) as exc:
        contribution.full_clean()
    assert set(exc.value.error_dict) == {"period"}


def test_organisation_outside_the_partnership_is_refused(public, other_partnership):
    contribution = _contribution(public=public)
    contribution.organisation = Organisation.objects.get(key="ou")
    with pytest.raises(ValidationError) as exc:
        contribution.full_clean()
    assert set(exc.value.error_dict) == {"organisation"}


def test_commitment_area_of_another_partnership_is_refused(public, other_partnership):
    mandate = Mandate.objects.create(partnership=other_partnership, key="m", kind="joint_declaration",
                                     title="M", date=D(2020, 1, 1), classification=public)
    area = Area.objects.create(partnership=other_partnership, key="a", code="A", name="A", introduced_by=mandate,
                               classification=public)
    commitment = Commitment.objects.get(ref="2016-CYB-01")
    commitment.area = area
    with pytest.raises(ValidationError) as exc:
        commitment.full_clean()
    assert set(exc.value.error_dict) == {"area"}


def test_period_must_end_on_or_after_its_start(eu_nato):
    period = ReportingPeriod(partnership=eu_nato, ordinal=99, start=D(2030, 6, 1), end=D(2030, 5, 31))
    with pytest.raises(ValidationError) as exc:
        period.full_clean()
    assert "end" in exc.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        period.save()
