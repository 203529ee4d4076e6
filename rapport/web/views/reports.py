"""Reports: the periods, each report's state and approvals, previews and downloads
of the editions the user may read, approval, the diff, the public summary; and
the public area's published reports."""

from __future__ import annotations

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from markdown_it import MarkdownIt

from rapport.access.policy import can
from rapport.audit.models import AuditEvent
from rapport.core.errors import InputError, NotFound
from rapport.periods.models import ReportingPeriod
from rapport.reports import workflow
from rapport.reports.choices import PartState
from rapport.reports.models import Highlight, Outlook, Report, ReportApproval
from rapport.reports.rules import ReportAction

from .. import reporting
from ..actions import run_workflow_action
from ..fragments import fragment
from ..queries import PUBLIC_READER, the_partnership
from ..rendering import page, visible_or_404

ACTIONS = {
    "approve": (workflow.approve_report, gettext_lazy("Approved for your organisation.")),
    "withdraw": (workflow.withdraw_report_approval, gettext_lazy("Your organisation's approval is withdrawn.")),
    "publish": (workflow.publish_report,
                gettext_lazy("Published. The public edition and summary are now in the public area.")),
}


def _report(user, ordinal: int):
    partnership = the_partnership()
    qs = Report.objects.with_marking().select_related("period", "period__partnership").filter(period__partnership=partnership)
    return visible_or_404(qs, user, period__ordinal=ordinal)


def _markdown(text: str) -> str:
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)


@login_required
def report_list(request):
    user = request.user
    partnership = the_partnership()
    periods = ReportingPeriod.objects.filter(partnership=partnership).order_by("-ordinal")
    reports = {r.period_id: r for r in Report.objects.visible_to(user).filter(period__partnership=partnership).with_marking()}
    approvals: dict[int, list] = {}
    for a in ReportApproval.objects.filter(report__in=list(reports.values()), withdrawn_at__isnull=True).select_related("organisation", "approver"):
        approvals.setdefault(a.report_id, []).append(a)
    organisations = list(partnership.organisations.order_by("key")) if partnership else []
    rows = []
    for p in periods:
        r = reports.get(p.pk)
        standing = {a.organisation_id: a for a in approvals.get(r.pk, [])} if r else {}
        rows.append({"period": p, "report": r, "approvals": [(o, standing.get(o.pk)) for o in organisations]})
    return page(request, "web/reports/list.html", {"nav": "reports", "rows": rows, "organisations": organisations})


def _approver_names(approvals) -> dict:
    """{approval pk: name} for approvals given on a peer's instance (under its instance account
    here): the approver its signed statement names (registry["record_provenance"])."""
    from rapport.core.registry import registry

    names = {}
    for provide in registry["record_provenance"].values():
        names.update({pk: found.get("approver", "") for pk, found in provide("report_approval", approvals).items()})
    return names


@login_required
def report_detail(request, ordinal: int):
    user = request.user
    report = _report(user, ordinal)
    partnership = the_partnership()
    organisations = list(partnership.organisations.order_by("key"))
    all_approvals = list(report.approvals.select_related("organisation", "approver", "withdrawn_by").order_by("-approved_at"))
    standing = {a.organisation_id: a for a in all_approvals if a.withdrawn_at is None}
    allowed = {name: can(user, action, report) for name, action in (
        ("approve", ReportAction.APPROVE), ("withdraw", ReportAction.WITHDRAW_APPROVAL), ("publish", ReportAction.PUBLISH))}
    previous = Report.objects.visible_to(user).filter(period__partnership=partnership, period__ordinal__lt=ordinal).order_by("-period__ordinal").first()
    return page(request, "web/reports/detail.html", {
        "nav": "reports", "report": report, "period": report.period, "organisations": organisations,
        "approvals": [(o, standing.get(o.pk)) for o in organisations], "approval_history": all_approvals,
        "approvers": _approver_names(all_approvals),
        "allowed": allowed, "editions": reporting.readable_editions(user, partnership, report),
        "formats": reporting.formats(), "previous": previous,
        "highlights": Highlight.objects.visible_to(user).filter(report=report).with_marking().order_by("order"),
        "outlook": Outlook.objects.visible_to(user).filter(report=report).with_marking().order_by("order"),
        "history": AuditEvent.objects.for_object(report).visible_to(user).with_marking().order_by("-seq")[:30],
    })


@login_required
@require_POST
def report_action(request, ordinal: int, action: str):
    if action not in ACTIONS:
        raise Http404
    user = request.user
    report = _report(user, ordinal)
    service, done = ACTIONS[action]
    message = request.POST.get("message", "").strip()

    def call():
        if action == "withdraw" and not message:
            raise InputError(_("say why the approval is withdrawn"), field="message")
        service(actor=user, report=report, message=message)

    run_workflow_action(request, call, done)
    return redirect("report-detail", ordinal)


