"""What the console's pages do, through the real stack: making accounts, the four-eyes raise,
deactivating, roles, lost second factors, tokens and the organisation's settings; bad input
changes nothing, and every change is an audit entry about the account."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from rapport.access.models import OrganisationSettings, User
from rapport.api.models import AccessToken
from rapport.api.tokens import authenticate, create_token
from rapport.audit.models import AuditEvent
from rapport.audit.verbs import Verb
from rapport.console.models import ClearanceRaise
from rapport.markings.models import ClassificationLevel

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def level(scheme, rank):
    return ClassificationLevel.objects.get(scheme__key=scheme, rank=rank)


def verbs_about(user) -> list[str]:
    return list(AuditEvent.objects.for_object(user).order_by("seq").values_list("verb", flat=True))


@pytest.fixture
def admins(make_user):
    return make_user(org="eu", role="administrator", clearance=3), make_user(org="eu", role="administrator",
                                                                             clearance=3)


def test_make_an_account_with_a_one_time_link(admins):
    first, _ = admins
    response = client_for(first).post(reverse("console-account-new"), {
        "username": "new.drafter", "role": "drafter", "email": "", "clearance": level("eu", 2).pk, "how": "link"})
    assert response.status_code == 200
    link = re.search(r'id="handover">([^<]+)<', response.content.decode()).group(1)
    account = User.objects.get(username="new.drafter")
    assert (account.organisation.key, account.role, account.clearance.rank) == ("eu", "drafter", 0)
    assert not account.has_usable_password()
    assert ClearanceRaise.objects.get(account=account).level == level("eu", 2)  # awaits a second administrator
    path = link.removeprefix("http://testserver")
    visitor = Client()
    assert visitor.get(path).status_code == 200
    new = "tulip-harbour-47-lantern"
    assert visitor.post(path, {"password": new, "confirmation": new}).url == reverse("login")
    assert visitor.post(reverse("login"), {"username": "new.drafter", "password": new}).status_code == 302
    assert Client().get(path).status_code == 404  # works once
    assert verbs_about(account)[:3] == [Verb.USER_CREATED, Verb.CLEARANCE_RAISE_REQUESTED, Verb.USER_PASSWORD_CHANGED]


def test_make_an_account_with_a_temporary_password(admins):
    first, _ = admins
    response = client_for(first).post(reverse("console-account-new"), {
        "username": "temp.reader", "role": "reader", "clearance": level("eu", 0).pk, "how": "password"})
    password = re.search(r'id="handover">([^<]+)<', response.content.decode()).group(1)
    account = User.objects.get(username="temp.reader")
    assert account.must_change_password and not ClearanceRaise.objects.filter(account=account).exists()
    person = Client()
    assert person.post(reverse("login"), {"username": "temp.reader", "password": password}).status_code == 302
    assert person.get(reverse("dashboard")).url == reverse("account-password")


@pytest.mark.parametrize("form, field", [
    ({"username": "", "role": "reader", "how": "link"}, "username"),
    ({"username": "x1", "role": "king", "how": "link"}, "role"),
    ({"username": "x2", "role": "reader", "how": "carrier-pigeon"}, "how"),
    ({"username": "x3", "role": "reader", "how": "link", "clearance": "999999"}, "clearance"),
    ({"username": "x4", "role": "reader", "how": "link", "clearance": "nato"}, "clearance"),
])
def test_bad_input_makes_no_account(admins, form, field):
    client = client_for(admins[0])
    entries, users = AuditEvent.objects.count(), User.objects.count()
    response = client.post(reverse("console-account-new"), form)
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert (AuditEvent.objects.count(), User.objects.count()) == (entries, users)


def test_no_clearance_above_ones_own(make_user):
    admin = make_user(org="eu", role="administrator", clearance=1)
    account = make_user(org="eu", role="reader", clearance=0)
    response = client_for(admin).post(reverse("console-account-new"), {
        "username": "too.high", "role": "reader", "clearance": level("eu", 3).pk, "how": "link"})
    assert response.status_code == 400 and not User.objects.filter(username="too.high").exists()
    client_for(admin).post(reverse("console-account-action", args=[account.pk, "clearance"]),
                           {"clearance": level("eu", 2).pk})
    assert not ClearanceRaise.objects.filter(account=account).exists()


def test_a_raise_needs_a_second_administrator_and_both_are_audited(admins, make_user):
    first, second = admins
    account = make_user(org="eu", role="drafter", clearance=1)
    url = reverse("console-account-action", args=[account.pk, "clearance"])
    client_for(first).post(url, {"clearance": level("eu", 3).pk})
    account.refresh_from_db()
    assert account.clearance.rank == 1  # not yet
    pending = ClearanceRaise.objects.get(account=account, state="pending")
    # The one who asked cannot confirm.
    client_for(first).post(reverse("console-raise-action", args=[pending.pk, "confirm"]))
    account.refresh_from_db()
    pending.refresh_from_db()
    assert account.clearance.rank == 1 and pending.state == "pending"
    # A second administrator confirms.
    client_for(second).post(reverse("console-raise-action", args=[pending.pk, "confirm"]))
    account.refresh_from_db()
    assert account.clearance.rank == 3
    asked = AuditEvent.objects.for_object(account).get(verb=Verb.CLEARANCE_RAISE_REQUESTED)
    confirmed = AuditEvent.objects.for_object(account).get(verb=Verb.CLEARANCE_RAISE_CONFIRMED)
    assert (asked.actor_id, confirmed.actor_id) == (first.pk, second.pk)
    assert confirmed.after["clearance_id"] == level("eu", 3).pk
    assert confirmed.before["clearance_id"] == level("eu", 1).pk
    assert [o.key for o in confirmed.releasable_to.all()] == ["eu"] and confirmed.classification.rank == 1


def test_lowering_is_immediate_and_one_raise_at_a_time(admins, make_user):
    first, second = admins
    account = make_user(org="eu", role="drafter", clearance=2)
    url = reverse("console-account-action", args=[account.pk, "clearance"])
    client_for(first).post(url, {"clearance": level("eu", 3).pk})
    client_for(second).post(url, {"clearance": level("eu", 3).pk})
    assert ClearanceRaise.objects.filter(account=account, state="pending").count() == 1
    client_for(second).post(url, {"clearance": level("eu", 1).pk})
    account.refresh_from_db()
    assert account.clearance.rank == 1
    assert Verb.USER_CLEARANCE_LOWERED in verbs_about(account)


def test_deactivating_ends_sessions_and_tokens(admins, make_user):
    first, _ = admins
    account = make_user(org="eu", role="drafter", clearance=2)
    _, secret = create_token(user=account, name="script")
    session = Client()
    session.post(reverse("login"), {"username": account.username, "password": PASSWORD})
    assert session.get(reverse("dashboard")).status_code == 200
    client_for(first).post(reverse("console-account-action", args=[account.pk, "deactivate"]))
    assert session.get(reverse("dashboard")).status_code == 302
    assert authenticate(secret) is None
    assert Verb.USER_DEACTIVATED in verbs_about(account)
    client_for(first).post(reverse("console-account-action", args=[account.pk, "reactivate"]))
    account.refresh_from_db()
    assert account.is_active and Verb.USER_REACTIVATED in verbs_about(account)


def test_nobody_changes_their_own_account_here(admins):
    first, _ = admins
    client = client_for(first)
    for action, data in (("role", {"role": "reader"}), ("deactivate", {}), ("clearance", {"clearance": "1"})):
        client.post(reverse("console-account-action", args=[first.pk, action]), data)
    first.refresh_from_db()
    assert (first.role, first.is_active, first.clearance.rank) == ("administrator", True, 3)


def test_role_change_and_a_role_that_must_use_two_factor(admins, make_user, settings):
    settings.RAPPORT_TWO_FACTOR_ROLES = ["approver", "coordinator", "administrator"]
    first, _ = admins
    account = make_user(org="eu", role="reader", clearance=2)
    session = Client()
    session.post(reverse("login"), {"username": account.username, "password": PASSWORD})
    client_for(first).post(reverse("console-account-action", args=[account.pk, "role"]), {"role": "approver"})
    account.refresh_from_db()
    assert account.role == "approver"
    assert session.get(reverse("dashboard")).status_code == 302  # signs in again, with a second factor
    assert Client().post(reverse("login"), {"username": account.username, "password": PASSWORD}).url == reverse(
        "sign-in-enrol")
    bad = client_for(first).post(reverse("console-account-action", args=[account.pk, "role"]), {"role": "king"})
    assert bad.status_code == 302
    account.refresh_from_db()
    assert account.role == "approver"


def test_reset_a_lost_second_factor(admins, make_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    first, _ = admins
    account = make_user(org="eu", role="approver", clearance=2)
    TOTPDevice.objects.create(user=account, name="phone", confirmed=True)
    client_for(first).post(reverse("console-account-action", args=[account.pk, "reset-two-factor"]))
    assert not TOTPDevice.objects.filter(user=account).exists()
    assert Verb.TWO_FACTOR_RESET in verbs_about(account)


def test_tokens_listed_and_revoked(admins, make_user):
    first, _ = admins
    account = make_user(org="eu", role="drafter", clearance=2)
    token, secret = create_token(user=account, name="<b>nightly</b> sync")
    page = client_for(first).get(reverse("console-account", args=[account.pk])).content.decode()
    assert token.prefix in page and "&lt;b&gt;nightly&lt;/b&gt; sync" in page and "<b>nightly" not in page
    client_for(first).post(reverse("console-token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None and authenticate(secret) is None
    revoked = AuditEvent.objects.for_object(token).get(verb=Verb.TOKEN_REVOKED)
    assert revoked.actor_id == first.pk
    assert AccessToken.objects.filter(user=account).count() == 1


def test_organisation_settings(admins):
    first, _ = admins
    client = client_for(first)
    url = reverse("console-settings")
    assert client.post(url, {"default_level": level("eu", 2).pk, "two_factor_roles": ["approver", "reader"],
                             "remind_days_before": "21", "escalate_after_days": ""}).status_code == 302
    first.organisation.refresh_from_db()
    chosen = OrganisationSettings.objects.get(organisation=first.organisation)
    assert first.organisation.default_level == level("eu", 2)
    assert (chosen.two_factor_roles, chosen.remind_days_before, chosen.escalate_after_days) == (
        ["approver", "reader"], 21, None)
    entry = AuditEvent.objects.for_object(first.organisation).get(verb=Verb.ORGANISATION_SETTINGS_CHANGED)
    assert entry.after["remind_days_before"] == 21 and entry.classification.rank == 1
    entries = AuditEvent.objects.count()
    for bad in ({"remind_days_before": "-1"}, {"escalate_after_days": "many"}, {"default_level": level("nato", 1).pk},
                {"two_factor_roles": ["king"]}):
        response = client.post(url, {"default_level": "", "remind_days_before": "3", **bad})
        assert response.status_code == 400, bad
    chosen.refresh_from_db()
    first.organisation.refresh_from_db()
    assert chosen.remind_days_before == 21 and first.organisation.default_level == level("eu", 2)
    assert AuditEvent.objects.count() == entries


def test_reloading_the_default_data_keeps_the_default_level(admins):
    from rapport.seed.load import load_dataset
    from tests.conftest import DEFAULT_DATASET

    first, _ = admins
    client_for(first).post(reverse("console-settings"), {"default_level": level("eu", 1).pk})
    load_dataset(DEFAULT_DATASET)
    first.organisation.refresh_from_db()
    assert first.organisation.default_level == level("eu", 1)


def test_the_account_list_is_paged_with_constant_queries(admins, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, _ = admins
    client = client_for(first)
    client.get(reverse("console-home"))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("console-home")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(12):
        create_token(user=make_user(org="eu", role="reader", clearance=1), name="t")
    assert count() == few
    names = [make_user(org="eu", role="reader", clearance=1).username for _ in range(50)]
    page = client.get(reverse("console-home")).content.decode()
    assert 'rel="next"' in page and sum(n in page for n in names) < 50


def test_a_forgotten_password_becomes_a_one_time_link_and_two_factor_stays(admins, make_user, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.RAPPORT_TWO_FACTOR_ROLES = ["approver"]
    first, _ = admins
    account = make_user(org="eu", role="approver", clearance=2)
    TOTPDevice.objects.create(user=account, name="phone", confirmed=True)
    session = Client()
    session.force_login(account)
    page = client_for(first).post(reverse("console-account-action", args=[account.pk, "sign-in-link"]))
    path = re.search(r'id="handover">([^<]+)<', page.content.decode()).group(1).removeprefix("http://testserver")
    account.refresh_from_db()
    assert not account.has_usable_password() and session.get(reverse("dashboard")).status_code == 302
    new = "tulip-harbour-47-lantern"
    Client().post(path, {"password": new, "confirmation": new})
    person = Client()
    # The new password leads to the second step, not into the application.
    assert person.post(reverse("login"), {"username": account.username, "password": new}).url == reverse(
        "sign-in-code")
    assert Verb.USER_PASSWORD_RESET in verbs_about(account)


def test_an_account_cleared_above_the_administrator_is_shown_but_not_changed(make_user):
    admin = make_user(org="eu", role="administrator", clearance=1)
    above = make_user(org="eu", role="approver", clearance=3)
    page = client_for(admin).get(reverse("console-account", args=[above.pk])).content.decode()
    assert "cleared above you" in page and "Deactivate the account" not in page
    client_for(admin).post(reverse("console-account-action", args=[above.pk, "sign-in-link"]))
    above.refresh_from_db()
    assert above.has_usable_password()


@pytest.mark.parametrize("action, data, verb", [
    ("deactivate", {}, Verb.USER_DEACTIVATED),
    ("reset-two-factor", {}, Verb.TWO_FACTOR_RESET),
    ("sign-in-link", {}, Verb.USER_PASSWORD_RESET),
    ("clearance", {"clearance": 1}, Verb.USER_CLEARANCE_LOWERED),
    ("role", {"role": "reader"}, Verb.USER_ROLE_CHANGED),
])
def test_recovery_actions_revoke_tokens_and_end_sessions(admins, make_user, action, data, verb):
    first, _ = admins
    account = make_user(org="eu", role="drafter", clearance=2)
    live, secret = create_token(user=account, name="nightly sync")
    spent, _ = create_token(user=account, name="old")
    from rapport.api.tokens import revoke_token

    revoke_token(actor=account, prefix=spent.prefix)
    session = Client()
    session.post(reverse("login"), {"username": account.username, "password": PASSWORD})
    assert session.get(reverse("dashboard")).status_code == 200
    if action == "clearance":
        data = {"clearance": level("eu", 1).pk}
    client_for(first).post(reverse("console-account-action", args=[account.pk, action]), data)
    live.refresh_from_db()
    assert live.revoked_at is not None and authenticate(secret) is None
    assert session.get(reverse("dashboard")).status_code == 302
    entry = AuditEvent.objects.for_object(account).get(verb=verb)
    assert entry.after["tokens_revoked"] == [live.prefix]  # the live one, named in the action's own entry
    assert live.prefix in entry.message and entry.actor_id == first.pk
    if action == "deactivate":  # reactivating brings no token back
        client_for(first).post(reverse("console-account-action", args=[account.pk, "reactivate"]))
        assert authenticate(secret) is None


def _confirm(admin, raise_):
    return client_for(admin).post(reverse("console-raise-action", args=[raise_.pk, "confirm"]))


def test_giving_or_taking_the_administrator_role_needs_a_second_administrator(admins, make_user):
    first, second = admins
    third = make_user(org="eu", role="administrator", clearance=3)
    account = make_user(org="eu", role="reader", clearance=1)
    client_for(first).post(reverse("console-account-action", args=[account.pk, "role"]), {"role": "administrator"})
    account.refresh_from_db()
    assert account.role == "reader"  # not yet
    pending = ClearanceRaise.objects.get(account=account, state="pending")
    assert (pending.role, pending.level) == ("administrator", None)
    _confirm(first, pending)  # the one who asked cannot confirm
    account.refresh_from_db()
    assert account.role == "reader"
    _confirm(second, pending)
    account.refresh_from_db()
    assert account.role == "administrator"
    changed = AuditEvent.objects.for_object(account).get(verb=Verb.USER_ROLE_CHANGED)
    assert changed.actor_id == second.pk and first.username in changed.message
    assert Verb.ROLE_CHANGE_REQUESTED in verbs_about(account)
    # Two administrators of equal clearance: neither takes the other's role alone, and the account
    # itself does not confirm the change of its own role.
    client_for(first).post(reverse("console-account-action", args=[second.pk, "role"]), {"role": "reader"})
    second.refresh_from_db()
    demotion = ClearanceRaise.objects.get(account=second, state="pending")
    for who in (first, second):
        _confirm(who, demotion)
        second.refresh_from_db()
        assert second.role == "administrator"
    _confirm(third, demotion)
    second.refresh_from_db()
    assert second.role == "reader"
    # A change of role that does not touch the administrator role is immediate.
    client_for(first).post(reverse("console-account-action", args=[second.pk, "role"]), {"role": "drafter"})
    second.refresh_from_db()
    assert second.role == "drafter"


def test_an_administrators_account_made_in_the_console_waits_for_a_second(admins):
    first, second = admins
    client_for(first).post(reverse("console-account-new"), {
        "username": "new.admin", "role": "administrator", "clearance": level("eu", 2).pk, "how": "link"})
    account = User.objects.get(username="new.admin")
    assert (account.role, account.clearance.rank) == ("reader", 0)
    pending = ClearanceRaise.objects.get(account=account, state="pending")
    assert (pending.role, pending.level) == ("administrator", level("eu", 2))
    _confirm(second, pending)
    account.refresh_from_db()
    assert (account.role, account.clearance.rank) == ("administrator", 2)


def test_no_second_account_with_an_active_accounts_email(admins, make_user):
    first, _ = admins
    User.objects.filter(pk=first.pk).update(email="First.Admin@example.org")
    colleague = make_user(org="eu", role="reader", clearance=1)
    User.objects.filter(pk=colleague.pk).update(email="colleague@example.org")
    gone = make_user(org="eu", role="reader", clearance=1)
    User.objects.filter(pk=gone.pk).update(email="gone@example.org", is_active=False)
    client = client_for(first)
    users = User.objects.count()
    for n, email in enumerate((" first.admin@EXAMPLE.org", "colleague@example.org")):
        response = client.post(reverse("console-account-new"), {
            "username": f"second-me-{n}", "role": "approver", "email": email, "how": "link"})
        assert response.status_code == 400 and "already has this e-mail address" in response.content.decode()
    assert User.objects.count() == users
    # The address of a deactivated account may be given again.
    assert client.post(reverse("console-account-new"), {"username": "back", "role": "reader",
                                                        "email": "gone@example.org", "how": "link"}).status_code == 200


def test_no_administrator_confirms_what_their_other_account_asked(admins, make_user):
    first, second = admins
    account = make_user(org="eu", role="drafter", clearance=1)
    twin = make_user(org="eu", role="administrator", clearance=3)
    User.objects.filter(pk__in=[first.pk, twin.pk]).update(email="first@example.org")
    handed = make_user(org="eu", role="administrator", clearance=3)
    client_for(first).post(reverse("console-account-action", args=[handed.pk, "sign-in-link"]))
    client_for(first).post(reverse("console-account-action", args=[account.pk, "clearance"]),
                           {"clearance": level("eu", 3).pk})
    pending = ClearanceRaise.objects.get(account=account, state="pending")
    for refused, why in ((twin, "has your e-mail address"), (handed, "handed you your sign-in")):
        assert _confirm(refused, pending).status_code == 302
        pending.refresh_from_db()
        assert pending.state == "pending", why
    from rapport.access.policy import can
    from rapport.console.rules import ConsoleAction

    twin.refresh_from_db()
    assert "has your e-mail address" in can(twin, ConsoleAction.CONFIRM_RAISE, pending).reason
    assert "handed you your sign-in" in can(handed, ConsoleAction.CONFIRM_RAISE, pending).reason
    _confirm(second, pending)
    account.refresh_from_db()
    assert account.clearance.rank == 3


@pytest.mark.parametrize("existing, variant", [
    ("alice.smith", "Alice.Smith"), ("alice.smith", "ALICE.SMITH"), ("alice.smith", "\uff41lice.smith"),
    ("alice.smith", " alice.smith "), ("élise.martin", "Élise.MARTIN"), ("ﬁona", "FIONA"),
])
def test_usernames_differing_only_by_case_or_form_are_the_same(admins, make_user, existing, variant):
    from rapport.access import services as accounts
    from rapport.core.errors import InputError

    first, _ = admins
    make_user(org="eu", role="reader", clearance=1, username=existing)
    users = User.objects.count()
    response = client_for(first).post(reverse("console-account-new"), {
        "username": variant, "role": "reader", "how": "link"})
    assert response.status_code == 400 and "is taken" in response.content.decode()
    with pytest.raises(InputError, match="is taken"):  # rapport account add
        accounts.create_account(actor=None, username=variant, role="reader", clearance="0", organisation="eu")
    assert User.objects.count() == users


def test_no_administrator_confirms_what_an_account_they_handed_over_asked(admins, make_user):
    """Taking over a second administrator's account (a new sign-in link, a reset second factor)
    must not let one person ask with it and confirm with their own."""
    first, second = admins
    account = make_user(org="eu", role="drafter", clearance=1)
    client_for(first).post(reverse("console-account-action", args=[second.pk, "sign-in-link"]))
    second.refresh_from_db()
    client_for(second).post(reverse("console-account-action", args=[account.pk, "clearance"]),
                            {"clearance": level("eu", 3).pk})
    pending = ClearanceRaise.objects.get(account=account, state="pending")
    from rapport.access.policy import can
    from rapport.console.rules import ConsoleAction

    assert "you handed the administrator who asked" in can(first, ConsoleAction.CONFIRM_RAISE, pending).reason
    _confirm(first, pending)
    pending.refresh_from_db()
    account.refresh_from_db()
    assert pending.state == "pending" and account.clearance.rank == 1


def test_a_reactivated_administrator_waits_for_a_second_administrator(admins, make_user):
    first, second = admins
    third = make_user(org="eu", role="administrator", clearance=3)
    client_for(first).post(reverse("console-account-action", args=[third.pk, "deactivate"]))
    client_for(first).post(reverse("console-account-action", args=[third.pk, "reactivate"]))
    third.refresh_from_db()
    assert third.is_active and third.role == "reader"
    pending = ClearanceRaise.objects.get(account=third, state="pending")
    _confirm(second, pending)
    third.refresh_from_db()
    assert third.role == "administrator"
