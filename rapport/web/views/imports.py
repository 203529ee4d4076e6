"""Contributions imported from a spreadsheet, for the importer's organisation and one period:
the template, the upload, the preview of what would change, and the confirmation. The
uploaded file stays on the server (imports/uploads.py) and the confirmation reads and checks
it again: nothing the browser sends back is trusted. Every write goes through the
contribution services (imports/plan.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from rapport.periods.models import ReportingPeriod

from ..exports import record_export
from ..imports import plan as planning
from ..imports import uploads
from ..imports.reading import MAX_BYTES, Problem, Unreadable, read
from ..imports.template import template
from ..listing import commitment_listing
from ..queries import the_partnership
from ..rendering import page, page_marking, visible_or_404
from ..spreadsheets import FORMATS, Sheet

TEMPLATE_LIST = "contributions-template"


def _period(user, ordinal: int) -> ReportingPeriod:
    qs = ReportingPeriod.objects.select_related("partnership").filter(partnership=the_partnership())
    return visible_or_404(qs, user, ordinal=ordinal)


@login_required
def import_template(request, ordinal: int):
    """The workbook to fill in, with the commitments the reader may write on now; with the
    commitment list's filters, only those of them the filtered list shows."""
    period = _period(request.user, ordinal)
    among = None
    if request.GET:
        among = commitment_listing(request.user, request.GET).commitments.values_list("pk", flat=True)
    data, rows, markings = template(request.user, period, among)
    sheet = Sheet(title="Contributions template", columns=[], marking=markings.sheet.text, rows=[[]] * rows,
                  top_rank=markings.sheet.rank)
    record_export(request.user, what=TEMPLATE_LIST, fmt="xlsx", sheet=sheet,
                  params={**{k: v for k, v in request.GET.items()}, "period": str(ordinal)})
    response = HttpResponse(data, content_type=FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="rapport-contributions-period-{ordinal}.xlsx"'
    return response


@login_required
def import_upload(request, ordinal: int):
    """The import page; a POSTed file is read and, if it can be, kept for its preview."""
    period = _period(request.user, ordinal)
    problem = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problem = _("Choose the file to upload.")
        elif upload.size > MAX_BYTES:
            problem = (_("The file is %(size)s MB; at most %(maximum)s MB are accepted.")
                       % {"size": number_format(upload.size / 1_048_576, 1), "maximum": MAX_BYTES // 1_048_576})
        else:
            data = upload.read(MAX_BYTES + 1)
            try:
                read(data)
            except Unreadable as exc:
                problem = str(Problem(None, "", str(exc)))
            else:
                token = uploads.keep(request, data, period_ordinal=ordinal, filename=upload.name or "")
                return redirect("contributions-import-preview", ordinal, token)
    return page(request, "web/imports/upload.html", {
        "nav": "periods", "period": period, "problem": problem, "max_mb": MAX_BYTES // 1_048_576,
    }, status=400 if problem else 200)


@login_required
def import_preview(request, ordinal: int, token: str):
    """What the kept file would change; POST confirms (written only if it is still what the
    preview showed and every row goes through) or discards it."""
    user = request.user
    period = _period(user, ordinal)
    kept = uploads.load(request, token, period_ordinal=ordinal)
    if kept is None:
        raise Http404
    data, meta = kept
    notice = None
    try:
        upload = read(data)
    except Unreadable:  # it was readable at upload; a file changed on disk is simply gone
        uploads.discard(request, token)
        raise Http404 from None
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            uploads.discard(request, token)
            messages.info(request, _("The upload is discarded; nothing was written."))
            return redirect("contributions-import", ordinal)
        plan, written = planning.apply(user, period, upload, expected_digest=request.POST.get("digest", ""))
        if written:
            uploads.discard(request, token)
            messages.success(request, _("Imported: %(new)s new and %(changed)s changed contribution(s), "
                                        "%(unchanged)s unchanged.") % {
                "new": plan.count(planning.NEW), "changed": plan.count(planning.CHANGED),
                "unchanged": plan.count(planning.UNCHANGED)})
            org = f"&organisation={user.organisation.key}" if user.organisation_id else ""
            return redirect(reverse("commitment-list") + f"?period={ordinal}{org}")
        if not plan.all_problems:
            notice = _("What the file would change is not what the preview showed (the contributions changed "
                       "meanwhile): nothing was written. Check the preview below and confirm again.")
        plan = planning.preview(user, period, upload)
    else:
        plan = planning.preview(user, period, upload)
    marking = page_marking(request)
    for row in plan.rows:
        level = (row.values or {}).get("classification")
        if level is not None and row.status in (planning.NEW, planning.CHANGED):
            marking.note(level, [o.short_name for o in row.values["releasable_to"]])
    marked = [obj for row in plan.rows for obj in (row.commitment, row.existing) if obj is not None]
    return page(request, "web/imports/preview.html", {
        "nav": "periods", "period": period, "plan": plan, "name": meta.get("name", ""), "notice": notice,
        "problems": plan.all_problems, "digest": plan.digest(),
        "counts": {s: plan.count(s) for s in (planning.NEW, planning.CHANGED, planning.UNCHANGED, planning.ERROR)},
    }, status=400 if plan.all_problems or notice else 200, marked=marked)
