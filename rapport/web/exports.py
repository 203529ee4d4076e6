"""The lists a user can take away as a spreadsheet: the same rows the list page shows with
the same filters (the filter form and the visibility filter are the page's own), all pages
at once, only what the reader may read. Used by the download view and ``rapport export``.
Every export is an audit entry, marked as high as the sheet."""

from __future__ import annotations

from rapport.audit.record import record
from rapport.audit.verbs import Verb
from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import Area, Mandate, Organisation

from .filters import CommitmentFilterForm
from .marking import PageMarking
from .queries import (
    by_organisation,
    current_period,
    periods,
    the_partnership,
    visible_commitments,
    with_period_contributions,
)
from .spreadsheets import Sheet

MAX_ROWS = 100_000  # a sheet holds at most this many rows (XLSX takes about a million)


def commitments_sheet(user, params) -> tuple[Sheet, CommitmentFilterForm]:
    """The commitment list as the reader sees it with these filters (a QueryDict or dict)."""
    partnership = the_partnership()
    all_periods = periods(partnership)
    current = current_period(all_periods)
    form = CommitmentFilterForm(params or None, user=user, partnership=partnership, periods=all_periods,
                                current=current)
    ordinal = form.period_ordinal(current.ordinal if current else None)
    period = next((p for p in all_periods if p.ordinal == ordinal), current)
    commitments = form.apply(visible_commitments(user), period) if form.is_bound else visible_commitments(user)
    commitments = with_period_contributions(commitments.order_by("order", "ref"), user, period)
    organisations = list(partnership.organisations.order_by("key")) if partnership else []
    marking = PageMarking(reader=user)
    columns = ["Reference", "Title", "Area", "Mandate"]
    for o in organisations:
        columns += [f"{o.short_name}: state (period {period.ordinal if period else '–'})", f"{o.short_name}: assessment"]
    columns.append("Marking")
    rows = []
    areas = dict(Area.objects.visible_to(user).values_list("pk", "name"))
    mandates = dict(Mandate.objects.visible_to(user).values_list("pk", "title"))
    names: dict = {}  # a row's marking text by (rank, releasability): named once per kind of row
    for c in commitments[:MAX_ROWS]:
        found = by_organisation(c.period_contributions)
        row = [c.ref, c.title, areas.get(c.area_id, ""), mandates.get(c.mandate_id, "")]
        shown = [c]  # what the row holds: the commitment and the contributions whose cells it fills
        for o in organisations:
            contribution = found.get(o.pk)
            if contribution is not None:
                shown.append(contribution)
            row += [contribution.get_state_display() if contribution else "",
                    contribution.assessment.label if contribution and contribution.assessment_id else ""]
        for obj in shown:
            marking.note_object(obj)
        row.append(_row_marking(shown, user, names))
        rows.append(row)
    title = f"Commitments, period {period.ordinal}" if period else "Commitments"
    return Sheet(title=title, columns=columns, marking=marking.text, rows=rows, top_rank=marking.rank), form


def _row_marking(objs, user, names: dict) -> str:
    """A row's own marking: the highest of everything in it, and where all of it may go."""
    row = PageMarking(reader=user)
    for obj in objs:
        row.note_object(obj)
    key = (row.rank, frozenset(row.releasable or ()))
    if key not in names:
        names[key] = row.text
    return names[key]


def record_export(user, *, what: str, fmt: str, sheet: Sheet, params) -> None:
    """One audit entry per export, about the partnership: marked at the sheet's highest rank in
    the reader's own scheme and kept to the reader's organisations (who took what away is
    their business)."""
    orgs = (list(Organisation.objects.filter(pk=user.organisation_id)) if user.organisation_id
            else list(Organisation.objects.filter(pk__in=user.reading_organisations()).order_by("pk")))
    scheme_ids = [o.scheme_id for o in orgs]
    rank = max(sheet.top_rank, 1)  # at least internal: an export is the organisation's own business
    level = (ClassificationLevel.objects.filter(scheme_id__in=scheme_ids, rank=rank).order_by("pk").first()
             or ClassificationLevel.objects.filter(rank=rank).order_by("pk").first())
    record(actor=user, verb=Verb.EXPORT_DOWNLOADED, obj=the_partnership(),
           after={"list": what, "format": fmt, "rows": len(sheet.rows),
                  "filters": {k: v for k, v in _params(params).items() if k != "page"}},
           classification=level, releasable_to=orgs)


def _params(params) -> dict:
    if params is None:
        return {}
    if hasattr(params, "lists"):
        return {k: v if len(v) > 1 else v[0] for k, v in params.lists()}
    return dict(params)
