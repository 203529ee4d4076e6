"""The API's writes: contributions created, edited, submitted, approved and returned through
the same services as the pages (``rapport.contributions.services``: the policy, validation,
the audit entry). Optimistic locking: every contribution answers with an ``ETag`` (its version
and state); an edit must send it back in ``If-Match`` (428 without it) and a stale one gets
412 with nothing changed; a workflow step checks it when it is sent."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpResponse
from ninja import Schema, Status
from pydantic import model_validator

from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.contributions.models import Contribution
from rapport.core.errors import Conflict, InputError
from rapport.markings.models import ClassificationLevel
from rapport.markings.querysets import get_visible_or_404
from rapport.partnerships.models import AssessmentValue, Organisation
from rapport.periods.models import ReportingPeriod

from .resources import (
    ERRORS,
    ID,
    Int,
    _contribution,
    _contributions,
    etag,
    readable_commitments,
    router,
)
from .schemas import ContributionOut, Problem

# The routes below join resources.router: a path answers its reads and writes from one place.


class ContributionIn(Schema):
    commitment: int
    period: int  # the period's ordinal in the commitment's partnership
    narrative: str
    assessment: str | None = None  # a key of the partnership's assessment scale
    classification: str  # a level of the writer's scheme, by name or abbreviation
    releasable_to: list[str] = []  # organisation keys
    language: str | None = None  # the narrative's language, "en" (the default) or "fr"
    translations: dict[str, dict[str, str]] | None = None  # {"fr": {"narrative": "…"}}: the other language only


class ContributionEdit(Schema):
    """A partial edit: a field left out keeps its value (send ``"assessment": null`` to clear it)."""

    narrative: str | None = None
    assessment: str | None = None
    classification: str | None = None
    releasable_to: list[str] | None = None
    language: str | None = None
    translations: dict[str, dict[str, str]] | None = None  # replaces the translations; {} removes them


class StepIn(Schema):
    message: str = ""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value):
        # A step's body is an object (or nothing); an array or a bare value is refused, not ignored.
        # (django-ninja hands a schema anything but a dict wrapped, its original in ``_obj``.)
        raw = getattr(value, "_obj", value)
        if raw is not None and not isinstance(raw, dict):
            raise ValueError("the body must be a JSON object")
        return value


class PreconditionFailed(Exception):
    def __init__(self, status: int, detail: str):
        self.status, self.detail = status, detail
        super().__init__(detail)


def _with_etag(response: HttpResponse, c: Contribution, user) -> dict:
    response["ETag"] = etag(c)
    return _contribution(c, readable_commitments(user, [c]))


def _reread(user, pk: int) -> Contribution:
    return get_visible_or_404(_contributions(user), user, pk=pk)


def check_if_match(request, current, *, required: bool, noun: str = "contribution") -> None:
    """The optimistic lock of any versioned record (its ETag is its version and state)."""
    given = request.headers.get("If-Match")
    if given is None:
        if required:
            raise PreconditionFailed(428, f"send the {noun}'s ETag in If-Match: an edit must say which "
                                          "version it starts from")
        return
    if given.strip() not in (etag(current), "*"):
        raise PreconditionFailed(412, f"the {noun} changed since you read it (now {etag(current)}); nothing "
                                      "was changed")


def _key(value, field: str) -> str:
    """A name or key the caller sends to pick a record (a level, an organisation, an assessment):
    one line of text, checked before it reaches a query (PostgreSQL refuses a NUL in text, and a lone
    surrogate cannot be encoded for any database)."""
    value = str(value)
    if len(value) > 200 or any(ord(ch) < 32 or ord(ch) == 127 or 0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise InputError("give a name as the list of values has it (no control characters, at most 200 "
                         "characters)", field=field)
    return value


def _level(user, name: str) -> ClassificationLevel:
    name = _key(name, "classification")
    scheme_id = user.organisation.scheme_id if user.organisation_id else None
    found = (ClassificationLevel.objects.filter(scheme_id=scheme_id).filter(Q(name=name) | Q(abbreviation=name))
             .first() if scheme_id and name else None)
    if found is None:
        raise InputError("name a level of your organisation's scheme", field="classification")
    return found


def _organisations(keys: list[str]) -> list[Organisation]:
    keys = [_key(k, "releasable_to") for k in keys]
    found = list(Organisation.objects.filter(key__in=keys))
    unknown = sorted(set(keys) - {o.key for o in found})
    if unknown:
        raise InputError(f"no organisation {unknown[0]!r}", field="releasable_to")
    return found


def _assessment(partnership, key: str | None):
    if key in (None, ""):
        return None
    key = _key(key, "assessment")
    found = AssessmentValue.objects.filter(scheme_id=partnership.assessment_scheme_id, key=key).first()
    if found is None:
        raise InputError(f"{key!r} is not on the partnership's assessment scale", field="assessment")
    return found


@router.post("/contributions", response={201: ContributionOut, **ERRORS, 409: Problem},
             summary="Write a contribution (a draft of the caller's organisation)", url_name="contribution-create")
def create(request, data: ContributionIn, response: HttpResponse):
    user = request.auth
    commitment = get_visible_or_404(Commitment.objects.select_related("partnership"), user, pk=data.commitment)
    period = ReportingPeriod.objects.filter(partnership=commitment.partnership_id, ordinal=data.period).first()
    if period is None:
        raise InputError(f"the partnership has no period {data.period}", field="period")
    made = services.create_contribution(
        actor=user, commitment=commitment, period=period, narrative=data.narrative,
        assessment=_assessment(commitment.partnership, data.assessment),
        classification=_level(user, data.classification), releasable_to=_organisations(data.releasable_to),
        language=data.language, translations=data.translations)
    return Status(201, _with_etag(response, _reread(user, made.pk), user))


@router.patch("/contributions/{id}", response={200: ContributionOut, **ERRORS, 409: Problem,
                                                412: Problem, 428: Problem},
              summary="Edit a contribution (If-Match: its ETag)", url_name="contribution-edit")
def edit(request, data: ContributionEdit, response: HttpResponse, id: Int = ID):
    user = request.auth
    current = _reread(user, id)
    check_if_match(request, current, required=True)
    sent = data.model_fields_set  # a field left out keeps its value
    for name in ("narrative", "classification", "releasable_to", "language", "translations"):
        if name in sent and getattr(data, name) is None:
            raise InputError(f"{name} cannot be null: leave it out to keep it", field=name)
    try:
        services.edit_contribution(
            actor=user, contribution=current, base_version=current.version,
            narrative=data.narrative if "narrative" in sent else current.narrative,
            assessment=(_assessment(current.commitment.partnership, data.assessment) if "assessment" in sent
                        else current.assessment),
            classification=_level(user, data.classification) if "classification" in sent else current.classification,
            releasable_to=(_organisations(data.releasable_to) if "releasable_to" in sent
                           else list(current.releasable_to.all())),
            language=data.language, translations=data.translations)  # None (left out) keeps them
    except Conflict as exc:  # changed between the read above and the locked re-read
        raise PreconditionFailed(412, str(exc)) from None
    return _with_etag(response, _reread(user, id), user)


STEPS = {"submit": services.submit_contribution, "approve": services.approve_contribution,
         "return": services.return_contribution}


def _step(name: str):
    def step(request, data: StepIn, response: HttpResponse, id: Int = ID):
        user = request.auth
        current = _reread(user, id)
        check_if_match(request, current, required=False)
        STEPS[name](actor=user, contribution=current, message=data.message)
        return _with_etag(response, _reread(user, id), user)

    step.__name__ = f"{name}_contribution"
    return step


for _name, _summary in (("submit", "Submit a draft to the organisation's approvers"),
                        ("approve", "Approve a submitted contribution (the caller's organisation)"),
                        ("return", "Return a submitted contribution to its writers, saying why")):
    router.post(f"/contributions/{{id}}/{_name}", response={200: ContributionOut, **ERRORS,
                                                             409: Problem, 412: Problem},
                summary=_summary, url_name=f"contribution-{_name}")(_step(_name))
