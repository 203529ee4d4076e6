"""Every change to contributions and joint texts goes through these functions.

Each one runs in a transaction, in this order: find the object among those the
actor may see (otherwise NotFound, as if it did not exist), ask the policy,
validate, write, and append an audit entry with the before and after values.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from rapport.access.marking_rules import check_marking
from rapport.access.policy import can
from rapport.audit.record import record, snapshot
from rapport.audit.verbs import Verb
from rapport.core.errors import Conflict, InputError, NotFound, Refused

from .choices import ContributionState, JointTextState
from .models import Contribution, ContributionRevision, JointText, JointTextApproval

AUDITED_FIELDS = ["narrative", "assessment", "state", "version", "classification", "releasable_to",
                  "formats", "meetings", "exercises", "activities", "approved_by", "approved_revision"]
EVIDENCE_KINDS = ("formats", "meetings", "exercises", "activities")


def _require(actor, action: str, obj) -> None:
    decision = can(actor, action, obj)
    if decision:
        return
    if decision.reason == "not visible":
        raise NotFound(obj._meta.verbose_name)
    raise Refused(f"Not allowed: {decision.reason}.")


def _reload(model, obj):
    """Re-read inside the transaction, locking the row where the database can."""
    qs = model.objects.select_for_update() if transaction.get_connection().features.has_select_for_update else model.objects
    return qs.get(pk=obj.pk)


def _check_assessment(contribution_partnership, assessment) -> None:
    if assessment is not None and assessment.scheme_id != contribution_partnership.assessment_scheme_id:
        raise InputError(f"{assessment.label!r} is not a value of the scheme "
                         f"{contribution_partnership.assessment_scheme.name!r}", field="assessment")


def _set_evidence(contribution, evidence: dict | None) -> None:
    if evidence is None:
        return
    unknown = set(evidence) - set(EVIDENCE_KINDS)
    if unknown:
        raise InputError(f"unknown evidence kind(s) {', '.join(sorted(unknown))}", field="evidence")
    for kind in EVIDENCE_KINDS:
        if kind in evidence:
            getattr(contribution, kind).set(evidence[kind])


def _revise(contribution, actor) -> ContributionRevision:
    return ContributionRevision.objects.create(
        contribution=contribution, version=contribution.version, narrative=contribution.narrative,
        assessment=contribution.assessment, classification=contribution.classification, author=actor,
    )


@transaction.atomic
def create_contribution(*, actor, commitment, period, narrative, assessment=None, classification,
                        releasable_to, evidence=None) -> Contribution:
    _require(actor, "create_contribution", commitment)
    if not narrative or not narrative.strip():
        raise InputError("write the progress narrative", field="narrative")
    partnership = commitment.partnership
    if period.partnership_id != partnership.pk:
        raise InputError("the period belongs to another partnership", field="period")
    if period.state != "open":
        raise InputError("contributions can only be written for an open period", field="period")
    _check_assessment(partnership, assessment)
    check_marking(actor=actor, partnership=partnership, classification=classification, releasable_to=releasable_to)
    if Contribution.objects.filter(organisation_id=actor.organisation_id, commitment=commitment, period=period).exists():
        raise Conflict("Your organisation already has a contribution on this commitment for this period; edit that one.")
    contribution = Contribution(organisation_id=actor.organisation_id, commitment=commitment, period=period,
                                narrative=narrative.strip(), assessment=assessment, classification=classification,
                                author=actor, version=1)
    contribution.full_clean()
    contribution.save()
    contribution.releasable_to.set(releasable_to)
    _set_evidence(contribution, evidence)
    _revise(contribution, actor)
    record(actor=actor, verb=Verb.CONTRIBUTION_CREATED, obj=contribution, after=snapshot(contribution, AUDITED_FIELDS))
    return contribution


@transaction.atomic
def edit_contribution(*, actor, contribution, base_version, narrative, assessment=None, classification,
                      releasable_to, evidence=None) -> Contribution:
    _require(actor, "edit", contribution)
    current = _reload(Contribution, contribution)
    if int(base_version) != current.version:
        editor = current.revisions.order_by("-version").select_related("author").first()
        who = editor.author.username if editor and editor.author else "someone else"
        raise Conflict(f"This contribution was changed by {who} (now version {current.version}) since you started "
                       f"from version {base_version}. Your text was not saved; compare and edit again.")
    if not narrative or not narrative.strip():
        raise InputError("write the progress narrative", field="narrative")
    partnership = current.commitment.partnership
    _check_assessment(partnership, assessment)
    check_marking(actor=actor, partnership=partnership, classification=classification, releasable_to=releasable_to)
    before = snapshot(current, AUDITED_FIELDS)
    old_level, old_orgs = current.classification, list(current.releasable_to.all())
    current.narrative, current.assessment, current.classification = narrative.strip(), assessment, classification
    current.version += 1
    if current.state == ContributionState.RETURNED:
        current.state = ContributionState.DRAFT
    current.full_clean()
    current.save()
    current.releasable_to.set(releasable_to)
    _set_evidence(current, evidence)
    _revise(current, actor)
    # The entry keeps the stricter of the old and new markings: its before-values were read under the old one.
    strict_level = old_level if old_level.rank > classification.rank else classification
    strict_orgs = old_orgs if old_level.rank > classification.rank else list(releasable_to)
    record(actor=actor, verb=Verb.CONTRIBUTION_EDITED, obj=current, before=before,
           after=snapshot(current, AUDITED_FIELDS), classification=strict_level, releasable_to=strict_orgs)
    return current


def _transition(actor, contribution, action: str, verb: Verb, message: str, change) -> Contribution:
    _require(actor, action, contribution)
    current = _reload(Contribution, contribution)
    _require(actor, action, current)  # the state may have moved since the caller read it
    before = snapshot(current, AUDITED_FIELDS)
    change(current)
    current.save()
    record(actor=actor, verb=verb, obj=current, before=before, after=snapshot(current, AUDITED_FIELDS), message=message)
    return current


@transaction.atomic
def submit_contribution(*, actor, contribution, message: str = "") -> Contribution:
    def change(c):
        c.state = ContributionState.SUBMITTED
    return _transition(actor, contribution, "submit", Verb.CONTRIBUTION_SUBMITTED, message, change)


@transaction.atomic
def approve_contribution(*, actor, contribution, message: str = "") -> Contribution:
    def change(c):
        c.state = ContributionState.APPROVED
        c.approved_by, c.approved_at = actor, timezone.now()
        c.approved_revision = c.revisions.get(version=c.version)
    return _transition(actor, contribution, "approve", Verb.CONTRIBUTION_APPROVED, message, change)


@transaction.atomic
def return_contribution(*, actor, contribution, message: str) -> Contribution:
    if not message or not message.strip():
        raise InputError("say why the contribution is returned", field="message")

    def change(c):
        c.state = ContributionState.RETURNED
    return _transition(actor, contribution, "return", Verb.CONTRIBUTION_RETURNED, message.strip(), change)


# Joint texts --------------------------------------------------------------------------------


@transaction.atomic
def create_joint_text(*, actor, commitment, period, text, classification, releasable_to) -> JointText:
    if actor.role not in ("drafter", "coordinator") or not commitment.partnership.organisations.filter(pk=actor.organisation_id).exists():
        raise Refused("Not allowed: drafters and coordinators of the partnership's organisations write joint texts.")
    if not text or not text.strip():
        raise InputError("write the joint text", field="text")
    check_marking(actor=actor, partnership=commitment.partnership, classification=classification, releasable_to=releasable_to)
    if JointText.objects.filter(commitment=commitment, period=period).exists():
        raise Conflict("A joint text for this commitment and period already exists; edit that one.")
    jt = JointText.objects.create(commitment=commitment, period=period, text=text.strip(),
                                  classification=classification, author=actor)
    jt.releasable_to.set(releasable_to)
    record(actor=actor, verb=Verb.JOINT_TEXT_CREATED, obj=jt, after=snapshot(jt))
    return jt


@transaction.atomic
def edit_joint_text(*, actor, joint_text, base_version, text) -> JointText:
    _require(actor, "edit_joint_text", joint_text)
    current = _reload(JointText, joint_text)
    if int(base_version) != current.version:
        raise Conflict(f"The joint text changed (now version {current.version}) since you started from version "
                       f"{base_version}. Your text was not saved.")
    if not text or not text.strip():
        raise InputError("write the joint text", field="text")
    before = snapshot(current)
    current.text, current.version, current.state = text.strip(), current.version + 1, JointTextState.DRAFT
    current.save()
    cleared = current.approvals.count()
    current.approvals.all().delete()  # an approval is for a version; a new version needs new approvals
    record(actor=actor, verb=Verb.JOINT_TEXT_EDITED, obj=current, before=before, after=snapshot(current),
           message=f"{cleared} approval(s) cleared by the edit" if cleared else "")
    return current


@transaction.atomic
def approve_joint_text(*, actor, joint_text, message: str = "") -> JointText:
    _require(actor, "approve_joint_text", joint_text)
    current = _reload(JointText, joint_text)
    _require(actor, "approve_joint_text", current)
    JointTextApproval.objects.create(joint_text=current, organisation_id=actor.organisation_id,
                                     version=current.version, approver=actor)
    before = snapshot(current)
    needed = set(current.commitment.partnership.organisations.values_list("pk", flat=True))
    have = set(current.approvals.filter(version=current.version).values_list("organisation_id", flat=True))
    current.state = JointTextState.APPROVED if needed <= have else JointTextState.IN_APPROVAL
    current.save()
    record(actor=actor, verb=Verb.JOINT_TEXT_APPROVED, obj=current, before=before, after=snapshot(current), message=message)
    return current


@transaction.atomic
def return_joint_text(*, actor, joint_text, message: str) -> JointText:
    if not message or not message.strip():
        raise InputError("say why the joint text is returned", field="message")
    _require(actor, "return_joint_text", joint_text)
    current = _reload(JointText, joint_text)
    before = snapshot(current)
    current.approvals.all().delete()  # one organisation returning reopens it for all
    current.state = JointTextState.DRAFT
    current.save()
    record(actor=actor, verb=Verb.JOINT_TEXT_RETURNED, obj=current, before=before, after=snapshot(current),
           message=message.strip())
    return current
