"""The API's writes on joint texts (the organisations' common text on a commitment for a period):
created, edited, approved and returned through ``rapport.contributions.services`` as on the
pages. Every joint text answers with an ``ETag`` (its version and state); an edit must send it
back in ``If-Match`` (428 without it, 412 when stale, nothing changed)."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import Schema, Status

from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.contributions.models import JointText
from rapport.core.errors import Conflict, InputError
from rapport.markings.querysets import get_visible_or_404
from rapport.periods.models import ReportingPeriod

from .records import KINDS, _answers, _queryset
from .resources import ERRORS, ID, Int, etag, router
from .schemas import Problem
from .writes import PreconditionFailed, StepIn, _level, _organisations, check_if_match

KIND = next(k for k in KINDS if k.model is JointText)
JointTextOut = KIND.out


class JointTextIn(Schema):
    commitment: int
    period: int  # the period's ordinal in the commitment's partnership
    text: str
    classification: str  # a level of the writer's scheme, by name or abbreviation
    releasable_to: list[str] = []  # organisation keys: every organisation of the partnership, above PUBLIC
    language: str | None = None  # the text's language, "en" (the default) or "fr"
    translations: dict[str, dict[str, str]] | None = None  # {"fr": {"text": "…"}}: the other language only


class JointTextEdit(Schema):
    """The text, and its language and translation (left out: kept). Any edit is a new version."""

    text: str
    language: str | None = None
    translations: dict[str, dict[str, str]] | None = None  # replaces the translations; {} removes them


def _reread(user, pk: int) -> JointText:
    return get_visible_or_404(_queryset(KIND, user), user, pk=pk)


def _answer(response: HttpResponse, user, pk: int) -> dict:
    current = _reread(user, pk)
    response["ETag"] = etag(current)
    return _answers(KIND, user, [current])[0]


@router.post("/joint-texts", response={201: JointTextOut, **ERRORS, 409: Problem},
             summary="Write the joint text of a commitment for a period", url_name="joint-text-create")
def create(request, data: JointTextIn, response: HttpResponse):
    user = request.auth
    commitment = get_visible_or_404(Commitment.objects.select_related("partnership"), user, pk=data.commitment)
    period = ReportingPeriod.objects.filter(partnership=commitment.partnership_id, ordinal=data.period).first()
    if period is None:
        raise InputError(f"the partnership has no period {data.period}", field="period")
    made = services.create_joint_text(actor=user, commitment=commitment, period=period, text=data.text,
                                      classification=_level(user, data.classification),
                                      releasable_to=_organisations(data.releasable_to),
                                      language=data.language, translations=data.translations)
    return Status(201, _answer(response, user, made.pk))


@router.patch("/joint-texts/{id}", response={200: JointTextOut, **ERRORS, 409: Problem, 412: Problem,
                                               428: Problem},
              summary="Edit a joint text (If-Match: its ETag); the approvals given are cleared",
              url_name="joint-text-edit")
def edit(request, data: JointTextEdit, response: HttpResponse, id: Int = ID):
    user = request.auth
    current = _reread(user, id)
    check_if_match(request, current, required=True, noun="joint text")
    try:
        services.edit_joint_text(actor=user, joint_text=current, base_version=current.version, text=data.text,
                                 language=data.language, translations=data.translations)
    except Conflict as exc:  # changed between the read above and the locked re-read
        raise PreconditionFailed(412, str(exc)) from None
    return _answer(response, user, id)


STEPS = {"approve": services.approve_joint_text, "return": services.return_joint_text}


def _step(name: str):
    def step(request, data: StepIn, response: HttpResponse, id: Int = ID):
        user = request.auth
        current = _reread(user, id)
        check_if_match(request, current, required=False, noun="joint text")
        STEPS[name](actor=user, joint_text=current, message=data.message)
        return _answer(response, user, id)

    step.__name__ = f"{name}_joint_text"
    return step


for _name, _summary in (("approve", "Approve a joint text for the caller's organisation (every organisation must)"),
                        ("return", "Return a joint text to its writers, saying why (clears every approval)")):
    router.post(f"/joint-texts/{{id}}/{_name}", response={200: JointTextOut, **ERRORS, 409: Problem, 412: Problem},
                summary=_summary, url_name=f"joint-text-{_name}")(_step(_name))
