"""Read routes for the partnership's other records — areas, mandates, the evidence (meetings,
exercises, coordination formats, partner activities), joint texts and reports — each a list
(cursor pages) and one object, made from one description. Only a record's own fields are
answered, never a link to another record (a linked record may be one the caller may not
read: even its id would say it exists)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import HttpResponse
from ninja import Schema

from rapport.contributions.models import JointText
from rapport.evidence.models import CoordinationFormat, Exercise, Meeting, PartnerActivity
from rapport.markings.querysets import get_visible_or_404
from rapport.partnerships.models import Area, Mandate
from rapport.reports.models import CouncilAction, Highlight, Outlook, Report, ReportText

from . import pagination
from .labelling import XML_ALTERNATIVE, labelled
from .resources import CURSOR, ERRORS, ID, LIMIT, Int, _marking, etag, readable_commitments, router
from .schemas import MarkingOut


class AreaOut(Schema):
    id: int
    key: str
    code: str
    name: str
    description: str
    marking: MarkingOut


class MandateOut(Schema):
    id: int
    key: str
    kind: str
    title: str
    date: datetime.date
    summary: str
    marking: MarkingOut


class MeetingOut(Schema):
    id: int
    key: str
    date: datetime.date
    title: str
    summary: str
    language: str  # the language its name (or title) and description are written in: "en" or "fr"
    translations: dict[str, dict[str, str]]  # {language: {field: text}}, marked with the record
    marking: MarkingOut


class ExerciseOut(Schema):
    id: int
    key: str
    name: str
    kind: str
    start: datetime.date | None
    end: datetime.date | None
    description: str
    language: str  # the language its name (or title) and description are written in: "en" or "fr"
    translations: dict[str, dict[str, str]]  # {language: {field: text}}, marked with the record
    marking: MarkingOut


class FormatOut(Schema):
    id: int
    key: str
    kind: str
    name: str
    started: datetime.date | None
    ended: datetime.date | None
    description: str
    language: str  # the language its name (or title) and description are written in: "en" or "fr"
    translations: dict[str, dict[str, str]]  # {language: {field: text}}, marked with the record
    marking: MarkingOut


class ActivityOut(Schema):
    id: int
    key: str
    title: str
    description: str
    language: str  # the language its name (or title) and description are written in: "en" or "fr"
    translations: dict[str, dict[str, str]]  # {language: {field: text}}, marked with the record
    marking: MarkingOut


class JointTextOut(Schema):
    id: int
    commitment: int | None  # null when the caller may not read the commitment
    period: int  # the period's ordinal
    state: str
    version: int
    text: str
    language: str  # the language the text is written in: "en" or "fr"
    translations: dict[str, dict[str, str]]  # {language: {field: text}}, approved and marked with the text
    marking: MarkingOut


class PartOut(Schema):
    """A part of a report written in the browser: a highlight, an outlook item, a text."""

    id: int
    period: int  # the ordinal of the report's period
    state: str
    version: int
    order: int
    text: str
    language: str  # the language the text is written in: "en" or "fr"
    translations: dict[str, dict[str, str]]  # {language: {field: text}}, approved and marked with the text
    marking: MarkingOut


class CouncilActionOut(Schema):
    id: int
    period: int
    organisation: str  # whose Council acted
    action: str
    date: datetime.date | None
    state: str
    version: int
    text: str
    language: str  # the language the text is written in: "en" or "fr"
    translations: dict[str, dict[str, str]]  # {language: {field: text}}, approved and marked with the text
    marking: MarkingOut


class ReportOut(Schema):
    id: int
    period: int
    title: str
    state: str
    version: int
    presented_on: datetime.date | None
    marking: MarkingOut


@dataclass(frozen=True)
class Kind:
    path: str  # /api/v1/<path>
    model: type
    out: type
    fields: tuple[str, ...]
    noun: str
    related: tuple[str, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()  # (answer field, attribute path) of reference data
    on_commitments: bool = False  # names its commitment, when the caller may read it
    writable: bool = False  # edited through the API: answers with an ETag
    of_reports: bool = False  # a part of a report: readable only with its report (as search reads it)


KINDS = (
    Kind("areas", Area, AreaOut, ("id", "key", "code", "name", "description"), "area"),
    Kind("mandates", Mandate, MandateOut, ("id", "key", "kind", "title", "date", "summary"), "mandate"),
    Kind("meetings", Meeting, MeetingOut, ("id", "key", "date", "title", "summary", "language", "translations"), "meeting"),
    Kind("exercises", Exercise, ExerciseOut, ("id", "key", "name", "kind", "start", "end", "description",
                                              "language", "translations"), "exercise"),
    Kind("formats", CoordinationFormat, FormatOut, ("id", "key", "kind", "name", "started", "ended", "description",
                                                    "language", "translations"),
         "coordination format"),
    Kind("partner-activities", PartnerActivity, ActivityOut, ("id", "key", "title", "description", "language", "translations"),
         "partner activity"),
    Kind("joint-texts", JointText, JointTextOut, ("id", "state", "version", "text", "language", "translations"), "joint text", ("period",),
         (("period", "period.ordinal"),), on_commitments=True, writable=True),
    Kind("reports", Report, ReportOut, ("id", "title", "state", "version", "presented_on"), "report", ("period",),
         (("period", "period.ordinal"),)),
    *(Kind(path, model, PartOut, ("id", "state", "version", "order", "text", "language", "translations"), noun, ("report__period",),
           (("period", "report.period.ordinal"),), of_reports=True)
      for path, model, noun in (("highlights", Highlight, "highlight"), ("outlook", Outlook, "outlook item"),
                                ("report-texts", ReportText, "report text"))),
    Kind("council-actions", CouncilAction, CouncilActionOut, ("id", "action", "date", "state", "version", "text", "language", "translations"),
         "Council action", ("report__period", "organisation"),
         (("period", "report.period.ordinal"), ("organisation", "organisation.key")), of_reports=True),
)


def _value(obj, path: str):
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _answers(kind: Kind, user, rows) -> list[dict]:
    readable = readable_commitments(user, rows) if kind.on_commitments else set()
    answers = []
    for obj in rows:
        answer = {name: getattr(obj, name) for name in kind.fields}
        answer.update({name: _value(obj, path) for name, path in kind.extra})
        if kind.on_commitments:
            answer["commitment"] = obj.commitment_id if obj.commitment_id in readable else None
        answer["marking"] = _marking(obj)
        answers.append(answer)
    return answers


def _queryset(kind: Kind, user):
    rows = (kind.model.objects.visible_to(user).with_marking()
            .select_related("classification__scheme", *kind.related))
    if kind.of_reports:
        rows = rows.filter(report__in=Report.objects.visible_to(user).values("pk"))
    return rows


def _routes(kind: Kind) -> None:
    page_out = type(f"{kind.out.__name__[:-3]}Page", (Schema,),
                    {"__annotations__": {"items": list[kind.out], "next": int | None}})

    def listing(request, cursor: Int | None = CURSOR, limit: Int = LIMIT):
        rows, nxt = pagination.page(_queryset(kind, request.auth), cursor, limit)
        return {"items": _answers(kind, request.auth, rows), "next": nxt}

    def one(request, response: HttpResponse, id: Int = ID):
        found = get_visible_or_404(_queryset(kind, request.auth), request.auth, pk=id)
        if kind.writable:  # what an edit sends back in If-Match
            response["ETag"] = etag(found)
        return _answers(kind, request.auth, [found])[0]

    name = kind.path.replace("-", "_")
    listing.__name__, one.__name__ = f"list_{name}", f"get_{name}"
    router.get(f"/{kind.path}", response={200: page_out, **ERRORS}, summary=f"The {kind.noun}s the caller may read",
               url_name=kind.path)(listing)
    router.get(f"/{kind.path}/{{id}}", response={200: kind.out, **ERRORS}, summary=f"One {kind.noun}",
               url_name=f"{kind.path}-one", openapi_extra=XML_ALTERNATIVE)(labelled(kind.path)(one))


for _kind in KINDS:
    _routes(_kind)
