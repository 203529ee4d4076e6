"""The REST API at /api/v1/: personal access tokens and the browser session, reads through the
caller's visibility (a denied object answers exactly as a missing one), cursor pages that hold
every visible row once, errors as problem details naming the field, the OpenAPI schema."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rapport.api.models import AccessToken
from rapport.api.tokens import create_token, revoke_token
from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution
from rapport.partnerships.models import Organisation

pytestmark = pytest.mark.django_db


def bearer(secret):
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


@pytest.fixture
def secret_commitment(eu_nato, level):
    c = Commitment.objects.create(partnership=eu_nato, ref="MX-API-01", mandate=eu_nato.mandates.first(),
                                  area=eu_nato.areas.first(), title="MXAPISECRET", text="MXAPISECRET text",
                                  classification=level("NATO CONFIDENTIAL"), order=9999)
    c.releasable_to.set(Organisation.objects.filter(key="nato"))
    return c


@pytest.fixture
def commitments_public(eu_nato):
    return list(Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("order"))


@pytest.fixture
def users(make_user):
    return {"eu": make_user(org="eu", role="approver", clearance=5), "nato": make_user(org="nato", role="reader",
                                                                                       clearance=3)}


def test_a_token_signs_in_as_its_user_and_is_audited(users):
    token, secret = create_token(user=users["eu"], name="registry sync")
    assert secret.startswith(f"rpt_{token.prefix}_") and secret not in token.digest and len(token.digest) == 64
    body = bearer(secret).get("/api/v1/me").json()
    assert (body["username"], body["organisation"], body["token_scope"]) == (users["eu"].username, "eu", "read")
    entry = AuditEvent.objects.filter(verb="token.created").get()
    assert entry.classification.rank > 0 and [o.key for o in entry.releasable_to.all()] == ["eu"]
    assert not AuditEvent.objects.visible_to(users["nato"]).filter(pk=entry.pk).exists()
    assert AccessToken.objects.get(pk=token.pk).last_used_at is not None


@pytest.mark.parametrize("how", ["none", "garbage", "revoked", "expired", "inactive", "tampered"])
def test_no_valid_token_is_a_401_problem(users, how):
    token, secret = create_token(user=users["eu"], name="t")
    if how == "revoked":
        revoke_token(actor=users["eu"], prefix=token.prefix)
    if how == "expired":
        AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    if how == "inactive":
        type(users["eu"]).objects.filter(pk=users["eu"].pk).update(is_active=False)
    client = {"none": Client(), "garbage": bearer("rpt_nothing"), "tampered": bearer(secret[:-2] + "xx")}.get(
        how, bearer(secret))
    response = client.get("/api/v1/commitments")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401 and "Bearer" in response["WWW-Authenticate"]


def test_the_browser_session_reads_the_api_too(users):
    client = Client()
    client.force_login(users["nato"])
    assert client.get("/api/v1/me").json()["token_scope"] is None


def test_reads_are_the_callers_and_denied_answers_as_missing(users, secret_commitment, eu_nato):
    eu = bearer(create_token(user=users["eu"], name="eu")[1])
    nato = bearer(create_token(user=users["nato"], name="nato")[1])
    denied = eu.get(f"/api/v1/commitments/{secret_commitment.pk}")
    missing = eu.get("/api/v1/commitments/999999999")
    assert denied.status_code == missing.status_code == 404
    assert denied.content == missing.content and b"MXAPI" not in denied.content
    allowed = nato.get(f"/api/v1/commitments/{secret_commitment.pk}").json()
    assert allowed["ref"] == "MX-API-01"
    assert allowed["marking"] == {"classification": "NATO CONFIDENTIAL", "scheme": "nato", "rank": 3,
                                  "releasable_to": ["nato"]}
    everything = []
    cursor = ""
    while True:
        page = eu.get("/api/v1/commitments", {"limit": 7, **({"cursor": cursor} if cursor else {})}).json()
        everything += [c["id"] for c in page["items"]]
        if not page["next"]:
            break
        cursor = page["next"]
    expected = list(Commitment.objects.visible_to(users["eu"]).order_by("pk").values_list("pk", flat=True))
    assert everything == expected and secret_commitment.pk not in everything


def test_contributions_follow_their_own_rule(users, eu_nato, level, commitments_public):
    """A NATO draft stays with NATO: no EU reader gets it from the API, whatever their clearance."""
    from rapport.contributions import services
    from rapport.periods.models import ReportingPeriod

    period = ReportingPeriod.objects.filter(partnership=eu_nato, state="open").first()
    ReportingPeriod.objects.filter(pk=period.pk).update(contributions_due=None)
    period.refresh_from_db()
    nato_drafter = type(users["eu"]).objects.create(username="nato-api-drafter", role="drafter",
                                                    organisation=Organisation.objects.get(key="nato"),
                                                    clearance=level("NATO CONFIDENTIAL"))
    draft = services.create_contribution(actor=nato_drafter, commitment=commitments_public[0], period=period,
                                         narrative="MXDRAFT text", classification=level(0, scheme="nato"),
                                         releasable_to=list(Organisation.objects.all()))
    eu = bearer(create_token(user=users["eu"], name="eu")[1])
    nato = bearer(create_token(user=nato_drafter, name="nato")[1])
    assert eu.get(f"/api/v1/contributions/{draft.pk}").status_code == 404
    assert draft.pk not in [c["id"] for c in eu.get("/api/v1/contributions", {"limit": 200}).json()["items"]]
    body = nato.get(f"/api/v1/contributions/{draft.pk}").json()
    assert (body["state"], body["organisation"], body["period"]) == ("draft", "nato", period.ordinal)
    listed = nato.get("/api/v1/contributions", {"period": period.ordinal, "organisation": "nato"}).json()["items"]
    assert [c["id"] for c in listed] == [draft.pk]
    assert Contribution.objects.count() == 1


@pytest.mark.parametrize("path, field", [
    ("/api/v1/commitments?limit=0", "limit"),
    ("/api/v1/commitments?limit=100000", "limit"),
    ("/api/v1/commitments?cursor=abc", "cursor"),
    ("/api/v1/commitments?cursor=-5", "cursor"),
    ("/api/v1/commitments/0", "id"),
    ("/api/v1/commitments/99999999999999999999999", "id"),
    ("/api/v1/contributions?period=abc", "period"),
    ("/api/v1/commitments?cursor=0.0", "cursor"),
    ("/api/v1/commitments/1.0", "id"),
])
def test_bad_input_is_a_400_problem_naming_the_field(users, path, field):
    response = bearer(create_token(user=users["eu"], name="t")[1]).get(path)
    assert response.status_code == 400, response.content
    body = response.json()
    assert response["Content-Type"] == "application/problem+json" and body["field"] == field


def test_a_list_page_costs_the_same_number_of_queries_at_any_size(users, eu_nato, level):
    client = bearer(create_token(user=users["eu"], name="t")[1])
    client.get("/api/v1/commitments")  # warm the content-type and level caches

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/commitments", {"limit": 100}).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    template = Commitment.objects.filter(partnership=eu_nato).first()
    for n in range(60):
        c = Commitment.objects.create(partnership=eu_nato, ref=f"MX-Q-{n}", mandate=template.mandate,
                                      area=template.area, title="q", text="q", classification=level(0), order=5000 + n)
        c.releasable_to.set(Organisation.objects.all())
    assert count() == small


def test_the_openapi_schema_lists_every_route():
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert {"/api/v1/me", "/api/v1/commitments", "/api/v1/commitments/{id}", "/api/v1/contributions",
            "/api/v1/contributions/{id}", "/api/v1/periods"} <= set(schema["paths"])


def test_the_token_command(users, capsys):
    name = users["nato"].username
    call_command("token", "create", name, "--name", "tracker", "--scope", "write", "--days", "30")
    out = capsys.readouterr().out
    secret = out.strip().splitlines()[-1]
    assert bearer(secret).get("/api/v1/me").json()["token_scope"] == "write"
    prefix = AccessToken.objects.get(user=users["nato"]).prefix
    call_command("token", "list", name)
    assert prefix in capsys.readouterr().out and secret not in out.splitlines()[0]
    call_command("token", "revoke", name, prefix)
    assert bearer(secret).get("/api/v1/me").status_code == 401
    for bad in (["create", name, "--name", "x", "--days", "0"], ["create", name, "--name", "x", "--scope", "all"],
                ["revoke", name, "nothing"], ["create", "nobody", "--name", "x"]):
        with pytest.raises(CommandError):
            call_command("token", *bad)
    assert AccessToken.objects.count() == 1


# Writes ------------------------------------------------------------------------------------


@pytest.fixture
def open_period(eu_nato):
    from rapport.periods.models import ReportingPeriod

    period = ReportingPeriod.objects.filter(partnership=eu_nato, state="open").first()
    ReportingPeriod.objects.filter(pk=period.pk).update(contributions_due=None)
    period.refresh_from_db()
    return period


@pytest.fixture
def writers(make_user):
    return {"drafter": make_user(org="eu", role="drafter", clearance=3),
            "approver": make_user(org="eu", role="approver", clearance=3),
            "nato": make_user(org="nato", role="drafter", clearance=3)}


def _write_client(user, scope="write"):
    return bearer(create_token(user=user, name="w", scope=scope)[1])


def _new(client, c, p, **over):
    body = {"commitment": c.pk, "period": p.ordinal, "narrative": "Staff talks held twice.",
            "assessment": None, "classification": "PUBLIC", "releasable_to": []}
    body.update(over)
    return client.post("/api/v1/contributions", body, content_type="application/json")


def test_the_whole_workflow_through_the_api_with_etags_and_audit(writers, commitments_public, open_period):
    drafter, approver = _write_client(writers["drafter"]), _write_client(writers["approver"])
    made = _new(drafter, commitments_public[0], open_period)
    assert made.status_code == 201, made.content
    c = made.json()
    assert (c["state"], c["organisation"], c["version"]) == ("draft", "eu", 1) and made["ETag"] == '"v1-draft"'
    url = f"/api/v1/contributions/{c['id']}"
    edit = {"narrative": "Staff talks held three times.", "classification": "LIMITE", "releasable_to": ["eu"]}
    assert drafter.patch(url, edit, content_type="application/json").status_code == 428  # If-Match needed
    stale = drafter.patch(url, edit, content_type="application/json", HTTP_IF_MATCH='"v0-draft"')
    assert stale.status_code == 412 and Contribution.objects.get(pk=c["id"]).version == 1
    edited = drafter.patch(url, edit, content_type="application/json", HTTP_IF_MATCH='"v1-draft"')
    assert edited.status_code == 200 and edited.json()["marking"]["classification"] == "LIMITE"
    assert edited["ETag"] == '"v2-draft"'
    submitted = drafter.post(f"{url}/submit", {}, content_type="application/json", HTTP_IF_MATCH='"v2-draft"')
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    # The author does not approve their own text; the approver does (a stale If-Match is refused first).
    assert drafter.post(f"{url}/approve", {}, content_type="application/json").status_code == 403
    assert approver.post(f"{url}/approve", {}, content_type="application/json",
                         HTTP_IF_MATCH='"v2-draft"').status_code == 412
    approved = approver.post(f"{url}/approve", {"message": "Fine."}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    # Every step is in the audit log, attributed to the token it came with.
    entries = AuditEvent.objects.for_object(Contribution.objects.get(pk=c["id"])).exclude(verb="notification.sent")
    assert [e.verb for e in entries.order_by("seq")] == ["contribution.created", "contribution.edited",
                                                          "contribution.submitted", "contribution.approved"]
    prefixes = {t.user_id: t.prefix for t in AccessToken.objects.all()}
    for e in entries:
        assert e.request_id.startswith(f"token:{prefixes[e.actor_id]}:"), e.request_id


def test_a_read_token_never_writes(writers, commitments_public, open_period):
    reader = _write_client(writers["drafter"], scope="read")
    response = _new(reader, commitments_public[0], open_period)
    assert response.status_code == 403 and "reads only" in response.json()["detail"]
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("over, field", [
    ({"narrative": ""}, "narrative"),
    ({"narrative": "x" * 100_001}, "narrative"),
    ({"classification": "NATO RESTRICTED"}, "classification"),  # not the writer's scheme
    ({"classification": "nonsense"}, "classification"),
    ({"releasable_to": ["xx"]}, "releasable_to"),
    ({"assessment": "brilliant"}, "assessment"),
    ({"period": 999}, "period"),
    ({"commitment": "abc"}, "commitment"),
])
def test_bad_writes_are_a_400_naming_the_field_and_change_nothing(writers, commitments_public, open_period, over,
                                                                   field):
    client = _write_client(writers["drafter"])
    before = AuditEvent.objects.count()
    response = _new(client, commitments_public[0], open_period, **over)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field
    assert not Contribution.objects.exists() and AuditEvent.objects.count() == before


def test_nobody_writes_on_what_they_may_not_see_or_for_the_other_organisation(writers, secret_commitment,
                                                                             commitments_public, open_period):
    eu = _write_client(writers["drafter"])
    hidden = _new(eu, secret_commitment, open_period)
    missing = eu.post("/api/v1/contributions", {"commitment": 999999999, "period": open_period.ordinal,
                                                 "narrative": "x", "classification": "PUBLIC"},
                      content_type="application/json")
    assert hidden.status_code == missing.status_code == 404 and hidden.content == missing.content
    nato_draft = _new(_write_client(writers["nato"]), commitments_public[1], open_period)
    assert nato_draft.status_code == 201
    url = f"/api/v1/contributions/{nato_draft.json()['id']}"
    # The EU drafter cannot see a NATO draft: every write on it answers as for a missing one.
    for response in (eu.patch(url, {"narrative": "x", "classification": "PUBLIC"}, content_type="application/json",
                              HTTP_IF_MATCH="*"),
                     eu.post(f"{url}/submit", {}, content_type="application/json")):
        assert response.status_code == 404
    assert Contribution.objects.get(pk=nato_draft.json()["id"]).narrative == "Staff talks held twice."


def test_a_text_on_a_commitment_the_caller_may_not_read_names_no_commitment(users, secret_commitment, eu_nato,
                                                                           level):
    from rapport.contributions.models import JointText
    from rapport.periods.models import ReportingPeriod

    period = ReportingPeriod.objects.filter(partnership=eu_nato, state="open").first()
    c = Contribution.objects.create(organisation=Organisation.objects.get(key="nato"), commitment=secret_commitment,
                                    period=period, narrative="MXON", state="approved", classification=level(0))
    jt = JointText.objects.create(commitment=secret_commitment, period=period, text="MXJOINT", classification=level(0))
    eu = bearer(create_token(user=users["eu"], name="eu")[1])
    nato = bearer(create_token(user=users["nato"], name="nato")[1])
    assert eu.get(f"/api/v1/contributions/{c.pk}").json()["commitment"] is None
    assert nato.get(f"/api/v1/contributions/{c.pk}").json()["commitment"] == secret_commitment.pk
    listed = {x["id"]: x for x in eu.get("/api/v1/joint-texts", {"limit": 200}).json()["items"]}
    assert listed[jt.pk]["commitment"] is None and str(secret_commitment.pk) not in str(listed[jt.pk])


def test_the_other_records_read_as_the_pages(users, eu_nato):
    from rapport.evidence.models import Meeting

    eu = bearer(create_token(user=users["eu"], name="eu")[1])
    meetings = eu.get("/api/v1/meetings", {"limit": 200}).json()["items"]
    assert [m["id"] for m in meetings] == list(Meeting.objects.visible_to(users["eu"]).order_by("pk")
                                                .values_list("pk", flat=True))
    one = eu.get(f"/api/v1/meetings/{meetings[0]['id']}").json()
    assert set(one) == {"id", "key", "date", "title", "summary", "language", "translations", "marking"}  # no links
    reports = eu.get("/api/v1/reports").json()["items"]
    assert {r["period"] for r in reports} >= {8, 9, 10}


def test_an_edit_keeps_what_it_leaves_out(writers, commitments_public, open_period, eu_nato):
    from rapport.partnerships.models import AssessmentValue

    drafter = _write_client(writers["drafter"])
    key = AssessmentValue.objects.filter(scheme_id=eu_nato.assessment_scheme_id).first().key
    made = _new(drafter, commitments_public[0], open_period, assessment=key, classification="LIMITE",
                releasable_to=["eu"]).json()
    url = f"/api/v1/contributions/{made['id']}"
    edited = drafter.patch(url, {"narrative": "Only the text changes."}, content_type="application/json",
                           HTTP_IF_MATCH='"v1-draft"')
    assert edited.status_code == 200, edited.content
    body = edited.json()
    assert (body["narrative"], body["assessment"], body["marking"]["classification"],
            body["marking"]["releasable_to"]) == ("Only the text changes.", key, "LIMITE", ["eu"])
    cleared = drafter.patch(url, {"assessment": None}, content_type="application/json", HTTP_IF_MATCH="*")
    assert cleared.json()["assessment"] is None and cleared.json()["narrative"] == "Only the text changes."
    null = drafter.patch(url, {"narrative": None}, content_type="application/json", HTTP_IF_MATCH="*")
    assert null.status_code == 400 and null.json()["field"] == "narrative"


def test_filtering_by_a_hidden_commitment_finds_nothing(users, secret_commitment, eu_nato):
    from rapport.periods.models import ReportingPeriod

    period = ReportingPeriod.objects.filter(partnership=eu_nato).order_by("-ordinal").first()
    eu = Organisation.objects.get(key="eu")
    from rapport.markings.models import ClassificationLevel

    Contribution.objects.create(commitment=secret_commitment, period=period, organisation=eu, narrative="MXHIDDENON",
                                classification=ClassificationLevel.objects.get(scheme=eu.scheme, rank=0),
                                state="approved")
    client = bearer(create_token(user=users["eu"], name="t")[1])
    assert client.get(f"/api/v1/commitments/{secret_commitment.pk}").status_code == 404
    hidden = client.get("/api/v1/contributions", {"commitment": secret_commitment.pk}).json()
    missing = client.get("/api/v1/contributions", {"commitment": secret_commitment.pk + 900_000}).json()
    assert hidden == missing == {"items": [], "next": None}
    nato = bearer(create_token(user=users["nato"], name="t")[1])
    assert [c["narrative"] for c in nato.get("/api/v1/contributions",
                                             {"commitment": secret_commitment.pk}).json()["items"]] == ["MXHIDDENON"]


@pytest.mark.parametrize("field", ["classification", "assessment"])
def test_a_lone_surrogate_in_a_name_is_a_400(writers, commitments_public, open_period, field):
    import json

    # json.dumps writes the lone surrogate as the escape \ud800, as a client would send it.
    body = json.dumps({"commitment": commitments_public[0].pk, "period": open_period.ordinal, "narrative": "x",
                       "classification": "PUBLIC", field: "\ud800"})
    answer = _write_client(writers["drafter"]).post("/api/v1/contributions", body, content_type="application/json")
    assert answer.status_code == 400 and answer.json()["field"] == field
    assert not Contribution.objects.exists()


@pytest.mark.parametrize("query", [
    {"q": "cyber"}, {"area": "HYB"}, {"period": 12, "organisation": "eu"}, {"period": 12, "status": "missing"},
    {"period": 12, "assessment": "none", "organisation": "nato"}, {"period": 12, "status": "draft", "q": "exercise"},
])
def test_the_commitment_filters_are_the_lists(users, eu_nato, query):
    from rapport.web.listing import commitment_listing

    client = bearer(create_token(user=users["nato"], name="t")[1])
    items, cursor = [], None
    while True:
        body = client.get("/api/v1/commitments", {**query, "limit": 200, **({"cursor": cursor} if cursor else {})})
        assert body.status_code == 200, body.content
        items += [c["ref"] for c in body.json()["items"]]
        cursor = body.json()["next"]
        if not cursor:
            break
    page = {k: str(v) for k, v in query.items()}
    if "area" in page:  # the page's filter names an area by its id, the API by its code
        from rapport.partnerships.models import Area

        page["area"] = str(Area.objects.get(partnership=eu_nato, code=page["area"]).pk)
    listed = commitment_listing(users["nato"], page)
    assert listed.form.is_valid(), listed.form.errors
    assert sorted(items) == sorted(c.ref for c in listed.commitments)


@pytest.mark.parametrize("query, field", [
    ({"area": "NOPE"}, "area"), ({"mandate": "nope"}, "mandate"), ({"period": 999}, "period"),
    ({"organisation": "xx", "period": 12}, "organisation"), ({"assessment": "brilliant", "period": 12}, "assessment"),
    ({"status": "bogus", "period": 12}, "status"), ({"status": "missing"}, "status"),
])
def test_an_unknown_filter_value_is_a_400(users, eu_nato, query, field):
    answer = bearer(create_token(user=users["eu"], name="t")[1]).get("/api/v1/commitments", query)
    assert answer.status_code == 400 and answer.json()["field"] == field, answer.content


def test_a_workflow_step_takes_a_json_object_only(writers, commitments_public, open_period):
    """Schemathesis' stateful run found a step accepting a JSON array as its body."""
    drafter = _write_client(writers["drafter"])
    c = _new(drafter, commitments_public[0], open_period).json()
    for body in ('[[{"a": false}, -3, null]]', "[]", '"text"', "3"):
        answer = drafter.post(f"/api/v1/contributions/{c['id']}/submit", body, content_type="application/json")
        assert answer.status_code in (400, 422), (body, answer.status_code)
    assert Contribution.objects.get(pk=c["id"]).state == "draft"
