"""GET /api/v1/labels/{kind}/{id}: a record's STANAG 4774 labels, read through the caller's
visibility (a record the caller may not read answers 404 exactly as a missing one), and the
helpers the object routes use to answer the label on request (?label=4774, Accept)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client, RequestFactory
from lxml import etree

from rapport.api.labelling import wants_label
from rapport.api.labels import MODELS
from rapport.api.tokens import create_token
from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution, JointText
from rapport.evidence.models import Meeting
from rapport.markings.labels import BINDING_NS, LABEL_NS
from rapport.partnerships.models import Organisation

pytestmark = pytest.mark.django_db
NS = {"slab": LABEL_NS, "mb": BINDING_NS}


def bearer(user):
    _, secret = create_token(user=user, name="labels")
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


@pytest.fixture
def secret_commitment(eu_nato, level):
    c = Commitment.objects.create(partnership=eu_nato, ref="MX-LBL-01", mandate=eu_nato.mandates.first(),
                                  area=eu_nato.areas.first(), title="MXLABELSECRET", text="MXLABELSECRET text",
                                  classification=level("NATO CONFIDENTIAL"), order=9999)
    c.releasable_to.set(Organisation.objects.filter(key="nato"))
    return c


def test_the_label_route_answers_xml_to_a_reader_and_404_as_missing_to_others(secret_commitment, make_user):
    nato, eu = make_user(org="nato", role="reader", clearance=3), make_user(org="eu", role="reader", clearance=5)
    response = bearer(nato).get(f"/api/v1/labels/commitments/{secret_commitment.pk}")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    assert root.findtext(".//slab:originatorConfidentialityLabel//slab:Classification", namespaces=NS) == \
        "NATO CONFIDENTIAL"
    assert root.findtext(".//slab:alternativeConfidentialityLabel//slab:Classification", namespaces=NS) == \
        "CONFIDENTIEL UE/EU CONFIDENTIAL"
    assert root.find(".//mb:DataReference", NS).get("URI") == f"/api/v1/commitments/{secret_commitment.pk}"
    denied = bearer(eu).get(f"/api/v1/labels/commitments/{secret_commitment.pk}")
    missing = bearer(eu).get(f"/api/v1/labels/commitments/{secret_commitment.pk + 900_000}")
    assert denied.status_code == missing.status_code == 404
    assert denied.content == missing.content and b"MXLABELSECRET" not in denied.content
    # The label names no title, and the reader's own answer is the same bytes each time.
    assert bearer(nato).get(f"/api/v1/labels/commitments/{secret_commitment.pk}").content == response.content


@pytest.fixture
def eu_draft(eu_nato, level):
    c = Contribution.objects.create(organisation=Organisation.objects.get(key="eu"),
                                    commitment=Commitment.objects.filter(classification__rank=0).first(),
                                    period=eu_nato.periods.order_by("-ordinal").first(), narrative="MXDRAFT text",
                                    classification=level(2, scheme="eu"))
    c.releasable_to.set(Organisation.objects.all())
    return c


def test_a_draft_stays_home_in_labels_too(eu_draft, make_user):
    """The object's own rule holds: the other organisation may not read a draft, even cleared and released to."""
    eu, nato = make_user(org="eu", role="reader", clearance=2), make_user(org="nato", role="reader", clearance=5)
    response = bearer(eu).get(f"/api/v1/labels/contributions/{eu_draft.pk}")
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    origin = root.find(".//slab:originatorConfidentialityLabel", NS)
    assert origin.findtext(".//slab:PolicyIdentifier", namespaces=NS) == "EU"
    assert origin.findtext(".//slab:Classification", namespaces=NS) == "RESTREINT UE/EU RESTRICTED"
    assert [v.text for v in origin.iterfind(".//slab:GenericValue", NS)] == ["EU", "NATO"]
    # The contribution's own time of change is the label's time.
    assert origin.findtext("slab:CreationDateTime", namespaces=NS) == \
        eu_draft.updated.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert bearer(nato).get(f"/api/v1/labels/contributions/{eu_draft.pk}").status_code == 404


