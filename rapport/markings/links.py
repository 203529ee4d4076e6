"""Links from a record to others (evidence, commitments) chosen by a writer who may not see
every record already linked.

The writer chooses among what they may see: an id they may not see is refused exactly like
one that does not exist. Links to records they cannot see stay as they are, so a colleague
with a lower clearance never removes them by saving.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from rapport.core.errors import InputError

MAX_ID = 2**63 - 1


def link_ids(kind: str, model, values) -> set[int]:
    """The ids in ``values`` (records or ids), each a positive database id."""
    ids = set()
    for value in values:
        pk = getattr(value, "pk", value)
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            raise InputError(_("%(value)s is not the id of a %(model)s") % {"value": repr(value), "model": model._meta.verbose_name},
                             field=kind) from None
        if not 0 < pk <= MAX_ID:
            raise InputError(_("no such %(model)s (%(id)s)") % {"model": model._meta.verbose_name, "id": pk}, field=kind)
        ids.add(pk)
    return ids


def chosen_links(links: dict, models: dict, actor, partnership_id, *, field: str) -> dict[str, set[int]]:
    """The ids chosen per kind (only the kinds given), each one visible to the actor."""
    unknown = set(links) - set(models)
    if unknown:
        raise InputError(_("unknown link kind(s) %(kinds)s") % {"kinds": ", ".join(sorted(unknown))}, field=field)
    chosen = {}
    for kind, model in models.items():
        if kind not in links:
            continue
        ids = link_ids(kind, model, links[kind] or [])
        found = set(model.objects.visible_to(actor).filter(partnership_id=partnership_id, pk__in=ids)
                    .values_list("pk", flat=True))
        missing = sorted(ids - found)
        if missing:  # invisible and non-existent ids answer alike
            raise InputError(_("no such %(model)s (%(id)s)") % {"model": model._meta.verbose_name, "id": missing[0]},
                             field=kind)
        chosen[kind] = found
    return chosen


def set_links(obj, chosen: dict[str, set[int]], models: dict, actor, partnership_id) -> None:
    """Link what the actor chose, keeping the links to records the actor cannot see."""
    for kind, ids in chosen.items():
        current = set(getattr(obj, kind).values_list("pk", flat=True))
        seen = set(models[kind].objects.visible_to(actor).filter(partnership_id=partnership_id, pk__in=current)
                   .values_list("pk", flat=True))
        getattr(obj, kind).set(ids | (current - seen))
