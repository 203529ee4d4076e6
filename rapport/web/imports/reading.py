"""An uploaded file read safely: its size, its zip container and its rows bounded before
openpyxl parses it, formulas refused, and every problem named by row and column. Nothing
here writes; a file that cannot be read is one clear message."""

from __future__ import annotations

import datetime
import io
import warnings
import zipfile
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from .columns import COLUMNS, READ, REFERENCE, CellError
from .template import ABOUT, SHEET

MAX_BYTES = 5 * 1024 * 1024  # the upload
MAX_UNPACKED = 64 * 1024 * 1024  # what its zip container unpacks to (a "zip bomb" stops here)
MAX_MEMBERS = 500
MAX_ROWS = 20_000
NOT_A_WORKBOOK = gettext_lazy("the file is not an Excel workbook (.xlsx) that Rapport can read; download the "
                              "template, fill it in and upload it")
_NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r", "'\n")


@dataclass(frozen=True)
class Problem:
    row: int | None  # the sheet's row number, None for the file as a whole
    column: str  # the column's name, "" for the row or the file as a whole
    message: str

    def __str__(self) -> str:
        where = ", ".join(p for p in (_("row %(number)s") % {"number": self.row} if self.row else "", self.column) if p)
        return f"{where[:1].upper()}{where[1:]}: {self.message}" if where else self.message[:1].upper() + self.message[1:]


class Unreadable(Exception):
    """The file as a whole cannot be imported (the message says why)."""


@dataclass
class RawRow:
    number: int
    cells: dict[str, str]
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Upload:
    rows: list[RawRow]
    about: dict[str, str]


def read(data: bytes) -> Upload:
    if len(data) > MAX_BYTES:
        raise Unreadable(_("the file is %(size)s MB; at most %(maximum)s MB are accepted")
                         % {"size": number_format(len(data) / 1_048_576, 1), "maximum": MAX_BYTES // 1_048_576})
    _check_container(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; each means "cannot read it"
        raise Unreadable(NOT_A_WORKBOOK) from exc
    try:
        ws = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        about = _about(book[ABOUT]) if ABOUT in book.sheetnames else {}
        return Upload(_rows(ws), about)
    except Unreadable:
        raise
    except Exception as exc:
        raise Unreadable(NOT_A_WORKBOOK) from exc
    finally:
        book.close()


def _check_container(data: bytes) -> None:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise Unreadable(NOT_A_WORKBOOK)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Unreadable(NOT_A_WORKBOOK) from exc
    names = {m.filename for m in members}
    if "xl/workbook.xml" not in names:
        raise Unreadable(NOT_A_WORKBOOK)
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise Unreadable(_("the workbook unpacks to more than %(maximum)s MB; split it or remove what is not the "
                           "template's") % {"maximum": MAX_UNPACKED // 1_048_576})


def text_of(cell) -> str:
    """A cell as the text Rapport stores; the apostrophe Rapport's own sheets put before a text
    that looks like a formula is taken off again, so a sheet comes back as it went out."""
    value = cell.value
    if value is None:
        return ""
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")
                                                    and getattr(cell, "data_type", None) != "s"):
        raise CellError(_("a formula; Rapport takes text only (type the text itself)"))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    text = str(value)
    return text[1:] if text.startswith(_NEUTRALISED) else text


def _rows(ws) -> list[RawRow]:
    rows = ws.iter_rows()
    header, top, number = None, "", 0
    for cells in rows:
        number += 1
        names = [_plain(c) for c in cells]
        if number == 1 and names:
            top = names[0]
        if REFERENCE in names:
            header = names
            break
        if number >= 5:
            break
    if header is None:
        raise Unreadable(_("no header row with a column %(column)s in the first five rows: this is not the "
                           "template (download it from the period's import page)") % {"column": repr(REFERENCE)})
    _check_columns(header)
    out = []
    for cells in rows:
        number += 1
        if number - len(out) > MAX_ROWS + 10 or len(out) >= MAX_ROWS:
            raise Unreadable(_("the sheet has more than %(maximum)s rows") % {"maximum": MAX_ROWS})
        raw = RawRow(number, {})
        for name, cell in zip(header, cells, strict=False):
            if name not in READ:
                continue
            try:
                raw.cells[name] = text_of(cell)
            except CellError as exc:
                raw.cells[name] = ""
                raw.problems.append(Problem(number, name, str(exc)))
        filled = [name for name, text in raw.cells.items() if text.strip()]
        if not filled and not raw.problems:
            continue  # an empty line
        if filled == [REFERENCE] and raw.cells[REFERENCE] == top and top:
            continue  # the marking line at the bottom
        out.append(raw)
    return out


def _plain(cell) -> str:
    value = getattr(cell, "value", None)
    return "" if value is None else " ".join(str(value).split())


def _check_columns(header: list[str]) -> None:
    present = [h for h in header if h]
    missing = [c for c in READ if c not in present]
    unknown = [h for h in present if h not in COLUMNS]
    twice = sorted({h for h in present if present.count(h) > 1})
    parts = []
    if missing:
        parts.append(_("no column %(columns)s") % {"columns": ", ".join(repr(c) for c in missing)})
    if unknown:
        parts.append(_("columns Rapport does not know: %(columns)s") % {"columns": ", ".join(repr(c[:40]) for c in unknown[:5])})
    if twice:
        parts.append(_("columns named twice: %(columns)s") % {"columns": ", ".join(repr(c) for c in twice)})
    if parts:
        raise Unreadable(_("the columns are not the template's (%(problems)s): download the template for this "
                           "period and keep its header row") % {"problems": "; ".join(parts)})


def _about(ws) -> dict[str, str]:
    about = {}
    for n, cells in enumerate(ws.iter_rows(max_col=2)):
        if n > 20:
            break
        if len(cells) == 2 and cells[0].value is not None:
            about[str(cells[0].value).strip()] = "" if cells[1].value is None else str(cells[1].value).strip()
    return about
