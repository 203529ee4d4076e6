"""Reports through the API beyond their own fields: each organisation's approvals, the editions
the caller may have (as the pages offer them: rapport.reports.readers), and an edition's file in
any format, rendered and recorded as a download by rapport.reports.build as the pages do. A
report or an edition the caller may not have answers 404 exactly as a missing one. Also the
revisions of a contribution, each shown only to those cleared for its marking."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from ninja import Query, Schema

from rapport.contributions.models import ContributionRevision
from rapport.core.errors import InputError, NotFound
from rapport.core.registry import registry
from rapport.markings.querysets import get_visible_or_404, reader_scope
from rapport.reports.build import render_edition
from rapport.reports.languages import check_language
from rapport.reports.models import Report
from rapport.reports.readers import readable_editions, resolve_for

from .resources import ERRORS, ID, Int, _contributions, router


class ApprovalOut(Schema):
    organisation: str
    version: int
    approved_at: datetime.datetime
    withdrawn: bool


class EditionOut(Schema):
    edition: str
    label: str
    formats: list[str]
    download: str  # the address of a file, with {format} to fill in


class ReportEditionsOut(Schema):
    report: int
    period: int
    state: str
    approvals: list[ApprovalOut]
    editions: list[EditionOut]


class RevisionOut(Schema):
    version: int
    narrative: str
    assessment: str | None
    classification: str
    author: str
    created: datetime.datetime


# What a download may be: every report format's media type (a renderer's content type, without parameters).
FILE_TYPES = sorted({"application/pdf", "text/html", "text/markdown",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})


def _report(user, pk: int) -> Report:
    return get_visible_or_404(Report.objects.select_related("period__partnership"), user, pk=pk)


@router.get("/reports/{id}/editions", response={200: ReportEditionsOut, **ERRORS},
            summary="A report's approvals and the editions the caller may download", url_name="report-editions")
def editions(request, id: Int = ID):
    user = request.auth
    report = _report(user, id)
    formats = sorted(registry["renderers"])
    approvals = report.approvals.select_related("organisation").order_by("approved_at", "pk")
    return {"report": report.pk, "period": report.period.ordinal, "state": report.state,
            "approvals": [{"organisation": a.organisation.key, "version": a.version, "approved_at": a.approved_at,
                           "withdrawn": a.withdrawn_at is not None} for a in approvals],
            "editions": [{"edition": e.name, "label": e.label, "formats": formats,
                          "download": f"/api/v1/reports/{report.pk}/download?edition={e.name}&format={{format}}"}
                         for e in readable_editions(user, report.period.partnership, report)]}


@router.get("/reports/{id}/download", response={200: None, **ERRORS},
            summary="One edition of a report as a file (recorded in the audit log as a download)",
            url_name="report-download",
            openapi_extra={"responses": {200: {"description": "The file", "content": {
                media: {"schema": {"type": "string", "format": "binary"}} for media in FILE_TYPES}}}})
def download(request, id: Int = ID, edition: str = Query(..., max_length=80), format: str = Query(..., max_length=10),
             language: str = Query("en", max_length=5, description="The language of the file: en or fr.")):
    user = request.auth
    report = _report(user, id)
    if format not in registry["renderers"]:
        raise InputError(f"no format {format!r} (formats: {', '.join(sorted(registry['renderers']))})", field="format")
    check_language(language)
    chosen = resolve_for(user, report.period.partnership, report, edition)
    if chosen is None:
        raise NotFound("edition")
    rendered = render_edition(report.period, chosen, format, actor=user, language=language)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    response["X-Content-SHA256"] = rendered.sha256
    return response


@router.get("/contributions/{id}/revisions", response={200: list[RevisionOut], **ERRORS},
            summary="A contribution's revisions the caller is cleared for, oldest first",
            url_name="contribution-revisions")
def revisions(request, id: Int = ID):
    user = request.auth
    contribution = get_visible_or_404(_contributions(user), user, pk=id)
    _, clearance, _ = reader_scope(user)
    # An old revision may carry a higher marking than the text has now (as on the comparison page).
    rows = (ContributionRevision.objects.filter(contribution=contribution, classification__rank__lte=clearance)
            .select_related("author", "assessment", "classification").order_by("version")[:500])
    return [{"version": r.version, "narrative": r.narrative, "assessment": r.assessment.key if r.assessment_id else None,
             "classification": r.classification.name,
             "author": (r.author.get_full_name() or r.author.username) if r.author_id else "",
             "created": r.created} for r in rows]
