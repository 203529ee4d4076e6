"""A notice and its e-mail are written in the recipient's language (their own preference, else
English), whoever takes the step and in whatever language their pages are."""

from __future__ import annotations

import pytest
from django.utils import translation

from rapport.contributions import services
from rapport.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.workflow_notices]


def _speaking(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_each_approver_gets_the_notice_and_its_mail_in_their_own_language(
        person, write, commitments, mailoutbox, django_capture_on_commit_callbacks):
    drafter = person("eu", "drafter", 3)
    french = _speaking(person("eu", "approver", 3), "fr")
    english = _speaking(person("eu", "approver", 3), "")
    ref = commitments[0].ref
    c = write(drafter, commitments[0], "Progress.")
    with django_capture_on_commit_callbacks(execute=True), translation.override("fr"):
        # The step is taken on a French page: the English approver still reads English.
        services.submit_contribution(actor=drafter, contribution=c)

    assert Notification.objects.get(recipient=french).title == f"Une contribution sur {ref} attend votre approbation"
    assert Notification.objects.get(recipient=english).title == f"A contribution on {ref} waits for your approval"
    mails = {m.to[0]: m for m in mailoutbox}
    assert set(mails) == {french.email, english.email}

    fr = mails[french.email]
    assert fr.subject == f"[Rapport] Une contribution sur {ref} attend votre approbation"
    assert f"À ouvrir dans Rapport\u00a0: http://127.0.0.1:8000/contributions/{c.pk}/" in fr.body
    assert f"Avis (Étape de la procédure) adressé à {french.username}." in fr.body
    assert "Open it in Rapport" not in fr.body

    en = mails[english.email]
    assert en.subject == f"[Rapport] A contribution on {ref} waits for your approval"
    assert f"Open it in Rapport: http://127.0.0.1:8000/contributions/{c.pk}/" in en.body
    assert f"Workflow notice for {english.username}." in en.body
    assert "À ouvrir" not in en.body


def test_a_decision_is_told_to_a_french_author_in_french(person, write, commitments, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    drafter = _speaking(person("nato", "drafter", 3), "fr")
    approver = person("nato", "approver", 3)
    c = write(drafter, commitments[1], "Progress.", submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_contribution(actor=approver, contribution=c, message="Name the exercise.")
    [mail] = [m for m in mailoutbox if m.to == [drafter.email]]
    assert mail.subject == (f"[Rapport] Votre contribution sur {commitments[1].ref} a été renvoyée : "
                            "le motif figure sur sa page")


def test_a_reminder_is_made_in_each_recipients_language(person, deadlines):
    import datetime
    from io import StringIO

    from django.core.management import call_command

    day = datetime.date(2026, 11, 26)
    french = _speaking(person("eu", "drafter"), "fr")
    english = person("nato", "drafter")
    period = deadlines(contributions_due=day + datetime.timedelta(days=10))
    call_command("remind", "--today", day.isoformat(), stdout=StringIO())
    ordinal = {8: ("huitième", "eighth"), 12: ("douzième", "twelfth"), 13: ("treizième", "thirteenth")}[period.ordinal]
    fr = Notification.objects.get(recipient=french).title
    assert fr.startswith(f"Contributions de la {ordinal[0]} période de rapport à rendre dans 10 jours "
                         "(6 décembre 2026) : "), fr
    assert "n’ont reçu aucune contribution soumise par EU" in fr
    en = Notification.objects.get(recipient=english).title
    assert en.startswith(f"Contributions of the {ordinal[1]} reporting period due in 10 days (6 December 2026): "), en
    assert "have no submitted contribution from NATO" in en
