"""The language of a text record, and its translations into the other language.

A record that people write (a contribution, a joint text, a part of the report) or that the data
describes in words (a coordination format, a meeting, an exercise, a partner activity) says the
language it is written in (``language``) and may hold a translation of its text into the
other language (``translations``: {language code: {field name: text}}). A translation lives
in the same row as its original, so it has the original's marking by construction and can
never be more releasable than it, and it is approved with it: it is written only through
the record's own edit services, which ask the same permission as an edit of the original,
clean it as they clean the original, and record it in the same audit entry.

It lives in ``core`` so that every app with text records may use it (``evidence`` sits below
``contributions``); ``rapport.contributions.translations`` still names the same things.

``rapport.reports.records.text_for`` is the one place that picks a record's text for a
reader's language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rapport.core.errors import InputError
from rapport.core.text import LONG_TEXT, clean_text

LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]
CODES = tuple(code for code, _name in LANGUAGE_CHOICES)
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE.split("-")[0]
# The languages' names in the reader's language (in a sentence: "written in English").
NAMES = {"en": gettext_lazy("English"), "fr": gettext_lazy("French")}


def _code(language) -> str:
    return str(language or "").split("-")[0].lower()


class Translated(models.Model):
    """A record's language and the translations of its ``TRANSLATED`` fields."""

    TRANSLATED: tuple[str, ...] = ("text",)

    language = models.CharField(
        max_length=8, choices=LANGUAGE_CHOICES, default=DEFAULT_LANGUAGE,
        help_text=gettext_lazy("The language the text is written in."))
    translations = models.JSONField(
        default=dict, blank=True,
        help_text=gettext_lazy("The text in other languages, approved and marked with the original: "
                               "{language: {field: text}}."))

    class Meta:
        abstract = True

    def translation(self, field: str, language: str) -> str:
        """The text of ``field`` translated into ``language``, or ""."""
        found = (self.translations or {}).get(_code(language)) if isinstance(self.translations, dict) else None
        return (found or {}).get(field, "") if isinstance(found, dict) else ""


def clean_language(value, *, field: str = "language") -> str:
    """A language code Rapport knows ("en", "fr"), or a clear error naming the field."""
    code = _code(value)
    if code not in CODES:
        raise InputError(_("%(value)s is not a language Rapport knows (%(known)s)")
                         % {"value": repr(str(value)), "known": ", ".join(CODES)}, field=field)
    return code


def clean_translations(translations, *, language: str, fields: tuple[str, ...], what,
                       field: str = "translations", limits: dict[str, int] | None = None) -> dict:
    """The translations as stored: each language known and other than the record's own, each
    text cleaned with the original's limits (``limits``: a field's length where it is shorter
    than a long text, as a name is); an empty text is no translation."""
    if translations is None:
        return {}
    if not isinstance(translations, dict):
        raise InputError(_("give the translations as {language: {field: text}}"), field=field)
    cleaned: dict[str, dict[str, str]] = {}
    for code, texts in translations.items():
        if _code(code) not in CODES:
            raise InputError(_("%(value)s is not a language Rapport knows (%(known)s)")
                             % {"value": repr(str(code)), "known": ", ".join(CODES)}, field=field)
        code = _code(code)
        if not isinstance(texts, dict):
            raise InputError(_("give the translations as {language: {field: text}}"), field=field)
        kept = {}
        for name, text in texts.items():
            if name not in fields:
                raise InputError(_("%(name)s is not a text of this record that can be translated (%(fields)s)")
                                 % {"name": repr(str(name)), "fields": ", ".join(fields)}, field=field)
            text = clean_text(text, field=field, max_length=(limits or {}).get(name) or LONG_TEXT,
                              what=_("the translation of %(what)s") % {"what": what})
            if text:
                kept[name] = text
        if kept and code == language:
            raise InputError(_("the text is written in %(language)s: a translation must be into another language")
                             % {"language": NAMES.get(code, code)}, field=field)
        if kept:
            cleaned[code] = kept
    return cleaned


def apply(obj, *, language, translations, what) -> None:
    """Set a record's language and translations from a service's arguments (None keeps the
    current value) and check them together: a kept translation into the new language is refused,
    and so is an edit of an original whose translation stays as it was (``check_current``)."""
    if language is not None:
        obj.language = clean_language(language)
    kept = obj.translations if translations is None else translations
    obj.translations = clean_translations(kept, language=_code(obj.language), fields=type(obj).TRANSLATED, what=what,
                                          limits=limits(type(obj)))
    check_current(obj)


def check_current(obj) -> None:
    """A translation says what its original says: an edit that changes an original text and
    leaves its translation as stored is refused, so that a translation can never outlive the
    text it was written for (and a text re-marked lower never carries down the translation of
    a version marked higher). The editor changes the translation too, or empties it.

    ``obj`` holds the edit, not yet saved; the stored row is what it replaces."""
    if obj.pk is None:
        return
    model = type(obj)
    stored = model.objects.filter(pk=obj.pk).values(*model.TRANSLATED, "translations", "language").first()
    if stored is None:
        return
    old = stored["translations"] if isinstance(stored["translations"], dict) else {}
    for code, texts in (obj.translations or {}).items():
        for name, text in texts.items():
            changed = getattr(obj, name) != stored[name] or _code(obj.language) != _code(stored["language"])
            if changed and text == (old.get(code) or {}).get(name):
                raise InputError(
                    _("the text changed but its translation into %(language)s did not: change the translation "
                      "as well, or empty it (a translation says what its original says)")
                    % {"language": NAMES.get(code, code)}, field="translations")


def limits(model) -> dict[str, int]:
    """The length limits of a model's translated fields that have one (a name, a title)."""
    found = {name: getattr(model._meta.get_field(name), "max_length", None) for name in model.TRANSLATED}
    return {name: length for name, length in found.items() if length}
