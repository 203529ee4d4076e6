"""The contribution form's marking: only the writer's own scheme up to their clearance,
no silent PUBLIC, and the organisation's default level when it has one."""

import re

import pytest

from rapport.contributions.models import Contribution


def _new_url(commitment, period) -> str:
    return f"/commitments/{commitment.pk}/periods/{period.ordinal}/contribution/"


def _marking_options(html: str) -> list[tuple[str, bool]]:
    """(label, selected) of every option of the marking select."""
    select = re.search(r'<select name="classification".*?</select>', html, re.S).group(0)
    return [(label.strip(), "selected" in attrs)
            for attrs, label in re.findall(r"<option([^>]*)>([^<]*)</option>", select)]


def _set_default(org_key: str, level) -> None:
    from rapport.partnerships.models import Organisation

    Organisation.objects.filter(key=org_key).update(default_level=level)


@pytest.mark.django_db
@pytest.mark.parametrize("org,clearance,expected", [
    ("eu", 2, ["PUBLIC", "LIMITE", "RESTREINT UE/EU RESTRICTED"]),
    ("nato", 3, ["PUBLIC", "NATO UNCLASSIFIED", "NATO RESTRICTED", "NATO CONFIDENTIAL"]),
    ("nato", 0, ["PUBLIC"]),
])
def test_marking_choices_are_the_writers_own_scheme_up_to_clearance(make_user, signed_in, commitments, open_period,
                                                                      org, clearance, expected):
    client = signed_in(make_user(org=org, role="drafter", clearance=clearance))
    options = _marking_options(client.get(_new_url(commitments[0], open_period)).content.decode())
    assert [label for label, _ in options] == ["Choose a marking", *expected]


@pytest.mark.django_db
def test_without_a_default_the_form_starts_empty_and_refuses_to_save(make_user, signed_in, commitments, open_period,
                                                                     db_state):
    client = signed_in(make_user(org="eu", role="drafter", clearance=2))
    url = _new_url(commitments[0], open_period)
    assert [selected for _, selected in _marking_options(client.get(url).content.decode())][0] is True
    before = db_state()
    response = client.post(url, {"narrative": "Staffs met twice.", "releasable_to": []})
    assert response.status_code == 400
    assert response.context["form"].errors["classification"] == ["Choose a marking: nothing is saved without one."]
    assert 'id="id_classification_error"' in response.content.decode()
    assert db_state() == before
    assert not Contribution.objects.filter(commitment=commitments[0], period=open_period).exists()


@pytest.mark.django_db
def test_the_form_starts_at_the_organisations_default_level(make_user, signed_in, commitments, open_period, level):
    _set_default("eu", level(1, scheme="eu"))
    client = signed_in(make_user(org="eu", role="drafter", clearance=2))
    options = _marking_options(client.get(_new_url(commitments[0], open_period)).content.decode())
    assert [label for label, selected in options if selected] == ["LIMITE"]
    # The other organisation's default is not this writer's.
    nato = signed_in(make_user(org="nato", role="drafter", clearance=2))
    options = _marking_options(nato.get(_new_url(commitments[0], open_period)).content.decode())
    assert [label for label, selected in options if selected] == ["Choose a marking"]


@pytest.mark.django_db
def test_a_default_above_the_writers_clearance_is_not_offered(make_user, signed_in, commitments, open_period, level):
    _set_default("eu", level(3, scheme="eu"))
    client = signed_in(make_user(org="eu", role="drafter", clearance=2))
    options = _marking_options(client.get(_new_url(commitments[0], open_period)).content.decode())
    assert [label for label, selected in options if selected] == ["Choose a marking"]


@pytest.mark.django_db
def test_another_schemes_level_is_a_field_error(make_user, signed_in, commitments, open_period, level, db_state):
    from rapport.partnerships.models import Organisation

    client = signed_in(make_user(org="eu", role="drafter", clearance=2))
    before = db_state()
    response = client.post(_new_url(commitments[0], open_period), {
        "narrative": "Text.", "classification": level(2, scheme="nato").pk,
        "releasable_to": [o.pk for o in Organisation.objects.all()]})
    assert response.status_code == 400
    assert "classification" in response.context["form"].errors
    assert db_state() == before


@pytest.mark.django_db
def test_editing_shows_the_saved_marking(make_user, write, signed_in, commitments, level):
    author = make_user(org="eu", role="drafter", clearance=2)
    c = write(author, commitments[0], "Text.", marking="RESTREINT UE/EU RESTRICTED", to=["eu"])
    options = _marking_options(signed_in(author).get(f"/contributions/{c.pk}/edit/").content.decode())
    assert [label for label, selected in options if selected] == ["RESTREINT UE/EU RESTRICTED"]


@pytest.mark.django_db
def test_default_level_must_be_in_the_organisations_own_scheme(eu_nato, level):
    from django.core.exceptions import ValidationError

    from rapport.partnerships.models import Organisation

    eu = Organisation.objects.get(key="eu")
    eu.default_level = level(1, scheme="nato")
    with pytest.raises(ValidationError) as caught:
        eu.full_clean()
    assert "default_level" in caught.value.message_dict
    eu.default_level = level(1, scheme="eu")
    eu.full_clean()


def _partnership_file(**defaults):
    """The default data's partnership.yaml, with default levels set per organisation key."""
    import yaml

    from rapport.seed import schema
    from tests.conftest import DEFAULT_DATASET

    raw = yaml.safe_load((DEFAULT_DATASET / "partnership.yaml").read_text())
    for org in raw["organisations"]:
        if org["key"] in defaults:
            org["default_level"] = defaults[org["key"]]
    return schema.PartnershipFile.model_validate(raw)


def _write_partnership(eu_nato, data):
    from rapport.seed.upsert import Upserter
    from rapport.seed.writers import ContentWriter
    from tests.conftest import DEFAULT_DATASET

    upsert = Upserter()
    ContentWriter(eu_nato, upsert, DEFAULT_DATASET).write("partnership.yaml", data)
    return upsert


@pytest.mark.django_db
def test_default_level_is_read_from_the_dataset(eu_nato, db_state):
    from rapport.core.errors import InputError
    from rapport.partnerships.models import Organisation

    assert _partnership_file().organisations[0].default_level is None  # the default data sets none
    upsert = _write_partnership(eu_nato, _partnership_file(eu="LIMITE", nato="NR"))
    defaults = dict(Organisation.objects.values_list("key", "default_level__name"))
    assert defaults == {"eu": "LIMITE", "nato": "NATO RESTRICTED"}
    assert upsert.updated["partnerships.organisation"] == 2
    # Loading the same again changes nothing.
    assert not _write_partnership(eu_nato, _partnership_file(eu="LIMITE", nato="NR")).updated

    # A level of the other organisation's scheme is an input error naming the record and the field.
    before = db_state()
    with pytest.raises(InputError) as caught:
        _write_partnership(eu_nato, _partnership_file(eu="NATO RESTRICTED"))
    assert (caught.value.record, caught.value.field) == ("organisations[0] (key eu)", "default_level")
    assert "partnership.yaml" in str(caught.value.source)
    assert db_state() == before

    # A file without one leaves the level as it is: the organisation's administrators set it in the
    # console too, and loading the default data again must not undo their choice.
    _write_partnership(eu_nato, _partnership_file())
    assert dict(Organisation.objects.values_list("key", "default_level__name")) == {
        "eu": "LIMITE", "nato": "NATO RESTRICTED"}
