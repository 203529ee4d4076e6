"""The report written in the browser: the editor of a report's parts (introduction and area
texts, highlights, outlook, Council actions) with their joint workflow, the suggested material, the readiness
checklist and links to the previews and the diff; each part's page carries its comment
thread (views/discussions.py). Every write goes through
rapport.reports.parts (or suggestions.adopt_suggestion); what a user may do comes from
the policy (``can``, ``part_rights``), never from a role checked here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rapport.access.policy import can
from rapport.contributions.choices import ContributionState
from rapport.contributions.models import Contribution
from rapport.core.errors import Conflict, InputError, NotFound, Refused
from rapport.partnerships.models import Area
from rapport.reports import parts as services
from rapport.reports.choices import PartState
from rapport.reports.models import CouncilAction, Highlight, Outlook, Report, ReportText
from rapport.reports.readiness import checklist
from rapport.reports.rules import PartAction, part_rights
from rapport.reports.suggestions import LIMIT, adopt_suggestion, suggestions

from .. import reporting
from ..actions import run_workflow_action
from ..part_forms import PartForm
from ..queries import the_partnership
from ..rendering import page, visible_or_404
from ..templatetags.rapport_language import lang_attr
from .discussions import thread

KINDS = {"text": ReportText, "highlight": Highlight, "outlook": Outlook, "council-action": CouncilAction}
CREATE = {"text": services.create_text, "highlight": services.create_highlight, "outlook": services.create_outlook,
          "council-action": services.create_council_action}
LABELS = {"text": gettext_lazy("text"), "highlight": gettext_lazy("highlight"),
          "outlook": gettext_lazy("outlook item"), "council-action": gettext_lazy("Council action")}
WITH_ARTICLE = {"text": gettext_lazy("an introduction or area text"), "highlight": gettext_lazy("a highlight"),
                "outlook": gettext_lazy("an outlook item"), "council-action": gettext_lazy("a Council action")}
# Whole sentences per kind (the words around a part's name change with it in French).
SAVED_AS_DRAFT = {"text": gettext_lazy("The text is saved as a draft."),
                  "highlight": gettext_lazy("The highlight is saved as a draft."),
                  "outlook": gettext_lazy("The outlook item is saved as a draft."),
                  "council-action": gettext_lazy("The Council action is saved as a draft.")}
SAVED_AGAIN = {"text": gettext_lazy("The text is saved; its approvals, if any, are cleared."),
               "highlight": gettext_lazy("The highlight is saved; its approvals, if any, are cleared."),
               "outlook": gettext_lazy("The outlook item is saved; its approvals, if any, are cleared."),
               "council-action": gettext_lazy("The Council action is saved; its approvals, if any, are cleared.")}
# What each kind's list of parts is ordered by.
ORDER = {"text": ("area__order", "order", "pk"), "council-action": ("date", "organisation__key")}
RELATED = {"council-action": ("organisation",)}
SUPPORTING = 30  # the supporting contributions listed on a highlight's page


def _report(user, ordinal: int) -> Report:
    qs = Report.objects.with_marking().select_related("period", "period__partnership").filter(
        period__partnership=the_partnership())
    return visible_or_404(qs, user, period__ordinal=ordinal)


def _kind(kind: str):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _editor_url(report) -> str:
    return reverse("report-editor", args=[report.period.ordinal])


@login_required
def report_editor(request, ordinal: int):
    user = request.user
    report = _report(user, ordinal)
    partnership = report.period.partnership
    found = {kind: list(model.objects.visible_to(user).filter(report=report).with_marking()
                        .select_related("author", *RELATED.get(kind, ())).prefetch_related("approvals__organisation")
                        .order_by(*ORDER.get(kind, ("order", "pk"))))
             for kind, model in KINDS.items()}
    rights = part_rights(user, report, [p for rows in found.values() for p in rows])
    notes = _exchange_notes([p for rows in found.values() for p in rows], user)
    rows = {kind: [{"part": p, "kind": kind, "rights": {a.name.lower() for a in rights[(p._meta.model_name, p.pk)]},
                    "exchange": notes.get((_SHARED_KIND[kind], p.pk))}
                   for p in parts] for kind, parts in found.items()}
    # A text names its area only to a reader of the area; a name not in the page's language says its own.
    readable_areas = {a.pk: format_html("<span{}>{}</span>", lang_attr(a, "name"), a.local_name)
                      for a in Area.objects.visible_to(user).filter(partnership=partnership)
                      .only("pk", "name", "translations")}
    may_write = can(user, PartAction.WRITE, report)
    # Council actions are recorded after publication too: their form follows its own rule.
    may_add = {kind: bool(can(user, PartAction.RECORD_COUNCIL_ACTION if kind == "council-action" else PartAction.WRITE,
                              report)) for kind in KINDS}
    forms = {kind: PartForm(user=user, partnership=partnership, kind=kind, prefix=kind)
             for kind in KINDS if may_add[kind]}
    suggested = suggestions(user, report) if may_write else None
    previous = Report.objects.visible_to(user).filter(period__partnership=partnership,
                                                      period__ordinal__lt=ordinal).order_by("-period__ordinal").first()
    marked = [report]
    for form in forms.values():
        marked += form.evidence_records()
    return page(request, "web/reports/editor.html", {
        "nav": "reports", "report": report, "period": report.period, "rows": rows, "labels": WITH_ARTICLE,
        "may_write": may_write, "forms": forms, "readable_areas": readable_areas,
        "suggestions": list(suggested[:LIMIT]) if suggested is not None else None,
        "suggestion_count": suggested.count() if suggested is not None else 0,
        "checklist": checklist(user, report), "editions": reporting.readable_editions(user, partnership, report),
        "previous": previous, "approved": PartState.APPROVED,
    }, marked=marked)


@login_required
@require_POST
def part_new(request, ordinal: int, kind: str):
    user = request.user
    report = _report(user, ordinal)
    _kind(kind)
    decision = can(user, PartAction.RECORD_COUNCIL_ACTION if kind == "council-action" else PartAction.WRITE, report)
    if not decision:  # the policy first: a refusal is not a matter of the form's fields
        messages.error(request, _("Not allowed: %(reason)s.") % {"reason": decision.reason})
        return redirect(_editor_url(report))
    form = PartForm(request.POST, user=user, partnership=report.period.partnership, kind=kind, prefix=kind)
    if not form.is_valid():
        errors = _("; ").join(_("%(field)s: %(errors)s") % {
            "field": form.fields[f].label if f in form.fields else f,
            "errors": " ".join(e.rstrip(".") + "." for e in errs).rstrip(".")} for f, errs in form.errors.items())
        messages.error(request, _("Not saved: %(errors)s.") % {"errors": errors})
        return redirect(_editor_url(report))
    kwargs = form.service_kwargs()
    run_workflow_action(request, lambda: CREATE[kind](actor=user, report=report, **kwargs),
                        SAVED_AS_DRAFT[kind])
    return redirect(f"{_editor_url(report)}#{kind}s")


def _part(user, report, kind: str, pk: int):
    model = _kind(kind)
    qs = model.objects.with_marking().select_related("report", "report__period", "report__period__partnership")
    return visible_or_404(qs.filter(report=report), user, pk=pk)


@login_required
def part_edit(request, ordinal: int, kind: str, pk: int):
    """The edit form of one part (GET), and saving it (POST): errors keep the text, answer 400
    and name the field; a stale version answers 409."""
    user = request.user
    report = _report(user, ordinal)
    part = _part(user, report, kind, pk)
    partnership = report.period.partnership
    status = 200
    if request.method == "POST" and can(user, PartAction.WRITE, part):
        form = PartForm(request.POST, user=user, partnership=partnership, kind=kind)
        if form.is_valid():
            try:
                services.edit_part(actor=user, part=part, base_version=form.cleaned_data.get("base_version"),
                                   **form.service_kwargs())
            except NotFound as exc:
                raise Http404 from exc
            except InputError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
                status = 400
            except Refused as exc:
                form.add_error(None, str(exc))
                status = 403
            except Conflict as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, SAVED_AGAIN[kind])
                return redirect(f"{_editor_url(report)}#{kind}-{part.pk}")
        else:
            status = 400
    else:
        initial = {"text": part.text, "classification": part.classification,
                   "releasable_to": list(part.releasable_to.all()), "base_version": part.version,
                   **PartForm.language_initial(part, "text")}
        if kind == "highlight":
            initial.update({name: list(getattr(part, name).values_list("pk", flat=True))
                            for name in ("commitments", *PartForm.EVIDENCE)})
        if kind == "council-action":
            initial.update(action=part.action, date=part.date)
        if kind == "text":
            initial.update(area=part.area_id)
        form = PartForm(initial=initial, user=user, partnership=partnership, kind=kind)
    supporting = linked = None
    if kind == "highlight":  # the commitments it is about, and the approved contributions of the period on them
        linked = list(part.commitments.visible_to(user).with_marking().order_by("order", "ref"))
        supporting = list(Contribution.objects.visible_to(user).filter(
            period=report.period, state=ContributionState.APPROVED,
            commitment__in=[c.pk for c in linked]).with_marking()
            .select_related("commitment", "organisation").order_by("commitment__order", "commitment__ref",
                                                                   "organisation__key")[:SUPPORTING])
    decision = can(user, PartAction.WRITE, part)
    conflicts = _conflicts(part, user)
    if not decision:  # the text is shown, with the reason; no form to fill
        form = None
        status = 403 if request.method == "POST" else status
    return page(request, "web/reports/part_edit.html", {
        "nav": "reports", "report": report, "period": report.period, "part": part, "kind": kind,
        "label": LABELS[kind], "label_with_article": WITH_ARTICLE[kind], "form": form, "refusal": None if decision else decision.reason,
        "supporting": supporting, "supporting_limit": SUPPORTING, "conflicts": conflicts, "may_write": bool(decision), "linked": linked, "subject": part, "thread_url": reverse("report-part-comment", args=[report.period.ordinal, kind, part.pk]),
        **thread(request, part),
    }, status=status, marked=[report, part, *(form.evidence_records() if form else ()), *(supporting or ()),
                                                   *(linked or ()), *conflicts])


_SHARED_KIND = {"text": "text", "highlight": "highlight", "outlook": "outlook", "council-action": "council_action"}


def _exchange_notes(parts, user) -> dict:
    """Who wrote the parts received from a peer, and which wait on a conflict (only with peers)."""
    from rapport.federation import report_parts as shared

    return shared.exchange_notes(parts, user)


def _conflicts(part, user) -> list:
    """The part's open exchange conflicts the reader may read (only on an instance with peers)."""
    from rapport.federation import report_parts as shared

    return list(shared.open_conflicts(part, user))


