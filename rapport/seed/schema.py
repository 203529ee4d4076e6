"""The shape of a dataset's YAML files, checked strictly: an unknown or missing
field is an error that names the file, the record and the field."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MarkingIn(Strict):
    level: str = Field(min_length=1)
    releasable_to: list[str] = []


Marking = str | MarkingIn


# A record's names in other languages, by language code: {"fr": {"name": "..."}} (stored as the
# record's `translations`, read through partnerships.models.translated).
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]


class NameIn(Strict):
    name: str = Field(min_length=1, max_length=200)


class TitleIn(Strict):
    title: str = Field(min_length=1, max_length=400)


class TextIn(Strict):
    text: str = Field(min_length=1, max_length=300)


class OrganisationNamesIn(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    short_name: str | None = Field(default=None, min_length=1, max_length=20)
    council: str | None = Field(default=None, min_length=1, max_length=200)


def names(record) -> dict:
    """A record's ``translations`` as stored: the names given in each language, nothing empty."""
    return {lang: found for lang, t in record.translations.items() if (found := t.model_dump(exclude_none=True))}


class Content(Strict):
    marking: Marking
    sources: list[str] = []


# partnership.yaml ------------------------------------------------------------


class LevelTextIn(Strict):
    """A level's marking texts in one language (markings.LevelMarking), with where they come from."""

    language: str = Field(pattern=r"^[a-z]{2,3}$")
    banner: str = Field(min_length=1, max_length=100)
    portion: str = Field(min_length=1, max_length=20)
    source: str = Field(default="", max_length=300)


class LevelIn(Strict):
    rank: int = Field(ge=0, le=20)
    name: str = Field(min_length=1)
    abbreviation: str = Field(min_length=1)
    # The banner and portion texts per language where the scheme gives them; the name and
    # abbreviation stand for every other language.
    texts: list[LevelTextIn] = []


class SchemeIn(Strict):
    key: str = Field(min_length=1)
    name: str = Field(min_length=1)
    # The security policy as STANAG 4774 labels and XML SPIFs name it (markings/labels.py, spif.py).
    policy_name: str = Field(default="", max_length=256)
    policy_id: str = Field(default="", max_length=200, pattern=r"^([0-2](\.(0|[1-9][0-9]*))+)?$")
    levels: list[LevelIn] = Field(min_length=1)


class OrganisationIn(Strict):
    key: str = Field(min_length=1)
    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    council: str = Field(min_length=1)
    scheme: str
    colour: str = "#444444"
    # A level of the organisation's own scheme (name or abbreviation) a new
    # contribution starts at; without it the writer always chooses.
    default_level: str | None = Field(default=None, min_length=1)
    translations: dict[Language, OrganisationNamesIn] = {}


class AssessmentValueIn(Strict):
    key: str
    label: str
    score: int
    colour: str = "#999999"


class AssessmentSchemeIn(Strict):
    key: str
    name: str
    kind: Literal["completion", "score"]
    description: str = ""
    values: list[AssessmentValueIn] = Field(min_length=2)


class PrincipleIn(Strict):
    key: str
    text: str = Field(min_length=1)
    agreed: bool = True
    sources: list[str] = []
    # The principle as reports in another language quote it: {"fr": {"text": "..."}}.
    translations: dict[Language, TextIn] = {}


class PartnershipIn(Strict):
    key: str
    name: str
    description: str = ""
    organisations: list[str] = Field(min_length=2)
    assessment_scheme: str
    other_schemes: list[str] = []
    reporting_cadence: Literal["annual", "semi-annual"] = "annual"
    principles: list[PrincipleIn] = []
    translations: dict[Language, NameIn] = {}


class PartnershipFile(Strict):
    classification_schemes: list[SchemeIn] = Field(min_length=1)
    organisations: list[OrganisationIn] = Field(min_length=2)
    assessment_schemes: list[AssessmentSchemeIn] = Field(min_length=1)
    partnership: PartnershipIn


# member_states.yaml ------------------------------------------------------------


class MembershipIn(Strict):
    organisation: str
    joined: datetime.date
    left: datetime.date | None = None


class MemberStateIn(Strict):
    code: str = Field(min_length=2, max_length=3)
    name: str
    memberships: list[MembershipIn] = []
    marking: Literal["PUBLIC"] = "PUBLIC"  # reference data is public by nature
    sources: list[str] = []


class MemberStatesFile(Strict):
    member_states: list[MemberStateIn]


# mandates.yaml and areas.yaml -----------------------------------------------------


class CountVariantIn(Strict):
    value: int
    note: str = ""
    source: str = ""


class MandateIn(Content):
    key: str
    kind: Literal["joint_declaration", "proposal_set", "council_conclusions", "nac_decision"]
    title: str
    date: datetime.date
    issued_by: list[str] = Field(min_length=1)
    summary: str = ""
    proposal_count: int | None = Field(default=None, ge=0)
    count_variants: list[CountVariantIn] = []
    translations: dict[Language, TitleIn] = {}


class MandatesFile(Strict):
    mandates: list[MandateIn]


