"""Accounts in a real browser: setting up and using two-factor sign-in, a recovery code that
works once, the idle timeout (with its warning), and the administrator's console with its
four-eyes clearance raise."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django_otp.oath import TOTP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def totp_from(secret: str, offset: int = 0) -> str:
    """The code an authenticator app shows for the key the page printed (base32, grouped)."""
    key = secret.replace(" ", "")
    generator = TOTP(base64.b32decode(key + "=" * (-len(key) % 8)))
    generator.time = time.time() + offset * 30
    return f"{generator.token():06d}"


def password_step(session, username):
    session.go("/accounts/login/")
    session.page.get_by_label("Username").fill(username)
    session.page.get_by_label("Password").fill(PASSWORD)
    session.page.get_by_role("button", name="Sign in").click()


def test_set_up_two_factor_then_sign_in_with_it_and_a_recovery_code_once(browse, make_user, settings):
    settings.RAPPORT_TWO_FACTOR_ROLES = ["approver", "coordinator", "administrator"]
    make_user(org="eu", role="approver", clearance=3, username="eu-approver")
    me = browse()
    password_step(me, "eu-approver")
    me.page.wait_for_url("**/accounts/login/set-up/")
    assert me.page.locator("svg.qr").is_visible()
    me.shot("two-factor-set-up")
    assert me.axe() == []
    secret = me.page.locator(".secret-key").inner_text()
    me.page.get_by_label("Code from the app").fill(totp_from(secret))
    me.page.get_by_role("button", name="Confirm").click()
    codes = [c.strip() for c in me.page.locator(".recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    me.page.get_by_role("link", name="I have kept them: continue").click()
    me.page.wait_for_url("**/dashboard/")
    assert not [e for e in me.console_errors if "Content Security Policy" in e]  # the QR code is inline SVG
    me.page.get_by_role("button", name="Sign out").click()

    # Sign in again: the password, then the code the app shows (the next one: each works once).
    password_step(me, "eu-approver")
    me.page.wait_for_url("**/accounts/login/code/")
    me.page.get_by_label("Code").fill(totp_from(secret, offset=1))
    me.page.get_by_role("button", name="Sign in").click()
    me.page.wait_for_url("**/dashboard/")
    me.page.get_by_role("button", name="Sign out").click()

    # A recovery code instead of the app: once.
    password_step(me, "eu-approver")
    me.page.get_by_label("Code").fill(codes[0])
    me.page.get_by_role("button", name="Sign in").click()
    me.page.wait_for_url("**/dashboard/")
    assert me.page.get_by_text("You signed in with a recovery code").is_visible()
    me.page.get_by_role("button", name="Sign out").click()
    password_step(me, "eu-approver")
    me.page.get_by_label("Code").fill(codes[0])
    me.page.get_by_role("button", name="Sign in").click()
    assert me.page.get_by_role("alert").get_by_text("wrong or already used").is_visible()
    assert "/accounts/login/code/" in me.page.url


def test_idle_timeout_warns_then_signs_out(browse, make_user, settings):
    settings.RAPPORT_SESSION_IDLE_SECONDS = 14
    settings.RAPPORT_SESSION_WARNING_SECONDS = 10
    make_user(org="eu", role="reader", clearance=1, username="eu-reader")
    me = browse().sign_in("eu-reader")
    warning = me.page.locator("#session-warning")
    assert warning.is_hidden()
    warning.wait_for(state="visible", timeout=15000)
    me.shot("idle-warning")
    # Staying signed in hides the warning and starts the clock again.
    me.page.get_by_role("button", name="Stay signed in").click()
    warning.wait_for(state="hidden", timeout=5000)
    warning.wait_for(state="visible", timeout=15000)
    # Doing nothing: signed out, on the sign-in page, told why.
    me.page.wait_for_url(re.compile(r".*/accounts/login/.*"), timeout=30000)
    assert me.page.get_by_text("without activity").is_visible()
    me.go("/dashboard/")
    assert "/accounts/login/" in me.page.url


def test_an_administrator_makes_an_account_and_a_second_confirms_its_clearance(browse, make_user):
    from rapport.access.models import User

    make_user(org="eu", role="administrator", clearance=3, username="eu-admin-1")
    make_user(org="eu", role="administrator", clearance=3, username="eu-admin-2")
    first = browse().sign_in("eu-admin-1")
    first.go("/console/")
    first.page.get_by_role("link", name="Make an account").click()
    first.page.get_by_label("Username").fill("new-drafter")
    first.page.get_by_label("Role").select_option(label="Drafter")
    first.page.get_by_label("Clearance").select_option(label="CONFIDENTIEL UE/EU CONFIDENTIAL")
    first.page.get_by_label("A one-time sign-in link").check()
    first.page.get_by_role("button", name="Make the account").click()
    link = first.page.locator("#handover").inner_text().strip()
    assert "/accounts/welcome/" in link
    first.shot("console-account-made")
    account = User.objects.get(username="new-drafter")
    assert account.clearance.rank == 0
    # The one who asked cannot confirm their own raise.
    first.go("/console/")
    assert first.page.get_by_text("Another administrator confirms.").is_visible()
    assert first.page.get_by_role("button", name="Confirm the raise of new-drafter").count() == 0

    second = browse().sign_in("eu-admin-2")
    second.go("/console/")
    second.shot("console-home")
    assert second.axe() == []
    second.page.get_by_role("button", name="Confirm the raise of new-drafter").click()
    assert second.page.get_by_text("The clearance is raised.").is_visible()
    account.refresh_from_db()
    assert account.clearance.rank == 3

    # The new colleague opens the link and chooses a password.
    newcomer = browse()
    newcomer.page.goto(link)
    newcomer.page.get_by_label("New password", exact=True).fill("tulip-harbour-47-lantern")
    newcomer.page.get_by_label("New password again").fill("tulip-harbour-47-lantern")
    newcomer.page.get_by_role("button", name="Set my password").click()
    newcomer.page.wait_for_url("**/accounts/login/")
    newcomer.sign_in("new-drafter", "tulip-harbour-47-lantern")
