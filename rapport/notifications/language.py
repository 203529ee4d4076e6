"""The language a notice and its e-mail are written in: the recipient's own choice
(``User.language``, set with the switch on the pages), else the installation's default.
A notice's title is also made in every other language, so its recipient reads it in the
language they use when they open the inbox."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import translation


def language_of(user) -> str:
    chosen = getattr(user, "language", "") or ""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def in_each_language(make: Callable[[], object]) -> dict[str, str]:
    """``make()`` called once under each language of ``settings.LANGUAGES``: the same words, for
    the same reader, in every language (a notice's titles)."""
    made = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            made[code] = str(make())
    return made
