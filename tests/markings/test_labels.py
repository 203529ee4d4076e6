"""STANAG 4774 labels of marked records (rapport/markings/labels.py): the structure they are
built to, the originator label in the record's own scheme and an alternative at the equal rank
of each other scheme, releasability as a permissive category, the same bytes for the same
record, PUBLIC kept apart from the unclassified levels, and text always escaped."""

from __future__ import annotations

import datetime

import pytest
from lxml import etree

from rapport.api.labels import label_time
from rapport.commitments.models import Commitment
from rapport.markings.labels import (
    BINDING_NS,
    LABEL_NS,
    label_document,
    label_for,
    partnership_schemes,
)
from rapport.markings.models import ClassificationScheme
from rapport.partnerships.models import Organisation

pytestmark = pytest.mark.django_db
NS = {"slab": LABEL_NS, "mb": BINDING_NS}
WHEN = datetime.datetime(2026, 11, 26, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def _schemes():
    return list(ClassificationScheme.objects.prefetch_related("levels").order_by("key"))


def _labels(xml: bytes) -> dict[str, list]:
    root = etree.fromstring(xml)
    assert root.tag == f"{{{BINDING_NS}}}BindingInformation"
    binding = root.find("mb:MetadataBindingContainer/mb:MetadataBinding", NS)
    # Each label in its own Metadata element (the 4778 schema allows one child each), then the reference.
    assert [etree.QName(c).localname for c in binding] == ["Metadata"] * (len(binding) - 1) + ["DataReference"]
    found = {"originator": [], "alternative": []}
    for metadata in binding.iterfind("mb:Metadata", NS):
        (label,) = list(metadata)
        role = etree.QName(label).localname.removesuffix("ConfidentialityLabel")
        assert etree.QName(label).namespace == LABEL_NS
        info = label.find("slab:ConfidentialityInformation", NS)
        assert [etree.QName(c).localname for c in info][:2] == ["PolicyIdentifier", "Classification"]
        categories = [(c.get("Type"), c.get("TagName"), [v.text for v in c.iterfind("slab:GenericValue", NS)])
                      for c in info.iterfind("slab:Category", NS)]
        policy = info.find("slab:PolicyIdentifier", NS)
        found[role].append({"policy": policy.text, "uri": policy.get("URI"),
                            "classification": info.findtext("slab:Classification", namespaces=NS),
                            "categories": categories,
                            "created": label.findtext("slab:CreationDateTime", namespaces=NS)})
    return found


@pytest.mark.parametrize(("scheme", "rank", "originator", "alternative"), [
    ("nato", 2, ("NATO", "NATO RESTRICTED"), ("EU", "RESTREINT UE/EU RESTRICTED")),
    ("eu", 3, ("EU", "CONFIDENTIEL UE/EU CONFIDENTIAL"), ("NATO", "NATO CONFIDENTIAL")),
    ("nato", 5, ("NATO", "COSMIC TOP SECRET"), ("EU", "TRÈS SECRET UE/EU TOP SECRET")),
    ("eu", 1, ("EU", "LIMITE"), ("NATO", "NATO UNCLASSIFIED")),
])
def test_originator_in_the_own_scheme_and_alternatives_at_equal_rank(eu_nato, level, scheme, rank, originator,
                                                                     alternative):
    xml = label_document(level=level(rank, scheme=scheme), releasable_to=["NATO", "EU"], schemes=_schemes(),
                         created=WHEN, reference="/api/v1/commitments/7")
    labels = _labels(xml)
    (origin,) = labels["originator"]
    (other,) = labels["alternative"]
    assert (origin["policy"], origin["classification"]) == originator
    assert (other["policy"], other["classification"]) == alternative
    uris = {"nato": "urn:oid:1.3.26.1.3.1", "eu": "urn:oid:2.25.140679541311733130849945595693820909464"}
    assert origin["uri"] == uris[scheme] and other["uri"] == uris["nato" if scheme == "eu" else "eu"]
    for label in (origin, other):  # releasability: one permissive category, values sorted
        assert label["categories"] == [("PERMISSIVE", "Releasable To", ["EU", "NATO"])]
        assert label["created"] == "2026-11-26T09:30:15Z"
    assert b'<mb:DataReference URI="/api/v1/commitments/7"/>' in xml


def test_a_public_record_is_public_in_every_scheme_and_carries_no_release_category(eu_nato, level):
    labels = _labels(label_document(level=level(0, scheme="nato"), releasable_to=["EU"], schemes=_schemes(),
                                    created=WHEN, reference="x"))
    assert [(lb["policy"], lb["classification"], lb["categories"]) for lb in labels["originator"] +
            labels["alternative"]] == [("NATO", "PUBLIC", []), ("EU", "PUBLIC", [])]
    # NATO UNCLASSIFIED is a classification of its own, not PUBLIC.
    unclassified = _labels(label_document(level=level(1, scheme="nato"), releasable_to=["NATO"],
                                          schemes=_schemes(), created=WHEN, reference="x"))
    assert unclassified["originator"][0]["classification"] == "NATO UNCLASSIFIED"


def test_a_marking_released_to_nobody_says_so(eu_nato, level):
    labels = _labels(label_document(level=level(3, scheme="nato"), releasable_to=[], schemes=_schemes(),
                                    created=WHEN, reference="x"))
    assert labels["originator"][0]["categories"] == [("PERMISSIVE", "Releasable To", [])]


def test_a_scheme_without_the_rank_gets_no_alternative(eu_nato, level):
    nato = ClassificationScheme.objects.get(key="nato")
    top = nato.levels.create(rank=6, name="MX ABOVE TOP", abbreviation="MXT")
    labels = _labels(label_document(level=top, releasable_to=["NATO"], schemes=_schemes(), created=WHEN,
                                    reference="x"))
    assert len(labels["originator"]) == 1 and labels["alternative"] == []


def test_the_same_record_gives_the_same_bytes(eu_nato, make_user):
    reader = make_user(org="nato", clearance=5)
    commitment = Commitment.objects.visible_to(reader).order_by("pk").first()
    first = label_for(commitment, created=label_time(commitment, reader))
    assert label_for(Commitment.objects.get(pk=commitment.pk), created=label_time(commitment, reader)) == first
    # A commitment keeps no time of its own: its label's time is its latest audit entry's.
    from rapport.audit.models import AuditEvent

    latest = AuditEvent.objects.for_object(commitment).visible_to(reader).order_by("-at").first().at
    assert _labels(first)["originator"][0]["created"] == latest.astimezone(datetime.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def test_the_partnership_schemes_are_those_of_its_organisations(eu_nato):
    commitment = Commitment.objects.filter(partnership=eu_nato).first()
    assert [s.key for s in partnership_schemes(commitment)] == ["eu", "nato"]


def test_text_is_always_escaped(eu_nato, level):
    nato = ClassificationScheme.objects.get(key="nato")
    nato.policy_name = 'NATO <b>&"x"</b>'
    odd = nato.levels.create(rank=7, name="MX <SECRET> & 'co'", abbreviation="MX&")
    xml = label_document(level=odd, releasable_to=["<script>alert(1)</script>", "A&B"], schemes=[nato],
                         created=WHEN, reference='/x?a=1&b="2"')
    assert b"<script>" not in xml and b"<b>" not in xml and b"<SECRET>" not in xml
    labels = _labels(xml)
    origin = labels["originator"][0]
    assert origin["policy"] == 'NATO <b>&"x"</b>' and origin["classification"] == "MX <SECRET> & 'co'"
    assert origin["categories"][0][2] == ["<script>alert(1)</script>", "A&B"]
    assert etree.fromstring(xml).find(".//mb:DataReference", NS).get("URI") == '/x?a=1&b="2"'


def test_a_naive_time_is_refused(eu_nato, level):
    with pytest.raises(ValueError):
        label_document(level=level(0), releasable_to=[], schemes=_schemes(),
                       created=datetime.datetime(2026, 1, 1), reference="x")


def test_organisations_are_named_by_their_short_names(eu_nato, level):
    commitment = Commitment.objects.filter(partnership=eu_nato, classification__rank=0).first()
    commitment.classification = level(2, scheme="eu")
    commitment.save()
    commitment.releasable_to.set(Organisation.objects.filter(key__in=["eu", "nato"]))
    labels = _labels(label_for(commitment))
    assert labels["originator"][0]["categories"][0][2] == sorted(
        Organisation.objects.filter(key__in=["eu", "nato"]).values_list("short_name", flat=True))