def _edition_or_404(user, report, name):
    edition = reporting.resolve_for(user, the_partnership(), report, name)
    if edition is None:
        raise Http404
    return edition


@login_required
@csp_update({"style-src": [NONCE]})
def report_preview(request, ordinal: int):
    """The edition as standalone HTML (its stylesheet allowed by this response's nonce)."""
    report = _report(request.user, ordinal)
    edition = _edition_or_404(request.user, report, request.GET.get("edition", "public"))
    try:
        data, _name, _type = reporting.render(report, edition, "html", request.user, request.GET.get("language", "en"))
    except InputError as exc:  # a language the reports are not written in
        return _no_such_language(request, exc)
    html = data.decode().replace("<style", f'<style nonce="{request.csp_nonce}"')  # every block: charts too
    return HttpResponse(html, content_type="text/html; charset=utf-8")


def _no_such_language(request, exc: InputError):
    return page(request, "400.html", {"problem": exc.detail,
                                      "hint": _("Go back and choose English or French for the report.")}, status=400)


@login_required
def report_download(request, ordinal: int):
    report = _report(request.user, ordinal)
    edition = _edition_or_404(request.user, report, request.GET.get("edition", "public"))
    return _download(request, report, edition, request.GET.get("format", "pdf"))


def _download(request, report, edition, fmt: str):
    if fmt not in {name for name, _label in reporting.formats()}:
        raise Http404
    try:
        data, filename, content_type = reporting.render(report, edition, fmt, request.user,
                                                        request.GET.get("language", "en"))
    except NotFound as exc:
        raise Http404 from exc
    except InputError as exc:  # a language the reports are not written in: nothing rendered
        return _no_such_language(request, exc)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_diff(request, ordinal: int):
    user = request.user
    report = _report(user, ordinal)
    partnership = the_partnership()
    previous = Report.objects.visible_to(user).filter(period__partnership=partnership, period__ordinal__lt=ordinal).select_related("period").order_by("-period__ordinal").first()
    if previous is None:
        raise Http404
    edition = _edition_or_404(user, report, request.GET.get("edition", "public"))
    try:
        diff_html = _markdown(reporting.diff_markdown(report.period, edition))
    except InputError as exc:
        raise Http404 from exc
    return page(request, "web/reports/diff.html", {
        "nav": "reports", "report": report, "previous": previous, "diff_html": diff_html, "edition": edition,
        "editions": reporting.readable_editions(user, partnership, report),
    }, marked=[report, previous])


@login_required
def report_summary(request, ordinal: int):
    report = _report(request.user, ordinal)
    return page(request, "web/reports/summary.html", _summary_context(report, request.user), marked=[report])


def _summary_context(report, reader):
    summary = reporting.public_summary_html(report.period)
    # The summary's highlights are those of the public edition: PUBLIC and approved by every organisation.
    highlights = Highlight.objects.visible_to(PUBLIC_READER if reader is None else reader).filter(
        report=report, classification__rank=0, state=PartState.APPROVED).with_marking().order_by("order")
    return {
        "nav": "reports", "report": report, "summary_html": summary or None,
        "highlights": highlights,
    }


# Public area ------------------------------------------------------------------------------


def public_reports(request):
    partnership = the_partnership()
    reports = Report.objects.visible_to(PUBLIC_READER).filter(period__partnership=partnership).select_related("period").with_marking().order_by("-period__ordinal")
    return page(request, "web/public/reports.html", {"nav": "public-reports", "reports": reports, "formats": reporting.formats()})


def public_report(request, ordinal: int):
    parts = fragment(request, "public-report", PUBLIC_REPORT, lambda: _public_report(ordinal), reader=PUBLIC_READER)
    return page(request, "web/public/report.html", {"nav": "public-reports", **parts})


PUBLIC_REPORT = {"title": "web/public/_report_title.html", "title_lang": "web/public/_report_title_lang.html",
                 "body": "web/public/_report.html"}


def _public_report(ordinal: int) -> dict:
    report = visible_or_404(Report.objects.select_related("period").with_marking(), PUBLIC_READER, period__ordinal=ordinal,
                            period__partnership=the_partnership())
    summary = reporting.public_summary_html(report.period)
    highlights = Highlight.objects.visible_to(PUBLIC_READER).filter(report=report).with_marking().order_by("order")
    outlook = Outlook.objects.visible_to(PUBLIC_READER).filter(report=report).with_marking().order_by("order")
    return {
        "report": report, "summary_html": summary or None,
        "highlights": highlights, "outlook": outlook, "formats": reporting.formats(),
    }


def public_download(request, ordinal: int, fmt: str):
    report = visible_or_404(Report.objects.select_related("period").with_marking(), PUBLIC_READER, period__ordinal=ordinal,
                            period__partnership=the_partnership())
    edition = reporting.resolve_for(None, the_partnership(), report, "public")
    if edition is None:  # the report itself is published: visible_to(PUBLIC_READER) says so
        raise Http404
    return _download(request, report, edition, fmt)