@login_required
@require_POST
def part_conflict(request, ordinal: int, kind: str, pk: int, conflict_pk: int):
    """Resolve an exchange conflict on a part: keep the version here or take the peer's (the
    service asks the write rule)."""
    from rapport.federation import report_parts as shared

    user = request.user
    report = _report(user, ordinal)
    part = _part(user, report, kind, pk)
    conflict = shared.open_conflicts(part, user).filter(pk=conflict_pk).first()
    if conflict is None:
        raise Http404
    keep = request.POST.get("keep", "")
    run_workflow_action(request, lambda: shared.resolve_conflict(actor=user, conflict=conflict, keep=keep),
                        gettext_lazy("Conflict resolved: the version that stands goes to the other instance "
                                     "with the next package."))
    return redirect("report-part-edit", report.period.ordinal, kind, part.pk)


ACTIONS = {
    "approve": (lambda user, part, message: services.approve_part(actor=user, part=part, message=message),
                gettext_lazy("Approved for your organisation.")),
    "return": (lambda user, part, message: services.return_part(actor=user, part=part, message=message),
               gettext_lazy("Returned: the part is a draft again for every organisation.")),
    "up": (lambda user, part, message: services.move_part(actor=user, part=part, direction="up"), gettext_lazy("Moved up.")),
    "down": (lambda user, part, message: services.move_part(actor=user, part=part, direction="down"), gettext_lazy("Moved down.")),
    "delete": (lambda user, part, message: services.delete_part(actor=user, part=part), gettext_lazy("Deleted.")),
}


@login_required
@require_POST
def part_action(request, ordinal: int, kind: str, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    user = request.user
    report = _report(user, ordinal)
    part = _part(user, report, kind, pk)
    call, done = ACTIONS[action]
    message = request.POST.get("message", "")
    run_workflow_action(request, lambda: call(user, part, message), done)
    return redirect(f"{_editor_url(report)}#{kind}s")


@login_required
@require_POST
def suggestion_adopt(request, ordinal: int, pk: int):
    user = request.user
    report = _report(user, ordinal)
    made = {}

    def adopt():
        made["part"] = adopt_suggestion(actor=user, report=report, contribution_id=pk)

    run_workflow_action(request, adopt, _("A draft highlight is made from the suggestion: edit it below."))
    if "part" in made:
        return redirect("report-part-edit", ordinal, "highlight", made["part"].pk)
    return redirect(_editor_url(report))
