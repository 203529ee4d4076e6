"""rapport schemes: each scheme as an XML SPIF (markings/spif.py) lists every level in rank
order with its marking texts; importing the export changes nothing, a changed file changes
what it says through audited writes, and a bad file changes nothing and names the element."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from rapport.audit.models import AuditEvent
from rapport.markings.models import ClassificationLevel, ClassificationScheme, LevelMarking
from rapport.markings.spif import SPIF_NS, XML_LANG
from rapport.seed.schemes import export_all

pytestmark = pytest.mark.django_db
NS = {"spif": SPIF_NS}
WHEN = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)
LEVELS = {
    "eu": [("PUBLIC", "PUBLIC"), ("LIMITE", "LIMITE"), ("RESTREINT UE/EU RESTRICTED", "R-UE"),
           ("CONFIDENTIEL UE/EU CONFIDENTIAL", "C-UE"), ("SECRET UE/EU SECRET", "S-UE"),
           ("TRÈS SECRET UE/EU TOP SECRET", "TS-UE")],
    "nato": [("PUBLIC", "PUBLIC"), ("NATO UNCLASSIFIED", "NU"), ("NATO RESTRICTED", "NR"),
             ("NATO CONFIDENTIAL", "NC"), ("NATO SECRET", "NS"), ("COSMIC TOP SECRET", "CTS")],
}


def _export(tmp_path) -> dict[str, bytes]:
    call_command("schemes", "export", "--output", f"{tmp_path}/", stdout=io.StringIO())
    return {p.name.split(".")[0]: p.read_bytes() for p in sorted(tmp_path.glob("*.spif.xml"))}


def _state():
    return (list(ClassificationScheme.objects.order_by("key").values_list("key", "name", "policy_name", "policy_id")),
            list(ClassificationLevel.objects.order_by("scheme__key", "rank")
                 .values_list("scheme__key", "rank", "name", "abbreviation")),
            list(LevelMarking.objects.order_by("level__scheme__key", "level__rank", "language")
                 .values_list("level__scheme__key", "level__rank", "language", "banner", "portion")),
            AuditEvent.objects.count())


def _undated(spif: bytes) -> bytes:
    return spif.split(b"creationDate=")[0] + spif.split(b"originatorDN=")[1]


def _import(tmp_path, content: bytes, *args) -> str:
    path = tmp_path / "in.xml"
    path.write_bytes(content)
    out = io.StringIO()
    call_command("schemes", "import", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("key", ["eu", "nato"])
def test_the_export_lists_every_level_in_rank_order_with_its_marking_texts(eu_nato, tmp_path, key):
    root = etree.fromstring(_export(tmp_path)[key])
    assert root.tag == f"{{{SPIF_NS}}}SPIF" and root.get("schemaVersion") == "2.1"
    policy = root.find("spif:securityPolicyId", NS)
    assert (policy.get("name"), policy.get("id")) == {
        "eu": ("EU", "2.25.140679541311733130849945595693820909464"), "nato": ("NATO", "1.3.26.1.3.1")}[key]
    found = []
    for element in root.iterfind("spif:securityClassifications/spif:securityClassification", NS):
        texts = {d.findtext("spif:code", namespaces=NS): d.get("phrase") for d in element.iterfind("spif:markingData", NS)
                 if d.get(XML_LANG) is None}
        assert element.get("lacv") == element.get("hierarchy")
        found.append((int(element.get("hierarchy")), element.get("name"), texts["pageTopBottom"],
                      texts["portionMarking"]))
    assert found == [(rank, name, name, portion) for rank, (name, portion) in enumerate(LEVELS[key])]
    # Each level names its equivalent in the other scheme, which is an equivalent policy.
    other = "NATO" if key == "eu" else "EU"
    assert {e.get("policyRef") for e in root.iterfind(".//spif:equivalentClassification", NS)} == {other}
    assert [p.get("name") for p in root.iterfind("spif:equivalentPolicies/spif:equivalentPolicy", NS)] == [other]
    tag = root.find("spif:securityCategoryTagSets/spif:securityCategoryTagSet/spif:securityCategoryTag", NS)
    assert (tag.getparent().get("name"), tag.get("tagType"), tag.get("enumType")) == (
        "Releasable To", "enumerated", "permissive")
    assert [c.get("name") for c in tag.iterfind("spif:tagCategory", NS)] == ["EU", "NATO"]


def test_one_scheme_goes_to_standard_output_and_several_need_a_folder(eu_nato, tmp_path):
    out = io.StringIO()
    call_command("schemes", "export", "--scheme", "nato", stdout=out)
    assert etree.fromstring(out.getvalue().encode()).find("spif:securityPolicyId", NS).get("name") == "NATO"
    with pytest.raises(CommandError, match="--scheme"):
        call_command("schemes", "export", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No scheme 'mx'"):
        call_command("schemes", "export", "--scheme", "mx", stdout=io.StringIO())
    call_command("schemes", "export", "--scheme", "eu", "--output", str(tmp_path / "eu.xml"), stdout=io.StringIO())
    assert b'name="EU"' in (tmp_path / "eu.xml").read_bytes()


def test_importing_the_export_changes_nothing(eu_nato, tmp_path):
    files = _export(tmp_path)
    before = _state()
    for content in files.values():
        assert "nothing changed" in _import(tmp_path, content)
    assert _state() == before


def test_an_import_changes_what_the_file_says_through_audited_writes(eu_nato, tmp_path):
    content = _export(tmp_path)["nato"]
    content = content.replace(b'"NATO SECRET"', b'"NATO SECRET &amp; MX"')  # its name and banner text
    content = content.replace(b'id="1.3.26.1.3.1"', b'id="1.3.26.1.3.99"')
    entries = AuditEvent.objects.count()
    out = _import(tmp_path, content)
    assert "updated scheme nato, level 4 (NATO SECRET & MX)" in out
    assert ClassificationLevel.objects.get(scheme__key="nato", rank=4).name == "NATO SECRET & MX"
    assert ClassificationScheme.objects.get(key="nato").policy_id == "1.3.26.1.3.99"
    # The scheme, the level, and the level's French banner (NATO SECRET in both languages).
    assert "level 4 (NATO SECRET & MX) in fr" in out
    assert AuditEvent.objects.count() == entries + 3
    assert set(AuditEvent.objects.order_by("-seq")[:3].values_list("actor_name", "verb")) == {
        ("rapport schemes import", "record.updated")}
    # The round trip: the file exported now is the file imported (bar its date).
    again = export_all([ClassificationScheme.objects.prefetch_related("levels__markings").get(key="nato")], WHEN)["nato"]
    assert _undated(again) == _undated(content)


def test_two_levels_may_swap_names(eu_nato, tmp_path):
    content = _export(tmp_path)["nato"]
    content = (content.replace(b'"NATO SECRET"', b'"MXSWAP"').replace(b'"NATO CONFIDENTIAL"', b'"NATO SECRET"')
               .replace(b'"MXSWAP"', b'"NATO CONFIDENTIAL"'))
    _import(tmp_path, content)
    assert ClassificationLevel.objects.get(scheme__key="nato", rank=3).name == "NATO SECRET"
    assert ClassificationLevel.objects.get(scheme__key="nato", rank=4).name == "NATO CONFIDENTIAL"


def test_a_new_scheme_can_be_imported(eu_nato, tmp_path):
    content = _export(tmp_path)["nato"].replace(b'key="nato"', b'key="mx-new"').replace(
        b'name="NATO classification"', b'name="MX policy"')
    assert "created scheme mx-new" in _import(tmp_path, content)
    scheme = ClassificationScheme.objects.get(key="mx-new")
    assert scheme.name == "MX policy" and scheme.levels.count() == 6


BAD = [
    (lambda c: b"not xml at all", "not well-formed XML"),
    (lambda c: b'<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>', "DOCTYPE"),
    (lambda c: c.replace(b"http://www.xmlspif.org/spif", b"urn:other"), "root element must be SPIF"),
    (lambda c: c.replace(b'schemaVersion="2.1"', b'schemaVersion="9"'), "schemaVersion"),
    (lambda c: c.replace(b'id="1.3.26.1.3.1"', b'id="not-an-oid"'), "SPIF/securityPolicyId"),
    (lambda c: c.replace(b'hierarchy="3"', b'hierarchy="2"'),
     "securityClassification[4] (line 44): the hierarchy 2 is also that of 'NATO RESTRICTED'"),
    (lambda c: c.replace(b'hierarchy="4"', b'hierarchy="four"'), "hierarchy must be a whole number"),
    (lambda c: c.replace(b'name="NATO SECRET"', b'name=""'), "securityClassification[5]"),
    (lambda c: c.replace(b'name="PUBLIC" lacv="0"', b'name="NATO OPEN" lacv="0"'), "hierarchy 0 is PUBLIC"),
    (lambda c: c.replace(b'phrase="CTS"', b'phrase="' + b"X" * 21 + b'"'), "longer than 20"),
    (lambda c: c.replace(b'hierarchy="5"', b'hierarchy="50"'), "above 20"),
    (lambda c: c.replace(b'key="nato"', b'key="no good"'), "SPIF/extensions/scheme (line 110): the attribute key"),
    # Levels are never removed: records carry them.
    (lambda c: c.split(b'    <spif:securityClassification name="COSMIC')[0] + b"  </spif:securityClassifications>"
     + c.split(b"</spif:securityClassifications>")[1], "leaves out the level(s) of rank 5 (COSMIC TOP SECRET)"),
]


@pytest.mark.parametrize(("spoil", "message"), BAD)
def test_a_bad_file_changes_nothing_and_says_where(eu_nato, tmp_path, spoil, message):
    content = spoil(_export(tmp_path)["nato"])
    before = _state()
    with pytest.raises(CommandError) as failure:
        _import(tmp_path, content)
    assert str(failure.value).startswith("Nothing was changed: ") and message in str(failure.value)
    assert _state() == before


def test_a_file_that_fails_midway_changes_nothing(eu_nato, tmp_path):
    """A valid rename before an invalid level: the whole import is rolled back."""
    content = _export(tmp_path)["nato"].replace(b'name="NATO RESTRICTED"', b'name="MX RENAMED"')
    content = content.replace(b'phrase="NS"', b'phrase="' + b"X" * 21 + b'"')
    before = _state()
    with pytest.raises(CommandError):
        _import(tmp_path, content)
    assert _state() == before


def test_an_unreadable_file_is_a_clear_error(eu_nato, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("schemes", "import", str(tmp_path / "missing.xml"), stdout=io.StringIO())


def test_the_list_prints_the_schemes(eu_nato):
    out = io.StringIO()
    call_command("schemes", "list", stdout=out)
    assert "NATO (1.3.26.1.3.1)" in out.getvalue() and "PUBLIC < LIMITE < RESTREINT UE/EU RESTRICTED" in out.getvalue()


def test_text_in_a_spif_is_always_escaped_and_reads_back(eu_nato, tmp_path):
    scheme = ClassificationScheme.objects.create(key="mx-odd", name='MX <b>"odd"</b> & co', policy_name="MX <P>")
    scheme.levels.create(rank=0, name="PUBLIC", abbreviation="PUBLIC")
    scheme.levels.create(rank=1, name="MX <SECRET> & 'co'", abbreviation="<M&>")
    content = export_all([ClassificationScheme.objects.prefetch_related("levels").get(key="mx-odd")], WHEN)["mx-odd"]
    assert b"<SECRET>" not in content and b"<b>" not in content and b"<P>" not in content
    root = etree.fromstring(content)
    level = root.findall("spif:securityClassifications/spif:securityClassification", NS)[1]
    assert level.get("name") == "MX <SECRET> & 'co'"
    # A scheme no organisation marks in still lists the organisations one may release to.
    assert [c.get("name") for c in root.iterfind(".//spif:tagCategory", NS)] == ["EU", "NATO"]
    before = _state()
    assert "nothing changed" in _import(tmp_path, content)
    assert _state() == before


def test_an_unwritable_output_is_a_clear_error(eu_nato, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("schemes", "export", "--scheme", "eu", "--output", str(tmp_path / "no" / "such" / "eu.xml"),
                     stdout=io.StringIO())


# Marking texts per language ----------------------------------------------------------------

FRENCH = {
    "eu": ["LIMITE", "RESTREINT UE/EU RESTRICTED", "CONFIDENTIEL UE/EU CONFIDENTIAL", "SECRET UE/EU SECRET",
           "TRÈS SECRET UE/EU TOP SECRET"],
    "nato": ["NATO SANS CLASSIFICATION", "NATO DIFFUSION RESTREINTE", "NATO CONFIDENTIEL", "NATO SECRET",
             "COSMIC TRÈS SECRET"],
}


def _in_language(element, language):
    return {d.findtext("spif:code", namespaces=NS): d.get("phrase") for d in element.iterfind("spif:markingData", NS)
            if d.get(XML_LANG) == language}


@pytest.mark.parametrize("key", ["eu", "nato"])
def test_the_export_gives_each_level_its_french_texts_with_xml_lang(eu_nato, tmp_path, key):
    root = etree.fromstring(_export(tmp_path)[key])
    levels = root.findall("spif:securityClassifications/spif:securityClassification", NS)
    assert _in_language(levels[0], "fr") == {}  # PUBLIC is Rapport's own: its name stands in every language
    found = [_in_language(level, "fr") for level in levels[1:]]
    assert [f["pageTopBottom"] for f in found] == FRENCH[key]
    # NATO gives no French portion marks: its abbreviations stand.
    assert [f["portionMarking"] for f in found] == [portion for _, portion in LEVELS[key][1:]]


def test_a_french_form_changed_in_the_file_is_imported_audited_and_exported_again(eu_nato, tmp_path):
    content = _export(tmp_path)["nato"].replace(b'"NATO DIFFUSION RESTREINTE"', b'"NATO DIFFUSION MX"')
    entries = AuditEvent.objects.count()
    assert "updated level 2 (NATO RESTRICTED) in fr" in _import(tmp_path, content)
    assert LevelMarking.objects.get(level__scheme__key="nato", level__rank=2, language="fr").banner == "NATO DIFFUSION MX"
    assert ClassificationLevel.objects.get(scheme__key="nato", rank=2).name == "NATO RESTRICTED"
    assert AuditEvent.objects.count() == entries + 1
    again = export_all([ClassificationScheme.objects.prefetch_related("levels__markings").get(key="nato")], WHEN)
    assert _undated(again["nato"]) == _undated(content)


def test_a_new_scheme_keeps_its_french_texts(eu_nato, tmp_path):
    content = _export(tmp_path)["nato"].replace(b'key="nato"', b'key="mx-fr"')
    _import(tmp_path, content)
    level = ClassificationLevel.objects.get(scheme__key="mx-fr", rank=3)
    assert (level.banner("fr"), level.portion("fr"), level.banner("en"), level.portion("en")) == (
        "NATO CONFIDENTIEL", "NC", "NATO CONFIDENTIAL", "NC")


def test_a_file_without_languages_keeps_the_french_texts(eu_nato, tmp_path):
    content = _export(tmp_path)["nato"]
    root = etree.fromstring(content)
    for data in root.iterfind(".//spif:markingData", NS):
        if data.get(XML_LANG):
            data.getparent().remove(data)
    before = _state()
    assert "nothing changed" in _import(tmp_path, etree.tostring(root))
    assert _state() == before


@pytest.mark.parametrize(("lang", "phrase", "message"), [
    ("french", "NATO MX", "the xml:lang 'french' is not a language code"),
    ("fr", "X" * 21, "the fr portion marking 'XXXXXXXXXXXXXXXXXXXXX' is longer than 20"),
])
def test_a_bad_french_text_changes_nothing_and_says_where(eu_nato, tmp_path, lang, phrase, message):
    root = etree.fromstring(_export(tmp_path)["nato"])
    level = root.findall("spif:securityClassifications/spif:securityClassification", NS)[2]
    portion = next(d for d in level.iterfind("spif:markingData", NS)
                   if d.get(XML_LANG) and d.findtext("spif:code", namespaces=NS) == "portionMarking")
    portion.set(XML_LANG, lang)
    portion.set("phrase", phrase)
    before = _state()
    with pytest.raises(CommandError) as failure:
        _import(tmp_path, etree.tostring(root))
    assert "securityClassification[3]" in str(failure.value) and message in str(failure.value)
    assert _state() == before
