"""Who may do what to which object: ``can(user, action, obj) -> Decision``.

Reads are decided by the visibility filter (``markings/querysets.py``): the
action ``VIEW`` asks it. Every other action is a rule that the app owning it
registers (``contributions/rules.py``, ``reports/rules.py``) with
``@rule(Model, Action.X)``; this module only dispatches, so it knows nothing of
contributions or reports. Every decision carries a reason, for logs and for the
acting user when they can see the object; a user who cannot see it is told only
that it does not exist (``require`` raises NotFound).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from rapport.core.errors import NotFound, Refused
from rapport.core.registry import registry
from rapport.markings.querysets import is_visible

from .roles import Role

VIEW = "view"
WRITERS = (Role.DRAFTER, Role.COORDINATOR)
NOT_VISIBLE = "not visible"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


def allow(reason: str) -> Decision:
    return Decision(True, reason)


def deny(reason: str) -> Decision:
    return Decision(False, reason)


@dataclass(frozen=True)
class Rule:
    model: str  # label_lower of the model the action applies to
    action: str
    decide: Callable[..., Decision]
    signed_out: bool = False  # whether a signed-out reader may be asked at all


def rule(model, action: StrEnum, *, signed_out: bool = False):
    """Register ``decide(user, obj, **context) -> Decision`` for ``action`` on ``model``."""

    def decorator(decide):
        key = (model._meta.label_lower, str(action))
        if key in registry["policy_rules"]:
            raise ValueError(f"a rule for {action} on {key[0]} is registered twice")
        registry["policy_rules"][key] = Rule(key[0], str(action), decide, signed_out)
        return decide

    return decorator


def condition(model, action: StrEnum):
    """Register ``decide(user, obj, **context) -> Decision | None`` as one more condition on
    another app's rule: when the rule allows, a condition may still refuse (None: no objection).
    For an app that comes later in the layers, such as the federation's open conflicts."""

    def decorator(decide):
        registry["policy_conditions"].setdefault((model._meta.label_lower, str(action)), []).append(decide)
        return decide

    return decorator


def actions() -> dict[str, set[str]]:
    """Every registered action, with the models it applies to."""
    found: dict[str, set[str]] = {}
    for model, action in registry["policy_rules"]:
        found.setdefault(action, set()).add(model)
    return found


def signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def can(user, action: str, obj, **context) -> Decision:
    if action == VIEW:
        return allow("marking and releasability allow it") if is_visible(obj, user) else deny(NOT_VISIBLE)
    found = registry["policy_rules"].get((obj._meta.label_lower, str(action)))
    if found is None:
        return deny(_("no rule for %(action)s on %(model)s") % {"action": repr(action), "model": obj._meta.verbose_name})
    if not signed_in(user) and not found.signed_out:
        return deny(_("signed-out users only read published public content"))
    if not is_visible(obj, user):
        return deny(NOT_VISIBLE)
    decision = found.decide(user, obj, **context)
    if decision:
        for extra in registry["policy_conditions"].get((found.model, found.action), ()):
            refused = extra(user, obj, **context)
            if refused is not None:
                return refused
    return decision


def require(user, action: str, obj, **context) -> None:
    """Raise unless ``can`` allows it: NotFound for what the user may not see (as if it did
    not exist), Refused with the reason otherwise."""
    decision = can(user, action, obj, **context)
    if decision:
        return
    if decision.reason == NOT_VISIBLE:
        raise NotFound(obj._meta.verbose_name)
    raise Refused(_("Not allowed: %(reason)s.") % {"reason": decision.reason})


# Predicates the apps' rules share ---------------------------------------------------------


def staff_of(user, organisation_id) -> bool:
    return signed_in(user) and getattr(user, "organisation_id", None) == organisation_id


def in_partnership(user, partnership) -> bool:
    org = getattr(user, "organisation_id", None)
    return bool(org) and partnership.organisations.filter(pk=org).exists()
