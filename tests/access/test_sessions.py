"""Sessions: the idle timeout, the absolute lifetime, the status the warning reads, signing
out everywhere, and the __Host- cookies of the production settings."""

from __future__ import annotations

import math
import time

import pytest
from django.test import Client
from django.urls import reverse

from rapport.access import sessions
from rapport.audit.models import AuditEvent
from rapport.audit.verbs import Verb

from .production import production_settings

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture
def clock(monkeypatch):
    """The sessions' clock, moved by hand."""
    now = {"t": time.time()}
    monkeypatch.setattr(sessions, "clock", lambda: now["t"])

    def advance(seconds):
        now["t"] += seconds

    return advance


def sign_in(user) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def test_idle_timeout_signs_out_with_a_message(make_user, clock, settings):
    user = make_user(org="eu", role="drafter", clearance=2)
    client = sign_in(user)
    clock(settings.RAPPORT_SESSION_IDLE_SECONDS - 30)
    assert client.get(reverse("dashboard")).status_code == 200  # activity: the clock starts again
    clock(settings.RAPPORT_SESSION_IDLE_SECONDS - 30)
    assert client.get(reverse("dashboard")).status_code == 200
    clock(settings.RAPPORT_SESSION_IDLE_SECONDS + 1)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("login") + "?next=")
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "signed out after 15 minutes without activity" in page


def test_the_status_says_zero_only_once_the_session_has_ended(make_user, clock, settings):
    """The page reloads itself when the status says 0: said too early (a fraction of a second
    left), its reload would count as activity and keep the session going."""
    clock(math.ceil(sessions.clock()) - sessions.clock())  # a whole second: the activity cookie keeps whole ones
    client = sign_in(make_user(org="eu", role="drafter", clearance=2))
    clock(settings.RAPPORT_SESSION_IDLE_SECONDS - 0.3)
    assert client.get(reverse("session-status")).json()["remaining"] == 1
    clock(0.6)
    assert client.get(reverse("session-status")).json()["remaining"] == 0
    assert client.get(reverse("dashboard")).status_code == 302  # ended, not kept


