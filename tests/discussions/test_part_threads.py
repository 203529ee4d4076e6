"""Comment threads on the report's parts (highlights, outlook items, Council actions): on
the part's page in the report editor, under the part's own visibility, with @-mentions
that reach only readers of the comment, and closed once the report is published."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.audit.models import AuditEvent
from rapport.core.errors import NotFound, Refused
from rapport.discussions.models import Comment
from rapport.notifications.models import Notification
from rapport.reports import parts
from rapport.reports.choices import ReportState
from rapport.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(eu_nato):
    """The report in preparation (period 11 of the default data)."""
    return (Report.objects.filter(period__partnership=eu_nato).exclude(state=ReportState.PUBLISHED)
            .select_related("period").order_by("-period__ordinal").first())


@pytest.fixture
def people(make_user):
    return {
        "nato_coordinator": make_user(org="nato", role="coordinator", clearance=3, username="nato-coord"),
        "nato_approver": make_user(org="nato", role="approver", clearance=3, username="nato-appr"),
        "eu_coordinator": make_user(org="eu", role="coordinator", clearance=5, username="eu-coord"),
        "eu_approver": make_user(org="eu", role="approver", clearance=5, username="eu-appr"),
    }


@pytest.fixture
def public_highlight(report, people, level, orgs):
    return parts.create_highlight(actor=people["nato_coordinator"], report=report, text="A public highlight MXPART.",
                                  classification=level(0, scheme="nato"), releasable_to=list(orgs.values()))


@pytest.fixture
def nato_only_outlook(report, people, level, orgs):
    """An outlook item marked NATO RESTRICTED, releasable to NATO only, written directly (the services ask a
    joint part to be releasable to every organisation, so such a row comes only from loaded data)."""
    from rapport.reports.models import Outlook

    item = Outlook.objects.create(report=report, order=50, text="NATO only outlook MXOUT.",
                                  classification=level("NATO RESTRICTED"))
    item.releasable_to.set([orgs["nato"]])
    return item


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _part_path(part, kind):
    return f"/reports/{part.report.period.ordinal}/parts/{kind}/{part.pk}/edit/"


def test_a_comment_on_a_highlight_is_written_audited_and_shown_on_its_page(public_highlight, people, comment):
    made = comment(people["eu_approver"], public_highlight, "Could we name the exercise? <b>MXCOMMENT</b>")
    assert AuditEvent.objects.for_object(made).filter(verb="comment.added").exists()
    # An approver, who may not edit the part, reads it and its thread on the same page.
    response = _client(people["nato_approver"]).get(_part_path(public_highlight, "highlight"))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="comment-{made.pk}"' in body and "MXCOMMENT" in body
    assert "<b>MXCOMMENT" not in body and "&lt;b&gt;MXCOMMENT" in body  # user text is inert
    assert "Post comment" in body
    # The editor's list links every part to its discussion.
    editor = _client(people["nato_approver"]).get(f"/reports/{public_highlight.report.period.ordinal}/edit/")
    assert f"/parts/highlight/{public_highlight.pk}/edit/#comments" in editor.content.decode()


def test_posting_on_a_part_page_without_javascript(public_highlight, people, level, orgs):
    client = _client(people["eu_coordinator"])
    path = _part_path(public_highlight, "highlight")
    comments_path = f"/reports/{public_highlight.report.period.ordinal}/parts/highlight/{public_highlight.pk}/comments/"
    assert f'action="{comments_path}"' in client.get(path).content.decode()
    response = client.post(comments_path, {"text": "Agreed with the wording.", "classification": level(0, scheme="eu").pk,
                                           "releasable_to": [o.pk for o in orgs.values()]})
    made = Comment.objects.about(public_highlight).get()
    assert response.status_code == 302 and response["Location"] == f"{path}#comment-{made.pk}"
    # Bad input: a clear 400 naming the field, nothing written.
    before = Comment.objects.count(), AuditEvent.objects.count()
    bad = client.post(comments_path, {"text": "", "classification": level(0, scheme="eu").pk})
    assert bad.status_code == 400 and "Write the comment" in bad.content.decode()
    assert (Comment.objects.count(), AuditEvent.objects.count()) == before


def test_a_comment_on_a_nato_only_part_never_reaches_an_eu_user(nato_only_outlook, people, comment, level):
    made = comment(people["nato_coordinator"], nato_only_outlook, "MXSECRET remark on the outlook @eu-coord @nato-appr")
    eu = people["eu_coordinator"]
    assert not Comment.objects.visible_to(eu).filter(pk=made.pk).exists()
    assert Comment.objects.visible_to(people["nato_approver"]).filter(pk=made.pk).exists()
    # The mention reached the NATO approver only, with a title and link they may read.
    notices = Notification.objects.filter(kind="mention")
    assert [n.recipient.username for n in notices] == ["nato-appr"]
    assert notices[0].title == f"You were mentioned in a comment on an outlook item of report {nato_only_outlook.report.period.ordinal}"
    assert notices[0].url.endswith(f"/parts/outlook/{nato_only_outlook.pk}/edit/#comment-{made.pk}")
    # Pages: the part, its comment's history, the audit log, search, the inbox: nothing for the EU user.
    client = _client(eu)
    ordinal = nato_only_outlook.report.period.ordinal
    part_path = _part_path(nato_only_outlook, "outlook")
    assert client.get(part_path).content == client.get(part_path.replace(str(nato_only_outlook.pk), "9999999")).content
    for path in (part_path, f"/audit/discussions.comment/{made.pk}/", "/audit/", "/search/?q=MXSECRET", "/inbox/",
                 f"/reports/{ordinal}/edit/"):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert b"remark on the outlook" not in response.content, path
    # Posting on it answers as for a missing part, and writes nothing.
    before = Comment.objects.count()
    post = client.post(f"/reports/{ordinal}/parts/outlook/{nato_only_outlook.pk}/comments/",
                       {"text": "x", "classification": level(0, scheme="eu").pk})
    assert post.status_code == 404 and Comment.objects.count() == before
    with pytest.raises(NotFound):
        comment(eu, nato_only_outlook, "should not be written", marking="RESTREINT UE/EU RESTRICTED", to=["eu"])


def test_a_part_seen_through_the_wrong_report_address_is_missing(public_highlight, people, level, orgs):
    """The part's address names its report: another report's number answers as a missing part."""
    client = _client(people["eu_coordinator"])
    other = public_highlight.report.period.ordinal - 1
    response = client.post(f"/reports/{other}/parts/highlight/{public_highlight.pk}/comments/",
                           {"text": "x", "classification": level(0, scheme="eu").pk})
    assert response.status_code == 404 and not Comment.objects.exists()
    assert client.post(f"/reports/{other}/parts/nonsense/{public_highlight.pk}/comments/").status_code == 404


def test_nobody_comments_on_a_part_once_its_report_is_published(public_highlight, people, comment):
    comment(people["eu_approver"], public_highlight, "Before publication.")
    Report.objects.filter(pk=public_highlight.report_id).update(state=ReportState.PUBLISHED)
    with pytest.raises(Refused, match="published"):
        comment(people["eu_approver"], public_highlight, "After publication.")
    body = _client(people["eu_approver"]).get(_part_path(public_highlight, "highlight")).content.decode()
    assert "Before publication." in body and "Post comment" not in body and "You cannot comment here" in body


def test_council_actions_are_discussed_too(report, people, comment, level, orgs):
    action = parts.create_council_action(actor=people["eu_coordinator"], report=report, action="presented",
                                         classification=level(0), releasable_to=list(orgs.values()))
    made = comment(people["nato_coordinator"], action, "Which Council meeting?")
    body = _client(people["eu_approver"]).get(_part_path(action, "council-action")).content.decode()
    assert f'id="comment-{made.pk}"' in body
