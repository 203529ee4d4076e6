"""What may be discussed: the registered set of models a comment thread can be about.

A subject names its period (nobody comments on a text whose period is final) and its
partnership (who may take part), and the page its thread is shown on. A new kind of
subject is one more ``register`` call here, a rule in rules.py and its comment form's
address in rapport/web/views/discussions.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.contributions.models import Contribution, JointText
from rapport.reports.models import CouncilAction, Highlight, Outlook, ReportText


@dataclass(frozen=True)
class Subject:
    model: type
    url: Callable  # obj -> the address of the page that shows its thread
    period: Callable  # obj -> ReportingPeriod
    partnership_id: Callable  # obj -> id of the partnership whose staff may take part
    noun: Callable  # obj -> how a notification names it ("a contribution", "a highlight of report 11")
    kind: str  # its name in the addresses of the comment forms ("contribution", "highlight")


SUBJECTS: dict[str, Subject] = {}


def register(subject: Subject) -> Subject:
    label = subject.model._meta.label_lower
    if label in SUBJECTS:
        raise ValueError(f"{label} is already a discussion subject")
    SUBJECTS[label] = subject
    return subject


def subject_of(obj) -> Subject | None:
    return SUBJECTS.get(obj._meta.label_lower)


def subject_models() -> list[type]:
    return [s.model for s in SUBJECTS.values()]


def _part_url(kind: str) -> Callable:
    return lambda part: reverse("report-part-edit", args=[part.report.period.ordinal, kind, part.pk])


register(Subject(Contribution, lambda c: reverse("contribution-detail", args=[c.pk]), lambda c: c.period,
                 lambda c: c.commitment.partnership_id, lambda c: _("a contribution"), "contribution"))
register(Subject(JointText, lambda jt: reverse("joint-text-detail", args=[jt.pk]), lambda jt: jt.period,
                 lambda jt: jt.commitment.partnership_id, lambda jt: _("a joint text"), "joint-text"))
# The report's parts: discussed on their page in the report editor.
def _part_noun(noun) -> Callable:
    """``noun``: a lazy message with %(ordinal)s, the report's number."""
    return lambda part: str(noun) % {"ordinal": part.report.period.ordinal}


for _model, _kind, _noun in ((ReportText, "text", gettext_lazy("a text of report %(ordinal)s")),
                             (Highlight, "highlight", gettext_lazy("a highlight of report %(ordinal)s")),
                             (Outlook, "outlook", gettext_lazy("an outlook item of report %(ordinal)s")),
                             (CouncilAction, "council-action", gettext_lazy("a Council action of report %(ordinal)s"))):
    register(Subject(_model, _part_url(_kind), lambda p: p.report.period, lambda p: p.report.period.partnership_id,
                     _part_noun(_noun), _kind))