def test_absolute_lifetime_ends_even_an_active_session(make_user, clock, settings):
    user = make_user(org="eu", role="drafter", clearance=2)
    client = sign_in(user)
    for _ in range(settings.RAPPORT_SESSION_ABSOLUTE_SECONDS // 600 - 1):
        clock(600)
        assert client.get(reverse("account-security")).status_code == 200
    clock(601)
    response = client.get(reverse("account-security"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert "your session reached its limit of 8 hours" in client.get(response.url).content.decode()


def test_a_session_dropped_at_its_absolute_end_still_says_why(make_user, clock, settings):
    """At the absolute end the browser drops the session cookie and the store the session (both
    expire with it): the sign-in page still says why, from the activity cookie."""
    from django.contrib.sessions.models import Session

    client = sign_in(make_user(org="eu", role="drafter", clearance=2))
    for _ in range(settings.RAPPORT_SESSION_ABSOLUTE_SECONDS // 600 - 1):
        clock(600)
        assert client.get(reverse("account-security")).status_code == 200
    clock(600)
    Session.objects.filter(session_key=client.session.session_key).delete()
    del client.cookies[settings.SESSION_COOKIE_NAME]
    response = client.get(reverse("account-security"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "your session reached its limit of 8 hours" in client.get(response.url).content.decode()
    # Told once: the activity cookie is gone with it.
    assert "your session reached" not in client.get(reverse("login")).content.decode()


def test_signing_out_gives_no_reason(make_user, clock):
    client = sign_in(make_user(org="eu", role="drafter", clearance=2))
    client.get(reverse("dashboard"))
    client.post(reverse("logout"))
    clock(9 * 3600)
    assert "You were signed out" not in client.get(reverse("login")).content.decode()


@pytest.mark.parametrize("idle, said", [(40, "after 40 seconds without"), (90, "after 1 minute and 30 seconds"),
                                        (3600, "after 1 hour without")])
def test_durations_are_said_in_whole_units(make_user, clock, settings, idle, said):
    settings.RAPPORT_SESSION_IDLE_SECONDS = idle
    client = sign_in(make_user(org="eu", role="drafter", clearance=2))
    clock(idle + 1)
    response = client.get(reverse("dashboard"))
    page = client.get(response.url).content.decode()
    assert said in page and "0.6" not in page and "1.5 minutes" not in page


def test_asking_for_the_time_left_is_not_activity(make_user, clock, settings):
    user = make_user(org="eu", role="drafter", clearance=2)
    client = sign_in(user)
    idle = settings.RAPPORT_SESSION_IDLE_SECONDS
    clock(idle - 100)
    assert client.get(reverse("session-status")).json()["remaining"] in range(99, 101)
    clock(60)
    assert client.get(reverse("session-status")).json()["remaining"] in range(39, 41)
    # 'Stay signed in' is activity.
    assert client.post(reverse("session-extend")).json()["remaining"] in range(idle - 1, idle + 1)
    clock(idle + 1)
    assert client.get(reverse("session-status")).json() == {"remaining": 0}
    assert "_auth_user_id" not in client.session


def test_sign_out_everywhere_ends_every_session(make_user):
    user = make_user(org="eu", role="drafter", clearance=2)
    laptop, phone = sign_in(user), sign_in(user)
    assert phone.get(reverse("dashboard")).status_code == 200
    assert laptop.post(reverse("account-sign-out-everywhere")).status_code == 302
    assert phone.get(reverse("dashboard")).status_code == 302
    assert laptop.get(reverse("dashboard")).status_code == 302
    assert AuditEvent.objects.for_object(user).filter(verb=Verb.USER_SIGNED_OUT_EVERYWHERE).exists()
    assert sign_in(user).get(reverse("dashboard")).status_code == 200  # signing in again works


def test_the_page_carries_the_warning_with_the_limits(make_user):
    client = sign_in(make_user(org="eu", role="drafter", clearance=2))
    page = client.get(reverse("dashboard")).content.decode()
    assert 'id="session-warning"' in page and 'data-idle="900"' in page and 'data-warn="120"' in page


def test_production_cookies_carry_the_host_prefix():
    prod = production_settings()
    assert prod.SESSION_COOKIE_NAME.startswith("__Host-") and prod.CSRF_COOKIE_NAME.startswith("__Host-")
    # What __Host- requires of the cookie: Secure, path /, no Domain.
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
    from django.conf import global_settings as default

    for name, value in (("SESSION_COOKIE_PATH", "/"), ("CSRF_COOKIE_PATH", "/"), ("SESSION_COOKIE_DOMAIN", None),
                        ("CSRF_COOKIE_DOMAIN", None)):
        assert getattr(prod, name, getattr(default, name)) == value, name
    assert prod.SESSION_COOKIE_AGE == 8 * 3600 and prod.RAPPORT_SESSION_IDLE_SECONDS == 15 * 60


def test_host_cookies_are_set_as_the_prefix_requires(make_user, settings):
    settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME = "__Host-rapport-session", "__Host-csrftoken"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    user = make_user(org="eu", role="drafter", clearance=2)
    client = Client()
    form = client.get(reverse("login"))
    csrf = form.cookies["__Host-csrftoken"]
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD,
                                              "csrfmiddlewaretoken": csrf.value})
    cookie = response.cookies["__Host-rapport-session"]
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"] and cookie["httponly"]
    assert csrf["secure"] and csrf["path"] == "/" and not csrf["domain"]


def test_activity_writes_nothing_to_the_database(make_user, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = sign_in(make_user(org="eu", role="drafter", clearance=2))
    client.get(reverse("account-security"))
    clock(300)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("account-security")).status_code == 200
    assert not [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_the_activity_cookie_of_another_session_does_not_count(make_user, clock, settings):
    user = make_user(org="eu", role="drafter", clearance=2)
    old, fresh = sign_in(user), sign_in(user)
    clock(settings.RAPPORT_SESSION_IDLE_SECONDS - 10)
    fresh.get(reverse("dashboard"))  # fresh's activity cookie is new, old's is not
    old.cookies[sessions.seen_cookie_name()] = fresh.cookies[sessions.seen_cookie_name()].value
    clock(20)
    assert old.get(reverse("dashboard")).status_code == 302
    assert fresh.get(reverse("dashboard")).status_code == 200


def test_the_activity_cookie_takes_the_host_prefix_with_the_session_cookie(settings):
    assert sessions.seen_cookie_name() == "rapport-seen"
    settings.SESSION_COOKIE_NAME = "__Host-rapport-session"
    assert sessions.seen_cookie_name() == "__Host-rapport-seen"


def test_ones_sessions_are_listed_and_each_can_be_ended(make_user):
    from rapport.access.models import SignedInSession

    user = make_user(org="eu", role="drafter", clearance=2)
    laptop = Client(HTTP_USER_AGENT="Laptop browser", REMOTE_ADDR="10.9.0.1")
    laptop.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    phone = Client(HTTP_USER_AGENT="Phone browser", REMOTE_ADDR="10.9.0.2")
    phone.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    page = laptop.get(reverse("account-security")).content.decode()
    assert "Laptop browser" in page and "Phone browser" in page and "10.9.0.2" in page and "(this one)" in page
    phone_session = SignedInSession.objects.get(user=user, user_agent="Phone browser")
    # Someone else cannot end it: as if it did not exist.
    stranger = make_user(org="eu", role="drafter", clearance=2)
    other = Client()
    other.force_login(stranger)
    assert other.post(reverse("account-session-end", args=[phone_session.pk])).status_code == 404
    assert phone.get(reverse("dashboard")).status_code == 200
    # Its owner can.
    assert laptop.post(reverse("account-session-end", args=[phone_session.pk])).status_code == 302
    assert phone.get(reverse("dashboard")).status_code == 302
    assert laptop.get(reverse("dashboard")).status_code == 200
    assert AuditEvent.objects.for_object(user).filter(verb=Verb.USER_SESSION_ENDED).count() == 1
    # Signing out removes a session from the list; signing out everywhere removes them all.
    laptop.post(reverse("logout"))
    assert not SignedInSession.objects.filter(user=user).exists()
