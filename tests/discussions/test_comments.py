"""Comment threads: who may write, who may read, what a bad comment gets (nothing written)."""

from __future__ import annotations

import pytest

from rapport.audit.models import AuditEvent
from rapport.core.errors import InputError, NotFound, Refused
from rapport.discussions.models import COMMENT_MAX_LENGTH, Comment
from rapport.discussions.services import COMMENT_ADDED, add_comment, mentioned_usernames

pytestmark = pytest.mark.django_db


def _counts():
    return Comment.objects.count(), AuditEvent.objects.count()


def test_a_comment_is_written_marked_and_audited(make_user, write, comment, commitments):
    eu = make_user(org="eu", role="drafter", clearance=2)
    nato = make_user(org="nato", role="reader", clearance=2)
    c = write(eu, commitments[0], "EU progress.", submit=True)
    made = comment(nato, c, "  Which meeting was this?\r\nThanks.  ")
    assert made.text == "Which meeting was this?\nThanks."
    assert made.author == nato and made.classification.rank == 0
    entry = AuditEvent.objects.for_object(made).get()
    assert entry.verb == COMMENT_ADDED and entry.actor == nato
    assert list(Comment.objects.about(c)) == [made]


def test_a_comment_on_a_nato_only_contribution_never_reaches_an_eu_user(nato_only, comment):
    eu = nato_only["eu_reader"]
    made = comment(nato_only["author"], nato_only["contribution"], "Ask @eu-colleague and @nato-colleague.")
    assert made.classification.rank == 2 and {o.key for o in made.releasable_to.all()} == {"nato"}
    assert not Comment.objects.visible_to(eu).filter(pk=made.pk).exists()
    assert Comment.objects.visible_to(nato_only["nato_reader"]).filter(pk=made.pk).exists()
    # Nor its audit entry.
    assert not AuditEvent.objects.for_object(made).visible_to(eu).exists()
    assert AuditEvent.objects.for_object(made).visible_to(nato_only["nato_reader"]).exists()


def test_a_comment_marked_public_on_a_restricted_text_is_refused(nato_only, level, orgs):
    before = _counts()
    with pytest.raises(InputError) as err:
        add_comment(actor=nato_only["author"], subject=nato_only["contribution"], text="Fine.",
                    classification=level(0, scheme="nato"), releasable_to=[orgs["nato"], orgs["eu"]])
    assert err.value.field == "classification" and "at least as high" in err.value.detail
    assert _counts() == before


def test_comments_on_a_draft_stay_with_its_organisation(make_user, write, comment, commitments):
    eu = make_user(org="eu", role="drafter", clearance=2)
    eu_colleague = make_user(org="eu", role="reader", clearance=0)
    nato = make_user(org="nato", role="approver", clearance=5)
    draft = write(eu, commitments[1], "An EU draft.")
    made = comment(eu, draft, "A PUBLIC comment on a draft.")
    assert made.classification.rank == 0
    assert Comment.objects.visible_to(eu_colleague).filter(pk=made.pk).exists()
    assert not Comment.objects.visible_to(nato).filter(pk=made.pk).exists()
    assert not Comment.objects.visible_to(None).filter(pk=made.pk).exists()  # never to the public
    # NATO cannot comment on it either: it does not exist for them.
    with pytest.raises(NotFound):
        comment(nato, draft, "Hello?")
    from rapport.contributions.services import submit_contribution

    submit_contribution(actor=eu, contribution=draft)
    assert Comment.objects.visible_to(nato).filter(pk=made.pk).exists()


def test_a_hidden_subject_answers_as_a_missing_one(nato_only, level, orgs):
    from rapport.contributions.models import Contribution

    eu = make_eu = nato_only["eu_reader"]
    eu.role = "drafter"
    eu.save()
    before = _counts()
    with pytest.raises(NotFound) as hidden:
        add_comment(actor=make_eu, subject=nato_only["contribution"], text="x", classification=level(2, scheme="eu"),
                    releasable_to=[orgs["eu"]])
    ghost = Contribution(pk=10**9, organisation=orgs["nato"], commitment=nato_only["contribution"].commitment,
                         period=nato_only["contribution"].period, narrative="x", classification=level(0))
    with pytest.raises(NotFound) as missing:
        add_comment(actor=eu, subject=ghost, text="x", classification=level(2, scheme="eu"),
                    releasable_to=[orgs["eu"]])
    assert str(hidden.value) == str(missing.value) == "No such contribution."
    assert _counts() == before


