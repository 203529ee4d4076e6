"""What ``rapport remind`` sends on a given day.

For every period of every partnership that is under way, and every deadline it has:

* a **reminder** from N days before the deadline until the day itself
  (N = ``Partnership.remind_days_before``, 14 by default, or the organisation's own
  ``OrganisationSettings.remind_days_before`` set in the administrator's console);
* an **overdue** notice once the deadline has passed;
* an **escalation** to the organisation's coordinators M days after it
  (M = ``Partnership.escalate_after_days``, 7 by default, or the organisation's own).

Each goes only to those it concerns, and only while there is something to do:

| deadline | reminder and overdue notice | escalation |
|---|---|---|
| contributions (period open) | an organisation's drafters and coordinators, while some commitment has no submitted or approved contribution from it | its coordinators |
| joint texts | drafters and coordinators, while some joint text of the period is not approved | coordinators |
| report approval | approvers with submitted contributions to approve (``waiting_for``), and approvers whose organisation has not approved the report (``can(…, ReportAction.APPROVE, report)``) | coordinators of the organisation with approvals pending |
| report to the Councils | coordinators, until the report is published | — |

Counts in a title are counted through the recipient's own read path, so a title never
tells what its recipient may not read. The dedupe key names the period, the deadline and
its date, the phase and the organisation: running every hour sends each notice once, and
a deadline moved to another date is reminded again.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django.db.models import Model
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rapport.access.models import OrganisationSettings, User
from rapport.access.policy import WRITERS, can
from rapport.access.roles import Role
from rapport.commitments.models import Commitment
from rapport.contributions.choices import ContributionState, JointTextState
from rapport.contributions.models import Contribution, JointText
from rapport.contributions.rules import waiting_for
from rapport.partnerships.models import Partnership
from rapport.periods.choices import Deadline, PeriodState
from rapport.periods.models import ReportingPeriod
from rapport.reports.choices import ReportState
from rapport.reports.models import Report
from rapport.reports.rules import ReportAction

from .choices import Kind
from .language import in_each_language, language_of

DEFAULT_BEFORE, DEFAULT_AFTER = 14, 7
DONE = (ContributionState.SUBMITTED, ContributionState.APPROVED)
# Periods under way: opened, and their report not yet published.
NOT_UNDER_WAY = (PeriodState.PLANNED, PeriodState.PUBLISHED, PeriodState.ARCHIVED)
# Joint texts are written until the report goes for approval.
JOINT_TEXT_STATES = (PeriodState.OPEN, PeriodState.CONTRIBUTIONS_CLOSED, PeriodState.IN_PREPARATION)


@dataclass(frozen=True)
class Notice:
    recipient: User
    kind: Kind
    subject: Model
    title: str
    url: str
    dedupe_key: str
    deadline: str  # the deadline's field name, for the command's output
    date: datetime.date
    titles: dict[str, str] = dataclasses.field(default_factory=dict)  # the title in each language of LANGUAGES

    def describe(self) -> str:
        """What the command prints: kind, account, period and deadline (reference data), never the title."""
        period = self.subject if isinstance(self.subject, ReportingPeriod) else self.subject.period
        return _("%(kind)s %(account)s period %(ordinal)s, %(deadline)s %(date)s") % {
            "kind": f"{str(self.kind.label).lower():<10}", "account": f"{self.recipient.username:<24}",
            "ordinal": period.ordinal, "deadline": _deadline_name(self.deadline), "date": f"{self.date:%Y-%m-%d}"}


def _deadline_name(field: str) -> str:
    """The deadline's name in the active language ("contributions due"), not its field."""
    label = str(Deadline(field).label) if field in Deadline.values else field
    return label[:1].lower() + label[1:]


def phases(day: datetime.date, date: datetime.date, before: int, after: int) -> list[Kind]:
    found = []
    if date - datetime.timedelta(days=before) <= day <= date:
        found.append(Kind.REMINDER)
    if day > date:
        found.append(Kind.OVERDUE)
        if day >= date + datetime.timedelta(days=max(after, 1)):
            found.append(Kind.ESCALATION)
    return found


