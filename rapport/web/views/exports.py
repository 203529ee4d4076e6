"""A list as a spreadsheet: the list page's filters, every page, only what the reader may read;
every download an audit entry."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from ..exports import LISTS, record_export
from ..spreadsheets import FORMATS
from ..spreadsheets import render as render_sheet


@login_required
def list_export(request, fmt: str, what: str):
    if fmt not in FORMATS or what not in LISTS:
        raise Http404
    sheet, _errors = LISTS[what](request.user, request.GET)  # a refused filter narrows nothing, as on the page
    data = render_sheet(sheet, fmt)
    record_export(request.user, what=what, fmt=fmt, sheet=sheet, params=request.GET)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="rapport-{what}.{fmt}"'
    return response
