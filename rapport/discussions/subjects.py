"""What may be discussed: the registered set of models a comment thread can be about.

A subject names its period (nobody comments on a text whose period is final) and its
partnership (who may take part), and the page its thread is shown on. Adding a report
part is one more ``register`` call here (and a rule in rules.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapport.contributions.models import Contribution, JointText


@dataclass(frozen=True)
class Subject:
    model: type
    url_name: str  # the page that shows the thread, reversed with the subject's pk
    period: Callable  # obj -> ReportingPeriod
    partnership_id: Callable  # obj -> id of the partnership whose staff may take part
    noun: str  # how a notification names it ("a contribution")


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


register(Subject(Contribution, "contribution-detail", lambda c: c.period,
                 lambda c: c.commitment.partnership_id, "a contribution"))
register(Subject(JointText, "joint-text-detail", lambda jt: jt.period,
                 lambda jt: jt.commitment.partnership_id, "a joint text"))
