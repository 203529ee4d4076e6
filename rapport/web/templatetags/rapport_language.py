"""The text of a record in the reader's language (``reports.records.text_for``, the one place
that picks it): its translation where it has one, else the original marked with its language."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from rapport.reports.records import ORIGINAL_LANGUAGE, text_for

register = template.Library()


@dataclass(frozen=True)
class Version:
    language: str
    text: str


@dataclass(frozen=True)
class Shown:
    text: str
    lang: str  # "" when the text is in the reader's language; else the language it is written in
    others: tuple[Version, ...]  # the record's other versions (the original, or its translations)


@register.simple_tag
def in_language(obj, field: str = "text") -> Shown:
    """``{% in_language contribution "narrative" as shown %}``: what a reader in the active
    language reads first, and the record's other versions."""
    wanted = (get_language() or ORIGINAL_LANGUAGE).split("-")[0]
    text, lang = text_for(obj, field, wanted)
    original = (getattr(obj, "language", "") or ORIGINAL_LANGUAGE).split("-")[0]
    versions = [Version(original, getattr(obj, field, "") or "")]
    translations = getattr(obj, "translations", None)
    if isinstance(translations, dict):
        versions += [Version(code, texts[field]) for code, texts in sorted(translations.items())
                     if isinstance(texts, dict) and isinstance(texts.get(field), str) and texts[field]]
    shown = lang or wanted
    return Shown(text, lang, tuple(v for v in versions if v.language != shown and v.text))


@register.simple_tag
def inline_text(obj, field: str = "text") -> str:
    """``{% inline_text highlight %}``: the text in the reader's language within a line (a list
    item); else the original, in a ``lang`` element with its language's mark. Escaped."""
    text, lang = text_for(obj, field)
    if not lang:
        return text
    return format_html('<span lang="{}">{} <span class="language-mark">({})</span></span>', lang, text, lang.upper())
