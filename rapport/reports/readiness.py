"""The readiness checklist of a report before approval, as far as the reader may see.

Every item is counted in the database from ``visible_to(user)`` querysets and lists at
most ``SHOWN`` rows, so the page makes the same queries however large the data:

* per organisation, the commitments without an approved contribution of that organisation;
* joint texts of the period not yet approved by every organisation;
* parts of the report not yet approved (they will not appear in any edition);
* parts marked above PUBLIC (they will not appear in the public edition);
* commitments with no text at all this period (no contribution, no joint text).

What the reader may not see counts as missing: an EU coordinator is never told that a
NATO-only contribution exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from rapport.commitments.models import Commitment
from rapport.contributions.choices import ContributionState, JointTextState
from rapport.contributions.models import Contribution, JointText
from rapport.partnerships.models import translated

from .choices import PartState
from .models import CouncilAction, Highlight, Outlook, ReportText

SHOWN = 10  # rows listed per item; the count covers them all


@dataclass
class Item:
    key: str
    label: str
    count: int
    rows: list

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.rows))


def _item(key: str, label: str, qs) -> Item:
    return Item(key, label, qs.count(), list(qs[:SHOWN]))


def checklist(user, report) -> list[Item]:
    period = report.period
    partnership = period.partnership
    commitments = (Commitment.objects.visible_to(user).filter(partnership=partnership).with_marking()
                   .order_by("order", "ref"))
    contributions = Contribution.objects.visible_to(user).filter(period=period, commitment=OuterRef("pk"))
    items = []
    for org in partnership.organisations.order_by("key"):
        approved = contributions.filter(organisation=org, state=ContributionState.APPROVED)
        items.append(_item(f"missing-{org.key}", _("Commitments without an approved contribution of %(org)s")
                           % {"org": translated(org, "short_name")},
                           commitments.exclude(Exists(approved))))
    joint = (JointText.objects.visible_to(user).filter(period=period).exclude(state=JointTextState.APPROVED)
             .with_marking().select_related("commitment", "period").order_by("commitment__order", "commitment__ref"))
    items.append(_item("joint-texts", _("Joint texts not yet approved by every organisation"), joint))
    for model, unapproved, above in (
            (ReportText, _("Introduction and area texts not yet approved (they enter no edition)"),
             _("Introduction and area texts marked above PUBLIC (not in the public edition)")),
            (Highlight, _("Highlights not yet approved (they enter no edition)"),
             _("Highlights marked above PUBLIC (not in the public edition)")),
            (Outlook, _("Outlook items not yet approved (they enter no edition)"),
             _("Outlook items marked above PUBLIC (not in the public edition)")),
            (CouncilAction, _("Council actions not yet approved (they enter no edition)"),
             _("Council actions marked above PUBLIC (not in the public edition)"))):
        parts = model.objects.visible_to(user).filter(report=report).with_marking()
        items.append(_item(f"unapproved-{model._meta.model_name}", unapproved, parts.exclude(state=PartState.APPROVED)))
        items.append(_item(f"above-public-{model._meta.model_name}", above, parts.filter(classification__rank__gt=0)))
    joint_on = JointText.objects.visible_to(user).filter(period=period, commitment=OuterRef("pk"))
    items.append(_item("no-text", _("Commitments with no text at all this period"),
                       commitments.exclude(Exists(contributions)).exclude(Exists(joint_on))))
    return items
