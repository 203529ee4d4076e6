"""What an uploaded sheet would change, row by row, and writing it.

``preview`` reads every row against what is stored (new, changed with the fields that
change, unchanged) and then runs the contribution services on the rows that change
inside a transaction that is always rolled back: the preview's errors are exactly the
ones writing would meet (the policy's, the marking rules', the text rules'). ``apply``
does the same and commits only if every row went through: one transaction, an audit
entry per change written by the services, nothing at all if one row fails."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.access.policy import can
from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.contributions.rules import ContributionAction
from rapport.core.errors import Conflict, InputError, NotFound, RapportError, Refused
from rapport.core.text import LONG_TEXT, clean_text

from .columns import (
    ASSESSMENT,
    FIELD_COLUMNS,
    MARKING,
    NARRATIVE,
    REFERENCE,
    RELEASABLE,
    CellError,
    Choices,
)
from .reading import Problem, RawRow, Upload
from .template import own_contributions

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"
UNKNOWN = gettext_lazy("unknown commitment %(ref)s: no commitment of the partnership that you may read has this "
                       "reference")


@dataclass
class Change:
    column: str
    before: str
    after: str


@dataclass
class RowPlan:
    number: int
    reference: str
    commitment: Commitment | None = None
    existing: object = None  # the importer's organisation's contribution, if there is one
    status: str = UNCHANGED
    changes: list[Change] = field(default_factory=list)
    values: dict | None = None  # what the service is called with
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Plan:
    period: object
    rows: list[RowPlan]
    problems: list[Problem]  # the file's own (period, organisation); the rows' are on the rows

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + [p for r in self.rows for p in r.problems]

    @property
    def to_write(self) -> list[RowPlan]:
        return [r for r in self.rows if r.status in (NEW, CHANGED)]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    def summary(self) -> str:
        return (f"{self.count(NEW)} new, {self.count(CHANGED)} changed, {self.count(UNCHANGED)} unchanged, "
                f"{len(self.all_problems)} error{'s' if len(self.all_problems) != 1 else ''}")

    def digest(self) -> str:
        """What the preview showed: a confirmation for another outcome writes nothing."""
        shown = [(r.number, r.reference, r.status, [(c.column, c.before, c.after) for c in r.changes])
                 for r in self.rows]
        return hashlib.sha256(json.dumps([shown, [str(p) for p in self.all_problems]]).encode()).hexdigest()[:32]


def preview(user, period, upload: Upload) -> Plan:
    plan = compare(user, period, upload)
    _run(user, plan, commit=False)  # the rows that compare cleanly meet the services' own checks too
    return plan


def apply(user, period, upload: Upload, *, expected_digest: str | None = None) -> tuple[Plan, bool]:
    """(the plan, whether it was written). Written only if it has no error at all and, when
    ``expected_digest`` is given, only if it is still what the preview showed."""
    plan = compare(user, period, upload)
    if plan.all_problems or (expected_digest is not None and plan.digest() != expected_digest):
        return plan, False
    return plan, _run(user, plan, commit=True)


# Comparing ---------------------------------------------------------------------------------


def compare(user, period, upload: Upload) -> Plan:
    partnership = period.partnership
    plan = Plan(period, [], _file_problems(user, period, upload.about))
    choices = Choices.for_user(user, partnership)
    refs = {r.cells.get(REFERENCE, "").strip() for r in upload.rows}
    commitments = {c.ref: c for c in Commitment.objects.visible_to(user).with_marking()
                   .filter(partnership=partnership, ref__in=refs - {""})}
    own = own_contributions(user, period)
    seen: dict[str, int] = {}
    for raw in upload.rows:
        row = _row(user, period, raw, commitments, own, choices, seen)
        plan.rows.append(row)
    return plan


def _file_problems(user, period, about: dict) -> list[Problem]:
    problems = []
    written_for = about.get("Period", "")
    if written_for and written_for != str(period.ordinal):
        problems.append(Problem(None, "", _("the file is the template of period %(written_for)s, not of period "
                                            "%(ordinal)s: download this period's template")
                                % {"written_for": written_for[:10], "ordinal": period.ordinal}))
    org = about.get("Organisation", "")
    own = user.organisation.key if getattr(user, "organisation_id", None) else ""
    if org and org != own:
        problems.append(Problem(None, "", (_("the file is the template of another organisation's contributions "
                                             "(%(other)s); you write for %(own)s") if own else
                                           _("the file is the template of another organisation's contributions "
                                             "(%(other)s); you write for no organisation"))
                                % {"other": repr(org[:20]), "own": own}))
    return problems


def _row(user, period, raw: RawRow, commitments, own, choices: Choices, seen) -> RowPlan:
    cells = raw.cells
    ref = cells.get(REFERENCE, "").strip()
    row = RowPlan(raw.number, ref, problems=list(raw.problems))

    def problem(column, message):
        row.problems.append(Problem(raw.number, column, message))

    if not ref:
        problem(REFERENCE, _("no reference: write the reference of the commitment the row is for"))
    elif ref in seen:
        problem(REFERENCE, _("the commitment %(ref)s is on row %(row)s already") % {"ref": repr(ref), "row": seen[ref]})
    else:
        seen[ref] = raw.number
        row.commitment = commitments.get(ref)
        if row.commitment is None:
            problem(REFERENCE, UNKNOWN % {"ref": repr(ref[:60])})
    existing = own.get(row.commitment.pk) if row.commitment is not None else None
    row.existing = existing
    written = {name: cells.get(name, "").strip() for name in (NARRATIVE, ASSESSMENT, MARKING, RELEASABLE)}
    if existing is None and not any(written.values()):
        row.status = ERROR if row.problems else UNCHANGED  # an empty row writes nothing
        return row
    unread = {p.column for p in raw.problems}  # a cell refused already (a formula) is not read again

    def problem_once(column, message):
        if column not in unread:
            problem(column, message)

    values = _values(cells, existing, choices, problem_once)
    if row.problems or row.commitment is None:
        row.status = ERROR
        return row
    row.values = values
    row.changes = _changes(existing, values, choices)
    row.status = NEW if existing is None else CHANGED if row.changes else UNCHANGED
    if row.status != UNCHANGED:
        decision = (can(user, ContributionAction.EDIT, existing) if existing is not None
                    else can(user, ContributionAction.CREATE, row.commitment, period=period))
        if not decision:
            problem(REFERENCE, _("you cannot write your organisation's contribution on %(ref)s now: %(reason)s")
                    % {"ref": ref, "reason": decision.reason})
            row.status = ERROR
    return row


def _values(cells, existing, choices: Choices, problem) -> dict:
    values: dict = {}
    try:
        values["narrative"] = clean_text(cells.get(NARRATIVE, ""), field="narrative", required=True,
                                         max_length=LONG_TEXT, what="the progress narrative")
    except InputError as exc:
        problem(NARRATIVE, exc.detail)
    try:
        values["assessment"] = choices.assessment(cells.get(ASSESSMENT, "").strip())
    except CellError as exc:
        problem(ASSESSMENT, str(exc))
    level = None
    try:
        level = values["classification"] = choices.level(cells.get(MARKING, "").strip())
    except CellError as exc:
        problem(MARKING, str(exc))
    try:
        chosen = choices.releasable(cells.get(RELEASABLE, ""))
    except CellError as exc:
        problem(RELEASABLE, str(exc))
        chosen = []
    if not chosen and level is not None:
        # Left empty: a PUBLIC text keeps what it had (every organisation for a new one); a
        # marked one stays with the importer's own organisation.
        if level.rank == 0:
            chosen = list(existing.releasable_to.all()) if existing is not None else list(choices.organisations)
        else:
            chosen = [o for o in choices.organisations if o.pk == choices.own_organisation_id]
    values["releasable_to"] = chosen
    return values


def _changes(existing, values, choices: Choices) -> list[Change]:
    new_level, new_orgs = values["classification"], values["releasable_to"]
    assessment = values["assessment"]
    if existing is None:
        out = [Change(NARRATIVE, "", values["narrative"]),
               Change(ASSESSMENT, "", assessment.label if assessment else "Not assessed"),
               Change(MARKING, "", choices.level_name(new_level))]
        return out + [Change(RELEASABLE, "", choices.releasable_name(new_orgs))]
    out = []
    if existing.narrative != values["narrative"]:
        out.append(Change(NARRATIVE, existing.narrative, values["narrative"]))
    if existing.assessment_id != (assessment.pk if assessment else None):
        out.append(Change(ASSESSMENT, existing.assessment.label if existing.assessment_id else "Not assessed",
                          assessment.label if assessment else "Not assessed"))
    old_level = existing.classification
    if old_level.pk != new_level.pk and not (old_level.rank == 0 and new_level.rank == 0):
        out.append(Change(MARKING, choices.level_name(old_level), choices.level_name(new_level)))
    old_orgs = list(existing.releasable_to.all())
    if {o.pk for o in old_orgs} != {o.pk for o in new_orgs}:
        out.append(Change(RELEASABLE, choices.releasable_name(old_orgs), choices.releasable_name(new_orgs)))
    return out


# Writing --------------------------------------------------------------------------------------


class _RollBack(Exception):
    """Leaves the transaction without keeping anything (a preview, or a row that failed)."""


def _run(user, plan: Plan, *, commit: bool) -> bool:
    """Call the services for every row that changes, in one transaction; each row's failure is
    noted on it. Kept only if ``commit`` and no row failed."""
    try:
        with transaction.atomic():
            failed = False
            for row in plan.to_write:
                try:
                    with transaction.atomic():
                        _write(user, plan.period, row)
                except (RapportError, ValidationError) as exc:
                    row.problems.append(_problem(row, exc))
                    row.status, failed = ERROR, True
            if failed or not commit:
                raise _RollBack
    except _RollBack:
        return False
    return True


def _write(user, period, row: RowPlan) -> None:
    if row.existing is None:
        services.create_contribution(actor=user, commitment=row.commitment, period=period, evidence=None,
                                     **row.values)
    else:
        services.edit_contribution(actor=user, contribution=row.existing, base_version=row.existing.version,
                                   evidence=None, **row.values)


def _problem(row: RowPlan, exc) -> Problem:
    if isinstance(exc, NotFound):
        return Problem(row.number, REFERENCE, UNKNOWN % {"ref": repr(row.reference[:60])})
    if isinstance(exc, InputError):
        return Problem(row.number, FIELD_COLUMNS.get(exc.field, ""), exc.detail)
    if isinstance(exc, (Refused, Conflict)):
        return Problem(row.number, REFERENCE, str(exc))
    if isinstance(exc, ValidationError):
        return Problem(row.number, "", "; ".join(exc.messages))
    return Problem(row.number, "", str(exc))
