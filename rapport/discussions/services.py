"""The only writer of comments: ``add_comment``.

In one transaction it asks the policy (NotFound for a subject the actor may not
see, as if it did not exist), re-reads and locks the subject and asks again (its
period may have closed meanwhile), validates the text and the marking, writes the
comment, and appends an audit entry. Users named with ``@username`` who may read
the comment are notified; nobody else is, and the notification carries only a title
its recipient may read and a link.
"""

from __future__ import annotations

import re

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.access.marking_rules import check_marking
from rapport.access.models import User
from rapport.access.policy import require
from rapport.audit.record import record, snapshot
from rapport.audit.verbs import Verb
from rapport.commitments.models import Commitment
from rapport.core.errors import InputError
from rapport.core.text import clean_text
from rapport.notifications.choices import Kind
from rapport.notifications.services import notify
from rapport.partnerships.models import Partnership

from .models import COMMENT_MAX_LENGTH, Comment
from .rules import DiscussionAction
from .subjects import subject_of

# The audit verb of a new comment (a string: audit.verbs.Verb is the audit app's, with its migration).
COMMENT_ADDED = Verb.COMMENT_ADDED
# '@' at the start or after a space or an opening bracket, then a Django username.
MENTION = re.compile(r"(?:^|(?<=[\s(\[]))@([\w.@+-]{1,150})")
MAX_MENTIONS = 20  # one comment notifies at most this many people


def mentioned_usernames(text: str) -> list[str]:
    """The usernames a text names with '@', in order, once each (trailing punctuation dropped)."""
    found: list[str] = []
    for match in MENTION.finditer(text):
        name = match.group(1).rstrip(".,;:!?)]")
        if name and name not in found:
            found.append(name)
    return found[:MAX_MENTIONS]


def _reload(obj):
    model = type(obj)
    qs = model.objects.select_for_update() if transaction.get_connection().features.has_select_for_update else model.objects
    return qs.get(pk=obj.pk)


def _ids(values) -> set[int]:
    return {getattr(v, "pk", v) for v in values}


def check_comment_marking(*, actor, subject, partnership, classification, releasable_to) -> None:
    """A comment is marked at least as high as the text it discusses, in the writer's own
    scheme and within their clearance, and released only to organisations the text is
    released to (for a PUBLIC text: organisations of the partnership)."""
    if classification is None:
        raise InputError(_("choose a marking for the comment"), field="classification")
    if classification.rank < subject.classification.rank:
        raise InputError(_("a comment is marked at least as high as the text it discusses (%(level)s)")
                         % {"level": subject.classification.name}, field="classification")
    check_marking(actor=actor, partnership=partnership, classification=classification, releasable_to=releasable_to)
    if classification.rank > 0 and subject.classification.rank > 0:
        beyond = _ids(releasable_to) - set(subject.releasable_to.values_list("pk", flat=True))
        if beyond:
            names = ", ".join(sorted(o.short_name for o in partnership.organisations.filter(pk__in=beyond)))
            raise InputError(_("a comment can be released only to organisations the text it discusses is "
                               "releasable to (remove %(names)s)") % {"names": names}, field="releasable_to")


@transaction.atomic
def add_comment(*, actor, subject, text, classification, releasable_to) -> Comment:
    require(actor, DiscussionAction.COMMENT, subject)
    current = _reload(subject)
    require(actor, DiscussionAction.COMMENT, current)  # its period may have closed meanwhile
    text = clean_text(text, field="text", required=True, max_length=COMMENT_MAX_LENGTH, what=gettext_lazy("the comment"))
    releasable_to = list(releasable_to or [])
    partnership = Partnership.objects.get(pk=subject_of(current).partnership_id(current))
    check_comment_marking(actor=actor, subject=current, partnership=partnership, classification=classification,
                          releasable_to=releasable_to)
    comment = Comment(content_type=ContentType.objects.get_for_model(current, for_concrete_model=False),
                      object_pk=current.pk, author=actor, text=text, classification=classification)
    comment.full_clean()
    comment.save()
    comment.releasable_to.set(releasable_to)
    record(actor=actor, verb=COMMENT_ADDED, obj=comment, after=snapshot(comment))
    notify_mentions(actor=actor, comment=comment, subject=current)
    return comment


def notify_mentions(*, actor, comment: Comment, subject) -> list:
    """Notify each user the comment names who may read it (and only those)."""
    names = mentioned_usernames(comment.text)
    if not names:
        return []
    sent = []
    info = subject_of(subject)
    url = info.url(subject) + f"#comment-{comment.pk}"
    for user in User.objects.filter(username__in=names, is_active=True).exclude(pk=actor.pk):
        if not Comment.objects.visible_to(user).filter(pk=comment.pk).exists():
            continue  # a name the comment may not reach learns nothing of it
        result = notify(user, kind=Kind.MENTION, subject=comment, title=_title_for(user, subject, info), url=url,
                        dedupe_key=f"mention:{comment.pk}:{user.pk}", actor=actor)
        if result is not None:
            sent.append(result)
    return sent


def _title_for(reader, subject, info):
    """A title the reader may read (the commitment's reference only if they may read the commitment),
    as a callable: ``notify`` makes it in each language, the reader's own for the e-mail."""
    commitment_id = getattr(subject, "commitment_id", None)
    ref = (Commitment.objects.visible_to(reader).filter(pk=commitment_id).values_list("ref", flat=True).first()
           if commitment_id else None)

    def title() -> str:
        noun = str(info.noun(subject))
        if ref:
            return _("You were mentioned in a comment on %(subject)s on %(ref)s") % {"subject": noun, "ref": ref}
        return _("You were mentioned in a comment on %(subject)s") % {"subject": noun}

    return title
