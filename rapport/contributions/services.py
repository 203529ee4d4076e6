"""Every change to contributions and joint texts goes through these functions.

Each one runs in a transaction, in this order: ask the policy (which first
checks that the actor may see the object: otherwise NotFound, as if it did not
exist), re-read and lock the row and ask again (its state may have moved),
validate, write, and append an audit entry with the before and after values.

While a contribution is with its own organisation (created, edited, returned),
its audit entries are internal to that organisation: drafts stay home in the
log as they do in the pages.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.access.marking_rules import check_marking
from rapport.access.policy import require
from rapport.audit.record import record, snapshot
from rapport.audit.verbs import Verb
from rapport.core.errors import Conflict, InputError, Refused
from rapport.core.text import LONG_TEXT, MESSAGE, clean_text
from rapport.evidence.models import CoordinationFormat, Exercise, Meeting, PartnerActivity
from rapport.markings.links import chosen_links, set_links
from rapport.markings.models import internal_level, stricter

from .choices import ContributionState, JointTextState
from .models import Contribution, ContributionRevision, JointText, JointTextApproval
from .rules import ContributionAction, JointTextAction
from .signals import approved_content_changed
from .translations import apply as apply_language

AUDITED_FIELDS = ["narrative", "language", "translations", "assessment", "state", "version", "classification", "releasable_to",
                  "formats", "meetings", "exercises", "activities", "approved_by", "approved_revision"]
EVIDENCE = {"formats": CoordinationFormat, "meetings": Meeting, "exercises": Exercise, "activities": PartnerActivity}


def _reload(model, obj):
    """Re-read inside the transaction, locking the row where the database can."""
    qs = model.objects.select_for_update() if transaction.get_connection().features.has_select_for_update else model.objects
    return qs.get(pk=obj.pk)


def _check_assessment(partnership, assessment) -> None:
    if assessment is not None and assessment.scheme_id != partnership.assessment_scheme_id:
        raise InputError(_("%(value)s is not a value of the scheme %(scheme)s")
                         % {"value": repr(assessment.label), "scheme": repr(partnership.assessment_scheme.name)},
                         field="assessment")


def _set_evidence(contribution, evidence: dict | None, actor) -> None:
    """Link the evidence the actor chose among what they may see (markings.links)."""
    if evidence is None:
        return
    partnership_id = contribution.commitment.partnership_id
    chosen = chosen_links(evidence, EVIDENCE, actor, partnership_id, field="evidence")
    set_links(contribution, chosen, EVIDENCE, actor, partnership_id)


def _revise(contribution, actor) -> ContributionRevision:
    return ContributionRevision.objects.create(
        contribution=contribution, version=contribution.version, narrative=contribution.narrative,
        language=contribution.language, translations=contribution.translations,
        assessment=contribution.assessment, classification=contribution.classification, author=actor,
    )


def _internal(contribution, level) -> dict:
    """Marking of an entry made while the contribution is with its own organisation."""
    return {"classification": stricter(level, internal_level(contribution.organisation.scheme_id)),
            "releasable_to": [contribution.organisation]}


# What _existing says, for each model: (the actor may see the row, the actor may not).
ALREADY_THERE = {
    "contribution": (
        gettext_lazy("A contribution for this commitment and period already exists; edit that one."),
        gettext_lazy("Not allowed: a contribution cannot be started on this commitment for this period."),
    ),
    "jointtext": (
        gettext_lazy("A joint text for this commitment and period already exists; edit that one."),
        gettext_lazy("Not allowed: a joint text cannot be started on this commitment for this period."),
    ),
}


def _existing(model, user, **lookup):
    """A row that blocks creating another one: Conflict if the actor may see it, otherwise a
    refusal that does not say what is there."""
    existing = model.objects.filter(**lookup).first()
    if existing is None:
        return
    seen, unseen = ALREADY_THERE[model._meta.model_name]
    if model.objects.visible_to(user).filter(pk=existing.pk).exists():
        raise Conflict(str(seen))
    raise Refused(str(unseen))


_NARRATIVE = gettext_lazy("the progress narrative")


@transaction.atomic
def create_contribution(*, actor, commitment, period, narrative, assessment=None, classification,
                        releasable_to, evidence=None, language=None, translations=None) -> Contribution:
    """A new draft. ``language`` is the narrative's (default English); ``translations`` its
    translation into the other language ({"fr": {"narrative": …}}), marked and approved with it."""
    require(actor, ContributionAction.CREATE, commitment, period=period)
    narrative = clean_text(narrative, field="narrative", required=True, max_length=LONG_TEXT, what=gettext_lazy("the progress narrative"))
    partnership = commitment.partnership
    _check_assessment(partnership, assessment)
    check_marking(actor=actor, partnership=partnership, classification=classification, releasable_to=releasable_to)
    _existing(Contribution, actor, organisation_id=actor.organisation_id, commitment=commitment, period=period)
    contribution = Contribution(organisation_id=actor.organisation_id, commitment=commitment, period=period,
                                narrative=narrative, assessment=assessment, classification=classification,
                                author=actor, version=1)
    apply_language(contribution, language=language, translations=translations, what=_NARRATIVE)
    contribution.full_clean()
    contribution.save()
    contribution.releasable_to.set(releasable_to)
    _set_evidence(contribution, evidence, actor)
    _revise(contribution, actor)
    record(actor=actor, verb=Verb.CONTRIBUTION_CREATED, obj=contribution, after=snapshot(contribution, AUDITED_FIELDS),
           **_internal(contribution, classification))
    return contribution


@transaction.atomic
def edit_contribution(*, actor, contribution, base_version, narrative, assessment=None, classification,
                      releasable_to, evidence=None, language=None, translations=None) -> Contribution:
    """A new version. The narrative's translation changes only here, with the narrative and
    under the same permission (``language``/``translations`` None keep the current ones)."""
    require(actor, ContributionAction.EDIT, contribution)
    current = _reload(Contribution, contribution)
    require(actor, ContributionAction.EDIT, current)  # it may have been submitted meanwhile
    if int(base_version) != current.version:
        editor = current.revisions.order_by("-version").select_related("author").first()
        who = editor.author.username if editor and editor.author else _("someone else")
        raise Conflict(_("This contribution was changed by %(who)s (now version %(current)s) since you started "
                         "from version %(base)s. Your text was not saved; compare and edit again.")
                       % {"who": who, "current": current.version, "base": base_version})
    narrative = clean_text(narrative, field="narrative", required=True, max_length=LONG_TEXT, what=gettext_lazy("the progress narrative"))
    partnership = current.commitment.partnership
    _check_assessment(partnership, assessment)
    check_marking(actor=actor, partnership=partnership, classification=classification, releasable_to=releasable_to)
    before = snapshot(current, AUDITED_FIELDS)
    old_level = current.classification
    current.narrative, current.assessment, current.classification = narrative, assessment, classification
    apply_language(current, language=language, translations=translations, what=_NARRATIVE)
    current.version += 1
    if current.state == ContributionState.RETURNED:
        current.state = ContributionState.DRAFT
    current.full_clean()
    current.save()
    current.releasable_to.set(releasable_to)
    _set_evidence(current, evidence, actor)
    _revise(current, actor)
    # The entry keeps the stricter of the old and new markings: its before-values were read under the old one.
    record(actor=actor, verb=Verb.CONTRIBUTION_EDITED, obj=current, before=before,
           after=snapshot(current, AUDITED_FIELDS), **_internal(current, stricter(old_level, classification)))
    return current


def _transition(actor, contribution, action, verb: Verb, message: str, change, internal: bool = False) -> Contribution:
    require(actor, action, contribution)
    current = _reload(Contribution, contribution)
    require(actor, action, current)  # the state may have moved since the caller read it
    before = snapshot(current, AUDITED_FIELDS)
    change(current)
    current.save()
    marking = _internal(current, current.classification) if internal else {}
    record(actor=actor, verb=verb, obj=current, before=before, after=snapshot(current, AUDITED_FIELDS),
           message=message, **marking)
    return current


@transaction.atomic
def submit_contribution(*, actor, contribution, message: str = "") -> Contribution:
    message = clean_text(message, field="message", max_length=MESSAGE, what=gettext_lazy("the message"))

    def change(c):
        c.state = ContributionState.SUBMITTED
    return _transition(actor, contribution, ContributionAction.SUBMIT, Verb.CONTRIBUTION_SUBMITTED, message, change)


@transaction.atomic
def approve_contribution(*, actor, contribution, message: str = "") -> Contribution:
    message = clean_text(message, field="message", max_length=MESSAGE, what=gettext_lazy("the message"))

    def change(c):
        c.state = ContributionState.APPROVED
        c.approved_by, c.approved_at = actor, timezone.now()
        c.approved_revision = c.revisions.get(version=c.version)
    approved = _transition(actor, contribution, ContributionAction.APPROVE, Verb.CONTRIBUTION_APPROVED, message,
                           change)
    approved_content_changed.send(Contribution, actor=actor, period=approved.period, obj=approved)
    return approved


@transaction.atomic
def return_contribution(*, actor, contribution, message: str) -> Contribution:
    message = clean_text(message, field="message", required=True, max_length=MESSAGE, what=gettext_lazy("the reason"),
                           missing=gettext_lazy("say why the contribution is returned"))

    def change(c):
        c.state = ContributionState.RETURNED
    return _transition(actor, contribution, ContributionAction.RETURN, Verb.CONTRIBUTION_RETURNED, message, change,
                       internal=True)


# Joint texts --------------------------------------------------------------------------------


def _releasable_to_every_approver(partnership, classification, releasable_to) -> None:
    if classification is None or classification.rank == 0:
        return
    missing = set(partnership.organisations.all()) - set(releasable_to)
    if missing:
        names = ", ".join(sorted(o.short_name for o in missing))
        raise InputError(_("a joint text needs every organisation's approval, so it must be releasable to "
                           "each of them (add %(names)s)") % {"names": names}, field="releasable_to")


_JOINT_TEXT = gettext_lazy("the joint text")


@transaction.atomic
def create_joint_text(*, actor, commitment, period, text, classification, releasable_to, language=None,
                      translations=None) -> JointText:
    require(actor, JointTextAction.CREATE, commitment, period=period)
    text = clean_text(text, field="text", required=True, max_length=LONG_TEXT, what=gettext_lazy("the joint text"))
    partnership = commitment.partnership
    check_marking(actor=actor, partnership=partnership, classification=classification, releasable_to=releasable_to)
    _releasable_to_every_approver(partnership, classification, releasable_to)
    _existing(JointText, actor, commitment=commitment, period=period)
    jt = JointText(commitment=commitment, period=period, text=text, classification=classification, author=actor)
    apply_language(jt, language=language, translations=translations, what=_JOINT_TEXT)
    jt.full_clean()
    jt.save()
    jt.releasable_to.set(releasable_to)
    record(actor=actor, verb=Verb.JOINT_TEXT_CREATED, obj=jt, after=snapshot(jt))
    return jt


@transaction.atomic
def edit_joint_text(*, actor, joint_text, base_version, text, language=None, translations=None) -> JointText:
    """A new version of the text (approvals cleared); its translation is part of it and
    changes only here (``language``/``translations`` None keep the current ones)."""
    require(actor, JointTextAction.EDIT, joint_text)
    current = _reload(JointText, joint_text)
    require(actor, JointTextAction.EDIT, current)
    if int(base_version) != current.version:
        raise Conflict(_("The joint text changed (now version %(current)s) since you started from version "
                         "%(base)s. Your text was not saved.") % {"current": current.version, "base": base_version})
    text = clean_text(text, field="text", required=True, max_length=LONG_TEXT, what=gettext_lazy("the joint text"))
    before = snapshot(current)
    current.text, current.version, current.state = text, current.version + 1, JointTextState.DRAFT
    apply_language(current, language=language, translations=translations, what=_JOINT_TEXT)
    current.full_clean()
    current.save()
    cleared = current.approvals.count()
    current.approvals.all().delete()  # an approval is for a version; a new version needs new approvals
    record(actor=actor, verb=Verb.JOINT_TEXT_EDITED, obj=current, before=before, after=snapshot(current),
           message=f"{cleared} approval(s) cleared by the edit" if cleared else "")
    return current


@transaction.atomic
def approve_joint_text(*, actor, joint_text, message: str = "") -> JointText:
    message = clean_text(message, field="message", max_length=MESSAGE, what=gettext_lazy("the message"))
    require(actor, JointTextAction.APPROVE, joint_text)
    current = _reload(JointText, joint_text)
    require(actor, JointTextAction.APPROVE, current)
    JointTextApproval.objects.create(joint_text=current, organisation_id=actor.organisation_id,
                                     version=current.version, approver=actor)
    before = snapshot(current)
    needed = set(current.commitment.partnership.organisations.values_list("pk", flat=True))
    have = set(current.approvals.filter(version=current.version).values_list("organisation_id", flat=True))
    current.state = JointTextState.APPROVED if needed <= have else JointTextState.IN_APPROVAL
    current.save()
    record(actor=actor, verb=Verb.JOINT_TEXT_APPROVED, obj=current, before=before, after=snapshot(current), message=message)
    if current.state == JointTextState.APPROVED:
        approved_content_changed.send(JointText, actor=actor, period=current.period, obj=current)
    return current


@transaction.atomic
def return_joint_text(*, actor, joint_text, message: str) -> JointText:
    message = clean_text(message, field="message", required=True, max_length=MESSAGE, what=gettext_lazy("the reason"),
                           missing=gettext_lazy("say why the joint text is returned"))
    require(actor, JointTextAction.RETURN, joint_text)
    current = _reload(JointText, joint_text)
    require(actor, JointTextAction.RETURN, current)
    before = snapshot(current)
    was_approved = current.state == JointTextState.APPROVED
    current.approvals.all().delete()  # one organisation returning reopens it for all
    current.state = JointTextState.DRAFT
    current.save()
    record(actor=actor, verb=Verb.JOINT_TEXT_RETURNED, obj=current, before=before, after=snapshot(current),
           message=message)
    if was_approved:  # it leaves the report
        approved_content_changed.send(JointText, actor=actor, period=current.period, obj=current)
    return current
