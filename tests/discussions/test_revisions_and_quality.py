"""Two revisions compared word by word; the return reason at the top; quality warnings before
and on submission (warnings, never blocks)."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.contributions import services
from rapport.contributions.quality import quality_warnings
from rapport.web.worddiff import word_diff

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _edit(author, c, text, assessment=None, marking=None):
    return services.edit_contribution(actor=author, contribution=c, base_version=c.version, narrative=text,
                                      assessment=assessment if assessment is not None else c.assessment,
                                      classification=marking or c.classification,
                                      releasable_to=list(c.releasable_to.all()))


def test_word_diff_marks_words_and_keeps_text_plain():
    left, right, changed = word_diff("The staff met <b>twice</b> in May.", "The staff met three times in May.")
    assert changed
    assert [s.text for s in left if s.kind == "removed"] == ["<b>twice</b>"]
    assert [s.text for s in right if s.kind == "added"] == ["three times"]
    assert "".join(s.text for s in left) == "The staff met <b>twice</b> in May."
    assert word_diff("same", "same")[2] is False


def test_the_comparison_page_escapes_user_text(make_user, write, commitments):
    eu = make_user(org="eu", role="drafter", clearance=2)
    approver = make_user(org="eu", role="approver", clearance=2)
    c = write(eu, commitments[0], "Staff talks were held.")
    c = _edit(eu, c, "Staff talks were held <script>alert(1)</script> twice.")
    first, second = c.revisions.order_by("version")
    body = _client(approver).get(f"/contributions/{c.pk}/compare/", {"a": first.pk, "b": second.pk}).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "<ins>held &lt;script&gt;alert(1)&lt;/script&gt; twice.</ins>" in body and "<del>held.</del>" in body
    # Without a choice: the last two versions.
    assert "<ins>" in _client(approver).get(f"/contributions/{c.pk}/compare/").content.decode()


def test_a_revision_of_another_contribution_is_404_like_a_missing_one(make_user, write, commitments):
    eu = make_user(org="eu", role="drafter", clearance=2)
    nato = make_user(org="nato", role="drafter", clearance=2)
    mine = write(eu, commitments[0], "Mine.")
    other = write(eu, commitments[1], "Another of ours.")
    theirs = write(nato, commitments[2], "A NATO draft.")
    client = _client(eu)
    url = f"/contributions/{mine.pk}/compare/"
    missing = client.get(url, {"a": mine.revisions.get().pk, "b": 10**9})
    assert missing.status_code == 404
    for foreign in (other.revisions.get().pk, theirs.revisions.get().pk):
        response = client.get(url, {"a": mine.revisions.get().pk, "b": foreign})
        assert response.status_code == 404 and response.content == missing.content
    assert client.get(url, {"a": "x1"}).content == missing.content
    # The NATO draft itself, and its revisions, do not exist for the EU.
    hidden = client.get(f"/contributions/{theirs.pk}/compare/")
    assert hidden.status_code == 404 and hidden.content == client.get(f"/contributions/{theirs.pk + 900000}/compare/").content


def test_a_revision_marked_above_the_readers_clearance_is_not_shown(make_user, write, commitments, level):
    eu = make_user(org="eu", role="drafter", clearance=3)
    low = make_user(org="eu", role="reader", clearance=1)
    c = write(eu, commitments[0], "MXHIGH confidential wording.", marking="CONFIDENTIEL UE/EU CONFIDENTIAL", to=["eu"])
    c = _edit(eu, c, "Lowered wording.", marking=level(1, scheme="eu"))
    high, lowered = c.revisions.order_by("version")
    client = _client(low)
    body = client.get(f"/contributions/{c.pk}/compare/").content.decode()
    assert "MXHIGH" not in body and "Lowered wording." in body
    assert client.get(f"/contributions/{c.pk}/compare/", {"a": high.pk}).status_code == 404


def test_a_returned_contribution_shows_why_at_the_top(make_user, write, commitments):
    eu = make_user(org="eu", role="drafter", clearance=2)
    approver = make_user(org="eu", role="approver", clearance=2)
    nato = make_user(org="nato", role="approver", clearance=5)
    c = write(eu, commitments[0], "Text.", submit=True)
    services.return_contribution(actor=approver, contribution=c, message="Add the <b>dates</b> of the talks.")
    body = _client(eu).get(f"/contributions/{c.pk}/").content.decode()
    reason = body[body.index('class="return-reason"'):]
    assert "Add the &lt;b&gt;dates&lt;/b&gt; of the talks." in reason[:600]
    assert body.index('class="return-reason"') < body.index("Edit</a>")  # next to the workflow buttons
    assert _client(nato).get(f"/contributions/{c.pk}/").status_code == 404


def test_quality_warnings(make_user, write, commitments, eu_nato, open_period, settings):
    from rapport.contributions.models import Contribution
    from rapport.partnerships.models import AssessmentValue
    from rapport.periods.models import ReportingPeriod

    eu = make_user(org="eu", role="drafter", clearance=2)
    settings.RAPPORT_MIN_NARRATIVE_WORDS = 5
    c = write(eu, commitments[0], "Too short.", assessment=None)
    codes = {w.code for w in quality_warnings(c, eu)}
    assert codes == {"no_assessment", "short_narrative", "no_evidence"}
    # The same text as the previous period's, with another assessment.
    previous = ReportingPeriod.objects.filter(partnership=eu_nato, ordinal__lt=open_period.ordinal).order_by("-ordinal").first()
    values = list(AssessmentValue.objects.filter(scheme=eu_nato.assessment_scheme).order_by("pk"))
    text = "Staff talks met four times and agreed a plan."
    Contribution.objects.filter(organisation=eu.organisation, commitment=commitments[1], period=previous).delete()
    old = Contribution.objects.create(organisation=eu.organisation, commitment=commitments[1], period=previous,
                                      narrative=text, assessment=values[0], state="approved",
                                      classification=c.classification)
    old.releasable_to.set(c.releasable_to.all())
    now = write(eu, commitments[1], text, assessment=values[1].key)
    codes = {w.code for w in quality_warnings(now, eu)}
    assert {"same_as_previous", "assessment_without_narrative"} <= codes
    assert "short_narrative" not in codes and "no_assessment" not in codes
    # An edit that only changes the assessment.
    other = write(eu, commitments[2], "Different words for a different period entirely.", assessment=values[0].key)
    other = _edit(eu, other, other.narrative, assessment=values[1])
    assert "assessment_without_narrative" in {w.code for w in quality_warnings(other, eu)}


def test_the_previous_text_is_compared_only_if_the_reader_may_read_it(make_user, write, commitments, eu_nato,
                                                                     open_period, level):
    from rapport.contributions.models import Contribution
    from rapport.periods.models import ReportingPeriod

    eu = make_user(org="eu", role="drafter", clearance=1)
    previous = ReportingPeriod.objects.filter(partnership=eu_nato, ordinal__lt=open_period.ordinal).order_by("-ordinal").first()
    text = "A text that was written once in a higher marking."
    Contribution.objects.filter(organisation=eu.organisation, commitment=commitments[3], period=previous).delete()
    old = Contribution.objects.create(organisation=eu.organisation, commitment=commitments[3], period=previous,
                                      narrative=text, state="approved", classification=level(3, scheme="eu"))
    old.releasable_to.set([eu.organisation])
    now = write(eu, commitments[3], text)
    assert "same_as_previous" not in {w.code for w in quality_warnings(now, eu)}


def test_warnings_show_before_and_on_submission_and_never_block(make_user, write, commitments, settings):
    settings.RAPPORT_MIN_NARRATIVE_WORDS = 30
    eu = make_user(org="eu", role="drafter", clearance=2)
    nato = make_user(org="nato", role="drafter", clearance=2)
    c = write(eu, commitments[0], "Short.", assessment=None)
    client = _client(eu)
    body = client.get(f"/contributions/{c.pk}/").content.decode()
    assert "Before you submit" in body and "1 word" in body and "No assessment" in body
    response = client.post(f"/contributions/{c.pk}/submit/", follow=True)
    c.refresh_from_db()
    assert c.state == "submitted"
    text = response.content.decode()
    assert "Submitted for approval." in text and "Check before approval: No assessment" in text
    # Nobody else is shown them (the other organisation cannot even see a draft; readers cannot submit).
    assert "Before you submit" not in client.get(f"/contributions/{c.pk}/").content.decode()
    assert _client(nato).get(f"/contributions/{c.pk}/").status_code == 200
    assert "Before you submit" not in _client(nato).get(f"/contributions/{c.pk}/").content.decode()
