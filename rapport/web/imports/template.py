"""The workbook to fill in: one row per commitment the importer may write on in the period
(a new contribution, or their organisation's draft or returned text as it stands), lists
to choose the assessment, the marking and the releasability from, and the marking of what
it holds in its first and last lines, its printed header and footer and a column per row."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from rapport.contributions.models import Contribution
from rapport.contributions.rules import writable_commitments

from ..exports.rows import RowMarkings
from ..spreadsheets import inert
from .columns import ASSESSMENT, COLUMNS, MARKING, NARRATIVE, RELEASABLE, Choices

SHEET, ABOUT, LISTS = "Contributions", "About", "Lists"
TITLE = "Rapport: contributions to import"
WIDTHS = {NARRATIVE: 80, "Commitment": 40, ASSESSMENT: 18, MARKING: 26, RELEASABLE: 16}


def own_contributions(user, period) -> dict:
    """The importer's organisation's contributions in the period that the importer may read, by commitment."""
    if not getattr(user, "organisation_id", None):
        return {}
    found = (Contribution.objects.visible_to(user).with_marking().select_related("assessment", "period", "organisation")
             .filter(period=period, organisation_id=user.organisation_id))
    return {c.commitment_id: c for c in found}


def writable(user, period, among=None) -> list[tuple]:
    """(commitment, own contribution or None) for every commitment the importer may write on now
    (``among``: only these commitments, e.g. the ones a filtered list shows). The rule is asked of
    the set (``writable_commitments``), not of each commitment."""
    own = own_contributions(user, period)
    commitments = (writable_commitments(user, period).with_marking().select_related("partnership")
                   .order_by("order", "ref"))
    if among is not None:
        commitments = commitments.filter(pk__in=among)
    return [(c, own.get(c.pk)) for c in commitments]


def template(user, period, among=None) -> tuple[bytes, int, RowMarkings]:
    """The workbook, how many rows it holds, and its markings (for the audit entry)."""
    choices = Choices.for_user(user, period.partnership)
    markings = RowMarkings(user)
    data = []
    for c, existing in writable(user, period, among):
        if existing is None:
            values = ["", "", "", ""]
        else:
            values = [existing.narrative, existing.assessment.label if existing.assessment_id else "",
                      choices.level_name(existing.classification), choices.releasable_name(existing.releasable_to.all())]
        state = existing.get_state_display() if existing is not None else ""
        data.append([c.ref, c.title, state, *values, markings.of([c, existing] if existing is not None else [c])])
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    marking = markings.sheet.text
    ws.append([inert(marking)])
    ws["A1"].font = Font(bold=True)
    ws.append(COLUMNS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in data:
        ws.append([inert(v) for v in row])
    ws.append([inert(marking)])
    ws.freeze_panes = "B3"
    for n, name in enumerate(COLUMNS, start=1):
        letter = get_column_letter(n)
        ws.column_dimensions[letter].width = WIDTHS.get(name, 14)
        if name == NARRATIVE:
            for cell in ws[letter][2:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for part in (ws.oddHeader, ws.evenHeader, ws.firstHeader, ws.oddFooter, ws.evenFooter, ws.firstFooter):
        part.center.text = marking
    ws.print_title_rows = "2:2"
    _lists(book, ws, choices, first=3, last=max(3, 2 + len(data)) + 200)  # room for rows added by hand
    _about(book, user, period, marking)
    book.properties.title, book.properties.subject, book.properties.creator = TITLE, marking, "Rapport"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), len(data), markings


def _lists(book, ws, choices: Choices, *, first: int, last: int) -> None:
    """A hidden sheet of the choices, and a drop-down on each choice column that offers them."""
    lists = book.create_sheet(LISTS)
    columns = {ASSESSMENT: [v.label for v in choices.assessments], MARKING: choices.offered_levels(),
               RELEASABLE: choices.offered_releasability()}
    for n, (name, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(n)
        lists.cell(row=1, column=n, value=name)
        for i, value in enumerate(values, start=2):
            lists.cell(row=i, column=n, value=inert(value))
        if not values:
            continue
        source = f"{quote_sheetname(LISTS)}!${letter}$2:${letter}${len(values) + 1}"
        target = get_column_letter(COLUMNS.index(name) + 1)
        check = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                               errorTitle=name, error=f"Choose a value of the list for {name}.")
        check.add(f"{target}{first}:{target}{last}")
        ws.add_data_validation(check)
    lists.sheet_state = "hidden"


def _about(book, user, period, marking: str) -> None:
    about = book.create_sheet(ABOUT)
    about.append([TITLE])
    about["A1"].font = Font(bold=True)
    for row in (("Period", period.ordinal), ("Organisation", user.organisation.key if user.organisation_id else ""),
                ("Written for", user.username), ("Written at", timezone.now().replace(microsecond=0).isoformat()),
                ("Highest marking", marking)):
        about.append([inert(v) for v in row])
    about.append([])
    for line in (
        "Fill in the Contributions sheet: one row per commitment, your organisation's contribution in this period.",
        "Narrative, Assessment, Contribution marking and Releasable to are read; the other columns are not.",
        "A row left empty writes nothing; a row as it was changes nothing.",
        "Releasable to names organisations separated by commas; left empty, a marked text stays with your own.",
        "Upload the file on the period's import page (or: rapport import): you see what would change before "
        "anything is written.",
    ):
        about.append([line])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 40
