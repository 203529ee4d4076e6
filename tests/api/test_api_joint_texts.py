"""Joint texts and comment threads through the API: the same services as the pages (each
organisation approves for itself; an edit clears the approvals), ETag / If-Match, every step
audited under the token, comments marked at least as high as their subject and read through
the subject's visibility."""

from __future__ import annotations

import pytest

from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment
from rapport.contributions.models import JointText
from rapport.discussions.models import Comment

from .clients import token_client

pytestmark = pytest.mark.django_db

JSON = "application/json"



@pytest.fixture
def period(eu_nato):
    from rapport.periods.models import ReportingPeriod

    found = ReportingPeriod.objects.filter(partnership=eu_nato, state="open").first()
    ReportingPeriod.objects.filter(pk=found.pk).update(contributions_due=None, joint_texts_due=None)
    found.refresh_from_db()
    return found


@pytest.fixture
def people(make_user):
    return {"eu": make_user(org="eu", role="drafter", clearance=3),
            "eu-approver": make_user(org="eu", role="approver", clearance=3),
            "nato-approver": make_user(org="nato", role="approver", clearance=3),
            "nato-reader": make_user(org="nato", role="reader", clearance=3)}


@pytest.fixture
def commitment(eu_nato):
    return Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("order").first()


def test_a_joint_text_written_edited_and_approved_by_both_organisations(people, commitment, period):
    writer = token_client(people["eu"])
    made = writer.post("/api/v1/joint-texts", {"commitment": commitment.pk, "period": period.ordinal,
                                               "text": "Both staffs met twice.", "classification": "PUBLIC"},
                       content_type=JSON)
    assert made.status_code == 201, made.content
    jt = made.json()
    assert (jt["state"], jt["version"], jt["commitment"]) == ("draft", 1, commitment.pk)
    url = f"/api/v1/joint-texts/{jt['id']}"
    assert made["ETag"] == writer.get(url)["ETag"] == '"v1-draft"'
    assert writer.patch(url, {"text": "Both staffs met three times."}, content_type=JSON).status_code == 428
    assert writer.patch(url, {"text": "x"}, content_type=JSON, HTTP_IF_MATCH='"v9-draft"').status_code == 412
    edited = writer.patch(url, {"text": "Both staffs met three times."}, content_type=JSON, HTTP_IF_MATCH='"v1-draft"')
    assert edited.status_code == 200 and edited.json()["version"] == 2
    eu, nato = token_client(people["eu-approver"]), token_client(people["nato-approver"])
    first = eu.post(f"{url}/approve", {}, content_type=JSON)
    assert first.status_code == 200 and first.json()["state"] == "in_approval"
    second = nato.post(f"{url}/approve", {"message": "Agreed."}, content_type=JSON)
    assert second.status_code == 200 and second.json()["state"] == "approved"
    # An approved text is frozen; returned by one organisation (saying why), it is a draft for all again.
    frozen = writer.patch(url, {"text": "Both staffs met four times."}, content_type=JSON, HTTP_IF_MATCH="*")
    assert frozen.status_code == 403 and JointText.objects.get(pk=jt["id"]).version == 2
    back = nato.post(f"{url}/return", {"message": "Name the meetings."}, content_type=JSON)
    assert back.status_code == 200 and back.json()["state"] == "draft"
    assert not JointText.objects.get(pk=jt["id"]).approvals.exists()
    verbs = [e.verb for e in AuditEvent.objects.for_object(JointText.objects.get(pk=jt["id"]))
             .exclude(verb="notification.sent").order_by("seq")]
    assert verbs == ["joint_text.created", "joint_text.edited", "joint_text.approved", "joint_text.approved",
                     "joint_text.returned"]


