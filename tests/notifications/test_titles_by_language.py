"""A notice's title is kept in every language: the inbox shows it in the language its reader uses
now, the e-mail in the language it was made in, and in no language does it name what its
reader may not read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from rapport.notifications.choices import Kind
from rapport.notifications.mail import send_pending
from rapport.notifications.models import Notification
from rapport.notifications.services import notify

pytestmark = pytest.mark.django_db


def _speaking(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.workflow_notices
def test_a_notice_made_in_english_shows_in_french_once_its_reader_switches(person, write, commitments):
    drafter, approver = person("eu", "drafter"), _speaking(person("eu", "approver"), "en")
    ref = commitments[0].ref
    write(drafter, commitments[0], "Progress.", submit=True)
    notice = Notification.objects.get(recipient=approver)
    english, french = f"A contribution on {ref} waits for your approval", f"Une contribution sur {ref} attend votre approbation"
    assert notice.title == english
    assert notice.titles == {"en": english, "fr": french}

    client = _signed_in(approver)
    body = client.get("/inbox/").content.decode()
    assert english in body and french not in body
    # The switch on the pages keeps the choice on the account; the inbox follows it.
    client.post("/language/", {"language": "fr", "next": "/inbox/"})
    approver.refresh_from_db()
    assert approver.language == "fr"
    body = client.get("/inbox/").content.decode()
    assert french in body and english not in body
    notice.refresh_from_db()
    assert notice.title == english  # what was made stays as made


def test_a_notice_made_before_titles_by_language_shows_its_title(person, write, commitments):
    approver = _speaking(person("nato", "approver"), "fr")
    c = write(person("nato", "drafter"), commitments[1], "Text.", submit=True)
    notice = notify(approver, kind=Kind.WORKFLOW, subject=c, title="Made in one language", url="/inbox/",
                    send_mail=False)
    assert notice.titles == {}
    assert "Made in one language" in _signed_in(approver).get("/inbox/").content.decode()
    with translation.override("fr"):
        assert notice.local_title == "Made in one language"


@pytest.mark.workflow_notices
def test_the_email_stays_in_the_language_the_notice_was_made_in(person, write, commitments, mailoutbox):
    approver = _speaking(person("eu", "approver"), "en")
    ref = commitments[0].ref
    write(person("eu", "drafter"), commitments[0], "Progress.", submit=True)  # the e-mail waits for the commit
    _speaking(approver, "fr")
    assert send_pending() == 1
    [mail] = mailoutbox
    assert mail.subject == f"[Rapport] A contribution on {ref} waits for your approval"
    assert "Open it in Rapport:" in mail.body and "À ouvrir" not in mail.body
    assert "Une contribution" not in mail.subject + mail.body


@pytest.mark.workflow_notices
def test_a_french_recipients_email_and_inbox_are_french(person, write, commitments, mailoutbox):
    approver = _speaking(person("eu", "approver"), "fr")
    ref = commitments[0].ref
    write(person("eu", "drafter"), commitments[0], "Progress.", submit=True)
    assert send_pending() == 1
    [mail] = mailoutbox
    assert mail.subject == f"[Rapport] Une contribution sur {ref} attend votre approbation"
    assert "À ouvrir dans Rapport" in mail.body
    _speaking(approver, "en")
    body = _signed_in(approver).get("/inbox/").content.decode()
    assert f"A contribution on {ref} waits for your approval" in body


@pytest.fixture
def hidden_commitment(eu_nato, level):
    """A commitment marked at the EU's rank 3, releasable to both organisations."""
    from rapport.commitments.models import Commitment
    from rapport.partnerships.models import Organisation

    first = Commitment.objects.order_by("pk").first()
    hidden = Commitment.objects.create(partnership=eu_nato, ref="HIDDEN-REF-7", mandate_id=first.mandate_id,
                                       area_id=first.area_id, title="t", text="t", order=99998,
                                       classification=level(3, scheme="eu"))
    hidden.releasable_to.set(Organisation.objects.filter(key__in=["eu", "nato"]))
    return hidden


