"""The translation catalogues are complete, compile, and hold exactly what the source marks.

Every ``django.po`` under rapport/ (the project's rapport/locale and each app's locale/) is
checked: no untranslated or fuzzy message, ``msgfmt --check`` passes (Debian's gettext, which
scripts/setup installs), every translation keeps its message's placeholders. Then Django's
``makemessages`` is run on a copy of rapport/ in which every app without a locale folder is
given one: any marked string missing from its catalogue, any entry of a catalogue that the
source no longer marks, and any app that marks strings without a catalogue fails. An app
added later is covered as soon as it exists (see docs/i18n.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

RAPPORT = Path(__file__).resolve().parents[2] / "rapport"
DJANGO_ADMIN = Path(sys.executable).parent / "django-admin"
LANGUAGES = ["fr"]


def _catalogues() -> list[Path]:
    return sorted(p for p in RAPPORT.rglob("locale/*/LC_MESSAGES/django.po") if "__pycache__" not in p.parts)


CATALOGUES = _catalogues()
IDS = [str(p.relative_to(RAPPORT)) for p in CATALOGUES]


def _entries(po: polib.POFile):
    return [e for e in po if not e.obsolete]


def test_there_are_catalogues():
    assert RAPPORT / "locale/fr/LC_MESSAGES/django.po" in CATALOGUES
    assert RAPPORT / "web/locale/fr/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_every_message_is_translated(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in po.fuzzy_entries() if not e.obsolete]
    assert not untranslated, f"{path}: untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{path}: fuzzy (check the translation, then remove the flag): {fuzzy[:20]}"
    assert not po.metadata_is_fuzzy, f"{path}: the header is marked fuzzy"
    assert po.metadata.get("Language") == path.parts[-3], f"{path}: the header's Language"
    obsolete = [e.msgid for e in po.obsolete_entries()]
    assert not obsolete, f"{path}: obsolete entries left (makemessages --no-obsolete): {obsolete[:20]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_every_catalogue_compiles(path, tmp_path):
    done = subprocess.run(["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, f"{path} does not compile:\n{done.stderr}"
    assert "fuzzy" not in done.stderr and "untranslated" not in done.stderr, done.stderr


# %(name)s, %s, %d …, {name} and {0}; "%%" is a literal percent sign.
_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([sdifrxXeEgGc%])")
_NAMED = re.compile(r"%\(\w+\)\w")
_BRACE = re.compile(r"(?<!\{)\{(\w*)(?:[!:][^{}]*)?\}(?!\})")


def placeholders(text: str, flags) -> list[str]:
    found = []
    if "python-format" in flags:
        found += sorted(f"%({name}){kind}" if name else f"%{kind}"
                        for name, kind in _PERCENT.findall(text) if kind != "%")
    else:  # not a format for xgettext, so a named placeholder must not appear in either
        found += sorted(_NAMED.findall(text))
    if "python-brace-format" in flags:
        found += sorted(f"{{{name}}}" for name in _BRACE.findall(text))
    return found


def _placeholder_problems(po: polib.POFile) -> list[str]:
    problems = []
    for e in _entries(po):
        if e.msgid_plural:
            wanted = [placeholders(e.msgid, e.flags), placeholders(e.msgid_plural, e.flags)]
            for n, text in sorted(e.msgstr_plural.items()):
                if placeholders(text, e.flags) not in wanted:
                    problems.append(f"{e.msgid_plural!r} [{n}]: {text!r}")
        elif placeholders(e.msgstr, e.flags) != placeholders(e.msgid, e.flags):
            problems.append(f"{e.msgid!r}: {e.msgstr!r}")
    return problems


@pytest.mark.parametrize("path", CATALOGUES, ids=IDS)
def test_translations_keep_their_placeholders(path):
    problems = _placeholder_problems(polib.pofile(str(path)))
    assert not problems, f"{path}: placeholders differ from the message's:\n  " + "\n  ".join(problems)


def test_the_placeholder_check_sees_a_lost_or_renamed_placeholder():
    po = polib.POFile()
    po.append(polib.POEntry(msgid="%(count)s days left in %(period)s", msgstr="%(count)s jours restants",
                            flags=["python-format"]))
    po.append(polib.POEntry(msgid="Version %(n)s", msgstr="Version %(num)s", flags=["python-format"]))
    po.append(polib.POEntry(msgid="%(n)s day", msgid_plural="%(n)s days",
                            msgstr_plural={0: "%(n)s jour", 1: "jours"}, flags=["python-format"]))
    po.append(polib.POEntry(msgid="Fine %(a)s", msgstr="Très bien %(a)s", flags=["python-format"]))
    assert len(_placeholder_problems(po)) == 3


def _key(e: polib.POEntry) -> tuple:
    return (e.msgctxt or "", e.msgid, e.msgid_plural or "")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """makemessages on a copy of rapport/, every app (and the project) given a locale folder."""
    copy = tmp_path_factory.mktemp("extract") / "rapport"
    shutil.copytree(RAPPORT, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    for app in [copy] + [p.parent for p in copy.glob("*/apps.py")]:
        (app / "locale").mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}  # no LOCALE_PATHS
    done = subprocess.run([str(DJANGO_ADMIN), "makemessages", "--no-obsolete", "--no-location"]
                          + [f"--locale={lang}" for lang in LANGUAGES],
                          cwd=copy, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return copy


def _compare(copy: Path) -> list[str]:
    problems = []
    found = sorted(copy.rglob("locale/*/LC_MESSAGES/django.po"))
    for fresh_path in found:
        rel = fresh_path.relative_to(copy)
        ours = RAPPORT / rel
        fresh = {_key(e) for e in _entries(polib.pofile(str(fresh_path)))}
        if not ours.exists():
            if fresh:
                problems.append(f"rapport/{rel.parts[0]} marks strings but has no catalogue rapport/{rel}: "
                                f"{sorted(fresh)[:5]}")
            continue
        kept = {_key(e) for e in _entries(polib.pofile(str(ours)))}
        if fresh - kept:
            problems.append(f"rapport/{rel}: marked in the source, missing here: {sorted(fresh - kept)[:20]}")
        if kept - fresh:
            problems.append(f"rapport/{rel}: no longer marked in the source: {sorted(kept - fresh)[:20]}")
    return problems


def test_every_marked_string_is_in_its_apps_catalogue(extracted):
    problems = _compare(extracted)
    assert not problems, ("Refresh the catalogues (docs/i18n.md) and translate:\n  " + "\n  ".join(problems))


def test_every_catalogue_was_extracted_again(extracted):
    """The copy has a catalogue for each of ours, so none escapes the comparison."""
    for path in CATALOGUES:
        assert (extracted / path.relative_to(RAPPORT)).exists(), path


def test_the_comparison_sees_a_new_string_and_a_new_app(tmp_path):
    copy = tmp_path / "rapport"
    for path in CATALOGUES:
        target = copy / path.relative_to(RAPPORT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    assert _compare(copy) == []
    web = polib.pofile(str(copy / "web/locale/fr/LC_MESSAGES/django.po"))
    web.append(polib.POEntry(msgid="A string nobody translated", msgstr=""))
    web.save()
    new_app = copy / "newapp/locale/fr/LC_MESSAGES/django.po"
    new_app.parent.mkdir(parents=True)
    po = polib.POFile()
    po.append(polib.POEntry(msgid="Hello", msgstr=""))
    po.save(str(new_app))
    problems = _compare(copy)
    assert any("missing here" in p and "A string nobody translated" in p for p in problems)
    assert any("rapport/newapp marks strings but has no catalogue" in p for p in problems)
