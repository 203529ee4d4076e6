"""Bad input to the sign-in, account and console forms: a clear answer, never a server error,
and nothing changed or recorded."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from rapport.access.models import User
from rapport.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
NOT_IDS = ["1" * 30, "-1", "word", ""]
JUNK = ["", "x" * 5000, "1" * 30, "-1", "<script>alert(1)</script>", "é" * 40]


@pytest.fixture
def admin(make_user):
    return make_user(org="eu", role="administrator", clearance=3)


@pytest.fixture
def account(make_user):
    return make_user(org="eu", role="drafter", clearance=2)


def _state(account):
    account.refresh_from_db()
    return (AuditEvent.objects.count(), User.objects.count(), account.role, account.clearance_id, account.is_active,
            account.password)


def test_console_forms_take_junk_without_changing_anything(admin, account):
    client = Client()
    client.force_login(admin)
    client.get(reverse("console-home"))  # the sign-in's own entry is written before counting
    before = _state(account)
    for junk in JUNK:
        for action, field in (("role", "role"), ("clearance", "clearance")):
            response = client.post(reverse("console-account-action", args=[account.pk, action]), {field: junk})
            assert response.status_code == 302, (action, junk)
        response = client.post(reverse("console-account-new"), {"username": junk, "role": junk, "how": junk,
                                                                 "clearance": junk, "email": junk})
        assert response.status_code == 400, junk
        response = client.post(reverse("console-settings"), {
            "default_level": junk, "two_factor_roles": [junk], "remind_days_before": junk,
            "escalate_after_days": junk})
        assert response.status_code in (302, 400), junk
        assert client.get(reverse("console-home"), {"q": junk[:200], "page": junk[:40]}).status_code == 200
    assert _state(account) == before


@pytest.mark.parametrize("value", NOT_IDS)
def test_console_addresses_with_no_such_id_are_404(admin, value):
    client = Client()
    client.force_login(admin)
    for name in ("console-account", "console-account-action", "console-raise-action", "console-token-revoke"):
        kwargs = {"pk": 999999}
        if name in ("console-account-action", "console-raise-action"):
            kwargs["action"] = "confirm"
        response = client.post(reverse(name, kwargs=kwargs)) if name != "console-account" else client.get(
            reverse(name, kwargs=kwargs))
        assert response.status_code == 404, name


def test_sign_in_steps_take_junk(make_user, settings):
    settings.RAPPORT_TWO_FACTOR_ROLES = ["approver"]
    user = make_user(org="eu", role="approver", clearance=2)
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": "correct-horse-battery"})
    for junk in JUNK:
        assert client.post(reverse("sign-in-enrol"), {"code": junk}).status_code in (400, 302), junk
    assert Client().post(reverse("sign-in-code"), {"code": "123456"}).status_code == 302  # no pending sign-in
    for path in ("/accounts/welcome/x/y/", "/accounts/welcome/MQ/nonsense/", "/accounts/welcome/" + "9" * 40 + "/z/"):
        assert Client().get(path).status_code == 404, path
    signed_in = Client()
    signed_in.force_login(make_user(org="eu", role="reader", clearance=1))
    for junk in JUNK:
        assert signed_in.post(reverse("account-password"), {"current": junk, "password": junk,
                                                            "confirmation": junk}).status_code == 400
        assert signed_in.post(reverse("account-recovery-codes"), {"code": junk}).status_code == 302
        assert signed_in.post(reverse("account-two-factor-off"), {"code": junk}).status_code == 302
