"""How text becomes search terms, the same on both databases.

A record's words are folded (lower case, accents and ligatures removed: "Défense",
"defense" and "DÉFENSE" are one word) and stemmed in English and in French with the
Snowball stemmers (PyStemmer), so "capacités" finds "capacité" and "defences" finds
"defence". A query is planned once (``plan``) and carried out by each database:
SQLite matches the plan against stems made here in Python, PostgreSQL against
``tsvector``s made by its own Snowball dictionaries behind ``unaccent``.

Each query word may be matched by any of its *alternatives*, each a sequence of one or
two folded words, the last a prefix:

- the word itself, and its British or American spelling ("defence"/"defense",
  "organisation"/"organization", "centre"/"center");
- split in two where a compound may be written as two words: "cyberdefense" also
  matches "cyber défense" and "cyber-defence", the two words side by side;
- joined with the word before or after it: the query "cyber défense" also matches
  "cyberdéfense".

Splits and joins only ever match words that stand side by side in a record, so they
add compounds, not noise; every word of the query must still be matched.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from dataclasses import dataclass

import Stemmer

# The languages a record is stemmed in. Records say their language and may hold a
# translation (contributions.translations), and the index holds both texts; each is
# stemmed in both languages, so that a record left at the default language while written
# in the other one is still found. ``languages_for`` is the one place that decides.
LANGUAGES = ("english", "french")

# Benchmarks only: RAPPORT_SEARCH_STEMMING=0 searches as before (folded words, prefixes,
# no stems, no compounds), to measure what stemming costs.
STEMMING = os.environ.get("RAPPORT_SEARCH_STEMMING", "1") != "0"

MAX_WORDS = 12
SPLIT_MIN_FIRST, SPLIT_MIN_SECOND, SPLIT_MIN_TYPED = 3, 4, 3  # "cyber"+"defense", never "a"+"bc"

# Letters that Unicode does not decompose but PostgreSQL's unaccent folds.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o",
                            "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "þ": "th", "Þ": "th"})
# What FTS5's unicode61 tokenizer treats as a token: letters and digits (not "_").
_WORD = re.compile(r"[^\W_]+")
# British and American spellings, tried both ways on a query word.
_SPELLINGS = (
    (re.compile(r"(def|off|lic|pret)ence"), r"\1ense"),
    (re.compile(r"(def|off|lic|pret)ense"), r"\1ence"),
    (re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{3})iz(e|ed|es|ing|ation|ations)$"), r"is\1"),
    (re.compile(r"(cent|met|theat|fib)re(s?)$"), r"\1er\2"),
    (re.compile(r"(cent|met|theat|fib)er(s?)$"), r"\1re\2"),
    (re.compile(r"(behavi|lab|harb|hon|neighb|endeav|col|fav)our"), r"\1or"),
    (re.compile(r"(behavi|lab|harb|hon|neighb|endeav|col|fav)or(?!y)"), r"\1our"),
)


def languages_for(language: str | None = None) -> tuple[str, ...]:
    """The stemmers a record's text goes through: its own language's when it says one
    ("en", "fr"), otherwise both."""
    by_code = {"en": ("english",), "fr": ("french",)}
    return by_code.get((language or "")[:2].lower(), LANGUAGES)


def fold(text: str) -> str:
    """Lower case without accents or ligatures, as PostgreSQL's unaccent and FTS5's
    ``remove_diacritics 2`` fold them."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text or ""))


_local = threading.local()


def _stemmer(language: str):
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = Stemmer.Stemmer(language)  # one per thread: a stemmer is not thread-safe
    return stemmers[language]


def stem_words(language: str, folded: list[str]) -> list[str]:
    return _stemmer(language).stemWords(folded)


def stems(language: str, text: str | None) -> str:
    """The text's words, folded and stemmed in ``language``, one stem per word in order
    (so that words side by side stay side by side)."""
    if not STEMMING or not text:
        return ""
    return " ".join(stem_words(language, words(text)))


def spellings(word: str) -> list[str]:
    found = [word]
    for pattern, replacement in _SPELLINGS:
        other = pattern.sub(replacement, word)
        if other not in found:
            found.append(other)
    return found


@dataclass(frozen=True)
class Alternative:
    """Folded words that must stand side by side, stemmed before they are matched; a
    ``prefix`` alternative's last word may be the start of a longer one."""
    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Word:
    """One query word: the folded word as typed (matched as a prefix of the words of the
    text as written, as before stemming) and its alternatives (matched against the stems)."""
    word: str
    alternatives: tuple[Alternative, ...]


def _splits(word: str, typing: bool = False) -> list[tuple[str, str]]:
    # The word being typed may end three letters into its second part ("cyberdéf").
    second = SPLIT_MIN_TYPED if typing else SPLIT_MIN_SECOND
    return [(word[:k], word[k:]) for k in range(SPLIT_MIN_FIRST, len(word) - second + 1)]


def plan(text: str) -> list[Word]:
    """The query's words (at most ``MAX_WORDS``), each with what may match it. Stems are
    matched whole ("militant" does not find "militaire"); a word still being typed is
    found as typed, a prefix of the words as written; and the splits of the query's last
    word and its join with the word before it are prefixes ("cyber déf" finds
    "cyberdéfense"). A spelling variant is always whole ("organize" stems to "organ")."""
    # Without stemming, as before: the query's words as typed (FTS5 folds them itself).
    typed = (words(text) if STEMMING else _WORD.findall((text or "").lower()))[:MAX_WORDS]
    last = len(typed) - 1
    planned = []
    for i, word in enumerate(typed):
        alternatives: list[Alternative] = []
        if STEMMING:
            for n, variant in enumerate(spellings(word)):
                alternatives.append(Alternative((variant,)))
                typing = i == last and n == 0
                alternatives.extend(Alternative(split, typing) for split in _splits(variant, typing))
            joins = ([(typed[i - 1] + word, i == last)] if i else []) + (
                [(word + typed[i + 1], i + 1 == last)] if i < last else [])
            for joined, typing in joins:
                alternatives.extend(Alternative((variant,), typing and n == 0)
                                    for n, variant in enumerate(spellings(joined)))
        planned.append(Word(word, tuple(dict.fromkeys(alternatives))))
    return planned
