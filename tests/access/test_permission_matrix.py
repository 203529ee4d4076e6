"""The generated permission matrix.

Every model that inherits MarkedModel (found through the app registry, so the
matrix grows when a model is added) gets one object per marking (rank 0..3 in
the EU and in the NATO scheme) x releasability (none, EU, NATO, both) x the
model's workflow variants. Every user kind (each role in each organisation,
delegations of states in both / one organisation, clearance 0..3, signed out,
inactive) is checked against the plain-Python rule in tests/access/world.py,
through the three read paths: ``visible_to``, ``can(user, "view", obj)`` and
``get_visible_or_404``; the write actions of rapport.access.policy are checked
on the models they apply to.
"""

from __future__ import annotations

import os
import zlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from rapport.access.policy import actions, can
from rapport.core.errors import NotFound
from rapport.markings.querysets import get_visible_or_404
from rapport.reports.editions import resolve_edition

from . import world as w

MARKED = [m._meta.label_lower for m in w.marked_models()]

# ``visible_to`` is checked on the full cross-product (one query per user and model).
# ``can`` and ``get_visible_or_404`` cost a few queries per (user, object), so by
# default they run on a deterministic 1-in-STRIDE slice of the signed-in pairs that
# still gives every user a spread of markings and every object a spread of users
# (signed-out users: every object). RAPPORT_MATRIX_FULL=1 checks every pair.
FULL = os.environ.get("RAPPORT_MATRIX_FULL") == "1"
STRIDE = 1 if FULL else 12
# Write actions depend on the marking only through visibility: by default they run
# on every user x every workflow variant x these markings (scheme, rank, releasable).
WRITE_MARKINGS = {("eu", 0, "none"), ("nato", 2, "eu"), ("eu", 3, "both")}
SIGNED_OUT_ACTIONS = {"report.read_edition"}  # the only action a signed-out reader may be granted
WITH_ACTIONS = [label for label in MARKED if w.FACTORIES.get(label) and w.FACTORIES[label].actions]

pytestmark = pytest.mark.django_db


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def _sampled(u, s) -> bool:
    if STRIDE == 1 or not u.signed_in:
        return True
    return zlib.crc32(f"{u.key}|{s.label}|{s.n}".encode()) % STRIDE == 0


def _write_sampled(s) -> bool:
    rel = next(k for k, v in w.RELEASABILITY.items() if v == s.releasable)
    return FULL or (s.scheme, s.rank, rel) in WRITE_MARKINGS


def _report(kind, mismatches, total):
    lines = [f"{len(mismatches)} of {total} {kind} combinations disagree with the rule:"]
    for m in mismatches[:25]:
        lines.append("  " + m)
    if len(mismatches) > 25:
        lines.append(f"  ... and {len(mismatches) - 25} more")
    return "\n".join(lines)


def _factory_or_fail(label):
    if label in w.EXEMPTIONS:
        pytest.skip(f"exempt: {w.EXEMPTIONS[label]}")
    if label not in w.FACTORIES:
        pytest.fail(f"{label} inherits MarkedModel but tests/access/world.py has no factory for it")
    return w.FACTORIES[label]


# Coverage of the matrix itself --------------------------------------------------------------


def test_every_marked_model_has_a_factory_or_an_exemption():
    missing = [label for label in MARKED if label not in w.FACTORIES and label not in w.EXEMPTIONS]
    assert not missing, (
        f"Marked models without a permission-matrix factory: {missing}. Add a factory to "
        "tests/access/world.py FACTORIES (or an entry with a reason to EXEMPTIONS)."
    )
    stale = [label for label in [*w.FACTORIES, *w.EXEMPTIONS] if label not in MARKED]
    assert not stale, f"Factories/exemptions for models that are not marked (or do not exist): {stale}"
    assert all(reason.strip() for reason in w.EXEMPTIONS.values()), "every exemption needs a reason"


def test_matrix_dimensions_are_complete(world):
    """The matrix really spans every role x organisation/delegation x clearance."""
    specs = world["specs"]
    staff = {(s.org, s.role, s.rank) for s in specs if s.kind == "staff"}
    for org in w.ORGS:
        for role in w.ROLES:
            for rank in w.RANKS:
                assert (org, role, rank) in staff
    dels = {(s.delegation, s.rank) for s in specs if s.kind == "delegation"}
    assert {(d, r) for d in w.DELEGATION_ORGS for r in w.RANKS} <= dels
    assert {"FI", "AT", "NO"} <= set(w.DELEGATION_ORGS)
    for label, objs in world["objects"].items():
        combos = {(s.rank, s.scheme, s.releasable) for s in objs}
        assert len(combos) == len(w.RANKS) * len(w.ORGS) * len(w.RELEASABILITY), label
    registered = {(model, action) for action, models in actions().items() for model in models
                  if model not in w.RULES_TESTED_ELSEWHERE}
    expected = {(label, a) for label, f in w.FACTORIES.items() for a in f.actions}
    assert registered == expected, (
        f"policy rules without an expected rule in the matrix: {sorted(registered - expected)}; "
        f"expected rules for no registered rule: {sorted(expected - registered)}"
    )


def test_delegation_memberships_are_as_assumed(world):
    from rapport.partnerships.models import MemberState

    for code, orgs in w.DELEGATION_ORGS.items():
        state = MemberState.objects.get(code=code)
        assert {o.key for o in state.organisations_on(timezone.localdate())} == orgs
        assert set(world["users"][f"del-{code.lower()}-1"].reading_organisations()) == {
            world["ctx"].orgs[k].pk for k in orgs
        }


# The read paths ------------------------------------------------------------------------------


