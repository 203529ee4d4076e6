"""Comment threads: the thread shown on the page of a contribution, a joint text or a part
of the report (its edit page), and posting to it. Joint texts get a page of their own
here, with their thread.

The thread is read through ``Comment.objects.visible_to`` (the comment's own marking
and its subject's visibility now) and shown a page at a time. Posting goes through
``rapport.discussions.services.add_comment``: a subject the reader may not see is a
404 exactly like a missing one; a refusal or bad input is a clear message, the
user's text is kept and nothing is written. The form works without JavaScript; with
htmx it swaps the thread in place (``hx-select``, banners out of band).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rapport.access.policy import can
from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution, JointText, JointTextApproval
from rapport.contributions.rules import JointTextAction
from rapport.core.errors import InputError, NotFound, Refused
from rapport.discussions.models import Comment
from rapport.discussions.rules import DiscussionAction
from rapport.discussions.services import add_comment
from rapport.discussions.subjects import subject_of
from rapport.reports.models import CouncilAction, Highlight, Outlook, ReportText

from ..discussion_forms import CommentForm
from ..queries import the_partnership
from ..rendering import page, visible_or_404

THREAD_PAGE_SIZE = 30
SUBJECTS = {"contribution": Contribution, "joint-text": JointText}
PARTS = {"text": ReportText, "highlight": Highlight, "outlook": Outlook, "council-action": CouncilAction}


def thread(request, subject, form: CommentForm | None = None) -> dict:
    """The context of a subject's thread: one page of its visible comments (the last page
    unless ``?comments=N`` asks for another), and the form if the reader may comment."""
    user = request.user
    comments = (Comment.objects.about(subject).visible_to(user).with_marking().select_related("author")
                .order_by("created_at", "pk"))
    paginator = Paginator(comments, THREAD_PAGE_SIZE)
    wanted = request.GET.get("comments") or paginator.num_pages
    comments_page = paginator.get_page(wanted)
    decision = can(user, DiscussionAction.COMMENT, subject)
    if decision and form is None:
        form = CommentForm(user=user, subject=subject, partnership=the_partnership())
    return {"comments_page": comments_page, "comment_form": form if decision else None,
            "comment_refusal": "" if decision else decision.reason}


@login_required
@require_POST
def comment_add(request, kind: str, pk: int):
    """A comment on a contribution or a joint text."""
    if kind not in SUBJECTS:
        raise Http404
    subject = visible_or_404(SUBJECTS[kind].objects.select_related("period", "commitment").with_marking(),
                             request.user, pk=pk)
    return _post(request, subject)


@login_required
@require_POST
def part_comment_add(request, ordinal: int, kind: str, pk: int):
    """A comment on a highlight, an outlook item or a Council action of report ``ordinal``."""
    if kind not in PARTS:
        raise Http404
    qs = (PARTS[kind].objects.select_related("report", "report__period").with_marking()
          .filter(report__period__ordinal=ordinal, report__period__partnership=the_partnership()))
    return _post(request, visible_or_404(qs, request.user, pk=pk))


def _post(request, subject):
    user = request.user
    subject_url = subject_of(subject).url(subject)
    form = CommentForm(request.POST, user=user, subject=subject, partnership=the_partnership())
    error = ""
    if form.is_valid():
        try:
            comment = add_comment(actor=user, subject=subject, **form.service_kwargs())
        except NotFound as exc:
            raise Http404 from exc
        except InputError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        except Refused as exc:
            error = str(exc)
        else:
            messages.success(request, _("Comment posted."))
            return redirect(f"{subject_url}#comment-{comment.pk}")
    # Not posted: the page again, with the error, the user's text kept and nothing written.
    # (htmx swaps only successful answers, so it gets the same page with 200.)
    commitment_id = getattr(subject, "commitment_id", None)
    context = {"nav": "commitments" if commitment_id else "reports", "subject": subject, "subject_url": subject_url,
               "commitment": Commitment.objects.visible_to(user).filter(pk=commitment_id).first()
               if commitment_id else None,
               "error": error, **thread(request, subject, form)}
    if error:
        context["comment_form"] = None
        context["comment_refusal"] = error
    return page(request, "web/discussions/post.html", context, status=200 if request.htmx else 400,
                marked=[subject])


def federated_joint_text(joint_text, user, approvals) -> dict:
    """What the exchange with peers adds to a joint text's page: the open conflicts the reader
    may see, the author a peer named, and the peers' signed approvals."""
    from rapport.federation import joint_texts

    return {"conflicts": list(joint_texts.open_conflicts(joint_text, user)),
            "author": joint_texts.author_of(joint_text),
            "signed": joint_texts.signed_approvals(joint_text, approvals)}


def _url(url_name: str, subject) -> str:
    from django.urls import reverse

    return reverse(url_name, args=[subject.pk])


@login_required
def joint_text_detail(request, pk: int):
    user = request.user
    joint_text = visible_or_404(JointText.objects.select_related("commitment", "period", "author").with_marking(),
                                user, pk=pk)
    commitment = Commitment.objects.visible_to(user).filter(pk=joint_text.commitment_id).first()
    approvals = JointTextApproval.objects.filter(joint_text=joint_text).select_related("organisation", "approver")
    history = AuditEvent.objects.for_object(joint_text).visible_to(user).with_marking().order_by("-seq")[:50]
    allowed = {name: can(user, action, joint_text) for name, action in (
        ("edit", JointTextAction.EDIT), ("approve", JointTextAction.APPROVE), ("return", JointTextAction.RETURN))}
    return page(request, "web/discussions/joint_text.html", {
        "nav": "commitments", "joint_text": joint_text, "commitment": commitment, "approvals": approvals,
        "allowed": allowed, "exchange": federated_joint_text(joint_text, user, approvals),
        "history": history, "subject": joint_text, "thread_url": _url("joint-text-comment", joint_text),
        **thread(request, joint_text),
    })
