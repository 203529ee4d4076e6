"""The inbox page, the header's unread count, marking read; what a reader may no longer read disappears."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rapport.audit.models import AuditEvent
from rapport.contributions import services as contributions
from rapport.notifications import services as notifications
from rapport.notifications.choices import Kind
from rapport.notifications.mail import send_pending
from rapport.notifications.models import Notification
from rapport.notifications.services import notify

pytestmark = pytest.mark.django_db


def _tell(user, c, title=None, **kw):
    return notify(user, kind=Kind.WORKFLOW, subject=c, title=title or f"Submitted: {c.commitment.ref} ({c.pk})",
                  url=f"/contributions/{c.pk}/", send_mail=False, **kw)


def _client(user, **kw):
    client = Client(**kw)
    client.force_login(user)
    return client


def test_the_inbox_lists_own_notices_and_the_header_counts_them(person, write, commitments):
    nato, approver, other = person("nato", "drafter"), person("nato", "approver"), person("nato", "coordinator")
    c = write(nato, commitments[0], "Text.", marking="NATO RESTRICTED", to=["nato"], submit=True)
    mine = _tell(approver, c, title="For the approver")
    _tell(other, c, title="For the coordinator")
    body = _client(approver).get("/inbox/").content.decode()
    assert "For the approver" in body and "For the coordinator" not in body
    assert f'href="/contributions/{c.pk}/"' in body
    assert "NATO RESTRICTED" in body  # the subject's portion marking and the banner
    header = _client(approver).get("/dashboard/").content.decode()
    assert '<span class="unread-count">1<span class="visually-hidden"> unread</span></span>' in header
    assert mine.read_at is None


def test_mark_one_and_all_read(person, write, commitments):
    nato, approver, other = person("nato", "drafter"), person("nato", "approver"), person("nato", "coordinator")
    cs = [write(nato, commitments[i], f"Text {i}.", submit=True) for i in range(3)]
    notes = [_tell(approver, c) for c in cs]
    theirs = _tell(other, cs[0])
    client = _client(approver)
    assert client.get(f"/inbox/{notes[0].pk}/read/").status_code == 405
    response = client.post(f"/inbox/{notes[0].pk}/read/")
    assert response.status_code == 302
    notes[0].refresh_from_db()
    assert notes[0].read_at is not None
    assert "unread-count\">2<" in client.get("/dashboard/").content.decode()
    entries = AuditEvent.objects.count()
    assert client.post(f"/inbox/{notes[0].pk}/read/").status_code == 302  # again: nothing changes
    assert AuditEvent.objects.count() == entries
    # Someone else's notice is as missing as one that does not exist.
    denied = client.post(f"/inbox/{theirs.pk}/read/")
    missing = client.post(f"/inbox/{theirs.pk + 10_000}/read/")
    assert denied.status_code == missing.status_code == 404 and denied.content == missing.content
    theirs.refresh_from_db()
    assert theirs.read_at is None
    client.post("/inbox/read-all/")
    assert not Notification.objects.filter(recipient=approver, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert "unread-count" not in client.get("/dashboard/").content.decode()


def test_marking_read_needs_the_csrf_token(person, write, commitments):
    nato, approver = person("nato", "drafter"), person("nato", "approver")
    n = _tell(approver, write(nato, commitments[0], "Text.", submit=True))
    client = _client(approver, enforce_csrf_checks=True)
    assert client.post(f"/inbox/{n.pk}/read/").status_code == 403
    assert client.post("/inbox/read-all/").status_code == 403
    n.refresh_from_db()
    assert n.read_at is None


def test_the_inbox_hides_a_notice_whose_subject_became_invisible(person, write, commitments, level):
    nato, eu = person("nato", "drafter"), person("eu", "approver", clearance=3)
    nato_approver = person("nato", "approver", clearance=3)
    shared = write(nato, commitments[0], "Shared text.", to=["eu", "nato"], submit=True)
    remarked = write(nato, commitments[1], "Another.", marking="NATO RESTRICTED", to=["nato"], submit=True)
    n1 = _tell(eu, shared, title="Shared one")
    n2 = _tell(nato_approver, remarked, title="Remarked one")
    assert n1 is not None and n2 is not None
    # The NATO approver returns the shared text: it goes back to NATO's drafters and is hidden from the EU.
    contributions.return_contribution(actor=nato_approver, contribution=shared, message="Please revise.")
    # The other is remarked above the approver's clearance.
    type(remarked).objects.filter(pk=remarked.pk).update(classification=level("NATO SECRET"))
    for user, title in ((eu, "Shared one"), (nato_approver, "Remarked one")):
        body = _client(user).get("/inbox/").content.decode()
        assert title not in body and "No notifications." in body
        assert "unread-count" not in _client(user).get("/dashboard/").content.decode()
        assert not Notification.objects.visible_to(user).exists()
        n = Notification.objects.get(recipient=user)
        assert _client(user).post(f"/inbox/{n.pk}/read/").status_code == 404
    # Nor is its e-mail sent, if it was still waiting.
    for user in (eu, nato_approver):
        user.email = f"{user.username}@example.org"
        user.save()
    assert send_pending() == 0


def test_a_nato_only_contribution_never_reaches_an_eu_user(person, write, commitments,
                                                          django_capture_on_commit_callbacks, mailoutbox):
    nato, eu = person("nato", "drafter"), person("eu", "coordinator", clearance=5)
    c = write(nato, commitments[0], "NATO only.", marking="NATO CONFIDENTIAL", to=["nato"], submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(eu, kind=Kind.MENTION, subject=c, title=f"You were mentioned on {c.commitment.ref}",
                      url=f"/contributions/{c.pk}/", actor=person("nato", "approver")) is None
    assert not Notification.objects.filter(recipient=eu).exists()
    assert mailoutbox == []
    # A notice made for the EU user by going around notify() is still never shown nor sent.
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    forged = Notification.objects.create(recipient=eu, kind=Kind.MENTION, content_type=ContentType.objects.get_for_model(c),
                                         object_pk=c.pk, title="Forged NATO title", url="/", dedupe_key="forged",
                                         created_at=timezone.now())
    body = _client(eu).get("/inbox/").content.decode()
    assert "Forged NATO title" not in body
    assert send_pending(Notification.objects.filter(pk=forged.pk)) == 0 and mailoutbox == []


def test_paging_keeps_its_size_and_bad_pages_are_not_errors(person, write, commitments):
    nato, approver = person("nato", "drafter"), person("nato", "approver")
    c = write(nato, commitments[0], "Text.", submit=True)
    for i in range(30):
        notify(approver, kind=Kind.REMINDER, subject=c, title=f"Notice number {i:02d}", url="/dashboard/",
               send_mail=False)
    client = _client(approver)
    first = client.get("/inbox/").content.decode()
    assert first.count('class="notice ') == 25 and "Notice number 29" in first and "Notice number 04" not in first
    second = client.get("/inbox/?page=2").content.decode()
    assert second.count('class="notice ') == 5 and "Notice number 00" in second
    for bad in ("abc", "-1", "999999999999999999999999", "0"):
        assert client.get(f"/inbox/?page={bad}").status_code == 200
    assert client.get("/inbox/?show=unread").status_code == 200


def test_the_inbox_makes_as_many_queries_with_many_notices(person, write, commitments):
    nato, approver = person("nato", "drafter"), person("nato", "approver")
    cs = [write(nato, commitments[i], f"Text {i}.", marking="NATO RESTRICTED", to=["nato"], submit=True)
          for i in range(12)]
    client = _client(approver)

    def count():
        client.get("/inbox/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/inbox/").status_code == 200
        return len(ctx.captured_queries)

    _tell(approver, cs[0])
    few = count()
    for c in cs[1:]:
        _tell(approver, c)
        notify(approver, kind=Kind.REMINDER, subject=c.period, title=f"Period notice {c.pk}", url="/",
               send_mail=False)
    _tell(approver, cs[0], title="one more")
    assert count() == few


def test_the_services_mark_only_the_actors_own_visible_notices(person, write, commitments, level):
    from rapport.core.errors import NotFound

    nato, approver, other = person("nato", "drafter"), person("nato", "approver"), person("nato", "coordinator")
    c = write(nato, commitments[0], "Text.", marking="NATO RESTRICTED", to=["nato"], submit=True)
    theirs, mine = _tell(other, c), _tell(approver, c)
    with pytest.raises(NotFound):
        notifications.mark_read(actor=approver, notification=theirs)
    type(c).objects.filter(pk=c.pk).update(classification=level("NATO SECRET"))  # now above the approver
    with pytest.raises(NotFound):
        notifications.mark_read(actor=approver, notification=mine)
    assert notifications.mark_all_read(actor=approver) == 0
    assert not Notification.objects.filter(read_at__isnull=False).exists()