@pytest.mark.parametrize("label", MARKED)
def test_visible_to_matches_rule(world, label):
    factory = _factory_or_fail(label)
    model = _model(label)
    objs = world["objects"][label]
    ids = [s.obj.pk for s in objs]
    mismatches, total = [], 0
    for u in world["specs"]:
        user = world["users"][u.key]
        seen = set(model.objects.filter(pk__in=ids).visible_to(user).values_list("pk", flat=True))
        if u.kind == "anonymous":
            assert seen == set(model.objects.filter(pk__in=ids).visible_to(None).values_list("pk", flat=True))
        for s in objs:
            total += 1
            expected = w.expected_visible(u, s, factory)
            if (s.obj.pk in seen) != expected:
                mismatches.append(f"{u.key} -> {s.title} {s.variant}: expected visible={expected}")
    assert not mismatches, _report(f"{label} visible_to", mismatches, total)


def _can_view(world, label, kinds):
    factory = _factory_or_fail(label)
    mismatches, total = [], 0
    for u in world["specs"]:
        if u.kind not in kinds:
            continue
        user = world["users"][u.key]
        for s in world["objects"][label]:
            if not _sampled(u, s):
                continue
            total += 1
            expected = w.expected_visible(u, s, factory)
            decision = can(user, "view", s.obj)
            if bool(decision) != expected:
                mismatches.append(f"{u.key} -> {s.title} {s.variant}: expected {expected}, "
                                  f"can() said {bool(decision)} ({decision.reason})")
    return mismatches, total


@pytest.mark.parametrize("label", MARKED)
def test_can_view_matches_rule_signed_in(world, label):
    mismatches, total = _can_view(world, label, ("staff", "delegation"))
    assert not mismatches, _report(f"{label} can(view)", mismatches, total)


@pytest.mark.parametrize("label", MARKED)
def test_can_view_matches_rule_signed_out(world, label):
    """Signed-out and inactive users: can(view) must agree with visible_to (rank 0 and published)."""
    mismatches, total = _can_view(world, label, ("anonymous", "inactive"))
    assert not mismatches, _report(f"{label} can(view) signed out", mismatches, total)


@pytest.mark.parametrize("label", MARKED)
def test_denied_object_is_indistinguishable_from_a_missing_one(world, label):
    factory = _factory_or_fail(label)
    model = _model(label)
    missing_pk = model.objects.order_by("-pk").values_list("pk", flat=True).first() + 10_000
    mismatches, total = [], 0
    for u in world["specs"]:
        user = world["users"][u.key]
        with pytest.raises(NotFound) as missing:
            get_visible_or_404(model.objects.all(), user, pk=missing_pk)
        for s in world["objects"][label]:
            if not _sampled(u, s):
                continue
            expected = w.expected_visible(u, s, factory)
            total += 1
            try:
                got = get_visible_or_404(model.objects.all(), user, pk=s.obj.pk)
            except NotFound as exc:
                if expected:
                    mismatches.append(f"{u.key} -> {s.title}: NotFound for a visible object")
                elif str(exc) != str(missing.value) or type(exc) is not type(missing.value):
                    mismatches.append(f"{u.key} -> {s.title}: denied says {exc!r}, missing says {missing.value!r}")
                elif s.title in str(exc):
                    mismatches.append(f"{u.key} -> {s.title}: the error names the object")
            else:
                if not expected or got.pk != s.obj.pk:
                    mismatches.append(f"{u.key} -> {s.title}: returned an object the rule denies")
    assert not mismatches, _report(f"{label} get_visible_or_404", mismatches, total)


# The write actions -----------------------------------------------------------------------------


def _context(action, s):
    """What an action is asked with, beyond the object (the edition a reader asks for)."""
    if action == "report.read_edition":
        return {"edition": resolve_edition(s.obj.period.partnership, "public", s.obj.period)}
    return {}


@pytest.mark.parametrize("label", WITH_ACTIONS)
def test_write_actions_match_rule(world, label):
    """Given what the user can see, each write action follows the policy's written rule.

    Visibility itself is checked (against the rule) by the tests above; here the
    write rule is applied to the *actual* visibility so that one visibility bug does
    not show up twice."""
    factory = _factory_or_fail(label)
    model = _model(label)
    objs = [s for s in world["objects"][label] if _write_sampled(s)]
    mismatches, total = [], 0
    for u in world["specs"]:
        user = world["users"][u.key]
        seen = set(model.objects.filter(pk__in=[s.obj.pk for s in objs]).visible_to(user).values_list("pk", flat=True))
        for s in objs:
            visible = s.obj.pk in seen
            for action, rule in factory.actions.items():
                total += 1
                expected = bool(rule(u, s, visible)) if u.signed_in or action in SIGNED_OUT_ACTIONS else False
                decision = can(user, action, s.obj, **_context(action, s))
                if bool(decision) != expected:
                    mismatches.append(f"{u.key} {action} {s.title} {s.variant}: expected {expected}, "
                                      f"can() said {bool(decision)} ({decision.reason})")
                elif not expected and u.signed_in and not visible and decision.reason != "not visible":
                    # Services turn exactly this reason into NotFound; any other reason would
                    # tell the user that the object exists.
                    mismatches.append(f"{u.key} {action} {s.title}: denied on an invisible object with "
                                      f"reason {decision.reason!r} (services would say Refused, not NotFound)")
    assert not mismatches, _report(f"{label} write actions", mismatches, total)


def test_unknown_action_is_denied(world):
    obj = world["objects"]["commitments.commitment"][0].obj
    assert not can(world["users"]["eu-coordinator-3"], "delete_everything", obj)
    assert not can(AnonymousUser(), "view", obj) or obj.classification.rank == 0
