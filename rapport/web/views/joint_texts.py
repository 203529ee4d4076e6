"""Writing a joint text in the browser: start one on a commitment for a period, edit it,
approve or return it, all through rapport.contributions.services (the joint text's page,
with its thread, is discussions.joint_text_detail)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rapport.access.policy import can
from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.contributions.models import JointText
from rapport.contributions.rules import JointTextAction
from rapport.core.errors import Conflict, InputError, NotFound, Refused
from rapport.periods.models import ReportingPeriod

from ..actions import run_workflow_action
from ..part_forms import PartForm
from ..rendering import page, visible_or_404

KIND = "joint-text"  # a text and a marking, as an outlook item has


def _save(form, call):
    """Run the service; its refusals become form errors with a status (400, 403, 409)."""
    try:
        return call(), 200
    except NotFound as exc:
        raise Http404 from exc
    except InputError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        return None, 400
    except Refused as exc:
        form.add_error(None, str(exc))
        return None, 403
    except Conflict as exc:
        form.add_error(None, str(exc))
        return None, 409


@login_required
def joint_text_new(request, commitment_pk: int, ordinal: int):
    user = request.user
    commitment = visible_or_404(Commitment.objects.with_marking().select_related("partnership"), user, pk=commitment_pk)
    period = ReportingPeriod.objects.filter(partnership=commitment.partnership, ordinal=ordinal).first()
    if period is None:
        raise Http404
    existing = JointText.objects.visible_to(user).filter(commitment=commitment, period=period).first()
    if existing is not None:
        return redirect("joint-text-edit", existing.pk)
    decision = can(user, JointTextAction.CREATE, commitment, period=period)
    status = 200
    form = PartForm(request.POST or None, user=user, partnership=commitment.partnership, kind=KIND) if decision else None
    if form is not None and request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            made, status = _save(form, lambda: services.create_joint_text(
                actor=user, commitment=commitment, period=period, text=d["text"], classification=d["classification"],
                releasable_to=list(d.get("releasable_to") or []), **form.language_kwargs("text")))
            if made is not None:
                return redirect("joint-text-detail", made.pk)
        else:
            status = 400
    return page(request, "web/joint_texts/edit.html", {
        "nav": "commitments", "commitment": commitment, "period": period, "joint_text": None, "form": form,
        "refusal": None if decision else decision.reason,
    }, status=status if decision else (403 if request.method == "POST" else 200), marked=[commitment])


@login_required
def joint_text_edit(request, pk: int):
    user = request.user
    joint_text = visible_or_404(JointText.objects.with_marking().select_related("commitment", "period",
                                                                                 "commitment__partnership"),
                                user, pk=pk)
    decision = can(user, JointTextAction.EDIT, joint_text)
    status = 200
    form = None
    if decision:
        initial = {"text": joint_text.text, "base_version": joint_text.version,
                   **PartForm.language_initial(joint_text, "text")}
        form = PartForm(request.POST or None, initial=initial, user=user,
                        partnership=joint_text.commitment.partnership, kind=KIND)
        # The marking is set when the text is started (the service edits the text only).
        for name in ("classification", "releasable_to"):
            del form.fields[name]
        if request.method == "POST":
            if form.is_valid():
                saved, status = _save(form, lambda: services.edit_joint_text(
                    actor=user, joint_text=joint_text, base_version=form.cleaned_data.get("base_version"),
                    text=form.cleaned_data["text"], **form.language_kwargs("text")))
                if saved is not None:
                    return redirect("joint-text-detail", saved.pk)
            else:
                status = 400
    elif request.method == "POST":
        status = 403
    commitment = Commitment.objects.visible_to(user).with_marking().filter(pk=joint_text.commitment_id).first()
    return page(request, "web/joint_texts/edit.html", {
        "nav": "commitments", "commitment": commitment, "period": joint_text.period, "joint_text": joint_text,
        "form": form, "refusal": None if decision else decision.reason,
    }, status=status, marked=[joint_text])


ACTIONS = {
    "approve": (services.approve_joint_text, gettext_lazy("Approved for your organisation.")),
    "return": (services.return_joint_text, gettext_lazy("Returned: the joint text is open again for every organisation.")),
}


@login_required
@require_POST
def joint_text_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    user = request.user
    joint_text = visible_or_404(JointText.objects.all(), user, pk=pk)
    service, done = ACTIONS[action]
    message = request.POST.get("message", "")
    run_workflow_action(request, lambda: service(actor=user, joint_text=joint_text, message=message), done)
    return redirect("joint-text-detail", joint_text.pk)


@login_required
@require_POST
def joint_text_conflict(request, pk: int, conflict_pk: int):
    """Resolve an exchange conflict: keep the version here, take the peer's, or write a new one
    (the service asks the edit rule)."""
    from rapport.federation import joint_texts as shared

    user = request.user
    joint_text = visible_or_404(JointText.objects.all(), user, pk=pk)
    conflict = shared.open_conflicts(joint_text, user).filter(pk=conflict_pk).first()
    if conflict is None:
        raise Http404
    keep, text = request.POST.get("keep", ""), request.POST.get("text", "")
    run_workflow_action(request, lambda: shared.resolve_conflict(actor=user, conflict=conflict, keep=keep, text=text),
                        gettext_lazy("Conflict resolved: the version that stands goes to the other instance "
                                     "with the next package."))
    return redirect("joint-text-detail", joint_text.pk)
