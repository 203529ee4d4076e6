"""The commitment list, and a period's contributions with the organisations side by side:
one row per commitment the list shows, a group of columns per organisation."""

from __future__ import annotations

from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution
from rapport.partnerships.models import Area, Mandate

from ..listing import commitment_listing
from ..spreadsheets import Sheet
from .rows import MAX_ROWS, RowMarkings, form_errors, releasability


def _names(user):
    """Areas and mandates by id, only those the reader may read (a hidden one is a blank cell)."""
    return (dict(Area.objects.visible_to(user).values_list("pk", "name")),
            dict(Mandate.objects.visible_to(user).values_list("pk", "title")))


def _rows(user, listing):
    """(commitment, {organisation id: its visible contribution in the list's period}) for each row,
    and the releasability of both kinds of record. The list's own queryset (its filters and the
    visibility filter), read without the page's prefetches: a sheet holds thousands of rows."""
    commitments = listing.commitments.prefetch_related(None)
    ids = commitments.values("pk")
    visible = (Contribution.objects.visible_to(user).filter(period=listing.period, commitment__in=ids)
               if listing.period is not None else Contribution.objects.none())
    contributions: dict[int, dict] = {}
    for c in visible.select_related("classification", "assessment"):
        contributions.setdefault(c.commitment_id, {})[c.organisation_id] = c
    shared = {Commitment: releasability(Commitment, ids), Contribution: releasability(Contribution, visible.values("pk"))}
    return [(c, contributions.get(c.pk, {})) for c in commitments[:MAX_ROWS]], shared


def _mark(obj, shared):
    return obj.classification, shared[type(obj)].get(obj.pk, [])


def commitments_sheet(user, params) -> tuple[Sheet, dict]:
    """Each commitment with each organisation's state and assessment in the list's period."""
    listing = commitment_listing(user, params)
    period, organisations = listing.period, listing.organisations
    columns = ["Reference", "Title", "Area", "Mandate"]
    for o in organisations:
        columns += [f"{o.short_name}: state (period {period.ordinal if period else '–'})", f"{o.short_name}: assessment"]
    columns.append("Marking")
    areas, mandates = _names(user)
    markings = RowMarkings(user)
    rows = []
    found, shared = _rows(user, listing)
    for c, by_org in found:
        row = [c.ref, c.title, areas.get(c.area_id, ""), mandates.get(c.mandate_id, "")]
        shown = [c]  # what the row holds: the commitment and the contributions whose cells it fills
        for o in organisations:
            contribution = by_org.get(o.pk)
            if contribution is not None:
                shown.append(contribution)
            row += [contribution.get_state_display() if contribution else "",
                    contribution.assessment.label if contribution and contribution.assessment_id else ""]
        row.append(markings.of_levels([_mark(obj, shared) for obj in shown]))
        rows.append(row)
    title = f"Commitments, period {period.ordinal}" if period else "Commitments"
    return (Sheet(title=title, columns=columns, marking=markings.sheet.text, rows=rows, top_rank=markings.sheet.rank),
            form_errors(listing.form))


def contributions_sheet(user, params) -> tuple[Sheet, dict]:
    """The list's period's contributions in full, the organisations side by side: for each
    organisation its state, assessment, narrative and the contribution's own marking."""
    listing = commitment_listing(user, params)
    period, organisations = listing.period, listing.organisations
    columns = ["Reference", "Title", "Area"]
    for o in organisations:
        columns += [f"{o.short_name}: state", f"{o.short_name}: assessment", f"{o.short_name}: narrative",
                    f"{o.short_name}: marking"]
    columns.append("Marking")
    areas, _mandates = _names(user)
    markings = RowMarkings(user)
    rows = []
    found, shared = _rows(user, listing)
    for c, by_org in found:
        row = [c.ref, c.title, areas.get(c.area_id, "")]
        shown = [c]
        for o in organisations:
            contribution = by_org.get(o.pk)
            if contribution is None:
                row += ["", "", "", ""]
                continue
            shown.append(contribution)
            row += [contribution.get_state_display(),
                    contribution.assessment.label if contribution.assessment_id else "",
                    contribution.narrative, markings.of_levels([_mark(contribution, shared)])]
        row.append(markings.of_levels([_mark(obj, shared) for obj in shown]))
        rows.append(row)
    title = f"Contributions, period {period.ordinal}" if period else "Contributions"
    return (Sheet(title=title, columns=columns, marking=markings.sheet.text, rows=rows, top_rank=markings.sheet.rank),
            form_errors(listing.form))
