"""Editions: who a rendering of the report is for.

An edition resolves to an ``Audience``, an object that behaves like a signed-in
user for ``Model.objects.visible_to`` (``_user_scope`` reads ``is_authenticated``,
``is_active``, ``clearance_rank`` and ``reading_organisations()``), so report
assembly goes through the one visibility filter like every other read.

Edition names:
  ``public``                 PUBLIC content only (rank 0). Built as a signed-in
                             audience of every organisation at rank 0 rather than
                             the anonymous path, so a coordinator can preview the
                             public edition of a report not yet published; who may
                             download it is decided by the policy (reports/rules.py).
  ``<org>`` / ``<org>:<level>``   an organisation's staff, at the top of its scheme
                             or at a clearance given by rank, abbreviation or name.
  ``delegation:<CODE>[:<level>]`` a member-state delegation: reads for every
                             organisation the state belongs to today, whatever
                             period the report covers, as the delegation does in
                             the pages (a state that has left an organisation no
                             longer reads what is releasable only to it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from rapport.core.errors import InputError
from rapport.core.registry import register, registry


@dataclass(frozen=True)
class Audience:
    name: str
    label: str
    rank: int
    organisation_ids: tuple[int, ...]
    organisation_id: int | None = None  # as on a User: staff of one organisation
    delegation_id: int | None = None  # as on a User: a member-state delegation
    is_authenticated: bool = True
    is_active: bool = True

    @property
    def clearance_rank(self) -> int:
        return self.rank

    def reading_organisations(self, on: datetime.date | None = None) -> list[int]:
        return list(self.organisation_ids)


@dataclass(frozen=True)
class Edition:
    name: str
    label: str
    audience: Audience
    kind: str  # public | organisation | delegation
    organisation_id: int | None = None
    delegation_id: int | None = None


def _levels(partnership, org_ids) -> dict[int, set[int]]:
    from rapport.markings.models import ClassificationLevel

    ranks: dict[int, set[int]] = {}
    for org in partnership.organisations.filter(pk__in=org_ids).select_related("scheme"):
        ranks[org.pk] = set(ClassificationLevel.objects.filter(scheme=org.scheme).values_list("rank", flat=True))
    return ranks


def _rank(spec: str | None, partnership, org_ids: list[int], default_top: bool = True) -> tuple[int, str]:
    """Parse a clearance given as rank, abbreviation or name, valid in every scheme read for;
    (rank, the level's names in the active language)."""
    from rapport.markings.models import LEVEL_MARKINGS, ClassificationLevel

    levels = (ClassificationLevel.objects.filter(scheme__organisations__pk__in=org_ids).select_related("scheme")
              .prefetch_related(LEVEL_MARKINGS))
    common = set.intersection(*_levels(partnership, org_ids).values()) if org_ids else {0}
    if spec is None:
        rank = max(common)
    elif spec.isdigit():
        rank = int(spec)
    else:
        match = {lv.rank for lv in levels if spec.casefold() in (lv.abbreviation.casefold(), lv.name.casefold())}
        if len(match) != 1:
            raise InputError(f"Unknown clearance level {spec!r}.", field="edition")
        rank = match.pop()
    if rank not in common:
        raise InputError(f"No clearance level of rank {rank} in the schemes of this audience.", field="edition")
    names = sorted({lv.banner() for lv in levels if lv.rank == rank})
    return rank, " / ".join(names)


@register("editions", "public")
def public_edition(partnership, arg: str | None, period) -> Edition:
    if arg:
        raise InputError("The public edition takes no options.", field="edition")
    orgs = tuple(partnership.organisations.values_list("pk", flat=True))
    return Edition("public", _("Public edition, PUBLIC content only"), Audience("public", _("the public"), 0, orgs),
                   "public")


@register("editions", "organisation")
def organisation_edition(partnership, spec: str, period) -> Edition:
    key, _sep, level = spec.partition(":")
    org = partnership.organisations.filter(key=key).first()
    if org is None:
        raise InputError(f"No organisation {key!r} in {partnership.name}.", field="edition")
    rank, level_name = _rank(level or None, partnership, [org.pk])
    abbr = org.scheme.levels.get(rank=rank).abbreviation
    name = f"{org.key}:{abbr}"
    values = {"organisation": org.short_name, "level": level_name}
    label = _("%(organisation)s edition, up to %(level)s") % values
    return Edition(name, label, Audience(name, _("%(organisation)s staff cleared %(level)s") % values, rank,
                                         (org.pk,), org.pk),
                   "organisation", organisation_id=org.pk)


@register("editions", "delegation")
def delegation_edition(partnership, spec: str, period) -> Edition:
    from rapport.partnerships.models import Membership, MemberState

    code, _sep, level = spec.partition(":")
    state = MemberState.objects.filter(code__iexact=code).first()
    if state is None:
        raise InputError(f"No member state with code {code!r}.", field="edition")
    # Today's memberships, as for the delegation's own account (access.models.User.reading_organisations).
    orgs = list(
        Membership.objects.current().filter(state=state, organisation__partnerships=partnership)
        .values_list("organisation_id", flat=True)
    )
    if not orgs:
        raise InputError(f"{state.name} belongs to no organisation of {partnership.name} today.", field="edition")
    rank, level_name = _rank(level or None, partnership, orgs)
    name = f"delegation:{state.code}:{rank}"
    label = _("Edition for the delegation of %(state)s, up to %(level)s") % {"state": state.name, "level": level_name}
    return Edition(name, label, Audience(name, _("the delegation of %(state)s") % {"state": state.name}, rank,
                                         tuple(sorted(orgs)), delegation_id=state.pk),
                   "delegation", delegation_id=state.pk)


def resolve_edition(partnership, name: str, period=None) -> Edition:
    """``public`` | ``<org>[:<level>]`` | ``delegation:<CODE>[:<level>]`` → Edition."""
    name = (name or "").strip()
    factories = registry["editions"]
    if name == "public":
        return factories["public"](partnership, None, period)
    if name.startswith("delegation:"):
        return factories["delegation"](partnership, name.split(":", 1)[1], period)
    if name:
        return factories["organisation"](partnership, name, period)
    raise InputError("An edition name is required.", field="edition")


def edition_names(partnership) -> list[str]:
    """The editions of the partnership's organisations, for help texts and the web UI."""
    from rapport.markings.models import ClassificationLevel

    names = ["public"]
    for org in partnership.organisations.select_related("scheme").order_by("key"):
        names.append(org.key)
        for lv in ClassificationLevel.objects.filter(scheme=org.scheme, rank__gt=0).order_by("rank"):
            names.append(f"{org.key}:{lv.abbreviation}")
    names.append("delegation:<CODE>[:<LEVEL>]")
    return names
