"""Every change to the report's parts — introduction and area texts, highlights, outlook items,
Council actions — goes
through these functions, in the order every service keeps: ask the policy (NotFound for
what the actor may not see), re-read and lock the row and ask again, validate, write,
append an audit entry.

The joint workflow of a part is the joint text's: a part is a draft until an
organisation's approver approves its current version (then it is in approval), and
approved once every organisation whose approval it needs has approved that version
(every organisation of the partnership; a Council action only its own organisation).
Any edit, and a return by any of those organisations, deletes its approvals and makes
it a draft again. Only approved parts enter the report's editions (records.py), so
whenever a part enters or leaves the report, or an approved part moves, the report's
standing approvals are cleared through the same signal contributions and joint texts use.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rapport.access.marking_rules import check_marking
from rapport.access.policy import require
from rapport.audit.record import record, snapshot
from rapport.audit.verbs import Verb
from rapport.commitments.models import Commitment
from rapport.contributions.signals import approved_content_changed
from rapport.contributions.translations import apply as apply_language
from rapport.core.clock import today
from rapport.core.errors import Conflict, InputError
from rapport.core.text import LONG_TEXT, MESSAGE, clean_text
from rapport.evidence.models import CoordinationFormat, Exercise, Meeting, PartnerActivity
from rapport.markings.links import chosen_links, set_links
from rapport.partnerships.models import Area

from .choices import CouncilActionKind, PartState
from .models import CouncilAction, Highlight, Outlook, PartApproval, Report, ReportText
from .rules import PartAction, part_organisations

EVIDENCE = {"formats": CoordinationFormat, "meetings": Meeting, "exercises": Exercise, "activities": PartnerActivity}
LINKS = {"commitments": Commitment, **EVIDENCE}
AUDITED = ["text", "language", "translations", "order", "state", "version", "classification", "releasable_to", "commitments", "formats",
           "meetings", "exercises", "activities", "action", "date", "organisation", "area"]
KINDS = {"text": ReportText, "highlight": Highlight, "outlook": Outlook, "council-action": CouncilAction}
APPROVAL_FIELD = {Highlight: "highlight", Outlook: "outlook", CouncilAction: "council_action", ReportText: "text"}


def _reload(model, obj):
    qs = model.objects.select_for_update() if transaction.get_connection().features.has_select_for_update else model.objects
    return qs.select_related("report", "report__period", "report__period__partnership").get(pk=obj.pk)


def _check_links(links: dict | None, actor, partnership_id) -> dict[str, set[int]]:
    """The ids chosen per kind, each one visible to the actor (markings.links)."""
    return {} if links is None else chosen_links(links, LINKS, actor, partnership_id, field="links")


def _set_links(part, chosen: dict[str, set[int]], actor, partnership_id) -> None:
    set_links(part, chosen, LINKS, actor, partnership_id)


def _text(text: str, *, required: bool = True) -> str:
    return clean_text(text, field="text", required=required, max_length=LONG_TEXT, what="the text")


def _marking(actor, report, classification, releasable_to, model=None) -> None:
    partnership = report.period.partnership
    check_marking(actor=actor, partnership=partnership, classification=classification, releasable_to=releasable_to)
    # Whoever approves a part must be able to read it: every organisation for a joint part; its
    # own organisation for a Council action (check_marking already asks the writer's own).
    if classification.rank > 0 and model is not CouncilAction:
        missing = set(partnership.organisations.all()) - set(releasable_to)
        if missing:
            names = ", ".join(sorted(o.short_name for o in missing))
            raise InputError(_("a part of the joint report needs every organisation's approval, so it must be "
                               "releasable to each of them (add %(names)s)") % {"names": names},
                             field="releasable_to")


# A Council's taking note of the report is dated; a date is never before the period it reports on
# nor after today (a Council action records what happened).
DATED = (CouncilActionKind.WELCOMED, CouncilActionKind.TOOK_NOTE, CouncilActionKind.NOTED_IN_CONCLUSIONS)


def _council_action(report, organisation_id, action, date, exclude=None) -> tuple[str, object]:
    action = _kind(action)
    if date is None and action in DATED:
        raise InputError(_("give the day the Council did it"), field="date")
    if date is not None:
        if date < report.period.start:
            raise InputError(_("the day is before the period the report covers (%(start)s)")
                             % {"start": date_format(report.period.start, "DATE_FORMAT")}, field="date")
        if date > today():
            raise InputError(_("the day is in the future: record what a Council did once it has done it"),
                             field="date")
    same = CouncilAction.objects.filter(report=report, organisation_id=organisation_id, action=action)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise InputError(_("this Council's action of that kind is already recorded for the report: edit it instead"),
                         field="action")
    return action, date


def _content_changed(actor, part) -> None:
    """The report's content changed (a part entered or left it, or an approved one moved):
    the standing approvals of the report are cleared (reports/workflow.py clear_approvals)."""
    approved_content_changed.send(type(part), actor=actor, period=part.report.period, obj=part)


def _siblings(model, report, area_id=None):
    """The parts a part is ordered among: its kind in its report (a text: in its place)."""
    siblings = model.objects.filter(report=report)
    return siblings.filter(area_id=area_id) if model is ReportText else siblings


def _next_order(model, report, area_id=None) -> int:
    return (_siblings(model, report, area_id).aggregate(m=Max("order"))["m"] or 0) + 1


def _area(area, report, actor):
    """The area a text is about (None: the introduction): one of the report's partnership that
    the writer may read (another is refused as if it did not exist)."""
    if area is None or area == "":
        return None
    area_id = getattr(area, "pk", area)
    found = Area.objects.visible_to(actor).filter(pk=area_id, partnership_id=report.period.partnership_id).first()
    if found is None:
        raise InputError(_("choose an area of this partnership, or the introduction"), field="area")
    return found


def _verb(name: str) -> Verb:
    return Verb(f"report_part.{name}")


# Creating ------------------------------------------------------------------------------------


@transaction.atomic
def create_text(*, actor, report, text, classification, releasable_to, area=None, language=None,
                translations=None) -> ReportText:
    """A paragraph of the introduction (``area`` None) or the joint text on one area."""
    return _create(ReportText, actor=actor, report=report, values={"text": _text(text), "area": _area(area, report, actor)},
                   classification=classification, releasable_to=releasable_to,
                   language=language, translations=translations)


@transaction.atomic
def create_highlight(*, actor, report, text, classification, releasable_to, links=None, language=None,
                     translations=None) -> Highlight:
    return _create(Highlight, actor=actor, report=report, values={"text": _text(text)}, classification=classification,
                   releasable_to=releasable_to, links=links, language=language, translations=translations)


@transaction.atomic
def create_outlook(*, actor, report, text, classification, releasable_to, language=None,
                   translations=None) -> Outlook:
    return _create(Outlook, actor=actor, report=report, values={"text": _text(text)}, classification=classification,
                   releasable_to=releasable_to, language=language, translations=translations)


@transaction.atomic
def create_council_action(*, actor, report, action, date=None, text="", classification,
                          releasable_to, language=None, translations=None) -> CouncilAction:
    """The actor's own organisation's Council action: nobody records another Council's."""
    require(actor, PartAction.RECORD_COUNCIL_ACTION, report)  # before the input says anything about the report
    action, date = _council_action(report, actor.organisation_id, action, date)
    values = {"action": action, "date": date, "text": _text(text, required=False),
              "organisation_id": actor.organisation_id}
    return _create(CouncilAction, actor=actor, report=report, values=values, classification=classification,
                   releasable_to=releasable_to, language=language, translations=translations)


