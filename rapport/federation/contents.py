"""What an exchanged record holds, and how a received one is checked and written.

Only contributions travel today: each organisation's instance is authoritative for its own
organisation's contributions and sends them, once submitted, to the peers they are
releasable to. The registry (commitments, periods, markings, organisations) is the shared
default data both instances load; a contribution names its commitment, period and marking
by their keys, never by a database id. Evidence links stay home (the evidence records are
each instance's own)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from rapport.contributions.choices import ContributionState
from rapport.contributions.models import Contribution
from rapport.contributions.translations import clean_language, clean_translations
from rapport.core.errors import InputError
from rapport.core.text import LONG_TEXT, clean_text
from rapport.reports.records import person  # the report names people as it does: one function

KIND = "contribution"
SHARED_STATES = (ContributionState.SUBMITTED, ContributionState.APPROVED)


def contribution_content(c: Contribution) -> dict:
    """The exchanged form of a contribution (read through ``visible_to`` by the caller)."""
    level = c.classification
    return {
        "partnership": c.commitment.partnership.key,
        "commitment": c.commitment.ref,
        "period": c.period.ordinal,
        "organisation": c.organisation.key,
        "narrative": c.narrative,
        "language": c.language,
        "translations": c.translations,
        "assessment": c.assessment.key if c.assessment_id else None,
        "state": c.state,
        "version": c.version,
        "classification": {"scheme": level.scheme.key, "level": level.name, "rank": level.rank},
        "releasable_to": sorted(o.key for o in c.releasable_to.all()),
        "approved_at": c.approved_at.isoformat() if c.approved_at else None,
        "author": person(c.author),
        "approved_by": person(c.approved_by),
    }


CONTENT_FIELDS = {"partnership": str, "commitment": str, "period": int, "organisation": str, "narrative": str,
                  "language": str, "translations": dict,
                  "assessment": (str, type(None)), "state": str, "version": int, "classification": dict,
                  "releasable_to": list, "approved_at": (str, type(None)), "author": str, "approved_by": str}


@dataclass
class Resolved:
    """A received contribution's content with its keys turned into this instance's rows."""

    commitment: object
    period: object
    organisation: object
    level: object
    releasable_to: list
    assessment: object
    content: dict
    approved_at: object


class BadContent(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(_("field %(field)s: %(problem)s") % {"field": repr(field), "problem": message})
        self.field = field


class Lookups:
    """This instance's rows by key, read once per package rather than once per record."""

    def __init__(self):
        from rapport.commitments.models import Commitment
        from rapport.markings.models import ClassificationLevel
        from rapport.partnerships.models import AssessmentValue, Organisation, Partnership
        from rapport.periods.models import ReportingPeriod

        self.partnerships = {p.key: p for p in Partnership.objects.all()}
        self.members = {(p.key, o.key): o for p in self.partnerships.values()
                        for o in p.organisations.select_related("scheme")}
        self.organisations = {o.key: o for o in Organisation.objects.all()}
        self.levels = {(lv.scheme.key, lv.name, lv.rank): lv
                       for lv in ClassificationLevel.objects.select_related("scheme")}
        self.values = {(v.scheme_id, v.key): v for v in AssessmentValue.objects.all()}
        self._commitments, self._periods = Commitment.objects, ReportingPeriod.objects
        self.commitments: dict = {}
        self.periods: dict = {}

    def prepare(self, contents: list[dict]) -> None:
        """Read the commitments and periods the records name, in two queries."""
        refs = {c.get("commitment") for c in contents if isinstance(c.get("commitment"), str)}
        for c in self._commitments.filter(ref__in=refs).select_related("partnership"):
            self.commitments[(c.partnership.key, c.ref)] = c
        ordinals = {c.get("period") for c in contents if isinstance(c.get("period"), int)}
        for p in self._periods.filter(ordinal__in=ordinals).select_related("partnership"):
            self.periods[(p.partnership.key, p.ordinal)] = p


def check_fields(content: dict, fields: dict) -> None:
    """Exactly these fields, each of its type; BadContent names the first one at fault."""
    for name, kind in fields.items():
        if name not in content:
            raise BadContent(name, _("missing"))
        if not isinstance(content[name], kind) or isinstance(content[name], bool):
            raise BadContent(name, _("of the wrong type"))
    if set(content) - set(fields):
        raise BadContent(sorted(set(content) - set(fields))[0], _("unknown"))


def period_of(content: dict, fields: dict, lookups: Lookups):
    """The reporting period a record of statements (agreements, approvals) is about."""
    check_fields(content, fields)
    if content["partnership"] not in lookups.partnerships:
        raise BadContent("partnership", _("no partnership %(key)s here") % {"key": repr(content["partnership"])})
    period = lookups.periods.get((content["partnership"], content["period"]))
    if period is None:
        raise BadContent("period", _("no reporting period %(n)s") % {"n": content["period"]})
    return period


