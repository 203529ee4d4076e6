"""The language of one's own pages, kept on the account so that it follows its owner from
browser to browser (before the browser's Accept-Language; docs/i18n.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from rapport.access.auditing import record_about_account
from rapport.access.models import User
from rapport.audit.verbs import Verb
from rapport.core.errors import InputError, Refused


@transaction.atomic
def choose_language(*, actor, user: User, language: str) -> bool:
    """Set the account's language; True if it changed (an audit entry then says from what to
    what). Only the account's owner chooses it."""
    if language not in dict(settings.LANGUAGES):
        raise InputError(_("unknown language %(language)s") % {"language": repr(language)}, field="language")
    if not getattr(actor, "is_authenticated", False) or actor.pk != user.pk:
        raise Refused(_("Not allowed: only the account's owner chooses its language."))
    account = User.objects.select_for_update().get(pk=user.pk)
    before = account.language
    if before == language:
        return False
    account.language = language
    account.save(update_fields=["language"])
    user.language = language
    record_about_account(actor=actor, verb=Verb.USER_CHANGED, account=account,
                         before={"language": before}, after={"language": language},
                         message="language of the pages chosen by its owner")
    return True
