"""notify(): the API other parts call. Nothing about what the recipient may not read."""

from __future__ import annotations

import pytest
from django.core import mail

from rapport.audit.models import AuditEvent
from rapport.core.errors import InputError, NotFound
from rapport.notifications.choices import NOTIFICATION_SENT, Kind
from rapport.notifications.models import Notification
from rapport.notifications.services import notify

pytestmark = pytest.mark.django_db


def _notify(user, subject, **kw):
    args = {"kind": Kind.WORKFLOW, "title": f"Submitted: {subject.commitment.ref}", "url": f"/contributions/{subject.pk}/"}
    args.update(kw)
    return notify(user, subject=subject, **args)


def test_notify_creates_one_notice_an_audit_entry_and_an_email(person, write, commitments,
                                                                django_capture_on_commit_callbacks):
    nato, other = person("nato", "drafter"), person("nato", "approver")
    c = write(nato, commitments[0], "NATO text.", marking="NATO CONFIDENTIAL", to=["nato"], submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        n = _notify(other, c)
    assert n is not None and n.recipient == other and n.kind == Kind.WORKFLOW
    assert Notification.objects.visible_to(other).get() == n
    entry = AuditEvent.objects.for_object(c).get(verb=NOTIFICATION_SENT)
    assert entry.classification.rank == 3 and [o.key for o in entry.releasable_to.all()] == ["nato"]
    assert n.title not in entry.message and n.title not in entry.object_repr
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [other.email] and n.title in message.subject and f"/contributions/{c.pk}/" in message.body
    assert "NATO text." not in message.body


def test_the_same_notice_is_made_once(person, write, commitments, django_capture_on_commit_callbacks):
    nato, other = person("nato", "drafter"), person("nato", "approver")
    c = write(nato, commitments[0], "NATO text.", submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(other, c, dedupe_key="k1") is not None
        entries = AuditEvent.objects.count()
        assert _notify(other, c, dedupe_key="k1", title="Another title") is None
        assert _notify(other, c) is not None  # another key: another notice
        assert _notify(other, c) is None  # the default key is the kind, subject, link and title
    assert Notification.objects.filter(recipient=other).count() == 2
    assert AuditEvent.objects.count() == entries + 1
    assert len(mail.outbox) == 2


def test_no_notice_about_what_the_recipient_may_not_read(person, write, commitments,
                                                         django_capture_on_commit_callbacks):
    nato, eu = person("nato", "drafter"), person("eu", "drafter", clearance=5)
    low = person("nato", "approver", clearance=1)
    secret = write(nato, commitments[0], "NATO only.", marking="NATO CONFIDENTIAL", to=["nato"], submit=True)
    draft = write(nato, commitments[1], "A NATO draft.", to=["eu", "nato"])
    entries = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert _notify(eu, secret) is None  # not releasable to the EU
        assert _notify(low, secret) is None  # above the recipient's clearance
        assert _notify(eu, draft) is None  # a draft stays with its organisation
    assert not Notification.objects.exists()
    assert AuditEvent.objects.count() == entries
    assert mail.outbox == []


def test_an_actor_cannot_notify_about_what_they_may_not_read(person, write, commitments):
    nato, eu = person("nato", "drafter"), person("eu", "drafter")
    secret = write(nato, commitments[0], "NATO only.", marking="NATO CONFIDENTIAL", to=["nato"], submit=True)
    with pytest.raises(NotFound):
        _notify(person("nato", "approver"), secret, actor=eu)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("change, field", [
    ({"kind": "gossip"}, "kind"),
    ({"title": "  "}, "title"),
    ({"title": "Bad \x00 title"}, "title"),
    ({"url": "https://evil.example/"}, "url"),
    ({"url": "//evil.example/"}, "url"),
    ({"url": "/a b"}, "url"),
    ({"url": "/x\r\nBcc: a@b"}, "url"),
])
def test_bad_input_is_refused_and_changes_nothing(person, write, commitments, change, field):
    nato = person("nato", "drafter")
    c = write(nato, commitments[0], "Text.", submit=True)
    entries = AuditEvent.objects.count()
    with pytest.raises(InputError) as raised:
        _notify(person("nato", "approver"), c, **change)
    assert raised.value.field == field
    assert not Notification.objects.exists() and AuditEvent.objects.count() == entries


def test_a_title_is_one_line(person, write, commitments, django_capture_on_commit_callbacks):
    nato, other = person("nato", "drafter"), person("nato", "approver")
    c = write(nato, commitments[0], "Text.", submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        n = _notify(other, c, title="Line one\nBcc: someone@example.org\r\n\r\nbody")
    assert "\n" not in n.title and "\r" not in n.title
    assert "\n" not in mail.outbox[0].message()["Subject"]
    assert mail.outbox[0].recipients() == [other.email]