def _kind(action) -> str:
    if action not in CouncilActionKind.values:
        raise InputError(_("%(action)s is not a Council action") % {"action": repr(action)}, field="action")
    return action


def _create(model, *, actor, report, values, classification, releasable_to, links=None, language=None,
            translations=None):
    action = PartAction.RECORD_COUNCIL_ACTION if model is CouncilAction else PartAction.WRITE
    require(actor, action, report)
    report = _locked_report(report)
    require(actor, action, report)
    _marking(actor, report, classification, releasable_to, model)
    partnership_id = report.period.partnership_id
    chosen = _check_links(links, actor, partnership_id)
    part = model(report=report, classification=classification, author=actor, state=PartState.DRAFT, version=1,
                 **values)
    apply_language(part, language=language, translations=translations, what=_("the text"))
    if model is not CouncilAction:
        part.order = _next_order(model, report, getattr(part, "area_id", None))
    part.full_clean()
    part.save()
    part.releasable_to.set(releasable_to)
    _set_links(part, chosen, actor, partnership_id)
    record(actor=actor, verb=_verb("created"), obj=part, after=snapshot(part, AUDITED))
    return part


def _locked_report(report) -> Report:
    qs = Report.objects.select_for_update() if transaction.get_connection().features.has_select_for_update else Report.objects
    return qs.select_related("period", "period__partnership").get(pk=report.pk)


# Editing, moving, deleting --------------------------------------------------------------------


def _clear_approvals(part) -> int:
    cleared = part.approvals.count()
    part.approvals.all().delete()
    return cleared


