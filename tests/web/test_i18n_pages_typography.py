"""French typography on the pages: a no-break space before ':', ';', '!' and '?'. Punctuation
written in a template outside its translated strings (``{% translate "Period" %}:``, a colon
after ``{% endblocktranslate %}`` or after a name) would be the same in both languages; it
belongs in the translated string, where the French translation puts the space before it."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import polib
import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2] / "rapport"
TEMPLATES = [ROOT / "templates", ROOT / "web" / "templates"]
# Every French catalogue: the project's, the pages', and each app's (the command line's, the
# e-mails', the refusals').
CATALOGUES = sorted(ROOT.rglob("locale/fr/LC_MESSAGES/django.po"))

MARKUP = re.compile(r"<!--.*?-->|<[^<>]*>|&#?\w+;", re.S)
# Sentence punctuation: followed by a space or the end of the text (not "https://", "?page=").
PUNCTUATION = re.compile(r"[:;!?](?=\s|$)")
# In a template, followed by a space or markup: a "?" ending a piece of text is an address's
# query string that a variable completes (href="…{% if q %}?{{ q }}{% endif %}").
IN_TEMPLATE = re.compile(r"[:;!?](?=\s)")
NO_BREAK = ("\u00a0", "\u202f")


def untranslated_punctuation(source: str) -> list[str]:
    """The sentence punctuation a template writes outside its translated strings."""
    found, inside, comment = [], False, False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = (token.contents.split() or [""])[0]
            inside = {"blocktranslate": True, "blocktrans": True, "endblocktranslate": False,
                      "endblocktrans": False}.get(name, inside)
            comment = {"comment": True, "endcomment": False}.get(name, comment)
            continue
        if token.token_type != TokenType.TEXT or inside or comment:
            continue
        # A tag cut by a template tag (<a href="{% url … %}?x">) leaves a piece of attribute behind.
        text = MARKUP.sub(" ", token.contents)
        text = re.sub(r"^[^<]*?>", " ", text) if "<" not in text.split(">")[0] and ">" in text else text
        text = re.sub(r"<[^>]*$", " ", text)
        found += [f"line {token.lineno}: …{text[max(0, m.start() - 20):m.end() + 5].strip()}…"
                  for m in IN_TEMPLATE.finditer(text)]
    return found


def test_the_scan_finds_punctuation_outside_translations():
    assert untranslated_punctuation('{% load i18n %}<th>{% translate "Period" %}:</th>')
    assert untranslated_punctuation("{% blocktranslate %}Period{% endblocktranslate %}: {{ x }}")
    assert untranslated_punctuation("<li>{{ org }}: {% translate 'approved' %}</li>")
    assert untranslated_punctuation("{% endif %}; {% translate 'required' %}")
    assert not untranslated_punctuation("{% blocktranslate %}{{ label }}: {{ value }}{% endblocktranslate %}")
    assert not untranslated_punctuation('<a href="{% url "x" %}?page=2">2</a> <a href="https://example.org/">x</a>')
    assert not untranslated_punctuation("<pre>rapport peer key &gt; eu.pem</pre>")
    assert not untranslated_punctuation('<a href="/x/{% if q %}?{{ q }}{% endif %}">x</a>')


@pytest.mark.parametrize("folder", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_keep_punctuation_inside_translated_strings(folder):
    problems = {str(path.relative_to(ROOT)): found for path in sorted(folder.rglob("*.html"))
                if (found := untranslated_punctuation(path.read_text()))}
    assert problems == {}


# Code is written as the machine reads it: <code>, a JSON shape ({"fr": {"name": …}}), an HTTP header.
CODE = re.compile(r"<code>.*?</code>|\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}|Authorization: Bearer", re.S)


def french_spacing_errors(text: str) -> list[str]:
    text = CODE.sub(" ", text)
    return [text[max(0, m.start() - 20):m.end()] for m in PUNCTUATION.finditer(text)
            if m.start() == 0 or text[m.start() - 1] not in NO_BREAK]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_french_translations_put_a_no_break_space_before_punctuation(path):
    problems = []
    for entry in polib.pofile(str(path)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            problems += [(entry.msgid[:60], bad) for bad in french_spacing_errors(text)]
    assert problems == []


def test_the_catalogues_are_every_french_catalogue():
    assert len(CATALOGUES) > 10 and ROOT / "reports" / "locale" / "fr" / "LC_MESSAGES" / "django.po" in CATALOGUES
    assert french_spacing_errors("Rien : fait") == ["Rien :"] and french_spacing_errors("Rien\u00a0: fait") == []
    assert french_spacing_errors('par exemple {"fr": {"name": "…"}}') == []


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_french_translations_use_the_typographic_apostrophe(path):
    """"l’organisation", as the pages write it, not "l'organisation"."""
    problems = [(entry.msgid[:60], text[max(0, m.start() - 20):m.end() + 5])
                for entry in polib.pofile(str(path)) for text in [entry.msgstr, *entry.msgstr_plural.values()]
                for m in re.finditer(r"(?<=\w)'(?=\w)", text)]
    assert problems == []


@pytest.mark.django_db
def test_french_pages_space_their_punctuation(make_user, signed_in, write, commitments, open_period):
    author = make_user(org="nato", role="drafter", clearance="NATO RESTRICTED")
    write(author, commitments[0], "Staff talks were held.", submit=True)
    user = make_user(org="nato", role="coordinator", clearance="NATO CONFIDENTIAL")
    user.language = "fr"
    user.save(update_fields=["language"])
    client = signed_in(user)

    listing = client.get(f"/commitments/?period={open_period.ordinal}").content.decode()
    assert "\u00a0; appréciations de la période" in listing
    assert "\u00a0; avec le texte intégral des contributions de la période\u00a0:" in listing

    periods = lxml.html.fromstring(client.get("/periods/").content.decode())
    deadlines = [span.text_content() for span in periods.xpath("//td/span[@class='nowrap']")]
    assert deadlines and all("\u00a0: " in d for d in deadlines)

    line = lxml.html.fromstring(client.get("/dashboard/").content.decode()).xpath("//p[contains(@class, 'deadlines-line')]")
    assert line and "\u00a0: " in line[0].text_content() and line[0].text_content().startswith("Période")
