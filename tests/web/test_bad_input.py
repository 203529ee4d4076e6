"""Bad input to every form and filter of the web app gets a clear answer and changes
nothing: a control character anywhere is the 400 page naming the field (never the
value); a value no choice can have (a 30-digit number, a negative number, a word)
is a field error. The same on SQLite and PostgreSQL."""

import re
from html import unescape

import pytest

pytestmark = pytest.mark.usefixtures("web_middleware")

MARKER = "Quince"  # text around the control character: it must not come back on the page
CONTROLS = ["\x00", "\x1b", "\x08"]
NOT_IDS = ["1" * 30, "-1", "word"]


@pytest.fixture
def people(make_user):
    return {
        "eu-drafter": make_user(org="eu", role="drafter", clearance=2),
        "eu-approver": make_user(org="eu", role="approver", clearance=3),
        "eu-coordinator": make_user(org="eu", role="coordinator", clearance=3),
    }


@pytest.fixture
def draft(people, write, commitments):
    return write(people["eu-drafter"], commitments[0], "A draft to act on.")


@pytest.fixture
def submitted(people, write, commitments):
    return write(people["eu-drafter"], commitments[1], "A submitted text to act on.", submit=True)


def _contribution_data(level, **override):
    from rapport.partnerships.models import Organisation

    data = {"narrative": "Staffs met twice.", "classification": level(0, scheme="eu").pk,
            "releasable_to": [o.pk for o in Organisation.objects.all()]}
    data.update(override)
    return data


def _assert_control_page(response, where: str):
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert f"The request contained a control character in {where}; nothing was changed." in html
    assert MARKER not in html
    assert 'id="marking-banner-top"' in html  # the 400 page is a full page, with its banner


# Control characters -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("char", CONTROLS)
@pytest.mark.parametrize("field", ["narrative", "classification", "assessment", "releasable_to", "meetings",
                                   "exercises", "activities", "formats"])
def test_control_character_in_the_new_contribution_form(people, signed_in, commitments, open_period, level, db_state,
                                                        char, field):
    client = signed_in(people["eu-drafter"])
    before = db_state()
    response = client.post(f"/commitments/{commitments[0].pk}/periods/{open_period.ordinal}/contribution/",
                           _contribution_data(level, **{field: f"{MARKER}{char}text"}))
    _assert_control_page(response, f"field '{field}'")
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["narrative", "base_version", "classification"])
def test_control_character_in_the_edit_form(people, signed_in, draft, level, db_state, field):
    client = signed_in(people["eu-drafter"])
    before = db_state()
    data = _contribution_data(level, **{"base_version": draft.version, field: f"{MARKER}\x00"})
    _assert_control_page(client.post(f"/contributions/{draft.pk}/edit/", data), f"field '{field}'")
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who,action,fixture", [
    ("eu-drafter", "submit", "draft"),
    ("eu-approver", "approve", "submitted"),
    ("eu-approver", "return", "submitted"),
])
@pytest.mark.parametrize("char", CONTROLS)
def test_control_character_in_a_contribution_workflow_message(people, signed_in, request, db_state, who, action,
                                                              fixture, char):
    contribution = request.getfixturevalue(fixture)
    client = signed_in(people[who])
    before = db_state()
    response = client.post(f"/contributions/{contribution.pk}/{action}/", {"message": f"{MARKER}{char} fine."})
    _assert_control_page(response, "field 'message'")
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who,action", [("eu-approver", "approve"), ("eu-approver", "withdraw"),
                                        ("eu-coordinator", "publish")])
@pytest.mark.parametrize("char", CONTROLS)
def test_control_character_in_a_report_workflow_message(people, signed_in, eu_nato, db_state, who, action, char):
    from rapport.reports import workflow
    from rapport.reports.models import Report

    report = Report.objects.get(period__partnership=eu_nato, state="draft")
    if action == "withdraw":  # there must be an approval to withdraw
        workflow.approve_report(actor=people["eu-approver"], report=report, message="")
    client = signed_in(people[who])
    before = db_state()
    response = client.post(f"/reports/{report.period.ordinal}/{action}/", {"message": f"{MARKER}{char} fine."})
    _assert_control_page(response, "field 'message'")
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("url,params,where", [
    ("/commitments/", {"q": f"{MARKER}\x00"}, "field 'q'"),
    ("/commitments/", {"area": "1\x00"}, "field 'area'"),
    ("/commitments/", {"organisation": "eu\x1b"}, "field 'organisation'"),
    ("/audit/", {"verb": f"{MARKER}\x00"}, "field 'verb'"),
    ("/audit/", {"page": "2\x00"}, "field 'page'"),
    ("/search/", {"q": f"{MARKER}\x00"}, "field 'q'"),
    ("/search/", {"kind": "meeting\x07"}, "field 'kind'"),
    ("/search/", {f"{MARKER}\x00": "x"}, "a field name"),
    (f"/commitments/{MARKER}%00/", {}, "its address"),
])
def test_control_character_in_a_filter_search_or_address(people, signed_in, db_state, url, params, where):
    client = signed_in(people["eu-drafter"])
    before = db_state()
    _assert_control_page(client.get(url, params), where)
    assert db_state() == before


