"""Workflow notices: who is told when a step of the joint workflow is taken.

They follow the audit log (``rapport.audit.signals.recorded``), inside the step's own
transaction, so a step is announced exactly when it is recorded:

- a contribution submitted: its organisation's approvers (it waits for them);
- a contribution approved or returned: everyone who wrote a version of it; a joint text
  or a part of the report returned: whoever wrote it;
- a part of the report written, or changed after an approval: the approvers whose
  approval it needs (every organisation's; its own for a Council action);
- the report approved by one organisation: the approvers of the organisations that have
  not approved it yet; by every organisation: the coordinators, who may publish it;
- the report's approvals cleared by a change of its content: the approvers whose
  approval was cleared;
- the report published: every coordinator and approver of the partnership.

Each notice goes through ``notify``: nobody is told about what they may not read, the
actor is never told about their own step, and the title is made only of references the
recipient may read (a commitment's reference, a report's number). A notice is made once
per recipient and audit entry.
"""

from __future__ import annotations

from collections.abc import Callable

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from rapport.access.models import User
from rapport.access.roles import Role
from rapport.audit.signals import recorded
from rapport.audit.verbs import Verb
from rapport.commitments.models import Commitment

from .choices import Kind
from .services import notify

# The report's parts, by model name: how a notice names them and their page's kind in the address.
PART_NAMES = {"reporttext": (pgettext_lazy("report part", "text"), "text"),
              "highlight": (pgettext_lazy("report part", "highlight"), "highlight"),
              "outlook": (pgettext_lazy("report part", "outlook item"), "outlook"),
              "councilaction": (pgettext_lazy("report part", "Council action"), "council-action")}


def _ref(reader, commitment_id) -> str:
    """The commitment's reference if the reader may read the commitment, else nothing."""
    return (Commitment.objects.visible_to(reader).filter(pk=commitment_id).values_list("ref", flat=True).first()
            or "") if commitment_id else ""


def _on(reader, commitment_id, with_ref: str, without: str) -> str:
    """``with_ref`` (a message with %(ref)s) if the reader may read the commitment, else ``without``."""
    ref = _ref(reader, commitment_id)
    return with_ref % {"ref": ref} if ref else without


def _tell(users, *, event, actor, subject, url: str, title: Callable) -> None:
    """Tell each user, the title made for them in each language (``notify`` makes it under each,
    and keeps the user's own for the e-mail)."""
    for user in users:
        if user is None or not user.is_active or (actor is not None and user.pk == getattr(actor, "pk", None)):
            continue
        notify(user, kind=Kind.WORKFLOW, subject=subject, title=lambda user=user: title(user), url=url,
               dedupe_key=f"workflow:{event.seq}:{user.pk}", actor=None)


def _staff(organisation_ids, *roles):
    return User.objects.filter(is_active=True, organisation_id__in=organisation_ids, role__in=roles).order_by("pk")


def _author(obj):
    return [obj.author] if getattr(obj, "author_id", None) else []


def _writers(c):
    """Everyone who wrote a version of the contribution (its author and later editors): each is
    told of a decision on it if they may still read it (``notify`` asks)."""
    ids = set(c.revisions.exclude(author=None).values_list("author_id", flat=True)) | ({c.author_id} - {None})
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


# Contributions ------------------------------------------------------------------------------


def contribution_submitted(event, c, actor):
    _tell(_staff([c.organisation_id], Role.APPROVER), event=event, actor=actor, subject=c,
          url=reverse("contribution-detail", args=[c.pk]),
          title=lambda u: _on(u, c.commitment_id, _("A contribution on %(ref)s waits for your approval"),
                              _("A contribution waits for your approval")))


def contribution_approved(event, c, actor):
    _tell(_writers(c), event=event, actor=actor, subject=c, url=reverse("contribution-detail", args=[c.pk]),
          title=lambda u: _on(u, c.commitment_id, _("Your contribution on %(ref)s was approved"),
                              _("Your contribution was approved")))


def contribution_returned(event, c, actor):
    _tell(_writers(c), event=event, actor=actor, subject=c, url=reverse("contribution-detail", args=[c.pk]),
          title=lambda u: _on(u, c.commitment_id,
                              _("Your contribution on %(ref)s was returned: the reason is on its page"),
                              _("Your contribution was returned: the reason is on its page")))


def joint_text_returned(event, jt, actor):
    _tell(_author(jt), event=event, actor=actor, subject=jt, url=reverse("joint-text-detail", args=[jt.pk]),
          title=lambda u: _on(u, jt.commitment_id, _("The joint text on %(ref)s you wrote was returned"),
                              _("The joint text you wrote was returned")))


