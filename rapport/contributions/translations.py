"""Kept for the imports that name it: the language of a text record and its translations live
in ``rapport.core.translations`` (a lower layer, so the evidence records can use them too)."""

from rapport.core.translations import (  # noqa: F401
    CODES,
    DEFAULT_LANGUAGE,
    LANGUAGE_CHOICES,
    NAMES,
    Translated,
    apply,
    clean_language,
    clean_translations,
)
