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


def shown_language(obj, field: str = "") -> str:
    """The language of what a page in the active language shows of ``obj``: "" where it is the
    page's own, else the language it is written in.

    With a field, the field as ``text_for`` picks it (its translation into the page's language
    where the record holds one, else the original); without, the record as a whole (its own
    language unless it holds a translation into the page's). A record that says no language
    (commitments, evidence, reference data and their names) is in English, the default data's
    language; an area's or a mandate's French name (``translations``) counts as French."""
    if obj is None or obj == "":
        return ""
    if isinstance(obj, str):  # a language code: text known to be written in it (the comparison of reports)
        return "" if obj.split("-")[0] == (get_language() or ORIGINAL_LANGUAGE).split("-")[0] else obj
    if field:
        return text_for(obj, field)[1]
    wanted = (get_language() or ORIGINAL_LANGUAGE).split("-")[0]
    original = (getattr(obj, "language", "") or ORIGINAL_LANGUAGE).split("-")[0]
    translations = getattr(obj, "translations", None)
    if original == wanted or (isinstance(translations, dict) and translations.get(wanted)):
        return ""
    return original


@register.filter
def lang_attr(obj, field: str = "") -> str:
    """``<td{{ commitment|lang_attr:"title" }}>``: a ``lang`` attribute (with its leading space)
    where the text shown of ``obj.field`` is in another language than the page's, else nothing;
    the one way pages tag record text and data names that are not in the reader's language.
    ``{{ "en"|lang_attr }}`` tags text the page knows to be in English whatever its language."""
    lang = shown_language(obj, field)
    return format_html(' lang="{}"', lang) if lang else ""


@register.filter
def local_text(obj, field: str) -> str:
    """``{{ commitment|local_text:"title" }}``: ``obj.field`` in the page's language where the
    record holds it so (``text_for``), else as written (to go with ``lang_attr``)."""
    if obj is None:
        return ""
    return text_for(obj, field)[0]
