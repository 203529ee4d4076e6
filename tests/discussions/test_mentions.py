"""@-mentions notify a named user only if they may read the comment, with a title they may read."""

from __future__ import annotations

import pytest

from rapport.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_a_mention_reaches_only_those_who_may_read_the_comment(nato_only, comment, make_user):
    fi = make_user(delegation="FI", clearance=3, username="del-fi")
    made = comment(nato_only["author"], nato_only["contribution"],
                   "@eu-colleague, @nato-colleague and @del-fi: see the dates. @nobody-here")
    assert not Notification.objects.filter(recipient=nato_only["eu_reader"]).exists()
    notice = Notification.objects.get(recipient=nato_only["nato_reader"])
    assert notice.kind == "mention" and notice.object_pk == made.pk
    assert notice.url == f"/contributions/{nato_only['contribution'].pk}/#comment-{made.pk}"
    assert nato_only["contribution"].commitment.ref in notice.title
    assert "dates" not in notice.title  # references only, never the comment's text
    # A delegation reads NATO's submitted texts (Finland is in NATO): it may be told, though it may not comment.
    assert Notification.objects.filter(recipient=fi).count() == 1
    assert not Notification.objects.filter(recipient=nato_only["author"]).exists()  # not oneself


def test_a_mention_on_a_draft_stays_home(make_user, write, comment, commitments):
    eu = make_user(org="eu", role="drafter", clearance=2)
    eu_approver = make_user(org="eu", role="approver", clearance=2, username="eu-boss")
    nato = make_user(org="nato", role="approver", clearance=5, username="nato-boss")
    draft = write(eu, commitments[0], "An EU draft.")
    comment(eu, draft, "@nato-boss @eu-boss is this ready?")
    assert not Notification.objects.filter(recipient=nato).exists()
    assert Notification.objects.filter(recipient=eu_approver).count() == 1


def test_the_title_names_the_commitment_only_if_the_recipient_may_read_it(make_user, write, comment, eu_nato, level,
                                                                         orgs):
    from rapport.commitments.models import Commitment

    hidden = Commitment.objects.create(partnership=eu_nato, ref="SECRET-REF-1", mandate_id=Commitment.objects.first().mandate_id,
                                       area_id=Commitment.objects.first().area_id, title="t", text="t", order=99999,
                                       classification=level(3, scheme="eu"))
    hidden.releasable_to.set([orgs["eu"], orgs["nato"]])
    eu = make_user(org="eu", role="drafter", clearance=3)
    low = make_user(org="eu", role="reader", clearance=1, username="eu-low")
    c = write(eu, hidden, "A PUBLIC text on a commitment marked higher.", submit=True)
    comment(eu, c, "@eu-low have a look")
    notice = Notification.objects.get(recipient=low)
    assert "SECRET-REF-1" not in notice.title


def test_a_comment_with_the_same_mention_twice_notifies_once(nato_only, comment):
    comment(nato_only["author"], nato_only["contribution"], "@nato-colleague @nato-colleague")
    assert Notification.objects.filter(recipient=nato_only["nato_reader"]).count() == 1


def test_a_mention_is_told_in_the_recipients_language(make_user, write, comment, commitments):
    author = make_user(org="eu", role="drafter", clearance=2)
    french = make_user(org="eu", role="approver", clearance=2, username="eu-fr")
    french.language = "fr"
    french.save(update_fields=["language"])
    english = make_user(org="eu", role="approver", clearance=2, username="eu-en")
    draft = write(author, commitments[0], "An EU draft.")
    comment(author, draft, "@eu-fr @eu-en is this ready?")
    ref = commitments[0].ref
    assert Notification.objects.get(recipient=french).title == (
        f"Vous avez été mentionné dans un commentaire sur une contribution ({ref})")
    assert Notification.objects.get(recipient=english).title == f"You were mentioned in a comment on a contribution on {ref}"
