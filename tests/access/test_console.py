"""The administrator's console: every action against a plain-Python rule for every user of
the access world, every page over HTTP, and what each service writes and records.

The rule, written out: an organisation's administrators (active, signed in) manage that
organisation's accounts only; nobody acts on their own account; nobody gives a clearance
above their own, and a clearance is a level of the organisation's own scheme; a raise
needs a second administrator. Anything else is refused, and another organisation's account
(or a delegation's) is not visible at all: ``can`` says "not visible", the pages answer 404.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from rapport.access.policy import NOT_VISIBLE, can
from rapport.audit.models import AuditEvent
from rapport.console.models import ClearanceRaise
from rapport.console.rules import ConsoleAction
from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import Organisation

pytestmark = pytest.mark.django_db

TARGETS = ("eu-reader-1", "eu-administrator-2", "eu-approver-3-inactive", "nato-reader-1", "nato-administrator-3",
           "del-fi-1")
ACCOUNT_ACTIONS = (ConsoleAction.CHANGE_ROLE, ConsoleAction.SET_ACTIVE, ConsoleAction.RESET_TWO_FACTOR,
                   ConsoleAction.SIGN_OUT, ConsoleAction.ISSUE_SIGN_IN_LINK)
LEVELS = (("eu", 1), ("eu", 3), ("nato", 2))


def _spec(world, key):
    return next(s for s in world["specs"] if s.key == key)


def _admin_of(u, org) -> bool:
    return u.kind == "staff" and u.role == "administrator" and org is not None and u.org == org


def _target_org(t):
    return t.org if t.kind in ("staff", "inactive") else None


def _actors(world):
    return [(s, world["users"][s.key]) for s in world["specs"]]


def test_every_console_action_is_in_this_matrix():
    tested = {ConsoleAction.MANAGE, ConsoleAction.EDIT_SETTINGS, ConsoleAction.VIEW_ACCOUNT, *ACCOUNT_ACTIONS,
              ConsoleAction.REVOKE_TOKEN, ConsoleAction.LOWER_CLEARANCE, ConsoleAction.REQUEST_RAISE,
              ConsoleAction.CONFIRM_RAISE, ConsoleAction.CANCEL_RAISE}
    assert tested == set(ConsoleAction)


def test_organisation_actions_match_the_rule(world):
    mismatches = []
    for org in Organisation.objects.filter(key__in=("eu", "nato")):
        for u, user in _actors(world):
            expected = _admin_of(u, org.key)
            for action in (ConsoleAction.MANAGE, ConsoleAction.EDIT_SETTINGS):
                if bool(can(user, action, org)) != expected:
                    mismatches.append(f"{u.key} {action} {org.key}: expected {expected}")
    assert not mismatches, mismatches[:20]


def test_account_actions_match_the_rule(world):
    mismatches = []
    for u, user in _actors(world):
        for key in (*TARGETS, u.key):
            if u.kind == "anonymous" or key == "anonymous":
                continue
            t, account = _spec(world, key), world["users"][key]
            same_org = _admin_of(u, _target_org(t))
            visible = u.signed_in and (key == u.key or (u.kind == "staff" and _target_org(t) == u.org))
            checks = {ConsoleAction.VIEW_ACCOUNT: same_org, ConsoleAction.REVOKE_TOKEN: same_org}
            # Nobody acts on an account cleared above their own (it would hand them what it may read).
            checks.update({a: same_org and key != u.key and t.rank <= u.rank for a in ACCOUNT_ACTIONS})
            for action, expected in checks.items():
                decision = can(user, action, account)
                if bool(decision) != expected:
                    mismatches.append(f"{u.key} {action} {key}: expected {expected}, said {decision.reason}")
                elif not expected and u.signed_in and not visible and decision.reason != NOT_VISIBLE:
                    mismatches.append(f"{u.key} {action} {key}: refused with {decision.reason!r}, not 'not visible'")
    assert not mismatches, "\n".join(mismatches[:20])


def test_clearance_actions_match_the_rule(world):
    levels = {(scheme, rank): ClassificationLevel.objects.get(scheme__key=scheme, rank=rank) for scheme, rank in LEVELS}
    mismatches = []
    for u, user in _actors(world):
        if u.kind == "anonymous":
            continue
        for key in TARGETS:
            t, account = _spec(world, key), world["users"][key]
            base = _admin_of(u, _target_org(t)) and key != u.key and t.rank <= u.rank
            for (scheme, rank), level in levels.items():
                fits = base and scheme == _target_org(t) and rank <= u.rank
                for action, expected in ((ConsoleAction.LOWER_CLEARANCE, fits and rank < t.rank),
                                         (ConsoleAction.REQUEST_RAISE, fits and rank > t.rank)):
                    decision = can(user, action, account, level=level)
                    if bool(decision) != expected:
                        mismatches.append(f"{u.key} {action} {key} to {scheme} {rank}: expected {expected}, "
                                          f"said {decision.reason}")
    assert not mismatches, "\n".join(mismatches[:20])


def test_raise_actions_match_the_rule(world):
    """A raise of an EU reader to rank 2, asked by the EU administrator cleared 2."""
    users = world["users"]
    account, asker = users["eu-reader-1"], users["eu-administrator-2"]
    pending = ClearanceRaise.objects.create(account=account, requested_by=asker,
                                            level=ClassificationLevel.objects.get(scheme__key="eu", rank=2))
    mismatches = []
    for u, user in _actors(world):
        if u.kind == "anonymous":
            assert not can(AnonymousUser(), ConsoleAction.CONFIRM_RAISE, pending)
            continue
        admin = _admin_of(u, "eu") and u.key != "eu-reader-1"
        for action, expected in ((ConsoleAction.CONFIRM_RAISE, admin and u.key != "eu-administrator-2" and u.rank >= 2),
                                 (ConsoleAction.CANCEL_RAISE, admin)):
            decision = can(user, action, pending)
            if bool(decision) != expected:
                mismatches.append(f"{u.key} {action}: expected {expected}, said {decision.reason}")
    assert not mismatches, "\n".join(mismatches[:20])


def test_role_change_requests_match_the_rule(world):
    """Making the EU reader an administrator, asked by the EU administrator cleared 2: the same
    rule as a raise, without a level (a second administrator cleared as high as the account)."""
    users = world["users"]
    account, asker = users["eu-reader-1"], users["eu-administrator-2"]
    rank = _spec(world, "eu-reader-1").rank
    pending = ClearanceRaise.objects.create(account=account, requested_by=asker, role="administrator")
    mismatches = []
    for u, user in _actors(world):
        if u.kind == "anonymous":
            assert not can(AnonymousUser(), ConsoleAction.CONFIRM_RAISE, pending)
            continue
        admin = _admin_of(u, "eu") and u.key != "eu-reader-1"
        for action, expected in ((ConsoleAction.CONFIRM_RAISE, admin and u.key != "eu-administrator-2"
                                  and u.rank >= rank), (ConsoleAction.CANCEL_RAISE, admin)):
            decision = can(user, action, pending)
            if bool(decision) != expected:
                mismatches.append(f"{u.key} {action}: expected {expected}, said {decision.reason}")
    assert not mismatches, "\n".join(mismatches[:20])


# Every page over HTTP ----------------------------------------------------------------------------


def _client(world, key):
    client = Client()
    if key != "anonymous":
        client.force_login(world["users"][key])
    return client


@pytest.mark.parametrize("name", ["console-home", "console-account-new", "console-settings"])
def test_organisation_pages_exist_for_its_administrators_only(world, name):
    assert _client(world, "eu-administrator-3").get(reverse(name)).status_code == 200
    assert _client(world, "nato-administrator-0").get(reverse(name)).status_code == 200
    for key in ("eu-coordinator-3", "eu-reader-3", "nato-approver-3", "del-fi-3"):
        assert _client(world, key).get(reverse(name)).status_code == 404, key
    assert _client(world, "anonymous").get(reverse(name)).status_code == 302  # to the sign-in page


def test_an_eu_administrator_touching_a_nato_account_gets_404_and_changes_nothing(world):
    from rapport.api.tokens import create_token

    nato = world["users"]["nato-reader-1"]
    token, _ = create_token(user=nato, name="MXTOKEN")
    pending = ClearanceRaise.objects.create(account=nato, requested_by=world["users"]["nato-administrator-3"],
                                            level=ClassificationLevel.objects.get(scheme__key="nato", rank=2))
    eu_admin = _client(world, "eu-administrator-3")
    entries = AuditEvent.objects.count()
    assert eu_admin.get(reverse("console-account", args=[nato.pk])).status_code == 404
    for action in ("role", "deactivate", "reactivate", "reset-two-factor", "sign-out", "clearance", "sign-in-link"):
        response = eu_admin.post(reverse("console-account-action", args=[nato.pk, action]),
                                 {"role": "administrator", "clearance": "1"})
        assert response.status_code == 404, action
    for action in ("confirm", "cancel"):
        assert eu_admin.post(reverse("console-raise-action", args=[pending.pk, action])).status_code == 404
    assert eu_admin.post(reverse("console-token-revoke", args=[token.pk])).status_code == 404
    nato.refresh_from_db()
    token.refresh_from_db()
    pending.refresh_from_db()
    assert (nato.role, nato.is_active, nato.clearance.rank) == ("reader", True, 1) and nato.has_usable_password()
    assert token.revoked_at is None and pending.state == "pending"
    assert AuditEvent.objects.count() == entries
    # The same requests as NATO's administrator do act (so the 404s above can fail).
    nato_admin = _client(world, "nato-administrator-3")
    assert nato_admin.get(reverse("console-account", args=[nato.pk])).status_code == 200
    assert nato_admin.post(reverse("console-token-revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_unknown_action_is_404(world):
    eu_admin = _client(world, "eu-administrator-3")
    account = world["users"]["eu-reader-1"]
    assert eu_admin.post(reverse("console-account-action", args=[account.pk, "delete"])).status_code == 404
