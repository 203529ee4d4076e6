"""Lists as spreadsheets (XLSX through openpyxl, and CSV): the rows a list shows, a marking
column per row, the highest marking of the sheet in its first line and in the printed
header and footer, and every cell a spreadsheet could take for a formula made inert."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A cell that starts like a formula (or a DDE call) is written with a leading apostrophe, the
# usual neutraliser: Excel, LibreOffice and Sheets then show it as text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 (so XLSX) cannot hold; stored text never has them, but a sheet must not break.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}


def inert(value):
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = _ILLEGAL.sub("", str(value))
    return "'" + text if text.startswith(_FORMULA_START) else text


@dataclass
class Sheet:
    title: str
    columns: list[str]
    marking: str  # the highest marking of what the sheet holds, as its reader names it
    rows: list[list] = field(default_factory=list)  # each row's last cell is its own marking
    top_rank: int = 0  # the highest rank of anything in the sheet


def to_xlsx(sheet: Sheet) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet.title[:31]
    ws.append([inert(sheet.marking)])
    ws["A1"].font = Font(bold=True)
    ws.append([inert(c) for c in sheet.columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        ws.append([inert(v) for v in row])
    ws.append([inert(sheet.marking)])
    ws.freeze_panes = "A3"
    for n, name in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(n)].width = min(60, max(10, len(name) + 2))
    # Printed, every page carries the marking at its top and bottom.
    for header in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        header.center.text = sheet.marking
    for footer in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        footer.center.text = sheet.marking
    ws.print_title_rows = "2:2"
    book.properties.title = sheet.title
    book.properties.subject = sheet.marking
    book.properties.creator = "Rapport"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(sheet: Sheet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([inert(sheet.marking)])
    writer.writerow([inert(c) for c in sheet.columns])
    for row in sheet.rows:
        writer.writerow([inert(v) for v in row])
    writer.writerow([inert(sheet.marking)])
    return out.getvalue().encode("utf-8-sig")  # with a byte-order mark, so Excel reads UTF-8


def render(sheet: Sheet, fmt: str) -> bytes:
    return to_xlsx(sheet) if fmt == "xlsx" else to_csv(sheet)
