"""What the API answers with: typed schemas (pydantic, through django-ninja) built from
rows already filtered by visibility. Every marked object carries its marking."""

from __future__ import annotations

import datetime

from ninja import Schema


class MarkingOut(Schema):
    classification: str
    scheme: str
    rank: int
    releasable_to: list[str]  # organisation keys; empty for PUBLIC


class OrganisationOut(Schema):
    key: str
    name: str
    short_name: str


class PeriodOut(Schema):
    id: int
    ordinal: int
    start: datetime.date
    end: datetime.date
    state: str
    contributions_due: datetime.date | None


class CommitmentOut(Schema):
    id: int
    ref: str
    title: str
    text: str
    area: str  # the area's code
    mandate: str  # the mandate's key
    due: datetime.date | None
    marking: MarkingOut


class ReceivedFrom(Schema):
    """Where a read-only copy of a peer instance's contribution came from."""

    organisation: str  # the peer organisation's key
    package: int  # the sequence number of the exchange package that brought it (or its last change)


class ContributionOut(Schema):
    id: int
    commitment: int | None  # null when the caller may not read the commitment
    period: int  # the period's ordinal
    organisation: str
    state: str
    version: int
    narrative: str
    language: str  # the language the text is written in: "en" or "fr"
    translations: dict[str, dict[str, str]]  # {language: {field: text}}, approved and marked with the text
    assessment: str | None  # the assessment value's key
    updated: datetime.datetime
    marking: MarkingOut
    received_from: ReceivedFrom | None  # a peer instance's record received in an exchange; null for this instance's own


class Page(Schema):
    next: int | None  # the cursor of the next page (send it as ?cursor=); null on the last


class CommitmentPage(Page):
    items: list[CommitmentOut]


class ContributionPage(Page):
    items: list[ContributionOut]


class Me(Schema):
    username: str
    organisation: str | None
    delegation: str | None
    role: str
    clearance: str | None
    token_scope: str | None  # the scope of the token used, null for the browser session


class Problem(Schema):
    """An error, as RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None = None