def test_joint_text_writes_refused_change_nothing(people, commitment, period):
    reader = token_client(people["nato-reader"])
    body = {"commitment": commitment.pk, "period": period.ordinal, "text": "x", "classification": "PUBLIC"}
    assert reader.post("/api/v1/joint-texts", body, content_type=JSON).status_code == 403
    writer = token_client(people["eu"])
    for bad, field in (({**body, "text": ""}, "text"), ({**body, "period": 999}, "period"),
                       ({**body, "classification": "COSMIC"}, "classification"),
                       ({**body, "text": "a\u0000b"}, "text")):
        answer = writer.post("/api/v1/joint-texts", bad, content_type=JSON)
        assert answer.status_code == 400 and answer.json()["field"] == field, answer.content
    assert not JointText.objects.exists()
    made = writer.post("/api/v1/joint-texts", body, content_type=JSON).json()
    # Returning needs a reason; the writer's own organisation approves only for itself.
    assert token_client(people["eu-approver"]).post(f"/api/v1/joint-texts/{made['id']}/return", {},
                                               content_type=JSON).status_code == 400
    assert JointText.objects.get(pk=made["id"]).state == "draft"


def test_comments_on_a_contribution_and_a_joint_text(people, commitment, period, level):
    writer = token_client(people["eu"])
    jt = writer.post("/api/v1/joint-texts", {"commitment": commitment.pk, "period": period.ordinal,
                                             "text": "Both staffs met.", "classification": "PUBLIC"},
                     content_type=JSON).json()
    url = f"/api/v1/joint-texts/{jt['id']}/comments"
    said = writer.post(url, {"text": "Shall we name the dates?", "classification": "PUBLIC"}, content_type=JSON)
    assert said.status_code == 201 and said.json()["organisation"] == "eu"
    restricted = writer.post(url, {"text": "MXEUONLY note", "classification": "RESTREINT UE/EU RESTRICTED",
                                   "releasable_to": ["eu"]}, content_type=JSON)
    assert restricted.status_code == 201, restricted.content
    mine = writer.get(url).json()
    assert [c["text"] for c in mine["items"]] == ["Shall we name the dates?", "MXEUONLY note"]
    theirs = token_client(people["nato-reader"], scope="read").get(url)
    assert theirs.status_code == 200 and [c["text"] for c in theirs.json()["items"]] == ["Shall we name the dates?"]
    assert writer.post(url, {"text": "", "classification": "PUBLIC"}, content_type=JSON).json()["field"] == "text"
    assert Comment.objects.count() == 2
    # A draft contribution stays home: the other organisation neither reads nor comments on its thread.
    draft = writer.post("/api/v1/contributions", {"commitment": commitment.pk, "period": period.ordinal,
                                                  "narrative": "Draft.", "classification": "PUBLIC"},
                        content_type=JSON).json()
    curl = f"/api/v1/contributions/{draft['id']}/comments"
    assert writer.get(curl).status_code == 200
    nato = token_client(people["nato-approver"])
    assert nato.get(curl).status_code == 404
    assert nato.post(curl, {"text": "x", "classification": "PUBLIC"}, content_type=JSON).status_code == 404
    assert Comment.objects.count() == 2


@pytest.mark.parametrize("field, value", [("classification", "PUB\u0000LIC"), ("assessment", "a\u0000"),
                                          ("releasable_to", ["e\u0000u"]), ("classification", "x" * 500)])
def test_a_control_character_in_a_name_is_a_400_on_every_database(people, commitment, period, field, value):
    body = {"commitment": commitment.pk, "period": period.ordinal, "narrative": "x", "classification": "PUBLIC",
            field: value}
    answer = token_client(people["eu"]).post("/api/v1/contributions", body, content_type=JSON)
    assert answer.status_code == 400 and answer.json()["field"] == field, answer.content
    if field != "assessment":  # a joint text has no assessment
        text = token_client(people["eu"]).post("/api/v1/joint-texts", {**body, "text": "x"}, content_type=JSON)
        assert text.status_code == 400 and text.json()["field"] == field, text.content
