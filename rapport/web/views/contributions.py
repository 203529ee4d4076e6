"""The contribution editor and its workflow: write, revise, submit, approve, return.

Every change goes through ``rapport.contributions.services``; their refusals
become messages and form errors, never a server error. A stale edit keeps the
user's text and shows what changed meanwhile.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rapport.access.policy import can
from rapport.audit.models import AuditEvent
from rapport.audit.verbs import Verb
from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.contributions.choices import ContributionState
from rapport.contributions.models import Contribution, ContributionRevision, JointText
from rapport.contributions.quality import quality_warnings
from rapport.contributions.rules import ContributionAction
from rapport.core.errors import Conflict, InputError, NotFound, Refused
from rapport.evidence.models import PartnerActivity
from rapport.federation.identity import provenance
from rapport.markings.querysets import VisiblePrefetch
from rapport.periods.models import ReportingPeriod

from ..actions import run_workflow_action
from ..forms import ContributionForm, MessageForm
from ..queries import the_partnership
from ..rendering import page, visible_or_404
from .discussions import thread

ACTIONS = {
    "submit": (services.submit_contribution, gettext_lazy("Submitted for approval.")),
    "approve": (services.approve_contribution, gettext_lazy("Approved.")),
    "return": (services.return_contribution, gettext_lazy("Returned to the drafters with your message.")),
}


def _contribution(user, pk):
    qs = Contribution.objects.select_related("commitment", "period", "organisation", "assessment", "author", "approved_by").with_marking()
    return visible_or_404(qs, user, pk=pk)


def _form_error(form, exc: InputError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.detail)


@login_required
def contribution_new(request, commitment_pk: int, ordinal: int):
    user = request.user
    commitment = visible_or_404(Commitment.objects.select_related("area").with_marking(), user, pk=commitment_pk)
    partnership = the_partnership()
    period = ReportingPeriod.objects.filter(partnership=commitment.partnership_id, ordinal=ordinal).first()
    if period is None:
        raise Http404
    existing = Contribution.objects.visible_to(user).filter(
        commitment=commitment, period=period, organisation_id=user.organisation_id
    ).first()
    if existing is not None:
        return redirect("contribution-edit", existing.pk)
    if request.method == "POST":
        form = ContributionForm(request.POST, user=user, partnership=partnership)
        if form.is_valid():
            try:
                c = services.create_contribution(actor=user, commitment=commitment, period=period, **form.service_kwargs())
            except InputError as exc:
                _form_error(form, exc)
            except (Refused, Conflict) as exc:
                form.add_error(None, str(exc))
            except NotFound as exc:
                raise Http404 from exc
            else:
                messages.success(request, _("Contribution saved as a draft. Submit it when it is ready."))
                return redirect("contribution-detail", c.pk)
    else:
        decision = can(user, ContributionAction.CREATE, commitment, period=period)
        if not decision:  # no empty form to someone who could not save it
            messages.error(request, _("You cannot write a contribution here: %(reason)s.") % {"reason": decision.reason})
            return redirect("commitment-detail", commitment.pk)
        # The marking starts at the organisation's default level, or empty: the form decides.
        initial = {"releasable_to": list(partnership.organisations.all()) if partnership else []}
        form = ContributionForm(initial=initial, user=user, partnership=partnership)
    return page(request, "web/contributions/edit.html", {
        "nav": "commitments", "form": form, "commitment": commitment, "period": period, "contribution": None,
        "creating": True,
    }, status=400 if request.method == "POST" else 200, marked=form.evidence_records())


@login_required
def contribution_edit(request, pk: int):
    user = request.user
    contribution = _contribution(user, pk)
    # The page names the commitment: it must be one the writer may read.
    commitment = visible_or_404(Commitment.objects.with_marking(), user, pk=contribution.commitment_id)
    partnership = the_partnership()
    conflict = None
    if request.method == "POST":
        form = ContributionForm(request.POST, user=user, partnership=partnership)
        if form.is_valid():
            try:
                services.edit_contribution(
                    actor=user, contribution=contribution, base_version=form.cleaned_data.get("base_version") or 0,
                    **form.service_kwargs(),
                )
            except Conflict as exc:
                # Keep the user's text; show the current one; the next save starts from the current version.
                conflict = {"message": str(exc), "current": _contribution(user, pk)}
                data = request.POST.copy()
                data["base_version"] = conflict["current"].version
                form = ContributionForm(data, user=user, partnership=partnership)
                form.is_valid()
            except InputError as exc:
                _form_error(form, exc)
            except Refused as exc:
                form.add_error(None, str(exc))
            except NotFound as exc:
                raise Http404 from exc
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("contribution-detail", pk)
    else:
        decision = can(user, ContributionAction.EDIT, contribution)
        if not decision:
            messages.error(request, _("You cannot edit this contribution: %(reason)s.") % {"reason": decision.reason})
            return redirect("contribution-detail", pk)
        form = ContributionForm(initial={
            "narrative": contribution.narrative, "assessment": contribution.assessment,
            "classification": contribution.classification, "releasable_to": list(contribution.releasable_to.all()),
            "base_version": contribution.version, **ContributionForm.language_initial(contribution, "narrative"),
            **{kind: list(getattr(contribution, kind).all()) for kind in ContributionForm.EVIDENCE},
        }, user=user, partnership=partnership)
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return page(request, "web/contributions/edit.html", {
        "nav": "commitments", "form": form, "commitment": commitment, "period": contribution.period,
        "contribution": contribution, "conflict": conflict, "creating": False,
    }, status=status, marked=[contribution, *form.evidence_records()])


@login_required
def contribution_detail(request, pk: int):
    user = request.user
    qs = Contribution.objects.select_related("commitment", "period", "organisation", "assessment", "author", "approved_by").with_marking()
    qs = qs.prefetch_related(
        VisiblePrefetch("meetings", user), VisiblePrefetch("exercises", user), VisiblePrefetch("formats", user),
        # A partner country is a record of its own: named only where the reader may read it.
        VisiblePrefetch("activities", user,
                        queryset=PartnerActivity.objects.prefetch_related(VisiblePrefetch("country", user))),
    )
    contribution = visible_or_404(qs, user, pk=pk)
    commitment = Commitment.objects.visible_to(user).filter(pk=contribution.commitment_id).first()
    allowed = {action.name.lower(): can(user, action, contribution) for action in (
        ContributionAction.EDIT, ContributionAction.SUBMIT, ContributionAction.APPROVE, ContributionAction.RETURN)}
    revisions = ContributionRevision.objects.filter(contribution=contribution).select_related("author", "assessment", "classification").order_by("-version")
    history = AuditEvent.objects.for_object(contribution).visible_to(user).with_marking().order_by("-seq")
    # A returned text says why at the top: the return's audit entry, read like every entry (it is
    # internal to the contribution's organisation, as the returned text is).
    returned = (history.filter(verb=Verb.CONTRIBUTION_RETURNED).first()
                if contribution.state == ContributionState.RETURNED else None)
    return page(request, "web/contributions/detail.html", {
        "nav": "commitments", "contribution": contribution, "commitment": commitment, "allowed": allowed,
        "revisions": revisions, "history": history, "message_form": MessageForm(), "returned": returned,
        # Warnings, never blocks: shown to whoever may submit the text, before they do.
        "warnings": quality_warnings(contribution, user) if allowed["submit"] else [],
        "thread_url": reverse("contribution-comment", args=[contribution.pk]), **thread(request, contribution),
        "joint_text": JointText.objects.visible_to(user).filter(
            commitment_id=contribution.commitment_id, period_id=contribution.period_id).only("pk").first(),
        # A peer instance's contribution, received in an exchange package: read-only here, says so.
        "received": provenance(contribution),
    })


@login_required
@require_POST
def contribution_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    user = request.user
    contribution = _contribution(user, pk)
    service, done = ACTIONS[action]
    message = request.POST.get("message", "")
    before = contribution.state
    warnings = quality_warnings(contribution, user) if action == "submit" else []
    run_workflow_action(request, lambda: service(actor=user, contribution=contribution, message=message), done)
    if (warnings and before != ContributionState.SUBMITTED
            and Contribution.objects.filter(pk=pk, state=ContributionState.SUBMITTED).exists()):
        for warning in warnings:  # the submission went through; the approvers will ask about these
            messages.warning(request, _("Check before approval: %(warning)s") % {"warning": warning.message})
    return redirect("contribution-detail", pk)