@pytest.mark.parametrize("text, message", [
    ("", "write the comment"),
    ("   \u200b  ", "write the comment"),
    ("x" * (COMMENT_MAX_LENGTH + 1), "at most"),
    ("bad \x00 byte", "control character"),
    ("bad \x1b escape", "control character"),
    ("turned \u202e around", "control character"),
])
def test_bad_text_is_refused_naming_the_field_and_changes_nothing(make_user, write, comment, commitments, text,
                                                                   message):
    eu = make_user(org="eu", role="drafter", clearance=2)
    c = write(eu, commitments[2], "EU progress.", submit=True)
    before = _counts()
    with pytest.raises(InputError) as err:
        comment(eu, c, text)
    assert err.value.field == "text" and message in err.value.detail
    assert _counts() == before


def test_a_comment_is_releasable_only_where_its_text_is(nato_only, comment):
    before = _counts()
    with pytest.raises(InputError) as err:
        comment(nato_only["author"], nato_only["contribution"], "Share with the EU?", to=["nato", "eu"])
    assert err.value.field == "releasable_to" and "EU" in err.value.detail
    assert _counts() == before


def test_a_comment_is_marked_in_the_writers_scheme_within_their_clearance(nato_only, comment):
    before = _counts()
    with pytest.raises(InputError) as err:
        comment(nato_only["nato_reader"], nato_only["contribution"], "Too high.", marking="COSMIC TOP SECRET")
    assert err.value.field == "classification" and "clearance" in err.value.detail
    with pytest.raises(InputError) as err:
        comment(nato_only["nato_reader"], nato_only["contribution"], "Other scheme.",
                marking="RESTREINT UE/EU RESTRICTED")
    assert err.value.field == "classification" and "own organisation's scheme" in err.value.detail
    assert _counts() == before


def test_delegations_and_administrators_do_not_comment(make_user, write, comment, commitments):
    eu = make_user(org="eu", role="drafter", clearance=2)
    c = write(eu, commitments[3], "EU progress.", submit=True)
    delegation = make_user(delegation="FI", clearance=2)
    admin = make_user(org="eu", role="administrator", clearance=2)
    from rapport.partnerships.models import Organisation

    before = _counts()
    with pytest.raises(Refused, match="staff"):
        add_comment(actor=delegation, subject=c, text="From Helsinki.", classification=c.classification,
                    releasable_to=list(Organisation.objects.all()))
    with pytest.raises(Refused, match="administrators"):
        comment(admin, c, "Admin here.")
    assert _counts() == before


def test_nobody_comments_once_the_period_is_final(make_user, write, comment, commitments, open_period):
    from rapport.periods.models import ReportingPeriod

    eu = make_user(org="eu", role="drafter", clearance=2)
    c = write(eu, commitments[4], "EU progress.", submit=True)
    comment(eu, c, "While open.")
    for state in ("published", "archived"):
        ReportingPeriod.objects.filter(pk=open_period.pk).update(state=state)
        c.period.refresh_from_db()
        before = _counts()
        with pytest.raises(Refused, match="final"):
            comment(eu, c, "Too late.")
        assert _counts() == before


def test_the_report_of_the_period_published_closes_the_thread(make_user, write, comment, commitments, open_period,
                                                             level):
    from rapport.reports.models import Report

    eu = make_user(org="eu", role="drafter", clearance=2)
    c = write(eu, commitments[5], "EU progress.", submit=True)
    comment(eu, c, "While the report is a draft.")
    Report.objects.update_or_create(period=open_period, defaults={
        "title": "Published", "state": "published", "classification": level(0)})
    with pytest.raises(Refused, match="final"):
        comment(eu, c, "Too late.")


def test_comments_on_joint_texts(make_user, comment, commitments, open_period, level, orgs):
    from rapport.contributions.services import create_joint_text

    eu = make_user(org="eu", role="drafter", clearance=3)
    nato = make_user(org="nato", role="coordinator", clearance=3)
    nato_low = make_user(org="nato", role="reader", clearance=1)
    jt = create_joint_text(actor=eu, commitment=commitments[6], period=open_period, text="Together.",
                           classification=level(2, scheme="eu"), releasable_to=[orgs["eu"], orgs["nato"]])
    made = comment(nato, jt, "Agreed.")
    assert made.classification.rank == 2
    assert Comment.objects.visible_to(eu).filter(pk=made.pk).exists()
    assert not Comment.objects.visible_to(nato_low).filter(pk=made.pk).exists()


def test_mentions_are_found_once_each():
    assert mentioned_usernames("@a, then (@b.c) and @a again; mail x@y.z; end @d.") == ["a", "b.c", "d"]