def part_returned(event, part, actor):
    name, kind = PART_NAMES[part._meta.model_name]
    ordinal = part.report.period.ordinal
    _tell(_author(part), event=event, actor=actor, subject=part,
          url=reverse("report-part-edit", args=[ordinal, kind, part.pk]),
          title=lambda u: _("The %(part)s of report %(ordinal)s you wrote was returned")
          % {"part": name, "ordinal": ordinal})


def _part_approvers(part):
    """The approvers whose approval the part needs: its own organisation's for a Council action,
    every organisation's for a joint part."""
    orgs = ([part.organisation_id] if part._meta.model_name == "councilaction"
            else list(part.report.period.partnership.organisations.values_list("pk", flat=True)))
    return _staff(orgs, Role.APPROVER)


def _part_waiting(event, part, actor, why: Callable[[], str]):
    name, kind = PART_NAMES[part._meta.model_name]
    ordinal = part.report.period.ordinal
    _tell(_part_approvers(part), event=event, actor=actor, subject=part,
          url=reverse("report-part-edit", args=[ordinal, kind, part.pk]),
          title=lambda u: why() % {"part": name, "ordinal": ordinal})


def part_created(event, part, actor):
    _part_waiting(event, part, actor, lambda: _("A new %(part)s of report %(ordinal)s waits for your approval"))


def part_edited(event, part, actor):
    # Only an edit that cleared approvals given asks the approvers again (drafting edits do not).
    if (event.before or {}).get("state") == "in_approval":
        _part_waiting(event, part, actor,
                      lambda: _("The %(part)s of report %(ordinal)s changed after an approval: approve it again"))


# The report ----------------------------------------------------------------------------------


def _organisations(report) -> list[int]:
    return list(report.period.partnership.organisations.values_list("pk", flat=True))


def report_approved(event, report, actor):
    ordinal = report.period.ordinal
    url = reverse("report-detail", args=[ordinal])
    if str(report.state) == "approved":
        _tell(_staff(_organisations(report), Role.COORDINATOR), event=event, actor=actor, subject=report, url=url,
              title=lambda u: _("Report %(ordinal)s is approved by every organisation and may be published")
              % {"ordinal": ordinal})
        return
    done = set(report.approvals.filter(withdrawn_at__isnull=True, version=report.version)
               .values_list("organisation_id", flat=True))
    waiting = [pk for pk in _organisations(report) if pk not in done]
    by = getattr(getattr(actor, "organisation", None), "short_name", "")
    _tell(_staff(waiting, Role.APPROVER), event=event, actor=actor, subject=report, url=url,
          title=lambda u: _("Report %(ordinal)s is approved by %(organisation)s and waits for your organisation's "
                            "approval") % {"ordinal": ordinal, "organisation": by or _("an organisation")})


def report_approvals_cleared(event, report, actor):
    ordinal = report.period.ordinal
    cleared = set((event.after or {}).get("cleared_for", ()))
    _tell(_staff([pk for pk in _organisations(report) if pk in cleared], Role.APPROVER), event=event, actor=actor, subject=report,
          url=reverse("report-detail", args=[ordinal]),
          title=lambda u: _("The approvals of report %(ordinal)s were cleared by a change of its content")
          % {"ordinal": ordinal})


def report_published(event, report, actor):
    ordinal = report.period.ordinal
    _tell(_staff(_organisations(report), Role.COORDINATOR, Role.APPROVER), event=event, actor=actor, subject=report,
          url=reverse("report-detail", args=[ordinal]),
          title=lambda u: _("Report %(ordinal)s is published") % {"ordinal": ordinal})


HANDLERS: dict[str, Callable] = {
    Verb.CONTRIBUTION_SUBMITTED: contribution_submitted,
    Verb.CONTRIBUTION_APPROVED: contribution_approved,
    Verb.CONTRIBUTION_RETURNED: contribution_returned,
    Verb.JOINT_TEXT_RETURNED: joint_text_returned,
    Verb.REPORT_PART_RETURNED: part_returned,
    Verb.REPORT_PART_CREATED: part_created,
    Verb.REPORT_PART_EDITED: part_edited,
    Verb.REPORT_APPROVED: report_approved,
    Verb.REPORT_APPROVALS_CLEARED: report_approvals_cleared,
    Verb.REPORT_PUBLISHED: report_published,
}


@receiver(recorded, dispatch_uid="rapport.notifications.workflow")
def announce(sender, *, event, obj, actor, **kwargs) -> None:
    handler = HANDLERS.get(event.verb)
    if handler is not None:
        handler(event, obj, actor)