def _when(kind: Kind, day: datetime.date, date: datetime.date) -> str:
    left = (date - day).days
    on = date_format(date, "j F Y")
    if kind == Kind.REMINDER:
        return _("due today") if left == 0 else ngettext(
            "due in %(count)s day (%(date)s)", "due in %(count)s days (%(date)s)", left) % {"count": left, "date": on}
    late = -left
    return ngettext("%(count)s day overdue (%(date)s)", "%(count)s days overdue (%(date)s)", late) % {
        "count": late, "date": on}


# How a notice names its deadline; an escalation's name.
DEADLINE_LABELS = {
    "contributions_due": (gettext_lazy("Contributions"), gettext_lazy("Escalation: contributions")),
    "joint_texts_due": (gettext_lazy("Joint texts"), gettext_lazy("Escalation: joint texts")),
    "approval_due": (gettext_lazy("Approvals"), gettext_lazy("Escalation: approvals")),
    "report_due": (gettext_lazy("Report to the Councils"), gettext_lazy("Escalation: report to the Councils")),
}


class Planner:
    """Works out the notices of one day."""

    def __init__(self, day: datetime.date):
        self.day = day

    def notices(self) -> list[Notice]:
        found: list[Notice] = []
        for partnership in Partnership.objects.order_by("pk"):
            before = getattr(partnership, "remind_days_before", None)
            after = getattr(partnership, "escalate_after_days", None)
            before = DEFAULT_BEFORE if before is None else before
            after = DEFAULT_AFTER if after is None else after
            orgs = list(partnership.organisations.order_by("key"))
            staff = list(User.objects.filter(is_active=True, organisation__in=orgs)
                         .select_related("organisation", "clearance").order_by("username"))
            periods = (ReportingPeriod.objects.filter(partnership=partnership).exclude(state__in=NOT_UNDER_WAY)
                       .order_by("ordinal"))
            # Each organisation's administrators may set their own timing (the console).
            timing = {o.organisation_id: o for o in OrganisationSettings.objects.filter(organisation__in=orgs)}
            for period in periods:
                for field, build in self.DEADLINES:
                    date = getattr(period, field, None)
                    if date is None:
                        continue
                    for org in orgs:
                        own = timing.get(org.pk)
                        org_before = before if own is None or own.remind_days_before is None else own.remind_days_before
                        org_after = after if own is None or own.escalate_after_days is None else own.escalate_after_days
                        org_staff = [u for u in staff if u.organisation_id == org.pk]
                        for kind in phases(self.day, date, org_before, org_after):
                            found.extend(build(self, period, field, date, kind, [org], org_staff))
        return found

    def _notice(self, user, kind, subject, period, field, date, what, url, topic) -> Notice:
        """``what`` is called for the title, under each language (``titles``); ``title`` is the
        recipient's own language's."""

        def make():
            label = DEADLINE_LABELS[field][1 if kind == Kind.ESCALATION else 0]
            return _("%(deadline)s of the %(period)s reporting period %(when)s: %(what)s") % {
                "deadline": label, "period": period.ordinal_word, "when": _when(kind, self.day, date), "what": what()}

        titles = in_each_language(make)
        language = language_of(user)
        if language in titles:
            title = titles[language]
        else:
            with translation.override(language):
                title = make()
        key = f"remind:{period.pk}:{field}:{date.isoformat()}:{kind.value}:{topic}"
        return Notice(user, kind, subject, title, url, key, field, date, titles)

    # contributions_due ----------------------------------------------------------------------

    def contributions(self, period, field, date, kind, orgs, staff):
        if period.state != PeriodState.OPEN:
            return []
        roles = (Role.COORDINATOR,) if kind == Kind.ESCALATION else WRITERS
        out = []
        for org in orgs:
            for user in (u for u in staff if u.organisation_id == org.pk and u.role in roles):
                done = (Contribution.objects.visible_to(user)
                        .filter(period=period, organisation=org, state__in=DONE).values("commitment_id"))
                missing = (Commitment.objects.visible_to(user).filter(partnership_id=period.partnership_id)
                           .exclude(pk__in=done).count())
                if not missing:
                    continue
                def what(missing=missing, org=org):
                    return ngettext("%(count)s commitment has no submitted contribution from %(organisation)s",
                                    "%(count)s commitments have no submitted contribution from %(organisation)s",
                                    missing) % {"count": missing, "organisation": org.short_name}
                url = f"/commitments/?period={period.ordinal}&organisation={org.key}&status=missing"
                out.append(self._notice(user, kind, period, period, field, date, what, url, f"contributions:{org.key}"))
        return out

    # joint_texts_due ------------------------------------------------------------------------

    def joint_texts(self, period, field, date, kind, orgs, staff):
        if period.state not in JOINT_TEXT_STATES:
            return []
        roles = (Role.COORDINATOR,) if kind == Kind.ESCALATION else WRITERS
        out = []
        for user in (u for u in staff if u.role in roles):
            pending = (JointText.objects.visible_to(user).filter(period=period)
                       .exclude(state=JointTextState.APPROVED).count())
            if pending:
                def what(pending=pending):
                    return ngettext("%(count)s joint text is not yet approved by every organisation",
                                    "%(count)s joint texts are not yet approved by every organisation",
                                    pending) % {"count": pending}
                out.append(self._notice(user, kind, period, period, field, date, what,
                                        f"/commitments/?period={period.ordinal}", "joint-texts"))
        return out

    # approval_due ---------------------------------------------------------------------------

    def approvals(self, period, field, date, kind, orgs, staff):
        report = Report.objects.filter(period=period).select_related("period__partnership").first()
        out = []
        if kind == Kind.ESCALATION:
            for user in (u for u in staff if u.role == Role.COORDINATOR):
                org = user.organisation
                waiting = (Contribution.objects.visible_to(user)
                           .filter(period=period, organisation=org, state=ContributionState.SUBMITTED).count())
                if waiting:
                    def what(waiting=waiting, org=org):
                        return ngettext("%(count)s contribution of %(organisation)s still to approve",
                                        "%(count)s contributions of %(organisation)s still to approve",
                                        waiting) % {"count": waiting, "organisation": org.short_name}
                    url = f"/commitments/?period={period.ordinal}&organisation={org.key}&status=submitted"
                    out.append(self._notice(user, kind, period, period, field, date, what, url,
                                            f"contributions:{org.key}"))
                if report is not None and self._report_waits_for(report, org) and \
                        Report.objects.visible_to(user).filter(pk=report.pk).exists():
                    out.append(self._notice(user, kind, report, period, field, date,
                                            lambda org=org: _("the report is not yet approved by %(organisation)s")
                                            % {"organisation": org.short_name},
                                            f"/reports/{period.ordinal}/", f"report:{org.key}"))
            return out
        for user in (u for u in staff if u.role == Role.APPROVER):
            visible = Contribution.objects.visible_to(user).filter(period=period)
            waiting = waiting_for(user, visible)["to_approve"].count()
            if waiting:
                def what(waiting=waiting):
                    return ngettext("%(count)s submitted contribution waits for your approval",
                                    "%(count)s submitted contributions wait for your approval",
                                    waiting) % {"count": waiting}
                url = f"/commitments/?period={period.ordinal}&organisation={user.organisation.key}&status=submitted"
                out.append(self._notice(user, kind, period, period, field, date, what, url,
                                        f"contributions:{user.organisation.key}"))
            if report is not None and can(user, ReportAction.APPROVE, report):
                out.append(self._notice(user, kind, report, period, field, date,
                                        lambda user=user: _("the report waits for %(organisation)s's approval")
                                        % {"organisation": user.organisation.short_name},
                                        f"/reports/{period.ordinal}/", f"report:{user.organisation.key}"))
        return out

    @staticmethod
    def _report_waits_for(report, org) -> bool:
        return report.state != ReportState.PUBLISHED and not report.approvals.filter(
            organisation=org, withdrawn_at__isnull=True).exists()

    # report_due -----------------------------------------------------------------------------

    def report(self, period, field, date, kind, orgs, staff):
        if kind == Kind.ESCALATION:
            return []  # coordinators are told already; there is nobody above them in Rapport
        report = Report.objects.filter(period=period).first()
        if report is not None and report.state == ReportState.PUBLISHED:
            return []
        return [self._notice(u, kind, period, period, field, date, lambda: _("not yet published"), "/reports/", "report")
                for u in staff if u.role == Role.COORDINATOR]

    DEADLINES = [
        ("contributions_due", contributions),
        ("joint_texts_due", joint_texts),
        ("approval_due", approvals),
        ("report_due", report),
    ]


def due_notices(day: datetime.date) -> list[Notice]:
    return Planner(day).notices()
