"""The language a notice and its e-mail are written in: the recipient's own choice
(``User.language``, set with the switch on the pages), else the installation's default."""

from __future__ import annotations

from django.conf import settings


def language_of(user) -> str:
    chosen = getattr(user, "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