@pytest.mark.django_db
def test_control_character_when_signing_in(client, make_user, db_state):
    make_user(org="eu", role="drafter", username="alice")
    before = db_state()
    response = client.post("/accounts/login/", {"username": "alice", "password": f"{MARKER}\x00"})
    _assert_control_page(response, "field 'password'")
    assert db_state() == before
    assert client.get("/dashboard/").status_code == 302  # not signed in


@pytest.mark.django_db
def test_tab_and_line_ends_are_text(people, signed_in, commitments, open_period, level):
    from rapport.contributions.models import Contribution

    client = signed_in(people["eu-drafter"])
    response = client.post(f"/commitments/{commitments[0].pk}/periods/{open_period.ordinal}/contribution/",
                           _contribution_data(level, narrative="First\tline.\r\nSecond line."))
    assert response.status_code == 302
    assert Contribution.objects.get(commitment=commitments[0], period=open_period).narrative == "First\tline.\nSecond line."


# Values no choice can have -----------------------------------------------------------------------


CONTRIBUTION_CHOICES = ["classification", "assessment", "releasable_to", "meetings", "exercises", "activities", "formats"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("field", CONTRIBUTION_CHOICES)
def test_not_an_id_in_the_new_contribution_form(people, signed_in, commitments, open_period, level, db_state,
                                                field, value):
    client = signed_in(people["eu-drafter"])
    before = db_state()
    response = client.post(f"/commitments/{commitments[0].pk}/periods/{open_period.ordinal}/contribution/",
                           _contribution_data(level, **{field: [value]}))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html or 'id="err-releasable_to"' in html
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("value", [*NOT_IDS, "-5", str(2**31)])
@pytest.mark.parametrize("field", [*CONTRIBUTION_CHOICES, "base_version"])
def test_not_an_id_in_the_edit_form(people, signed_in, draft, level, db_state, field, value):
    client = signed_in(people["eu-drafter"])
    before = db_state()
    data = _contribution_data(level, **{"base_version": draft.version, "narrative": "Changed text.", field: [value]})
    response = client.post(f"/contributions/{draft.pk}/edit/", data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("value", [*NOT_IDS, "99999999999999999999"])
@pytest.mark.parametrize("field", ["area", "mandate", "period", "organisation", "assessment"])
def test_not_a_choice_in_the_commitments_filter(people, signed_in, db_state, field, value):
    from rapport.commitments.models import Commitment

    client = signed_in(people["eu-drafter"])
    before = db_state()
    response = client.get("/commitments/", {field: value})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    html = response.content.decode()
    # The error is printed beside the field, which points to it; it does not repeat the value.
    message = re.search(rf'<span class="field-error" id="id_{field}_error">([^<]*)</span>', html).group(1)
    assert message == "Select a valid choice. That choice is not one of the available choices."
    assert f'aria-describedby="id_{field}_error"' in html
    # The list is not narrowed by a refused filter.
    assert response.context["page_obj"].paginator.count == Commitment.objects.count()
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("value", [*NOT_IDS, "99999999999999999999"])
@pytest.mark.parametrize("param", ["verb", "page"])
def test_not_a_choice_in_the_audit_filter(people, signed_in, draft, db_state, param, value):
    client = signed_in(people["eu-drafter"])
    before = db_state()
    response = client.get("/audit/", {param: value})
    assert response.status_code == 200
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("value", [*NOT_IDS, "99999999999999999999"])
@pytest.mark.parametrize("param", ["q", "kind"])
def test_not_a_choice_in_search(people, signed_in, db_state, param, value):
    client = signed_in(people["eu-drafter"])
    before = db_state()
    response = client.get("/search/", {"q": "hybrid", param: value} if param == "kind" else {param: value})
    assert response.status_code == 200
    assert db_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/contributions/" + "1" * 30 + "/", "/contributions/-1/", "/contributions/word/",
                                  "/reports/" + "9" * 30 + "/approve/"])
def test_not_an_id_in_the_address(people, signed_in, db_state, path):
    client = signed_in(people["eu-approver"])
    before = db_state()
    response = client.post(path) if path.endswith("approve/") else client.get(path)
    assert response.status_code == 404
    assert db_state() == before


@pytest.mark.django_db
def test_a_request_django_itself_refuses_gets_the_400_page_with_its_banner(people, signed_in):
    client = signed_in(people["eu-drafter"])
    response = client.post("/search/", {f"f{n}": "x" for n in range(1200)})  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="marking-banner-top"' in body and "Traceback" not in body