def check_texts(content: dict, text: str, names: tuple[str, ...], model, *, required: bool = True) -> str:
    """A received record's text, the people it names (one line each) and its language and
    translations, cleaned as the record's own services clean them; its language."""
    try:
        clean_text(content[text], field=text, required=required, max_length=LONG_TEXT)
        for name in names:
            clean_text(content[name], field=name, max_length=200)
            if any(c in content[name] for c in "\r\n\t"):
                raise InputError("a name is one line", field=name)
        language = clean_language(content["language"], field="language")
        if clean_translations(content["translations"], language=language, fields=model.TRANSLATED,
                              what=f"the {text}") != content["translations"]:
            raise BadContent("translations", _("not in the form a record holds them"))
    except InputError as exc:
        raise BadContent(exc.field or text, exc.detail) from None
    return language


def resolve_place(content: dict, lookups: Lookups) -> tuple:
    """(commitment, period, level, releasable_to) named by a record's keys; BadContent names the
    field at fault."""
    key = content["partnership"]
    partnership = lookups.partnerships.get(key)
    if partnership is None:
        raise BadContent("partnership", _("no partnership %(key)s here") % {"key": repr(key)})
    commitment = lookups.commitments.get((key, content["commitment"]))
    if commitment is None:
        raise BadContent("commitment", _("no commitment %(ref)s in this registry") % {"ref": repr(content["commitment"])})
    period = lookups.periods.get((key, content["period"]))
    if period is None:
        raise BadContent("period", _("no reporting period %(n)s") % {"n": content["period"]})
    level, releasable = resolve_marking(content, lookups)
    return commitment, period, level, releasable


def resolve_marking(content: dict, lookups: Lookups) -> tuple:
    """(level, releasable_to) a record's ``classification`` and ``releasable_to`` name."""
    marking = content["classification"]
    if set(marking) != {"scheme", "level", "rank"} or not (
            isinstance(marking["scheme"], str) and isinstance(marking["level"], str)
            and isinstance(marking["rank"], int) and not isinstance(marking["rank"], bool)):
        raise BadContent("classification", _("expected scheme, level and rank"))
    level = lookups.levels.get((marking["scheme"], marking["level"], marking["rank"]))
    if level is None:
        raise BadContent("classification", _("no level %(level)s of rank %(rank)s in scheme %(scheme)s")
                         % {"level": repr(marking["level"]), "rank": marking["rank"], "scheme": repr(marking["scheme"])})
    keys = content["releasable_to"]
    if not all(isinstance(k, str) for k in keys) or len(set(keys)) != len(keys):
        raise BadContent("releasable_to", _("expected distinct organisation keys"))
    if any(k not in lookups.organisations for k in keys):
        raise BadContent("releasable_to", _("names an organisation unknown here"))
    return level, [lookups.organisations[k] for k in sorted(keys)]


def resolve(content: dict, lookups: Lookups | None = None) -> Resolved:
    """This instance's rows for the content's keys; BadContent names the first field at fault."""
    if lookups is None:
        lookups = Lookups()
        lookups.prepare([content])
    check_fields(content, CONTENT_FIELDS)
    commitment, period, level, releasable = resolve_place(content, lookups)
    key = content["partnership"]
    partnership = lookups.partnerships[key]
    organisation = lookups.members.get((key, content["organisation"]))
    if organisation is None:
        raise BadContent("organisation", _("%(org)s is not in the partnership") % {"org": repr(content["organisation"])})
    assessment = None
    if content["assessment"] is not None:
        assessment = lookups.values.get((partnership.assessment_scheme_id, content["assessment"]))
        if assessment is None:
            raise BadContent("assessment", _("%(value)s is not on the partnership's scale") % {"value": repr(content["assessment"])})
    if content["state"] not in SHARED_STATES:
        raise BadContent("state", _("%(state)s: only submitted and approved contributions are exchanged") % {"state": repr(content["state"])})
    if not 1 <= content["version"] < 2**31:
        raise BadContent("version", _("must be a whole number from 1"))
    check_texts(content, "narrative", ("author", "approved_by"), Contribution)
    approved_at = None
    if content["approved_at"] is not None:
        try:
            approved_at = parse_datetime(content["approved_at"]) if len(content["approved_at"]) <= 40 else None
        except ValueError:  # well formed but no such day
            approved_at = None
        if approved_at is None or approved_at.tzinfo is None:
            raise BadContent("approved_at", _("not a date and time with its time zone"))
    if (content["state"] == ContributionState.APPROVED) != (approved_at is not None):
        raise BadContent("approved_at", _("an approved contribution has its approval time, others none"))
    return Resolved(commitment, period, organisation, level, releasable, assessment, content, approved_at)