@transaction.atomic
def edit_part(*, actor, part, base_version, text, classification, releasable_to, links=None, action=None,
              date=None, area=None, language=None, translations=None):
    """Edit a draft or in-approval part; its approvals are cleared, as for a new version.
    A text may move to another place (``area``; None is the introduction): it goes last there.
    The text's translation is part of it and changes only here (None keeps the current one)."""
    model = type(part)
    require(actor, PartAction.WRITE, part)
    current = _reload(model, part)
    require(actor, PartAction.WRITE, current)
    try:
        stale = int(base_version) != current.version
    except (TypeError, ValueError):
        raise InputError(_("the version the edit started from is missing"), field="base_version") from None
    if stale:
        raise Conflict(_("This part changed (now version %(now)s) since you started from version %(base)s. "
                         "Your text was not saved.") % {"now": current.version, "base": base_version})
    current.text = _text(text, required=model is not CouncilAction)
    apply_language(current, language=language, translations=translations, what=_("the text"))
    if model is CouncilAction:
        current.action, current.date = _council_action(current.report, current.organisation_id, action, date,
                                                       exclude=current)
    if model is ReportText:
        place = _area(area, current.report, actor)
        if (place.pk if place else None) != current.area_id:
            current.area = place
            current.order = _next_order(model, current.report, current.area_id)
    _marking(actor, current.report, classification, releasable_to, model)
    partnership_id = current.report.period.partnership_id
    chosen = _check_links(links, actor, partnership_id) if model is Highlight else {}
    before = snapshot(current, AUDITED)
    current.classification = classification
    current.version += 1
    current.state = PartState.DRAFT
    current.full_clean()
    current.save()
    current.releasable_to.set(releasable_to)
    _set_links(current, chosen, actor, partnership_id)
    cleared = _clear_approvals(current)
    record(actor=actor, verb=_verb("edited"), obj=current, before=before, after=snapshot(current, AUDITED),
           message=f"{cleared} approval(s) cleared by the edit" if cleared else "")
    return current


@transaction.atomic
def move_part(*, actor, part, direction: str):
    """Swap a highlight or outlook item with its neighbour ("up" or "down")."""
    model = type(part)
    if model is CouncilAction:
        raise InputError(_("Council actions are ordered by date"), field="direction")
    if direction not in ("up", "down"):
        raise InputError(_("move a part up or down"), field="direction")
    require(actor, PartAction.WRITE, part)
    current = _reload(model, part)
    require(actor, PartAction.WRITE, current)
    siblings = _siblings(model, current.report, getattr(current, "area_id", None))
    neighbour = (siblings.filter(order__lt=current.order).order_by("-order", "-pk").first() if direction == "up"
                 else siblings.filter(order__gt=current.order).order_by("order", "pk").first())
    if neighbour is None:
        return current
    before = snapshot(current, AUDITED)
    current.order, neighbour.order = neighbour.order, current.order
    current.save(update_fields=["order"])
    neighbour.save(update_fields=["order"])
    record(actor=actor, verb=_verb("moved"), obj=current, before=before, after=snapshot(current, AUDITED),
           message=f"moved {direction}")
    if neighbour.state == PartState.APPROVED:  # the report's order changed
        _content_changed(actor, current)
    return current


@transaction.atomic
def delete_part(*, actor, part) -> None:
    """Delete a draft or in-approval part (an approved one is returned first)."""
    model = type(part)
    require(actor, PartAction.WRITE, part)
    current = _reload(model, part)
    require(actor, PartAction.WRITE, current)
    before = snapshot(current, AUDITED)
    record(actor=actor, verb=_verb("deleted"), obj=current, before=before)
    current.delete()


# The joint workflow ---------------------------------------------------------------------------


@transaction.atomic
def approve_part(*, actor, part, message: str = ""):
    message = clean_text(message, field="message", max_length=MESSAGE, what="the message")
    model = type(part)
    require(actor, PartAction.APPROVE, part)
    current = _reload(model, part)
    require(actor, PartAction.APPROVE, current)
    before = snapshot(current, AUDITED)
    PartApproval.objects.create(**{APPROVAL_FIELD[model]: current}, organisation_id=actor.organisation_id,
                                version=current.version, approver=actor)
    have = set(current.approvals.filter(version=current.version).values_list("organisation_id", flat=True))
    current.state = PartState.APPROVED if part_organisations(current) <= have else PartState.IN_APPROVAL
    current.save(update_fields=["state"])
    record(actor=actor, verb=_verb("approved"), obj=current, before=before, after=snapshot(current, AUDITED),
           message=message or f"approved for {actor.organisation.short_name}")
    if current.state == PartState.APPROVED:  # it enters the report
        _content_changed(actor, current)
    return current


@transaction.atomic
def return_part(*, actor, part, message: str):
    message = clean_text(message, field="message", required=True, max_length=MESSAGE, what="the reason",
                         missing="say why the part is returned")
    model = type(part)
    require(actor, PartAction.RETURN, part)
    current = _reload(model, part)
    require(actor, PartAction.RETURN, current)
    before = snapshot(current, AUDITED)
    was_approved = current.state == PartState.APPROVED
    _clear_approvals(current)  # one organisation returning reopens it for all
    current.state = PartState.DRAFT
    current.save(update_fields=["state"])
    record(actor=actor, verb=_verb("returned"), obj=current, before=before, after=snapshot(current, AUDITED),
           message=message)
    if was_approved:  # it leaves the report
        _content_changed(actor, current)
    return current
