"""The languages a report is rendered in: English (the default) and French, NATO's two
official languages. A document declares its language as a BCP 47 tag (``Document.language``):
en-GB for English, as the reports have always said, fr for French."""

from __future__ import annotations

from contextlib import contextmanager

from django.utils import translation
from django.utils.translation import gettext as _

from rapport.core.errors import InputError

DEFAULT = "en"
LANGUAGES = {"en": "en-GB", "fr": "fr"}  # language → the tag the files declare


def check_language(value) -> str:
    """``value`` as a report language ("en" or "fr"), or an InputError naming the field."""
    code = value.strip().lower() if isinstance(value, str) else value
    if code not in LANGUAGES:
        raise InputError(_("no report language %(value)s (languages: %(languages)s)")
                         % {"value": repr(value), "languages": ", ".join(LANGUAGES)}, field="language")
    return code


def document_language(language: str) -> str:
    return LANGUAGES[language]


def language_of(doc) -> str:
    """The report language of a document (a document from before languages is English)."""
    code = (doc.language or DEFAULT).split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT


@contextmanager
def in_language_of(doc):
    """Render ``doc`` with the renderers' fixed words in its own language."""
    with translation.override(language_of(doc)):
        yield
