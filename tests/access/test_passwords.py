"""The password policy (length, common passwords, repetition, the last five), changing a
password, temporary passwords, and the sign-in limits across addresses and accounts."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from rapport.access import services
from rapport.audit.models import AuditEvent
from rapport.audit.verbs import Verb
from rapport.core.errors import InputError

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "abcabcabcabc", "121212121212", "short-pw", "password1234",
                                  "123456789012", "abcdeabcdeab", "Summer2026!Summer2026!", "aaaaaaaaaaab",
                                  "abcdefghijkl", "aaaa1111bbbb", "zyxwvutsrqpo!", "xxxxxxxxxxxxxxxxxxxxxxxxyz"])
def test_weak_passwords_are_refused(weak, make_user):
    with pytest.raises(ValidationError):
        validate_password(weak, make_user(org="eu", role="reader", clearance=1))


@pytest.mark.parametrize("good", ["tulip-harbour-47-lantern", "violet-granite-canoe", "Kx7#mQ2vL9pw",
                                  "a meadow, a lark and a stone"])
def test_a_good_password_passes(make_user, good):
    validate_password(good, make_user(org="eu", role="reader", clearance=1))


def test_none_of_the_last_five_again(make_user):
    user = make_user(org="eu", role="reader", clearance=1)
    passwords = [f"river-stone-{n}-meadow-lark" for n in range(6)]
    current = PASSWORD
    for pw in passwords:
        services.set_password(actor=user, user=user, current=current, password=pw, confirmation=pw)
        current = pw
    for pw in passwords[1:]:  # the current one and the four before it
        with pytest.raises(InputError, match="not used before"):
            services.set_password(actor=user, user=user, current=current, password=pw, confirmation=pw)
    # The sixth back is forgotten.
    services.set_password(actor=user, user=user, current=current, password=passwords[0], confirmation=passwords[0])
    assert AuditEvent.objects.for_object(user).filter(verb=Verb.USER_PASSWORD_CHANGED).count() == 7


def test_changing_the_password_on_the_page(make_user):
    user = make_user(org="eu", role="reader", clearance=1)
    client, other = Client(), Client()
    for c in (client, other):
        c.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    bad = client.post(reverse("account-password"), {"current": "nope", "password": "x", "confirmation": "x"})
    assert bad.status_code == 400 and "current password is wrong" in bad.content.decode()
    short = client.post(reverse("account-password"), {"current": PASSWORD, "password": "aaaaaaaaaaaa",
                                                      "confirmation": "aaaaaaaaaaaa"})
    assert short.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    new = "tulip-harbour-47-lantern"
    ok = client.post(reverse("account-password"), {"current": PASSWORD, "password": new, "confirmation": new})
    assert ok.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200  # this session stays
    assert other.get(reverse("dashboard")).status_code == 302  # the others end


def test_a_temporary_password_must_be_changed_first(make_user):
    user = make_user(org="eu", role="reader", clearance=1)
    type(user).objects.filter(pk=user.pk).update(must_change_password=True)
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert client.get(reverse("dashboard")).url == reverse("account-password")
    assert client.get(reverse("commitment-list")).url == reverse("account-password")
    new = "tulip-harbour-47-lantern"
    client.post(reverse("account-password"), {"current": PASSWORD, "password": new, "confirmation": new})
    assert client.get(reverse("dashboard")).status_code == 200


def test_one_account_from_many_addresses_is_limited(make_user, settings):
    user = make_user(org="eu", role="reader", clearance=1)
    url = reverse("login")
    for n in range(settings.RAPPORT_SIGN_IN_ACCOUNT_LIMIT):
        Client(REMOTE_ADDR=f"10.1.0.{n}").post(url, {"username": user.username, "password": "wrong-password-1"})
    fresh = Client(REMOTE_ADDR="10.2.0.1")
    response = fresh.post(url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in fresh.session
    assert "Too many failed sign-ins on this account" in response.content.decode()
    assert AuditEvent.objects.for_object(user).filter(verb=Verb.USER_SIGN_IN_LOCKED).count() == 1
    # A variant of the name that signs in to the same account is the same locked account.
    full_width = chr(ord(user.username[0]) + 0xFEE0) + user.username[1:]  # NFKC makes it the same name
    variants = [f"{user.username} ", f" {user.username}", full_width]
    for variant in variants:
        other = Client(REMOTE_ADDR="10.2.0.2")
        answer = other.post(url, {"username": variant, "password": PASSWORD})
        assert "_auth_user_id" not in other.session, repr(variant)
        assert "Too many failed sign-ins on this account" in answer.content.decode(), repr(variant)


def test_one_address_spraying_many_accounts_is_limited(make_user, settings):
    users = [make_user(org="eu", role="reader", clearance=1) for _ in range(3)]
    client = Client(REMOTE_ADDR="10.3.0.9")
    url = reverse("login")
    for n in range(settings.RAPPORT_SIGN_IN_ADDRESS_LIMIT):
        client.post(url, {"username": f"nobody-{n}", "password": "Spring2026!!"})
    response = client.post(url, {"username": users[0].username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-ins from this address" in response.content.decode()
    # Another address signs in.
    other = Client(REMOTE_ADDR="10.3.0.10")
    assert other.post(url, {"username": users[0].username, "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize("leaning", ["Rapport2026!", "nato-eu-2026-x", "EUNATOpartnership1", "password-rapport"])
def test_passwords_leaning_on_the_installations_names_are_refused(leaning, make_user):
    with pytest.raises(ValidationError, match="names of Rapport"):
        validate_password(leaning, make_user(org="eu", role="reader", clearance=1))


def test_a_name_inside_a_long_password_is_fine(make_user):
    validate_password("nato-tulip-harbour-lantern", make_user(org="eu", role="reader", clearance=1))


def test_a_wrong_current_password_counts_as_a_failed_sign_in(make_user, settings):
    user = make_user(org="eu", role="reader", clearance=1)
    url = reverse("account-password")
    new = "tulip-harbour-47-lantern"
    clients = []
    for n in range(settings.RAPPORT_SIGN_IN_ACCOUNT_LIMIT):  # from several addresses: the account's limit
        client = Client(REMOTE_ADDR=f"10.4.0.{n}")
        client.force_login(user)
        response = client.post(url, {"current": f"guess-{n}-xxxxxxxx", "password": new, "confirmation": new})
        assert response.status_code == 400 and "current password is wrong" in response.content.decode()
        clients.append(client)
    # Now even the right current password is refused, with the sign-in page's message.
    response = clients[0].post(url, {"current": PASSWORD, "password": new, "confirmation": new})
    assert response.status_code == 400
    assert "Too many failed sign-ins on this account, from several places: it is locked for up to 15 minutes." in (
        response.content.decode())
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # The sign-in page counts them too.
    signing_in = Client(REMOTE_ADDR="10.4.1.1").post(reverse("login"), {"username": user.username,
                                                                       "password": PASSWORD})
    assert "Too many failed sign-ins on this account" in signing_in.content.decode()
    # One entry for the first wrong current password of the window, one for the lock.
    failed = AuditEvent.objects.for_object(user).filter(verb=Verb.USER_LOGIN_FAILED)
    assert [e.message.startswith("a wrong current password on the password-change page") for e in failed] == [True]
    assert AuditEvent.objects.for_object(user).filter(verb=Verb.USER_SIGN_IN_LOCKED).count() == 1


def test_a_wrong_current_password_counts_for_the_address_too(make_user, settings):
    settings.RAPPORT_SIGN_IN_ACCOUNT_LIMIT, settings.RAPPORT_SIGN_IN_ADDRESS_LIMIT = 50, 3
    users = [make_user(org="eu", role="reader", clearance=1) for _ in range(3)]
    new = "tulip-harbour-47-lantern"
    for user in users:
        client = Client(REMOTE_ADDR="10.5.0.1")
        client.force_login(user)
        client.post(reverse("account-password"), {"current": "wrong-wrong-wrong", "password": new,
                                                  "confirmation": new})
    response = client.post(reverse("account-password"), {"current": PASSWORD, "password": new, "confirmation": new})
    assert "Too many failed sign-ins from this address" in response.content.decode()
    users[-1].refresh_from_db()
    assert users[-1].check_password(PASSWORD)


def test_messages_end_with_one_full_stop(make_user):
    user = make_user(org="eu", role="reader", clearance=1)
    client = Client()
    client.force_login(user)
    page = client.post(reverse("account-password"), {"current": PASSWORD, "password": "short",
                                                     "confirmation": "short"}).content.decode()
    assert "too short" in page and ".." not in page


def test_the_password_page_keeps_django_axes_lock_of_account_and_address(make_user, settings):
    settings.AXES_ENABLED = True
    user = make_user(org="eu", role="reader", clearance=1)
    client = Client(REMOTE_ADDR="10.6.0.1")
    client.force_login(user)
    new = "tulip-harbour-47-lantern"
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account-password"), {"current": f"guess-{n}-xxxxxxxx", "password": new,
                                                  "confirmation": new})
    response = client.post(reverse("account-password"), {"current": PASSWORD, "password": new, "confirmation": new})
    assert "Too many failed sign-ins on this account from this address" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_client_address_behind_trusted_proxies(settings, rf):
    from rapport.access.throttle import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
    settings.RAPPORT_TRUSTED_PROXIES = 0
    assert client_address(request) == "10.0.0.1"  # the header is the client's word: ignored
    settings.RAPPORT_TRUSTED_PROXIES = 1
    assert client_address(request) == "203.0.113.9"  # what the one proxy saw, not the spoofed left entry
    settings.RAPPORT_TRUSTED_PROXIES = 3
    assert client_address(request) == "10.0.0.1"  # fewer hops than proxies: the header is not trusted
    settings.RAPPORT_TRUSTED_PROXIES = 1
    assert client_address(rf.get("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