@pytest.mark.workflow_notices
def test_no_title_names_a_commitment_its_reader_may_not_read_in_any_language(person, write, hidden_commitment):
    low, high = person("eu", "approver", 1), person("eu", "approver", 3)
    write(person("eu", "drafter", 3), hidden_commitment, "A PUBLIC text on a commitment marked higher.", submit=True)
    unnamed = Notification.objects.get(recipient=low)
    assert unnamed.titles == {"en": "A contribution waits for your approval",
                              "fr": "Une contribution attend votre approbation"}
    assert "HIDDEN-REF-7" not in unnamed.title
    named = Notification.objects.get(recipient=high)
    assert named.titles == {"en": "A contribution on HIDDEN-REF-7 waits for your approval",
                            "fr": "Une contribution sur HIDDEN-REF-7 attend votre approbation"}
    for language in ("en", "fr"):
        body = _signed_in(_speaking(low, language)).get("/inbox/").content.decode()
        assert "HIDDEN-REF-7" not in body, language


def test_no_mention_names_a_commitment_its_reader_may_not_read_in_any_language(person, write, hidden_commitment):
    from rapport.discussions.services import add_comment
    from rapport.partnerships.models import Organisation

    author = person("eu", "drafter", 3)
    low, high = person("eu", "reader", 1), person("eu", "reader", 3)
    c = write(author, hidden_commitment, "A PUBLIC text on a commitment marked higher.", submit=True)
    add_comment(actor=author, subject=c, text=f"@{low.username} @{high.username} have a look",
                classification=c.classification, releasable_to=list(Organisation.objects.all()))
    unnamed = Notification.objects.get(recipient=low, kind=Kind.MENTION).titles
    assert set(unnamed) == {"en", "fr"}
    assert not any("HIDDEN-REF-7" in text for text in unnamed.values()), unnamed
    named = Notification.objects.get(recipient=high, kind=Kind.MENTION).titles
    assert all("HIDDEN-REF-7" in text for text in named.values()), named
    assert unnamed["fr"] != unnamed["en"]


def test_a_reminder_carries_its_title_in_each_language(person, deadlines):
    import datetime
    from io import StringIO

    from django.core.management import call_command

    day = datetime.date(2026, 11, 26)
    drafter = person("nato", "drafter")
    deadlines(contributions_due=day + datetime.timedelta(days=10))
    call_command("remind", "--today", day.isoformat(), stdout=StringIO())
    notice = Notification.objects.get(recipient=drafter)
    assert notice.title == notice.titles["en"]
    assert "reporting period due in 10 days (6 December 2026)" in notice.titles["en"]
    assert "période de rapport à rendre dans 10 jours (6 décembre 2026)" in notice.titles["fr"]
    assert "have no submitted contribution from NATO" in notice.titles["en"]
    assert "n’ont reçu aucune contribution soumise par NATO" in notice.titles["fr"]
    _speaking(drafter, "fr")
    body = _signed_in(drafter).get("/inbox/").content.decode()
    assert "6 décembre 2026" in body and "6 December 2026" not in body


@pytest.mark.parametrize("titles", [{"de": "Titel"}, ["en", "A title"], {"en": "two\x00lines"}])
def test_titles_in_an_unknown_language_or_with_control_characters_are_refused(person, write, commitments, titles):
    from rapport.core.errors import InputError

    approver = person("nato", "approver")
    c = write(person("nato", "drafter"), commitments[1], "Text.", submit=True)
    with pytest.raises(InputError):
        notify(approver, kind=Kind.WORKFLOW, subject=c, title="A title", titles=titles, url="/inbox/", send_mail=False)
    assert not Notification.objects.filter(recipient=approver).exists()


def test_each_title_is_one_line(person, write, commitments):
    approver = person("nato", "approver")
    c = write(person("nato", "drafter"), commitments[1], "Text.", submit=True)
    notice = notify(approver, kind=Kind.WORKFLOW, subject=c, url="/inbox/", send_mail=False,
                    title=lambda: translation.gettext("Inbox") + "\n  Bcc: someone@example.org")
    assert notice.titles == {"en": "Inbox Bcc: someone@example.org", "fr": "Boîte de réception Bcc: someone@example.org"}
