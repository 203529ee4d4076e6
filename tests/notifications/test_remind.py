"""rapport remind: what is due, to whom, once; --dry-run writes nothing."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command

from rapport.audit.models import AuditEvent
from rapport.notifications.choices import Kind
from rapport.notifications.models import Notification

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 26)


def remind(*args) -> str:
    out = StringIO()
    call_command("remind", "--today", DAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


@pytest.fixture
def staff(person):
    return {key: person(org, role) for key, (org, role) in {
        "eu-drafter": ("eu", "drafter"), "eu-coordinator": ("eu", "coordinator"),
        "eu-approver": ("eu", "approver"), "eu-reader": ("eu", "reader"),
        "nato-drafter": ("nato", "drafter"), "nato-coordinator": ("nato", "coordinator"),
        "nato-approver": ("nato", "approver"),
    }.items()}


def test_a_reminder_before_the_contributions_deadline_goes_to_writers_once(staff, deadlines):
    deadlines(contributions_due=DAY + datetime.timedelta(days=10))
    out = remind()
    for key in ("eu-drafter", "eu-coordinator", "nato-drafter", "nato-coordinator"):
        assert kinds(staff[key]) == [Kind.REMINDER], key
    for key in ("eu-approver", "eu-reader", "nato-approver"):
        assert kinds(staff[key]) == [], key
    n = Notification.objects.get(recipient=staff["eu-drafter"])
    assert "due in 10 days" in n.title and "from EU" in n.title and "organisation=eu" in n.url
    assert len(mail.outbox) == 4 and {m.to[0] for m in mail.outbox} == {
        staff[k].email for k in ("eu-drafter", "eu-coordinator", "nato-drafter", "nato-coordinator")}
    assert out.count("sent reminder") == 4
    # Every hour after that: nothing more.
    entries = AuditEvent.objects.count()
    assert "0 notice(s) sent, 0 e-mail(s)" in remind()
    assert Notification.objects.count() == 4 and len(mail.outbox) == 4 and AuditEvent.objects.count() == entries


def test_nothing_before_the_window_and_nothing_when_all_is_submitted(staff, deadlines, write, commitments):
    deadlines(contributions_due=DAY + datetime.timedelta(days=15))  # outside the 14 days
    remind()
    assert not Notification.objects.exists()


def test_overdue_then_escalation_to_the_coordinator(staff, deadlines, eu_nato):
    deadlines(contributions_due=DAY - datetime.timedelta(days=3))
    remind()
    assert kinds(staff["eu-drafter"]) == [Kind.OVERDUE]
    assert kinds(staff["eu-coordinator"]) == [Kind.OVERDUE]
    deadlines(contributions_due=DAY - datetime.timedelta(days=eu_nato.escalate_after_days))
    remind()
    assert kinds(staff["eu-drafter"]) == [Kind.OVERDUE, Kind.OVERDUE]  # the deadline moved: told again
    assert Kind.ESCALATION in kinds(staff["eu-coordinator"])
    assert Kind.ESCALATION in kinds(staff["nato-coordinator"])
    assert Kind.ESCALATION not in kinds(staff["eu-drafter"])


def test_the_partnership_sets_the_days(staff, deadlines, eu_nato):
    type(eu_nato).objects.filter(pk=eu_nato.pk).update(remind_days_before=20)
    deadlines(contributions_due=DAY + datetime.timedelta(days=18))
    remind()
    assert kinds(staff["eu-drafter"]) == [Kind.REMINDER]


def test_approvers_are_reminded_of_what_waits_for_them(staff, deadlines, write, commitments):
    write(staff["nato-drafter"], commitments[0], "NATO only text.", marking="NATO CONFIDENTIAL", to=["nato"],
          submit=True)
    deadlines(approval_due=DAY + datetime.timedelta(days=2))
    remind()
    assert kinds(staff["nato-approver"]) == [Kind.REMINDER]
    n = Notification.objects.get(recipient=staff["nato-approver"])
    assert "1 submitted contribution waits for your approval" in n.title
    assert kinds(staff["eu-approver"]) == []
    deadlines(approval_due=DAY - datetime.timedelta(days=30))
    remind()
    assert Kind.ESCALATION in kinds(staff["nato-coordinator"])
    assert kinds(staff["eu-coordinator"]) == []  # nothing of the EU's waits


def test_dry_run_prints_and_writes_nothing(staff, deadlines, tmp_path):
    deadlines(contributions_due=DAY - datetime.timedelta(days=30), approval_due=DAY + datetime.timedelta(days=1))
    entries = AuditEvent.objects.count()
    checkpoints = Path(settings.AUDIT_CHECKPOINT_FILE)
    before = checkpoints.read_bytes() if checkpoints.exists() else None
    out = remind("--dry-run")
    assert "would send overdue" in out and "would send escalation" in out
    assert "nothing was written" in out
    assert not Notification.objects.exists()
    assert AuditEvent.objects.count() == entries
    assert mail.outbox == []
    assert (checkpoints.read_bytes() if checkpoints.exists() else None) == before
    assert not (Path(settings.DATA_DIR) / "mail").exists() or not any((Path(settings.DATA_DIR) / "mail").iterdir())
    # A real run then sends what the dry run listed, and a dry run after it lists nothing.
    sent = remind()
    assert sent.count("sent ") == out.count("would send ")
    assert "0 notice(s) would be sent" in remind("--dry-run")


def test_the_lines_name_the_deadline_in_the_command_lines_language(staff, deadlines):
    from django.utils import translation

    deadlines(contributions_due=DAY - datetime.timedelta(days=30))
    english = remind("--dry-run")
    assert "contributions due" in english and "contributions_due" not in english
    with translation.override("fr"):
        french = remind("--dry-run")
    assert "date limite des contributions" in french and "contributions_due" not in french


def test_output_names_no_title(staff, deadlines, write, commitments):
    write(staff["nato-drafter"], commitments[0], "NATO only text.", marking="NATO CONFIDENTIAL", to=["nato"],
          submit=True)
    deadlines(approval_due=DAY + datetime.timedelta(days=2), contributions_due=DAY)
    out = remind() + remind("--dry-run")
    titles = list(Notification.objects.values_list("title", flat=True))
    assert titles and not [t for t in titles if t in out]
    assert commitments[0].ref not in out


@pytest.mark.parametrize("bad", ["2026-13-01", "tomorrow", ""])
def test_a_bad_day_is_a_clear_error(bad):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind", "--today", bad) if bad else call_command("remind", "--today=")
    assert not Notification.objects.exists()


def test_counts_in_titles_are_counted_through_the_recipients_read_path(staff, deadlines, commitments, level):
    from rapport.commitments.models import Commitment
    from rapport.partnerships.models import Organisation

    hidden = commitments[0]
    Commitment.objects.filter(pk=hidden.pk).update(classification=level("NATO CONFIDENTIAL"))
    hidden.releasable_to.set([Organisation.objects.get(key="nato")])
    deadlines(contributions_due=DAY + datetime.timedelta(days=1))
    remind()
    total = Commitment.objects.filter(partnership=hidden.partnership).count()
    eu = Notification.objects.get(recipient=staff["eu-drafter"]).title
    nato = Notification.objects.get(recipient=staff["nato-drafter"]).title
    assert f": {total - 1} commitments have no submitted contribution from EU" in eu
    assert f": {total} commitments have no submitted contribution from NATO" in nato