class AreaIn(Content):
    key: str
    code: str = Field(min_length=1, max_length=6)
    name: str
    introduced_by: str
    order: int = 0
    description: str = ""
    translations: dict[Language, NameIn] = {}


class AreasFile(Strict):
    areas: list[AreaIn]


# commitments.yaml ---------------------------------------------------------------


class CommitmentIn(Content):
    ref: str = Field(min_length=1, max_length=40)
    # Earlier refs of the same commitment: a record still stored under one of them is
    # renamed to `ref` (its contributions and links stay), and any file of the dataset
    # may still name the commitment by one of them.
    aliases: list[str] = []
    set: str
    area: str
    themes: list[str] = []
    parent: str | None = None
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1)
    wording: Literal["public_summary", "not_public", "full_text"]
    confidence: Literal["high", "medium", "low"] | None = None
    due: datetime.date | None = None
    lead_units: dict[str, str | None] = {}


class CommitmentsFile(Strict):
    allocation_note: str | None = None
    commitments: list[CommitmentIn]


# periods.yaml ----------------------------------------------------------------------


class HighlightIn(Strict):
    text: str = Field(min_length=1)
    commitments: list[str] = []
    evidence: list[str] = []
    marking: Marking


class OutlookIn(Strict):
    text: str = Field(min_length=1)
    marking: Marking


class CouncilActionIn(Strict):
    organisation: str
    action: Literal["welcomed", "took_note", "noted_in_conclusions", "presented"]
    date: datetime.date | None = None
    text: str = ""


class ReportIn(Content):
    title: str
    presented_on: datetime.date | None = None
    presented_note: str | None = None
    state: Literal["draft", "approved", "published"] = "draft"
    council_actions: list[CouncilActionIn] = []
    highlights: list[HighlightIn] = []
    outlook: list[OutlookIn] = []


class PeriodIn(Strict):
    ordinal: int = Field(ge=1)
    start: datetime.date
    end: datetime.date
    contributions_due: datetime.date | None = None
    joint_texts_due: datetime.date | None = None
    approval_due: datetime.date | None = None
    report_due: datetime.date | None = None
    state: Literal["planned", "open", "contributions_closed", "in_preparation", "in_approval", "published",
                   "archived"] = "planned"
    note: str | None = None
    report: ReportIn | None = None


class PeriodsFile(Strict):
    periods: list[PeriodIn]


# evidence.yaml ---------------------------------------------------------------------


class Described(Content):
    """A record described in words: the language of its name (or title) and description, "en"
    unless it says otherwise, and their translations ({"fr": {"name": "…", "description": "…"}}).
    The writer checks both as the records' other writers do (``core.translations``)."""

    language: str = "en"
    translations: dict[str, dict[str, str]] = {}



class FormatIn(Described):
    key: str
    kind: Literal["political_meeting", "cross_briefing", "structured_dialogue", "task_force",
                  "staff_coordination", "staff_talks", "body"]
    name: str
    started: datetime.date | None = None
    ended: datetime.date | None = None
    description: str = ""
    commitments: list[str] = []


class MeetingIn(Described):
    key: str
    format: str | None = None
    date: datetime.date
    title: str
    summary: str = ""
    commitments: list[str] = []


class ExerciseIn(Described):
    key: str
    name: str
    kind: Literal["parallel_coordinated", "parallel", "crisis_management"]
    lead: str | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    description: str = ""
    commitments: list[str] = []


class PartnerCountryIn(Content):
    code: str = Field(min_length=2, max_length=3)
    name: str
    region: bool = False
    since: int | None = None


class PartnerActivityIn(Described):
    key: str
    country: str | None = None
    title: str
    description: str = ""
    period: int | None = None
    organisations: list[str] = []
    commitments: list[str] = []


class EvidenceFile(Strict):
    formats: list[FormatIn] = []
    meetings: list[MeetingIn] = []
    exercises: list[ExerciseIn] = []
    partner_countries: list[PartnerCountryIn] = []
    partner_activities: list[PartnerActivityIn] = []


# contributions.yaml (optional) ----------------------------------------------------------


class EvidenceKeysIn(Strict):
    formats: list[str] = []
    meetings: list[str] = []
    exercises: list[str] = []
    activities: list[str] = []


class ContributionIn(Content):
    organisation: str
    commitment: str
    period: int
    narrative: str = Field(min_length=1)
    assessment: str | None = None
    state: Literal["draft", "submitted", "approved", "returned"] = "draft"
    evidence: EvidenceKeysIn = EvidenceKeysIn()


class ContributionsFile(Strict):
    contributions: list[ContributionIn]


# The files of a dataset, in load order; only partnership.yaml is required.
FILES: list[tuple[str, type[Strict], bool]] = [
    ("partnership.yaml", PartnershipFile, True),
    ("member_states.yaml", MemberStatesFile, False),
    ("mandates.yaml", MandatesFile, False),
    ("areas.yaml", AreasFile, False),
    ("commitments.yaml", CommitmentsFile, False),
    ("periods.yaml", PeriodsFile, False),
    ("evidence.yaml", EvidenceFile, False),
    ("contributions.yaml", ContributionsFile, False),
]
