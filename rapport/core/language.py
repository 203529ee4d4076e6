"""The language of the command line, read from the environment as other programs read it.

``LANGUAGE`` (a colon-separated list), then ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``: the
first one set decides, as with GNU gettext; ``LANG=fr_FR.UTF-8 rapport periods`` prints
French. A language Rapport does not speak, ``C`` or ``POSIX``, or nothing set, gives the
installation's default language (English).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.conf import settings

VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def _code(locale_name: str) -> str:
    """'fr_FR.UTF-8@euro' → 'fr-fr'."""
    return locale_name.split(".")[0].split("@")[0].replace("_", "-").lower()


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    spoken = {code.lower() for code, _name in settings.LANGUAGES}
    for variable in VARIABLES:
        value = environ.get(variable, "")
        if not value:
            continue
        for candidate in value.split(":") if variable == "LANGUAGE" else [value]:
            code = _code(candidate)
            if code in ("c", "posix", ""):
                continue
            for option in (code, code.split("-")[0]):
                if option in spoken:
                    return option
        if variable != "LANGUAGE":
            break  # the first locale variable set decides, even when it names a language we lack
    return settings.LANGUAGE_CODE