def test_every_kind_the_api_serves_has_labels(eu_draft, level, make_user):
    # The default data has no contributions or joint texts: the EU draft, and a joint text.
    JointText.objects.create(commitment=eu_draft.commitment, period=eu_draft.period, text="MXJOINT",
                             classification=level(0, scheme="nato"))
    from rapport.api.labels import visible
    from rapport.reports.models import Report, ReportText

    # ... and no coordinators' report text: one on a published report.
    ReportText.objects.create(report=Report.objects.filter(state="published").first(), text="MXTEXT",
                              classification=level(0, scheme="nato"), state="approved")
    reader = make_user(org="eu", role="reader", clearance=5)  # reads the EU draft
    client = bearer(reader)
    for kind in MODELS:
        obj = visible(kind, reader).order_by("-classification__rank", "pk").first()
        assert obj is not None, kind
        response = client.get(f"/api/v1/labels/{kind}/{obj.pk}")
        assert response.status_code == 200, (kind, response.content[:200])
        etree.fromstring(response.content)
        # Each kind's own object route answers the same label when asked for it.
        assert client.get(f"/api/v1/{kind}/{obj.pk}?label=4774").content == response.content, kind


def test_an_unknown_kind_is_a_bad_request_and_signed_out_is_401(eu_nato, make_user):
    meeting = Meeting.objects.filter(classification__rank=0).first()
    assert bearer(make_user()).get(f"/api/v1/labels/secrets/{meeting.pk}").status_code == 400
    assert Client().get(f"/api/v1/labels/meetings/{meeting.pk}").status_code == 401


@pytest.mark.parametrize(("query", "accept", "expected"), [
    ({"label": "4774"}, "", True),
    ({}, "application/xml", True),
    ({}, "text/xml, application/json", True),
    ({}, "application/json, application/xml", False),
    ({}, "application/json;q=0.5, application/xml", True),
    ({}, "*/*", False),
    ({}, "", False),
    ({"label": "yes"}, "application/json", False),
])
def test_asking_for_the_label(query, accept, expected):
    request = RequestFactory().get("/api/v1/commitments/1", query, HTTP_ACCEPT=accept)
    assert wants_label(request) is expected


def test_the_schema_documents_the_xml_answer():
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/labels/{kind}/{id}"]["get"]
    assert "application/xml" in operation["responses"]["200"]["content"]
    kinds = next(p for p in operation["parameters"] if p["name"] == "kind")
    assert set(schema["components"]["schemas"]["LabelKind"]["enum"] if "$ref" in kinds["schema"]
               else kinds["schema"]["enum"]) == set(MODELS)


@pytest.mark.parametrize(("query", "headers"), [("?label=4774", {}), ("", {"HTTP_ACCEPT": "application/xml"})])
def test_the_object_routes_answer_the_label_when_asked(secret_commitment, eu_draft, make_user, query, headers):
    nato, eu = make_user(org="nato", role="reader", clearance=3), make_user(org="eu", role="reader", clearance=5)
    for kind, obj, reader, denied in (("commitments", secret_commitment, nato, eu),
                                      ("contributions", eu_draft, eu, nato)):
        client = bearer(reader)
        answer = client.get(f"/api/v1/{kind}/{obj.pk}{query}", **headers)
        assert answer.status_code == 200 and answer["Content-Type"].startswith("application/xml"), kind
        assert answer.content == client.get(f"/api/v1/labels/{kind}/{obj.pk}").content
        other = bearer(denied)
        refused = other.get(f"/api/v1/{kind}/{obj.pk}{query}", **headers)
        missing = other.get(f"/api/v1/{kind}/{obj.pk + 900_000}{query}", **headers)
        assert refused.status_code == missing.status_code == 404 and refused.content == missing.content
    # Without asking, the JSON as before.
    assert bearer(nato).get(f"/api/v1/commitments/{secret_commitment.pk}").json()["title"] == "MXLABELSECRET"


def test_the_schema_documents_the_label_beside_the_json():
    schema = Client().get("/api/v1/openapi.json").json()
    for path in (f"/api/v1/{kind}/{{id}}" for kind in MODELS):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]
        assert set(content) == {"application/json", "application/xml"}, path
