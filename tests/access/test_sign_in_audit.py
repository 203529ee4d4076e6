import datetime

import pytest
from django.urls import reverse

from rapport.audit.models import AuditEvent
from rapport.audit.verbs import Verb


def test_sign_in_and_failed_sign_in_are_audited_inside_the_users_organisation(client, make_user):
    user = make_user("eu", "drafter", 2)
    nato_user = make_user("nato", "reader", 3)
    client.post(reverse("login"), {"username": user.username, "password": "wrong-password-123"})
    client.post(reverse("login"), {"username": user.username, "password": "correct-horse-battery"})
    failed = AuditEvent.objects.for_object(user).filter(verb=Verb.USER_LOGIN_FAILED)
    signed_in = AuditEvent.objects.for_object(user).filter(verb=Verb.USER_LOGGED_IN)
    assert failed.count() == 1 and signed_in.count() == 1
    assert signed_in.get().actor == user and signed_in.get().actor_org == "eu"
    assert signed_in.get().request_id  # the request it came in with
    # Internal to the EU: the NATO user sees neither entry.
    assert not AuditEvent.objects.for_object(user).visible_to(nato_user).filter(verb__startswith="user.").exists()
    assert AuditEvent.objects.visible_to(user).filter(pk=signed_in.get().pk).exists()


@pytest.mark.django_db
def test_guessing_cannot_grow_the_audit_log(make_user, client, monkeypatch):
    from rapport.access.models import FailedSignIns

    user = make_user(org="eu", role="coordinator", clearance=3)
    entries = AuditEvent.objects.count()
    for _ in range(15):
        client.post(reverse("login"), {"username": user.username, "password": "wrong-password-123"})
    assert AuditEvent.objects.count() == entries + 1
    assert FailedSignIns.objects.get(user=user).count == 15
    import rapport.access.signals as signals

    tomorrow = FailedSignIns.objects.get(user=user).day + datetime.timedelta(days=1)
    monkeypatch.setattr(signals.timezone, "localdate", lambda: tomorrow)
    client.post(reverse("login"), {"username": user.username, "password": "wrong-password-123"})
    assert AuditEvent.objects.count() == entries + 2
    # Past the limit across addresses (20 in 15 minutes) the account is refused before any
    # password is checked: one more entry says so, and further guesses add nothing.
    for _ in range(10):
        client.post(reverse("login"), {"username": user.username, "password": "wrong-password-123"})
    assert AuditEvent.objects.count() == entries + 3
    assert AuditEvent.objects.order_by("-seq").first().verb == "user.sign_in_locked"
