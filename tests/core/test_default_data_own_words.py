"""The default data is written in the project's own words: no text in its YAML files shares
ten or more consecutive words with the public texts the project started from.

Those texts are vendored in tests/fixtures/reference/ (copies of the shared reference folder:
the domain brief, the fact file, the labels brief and the Council's press release on the eighth
report), so the check runs from a clean clone. Words are compared after Unicode normalisation
and case folding, with punctuation, whitespace and web addresses ignored; citations (``sources``)
are not text and are not compared. The only phrases allowed through are official document titles,
and only in a ``title`` field: a document is named by its title, which cannot be paraphrased.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import yaml

from rapport.core.registry import registry

RUN = 10  # this many consecutive shared words is a copied phrase
REFERENCE = Path(__file__).parents[1] / "fixtures" / "reference"
NOT_TEXT = {"source", "sources"}  # citations: addresses and file names, not prose
OFFICIAL_TITLES = [
    # The title every joint progress report carries (third report on).
    "progress report on the implementation of the common set of proposals endorsed by EU and NATO Councils "
    "on 6 December 2016 and 5 December 2017",
    # Who signed the Warsaw declaration, as the titles of the declaration and of the Council's conclusions on it say.
    "by the President of the European Council, the President of the European Commission and the Secretary "
    "General of NATO",
]

_ADDRESS = re.compile(r"https?://\S+|\]\([^)]*\)")
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    text = _ADDRESS.sub(" ", unicodedata.normalize("NFKC", text).casefold())
    return _WORD.findall(text)


def strings(node, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, text) for every string in a parsed YAML or JSON document, citations left out."""
    if isinstance(node, dict):
        ident = next((f" ({k} {node[k]})" for k in ("ref", "key", "code", "ordinal") if k in node), "")
        for key, value in node.items():
            if key not in NOT_TEXT:
                yield from strings(value, f"{path}{ident}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from strings(value, f"{path}[{i}]")
    elif isinstance(node, str):
        yield path, node


def reference_runs(folder: Path = REFERENCE) -> dict[tuple[str, ...], str]:
    """Every run of RUN words in the reference texts, with the file it comes from."""
    runs: dict[tuple[str, ...], str] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix == ".json":
            texts = [t for _, t in strings(json.loads(path.read_text(encoding="utf-8")))]
        elif path.suffix in (".md", ".txt"):
            texts = [path.read_text(encoding="utf-8")]
        else:
            continue
        for text in texts:
            w = words(text)
            for i in range(len(w) - RUN + 1):
                runs.setdefault(tuple(w[i:i + RUN]), path.name)
    return runs


def shared_phrases(text: str, runs: dict[tuple[str, ...], str]) -> list[tuple[str, str]]:
    """The longest phrases of text that repeat a reference text, with the reference's name."""
    w = words(text)
    found: list[list[int]] = []
    for i in range(len(w) - RUN + 1):
        if tuple(w[i:i + RUN]) in runs:
            if found and i <= found[-1][1]:
                found[-1][1] = i + RUN
            else:
                found.append([i, i + RUN])
    return [(" ".join(w[a:b]), runs[tuple(w[a:a + RUN])]) for a, b in found]


def official_title(field: str, phrase: str) -> bool:
    return field.rsplit(".", 1)[-1] == "title" and any(
        f" {phrase} " in f" {' '.join(words(title))} " for title in OFFICIAL_TITLES)


def copied_phrases(dataset: Path, runs: dict[tuple[str, ...], str]) -> list[str]:
    problems = []
    for path in sorted(dataset.glob("*.yaml")):
        for field, text in strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            for phrase, source in shared_phrases(text, runs):
                if not official_title(field, phrase):
                    problems.append(f'{path.name} {field}: "{phrase}" ({len(phrase.split())} words, as in {source})')
    return problems


def test_the_default_data_copies_no_phrase_of_ten_words_from_the_reference_texts():
    problems = copied_phrases(registry["seed_datasets"]["eu_nato"], reference_runs())
    assert not problems, (f"{len(problems)} text(s) of the default data repeat {RUN} or more consecutive words "
                          "of a reference text; say them in the project's own words:\n" + "\n".join(problems))


# The check itself ------------------------------------------------------------------------


def test_the_reference_texts_are_vendored():
    names = {"domain-brief.md", "eu_nato_facts.json", "labels-brief.md", "seed-eighth-progress-report-press-release.txt"}
    assert names <= {p.name for p in REFERENCE.iterdir()}
    assert set(reference_runs().values()) == names  # each one is read and has text to compare


def test_a_copied_phrase_is_found_whatever_its_case_punctuation_and_spacing(tmp_path):
    (tmp_path / "periods.yaml").write_text(yaml.safe_dump({"periods": [{"ordinal": 8, "report": {"highlights": [
        {"text": "Staff met often. THE TWO ORGANISATIONS  have stepped-up their efforts and close interaction, "
                 "in the field of crisis management exercises!", "sources": ["not compared"]}]}}]}),
        encoding="utf-8")
    problems = copied_phrases(tmp_path, reference_runs())
    assert problems == ['periods.yaml periods[0] (ordinal 8).report.highlights[0].text: "the two organisations have '
                        'stepped up their efforts and close interaction in the field of crisis management exercises" '
                        '(18 words, as in seed-eighth-progress-report-press-release.txt)']


def test_nine_shared_words_pass_and_citations_are_not_compared(tmp_path):
    (tmp_path / "evidence.yaml").write_text(yaml.safe_dump({"formats": [{
        "key": "x", "description": "The two organisations have stepped up their efforts and then rested.",
        "sources": ["the two organisations have stepped up their efforts and close interaction in the field"]}]}),
        encoding="utf-8")
    assert copied_phrases(tmp_path, reference_runs()) == []


def test_an_official_title_passes_only_as_a_title(tmp_path):
    title = ("Ninth progress report on the implementation of the common set of proposals endorsed by EU and NATO "
             "Councils on 6 December 2016 and 5 December 2017")
    (tmp_path / "periods.yaml").write_text(yaml.safe_dump({"periods": [{"ordinal": 9, "report": {
        "title": title, "highlights": [{"text": title}]}}]}), encoding="utf-8")
    problems = copied_phrases(tmp_path, reference_runs())
    assert len(problems) == 1 and problems[0].startswith("periods.yaml periods[0] (ordinal 9).report.highlights[0].text")
