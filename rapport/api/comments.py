"""Comment threads on contributions and joint texts through the API: the comments the caller
may read (each under its own marking, and only while its subject is readable), and adding one
through ``rapport.discussions.services.add_comment`` as the pages do. A subject the caller may
not read answers 404 exactly as a missing one."""

from __future__ import annotations

import datetime

from ninja import Schema, Status

from rapport.contributions.models import Contribution, JointText
from rapport.discussions.models import Comment
from rapport.discussions.services import add_comment
from rapport.markings.querysets import get_visible_or_404

from . import pagination
from .resources import CURSOR, ERRORS, ID, LIMIT, Int, _marking, router
from .schemas import MarkingOut, Problem
from .writes import _level, _organisations


class CommentOut(Schema):
    id: int
    author: str  # the writer's name as the pages show it
    organisation: str | None  # the writer's organisation key
    text: str
    created_at: datetime.datetime
    marking: MarkingOut


class CommentPage(Schema):
    items: list[CommentOut]
    next: int | None


class CommentIn(Schema):
    text: str
    classification: str  # a level of the writer's scheme, at least the subject's marking
    releasable_to: list[str] = []  # organisation keys, among those the subject is releasable to


SUBJECTS = {"contributions": (Contribution, "contribution"), "joint-texts": (JointText, "joint text")}


def _subject(user, model, pk: int):
    return get_visible_or_404(model.objects.all(), user, pk=pk)


def _comment(c: Comment) -> dict:
    author = c.author
    return {"id": c.pk, "author": author.get_full_name() or author.username,
            "organisation": author.organisation.key if author.organisation_id else None,
            "text": c.text, "created_at": c.created_at, "marking": _marking(c)}


def _comments(user, subject):
    return (Comment.objects.about(subject).visible_to(user).with_marking()
            .select_related("classification__scheme", "author__organisation"))


def _routes(path: str, model, noun: str) -> None:
    def listing(request, id: Int = ID, cursor: Int | None = CURSOR, limit: Int = LIMIT):
        subject = _subject(request.auth, model, id)
        rows, nxt = pagination.page(_comments(request.auth, subject), cursor, limit)
        return {"items": [_comment(c) for c in rows], "next": nxt}

    def create(request, data: CommentIn, id: Int = ID):
        user = request.auth
        subject = _subject(user, model, id)
        made = add_comment(actor=user, subject=subject, text=data.text,
                           classification=_level(user, data.classification),
                           releasable_to=_organisations(data.releasable_to))
        return Status(201, _comment(get_visible_or_404(_comments(user, subject), user, pk=made.pk)))

    name = path.replace("-", "_")
    listing.__name__, create.__name__ = f"{name}_comments", f"{name}_comment_create"
    router.get(f"/{path}/{{id}}/comments", response={200: CommentPage, **ERRORS},
               summary=f"The comments on a {noun} the caller may read, oldest first",
               url_name=f"{path}-comments")(listing)
    router.post(f"/{path}/{{id}}/comments", response={201: CommentOut, **ERRORS, 409: Problem},
                summary=f"Comment on a {noun} (marked at least as high as it)",
                url_name=f"{path}-comment-create")(create)


for _path, (_model, _noun) in SUBJECTS.items():
    _routes(_path, _model, _noun)
