"""'rapport report', 'rapport summary' and 'rapport token' speak the command line's language: their
help, their errors and what they print are French under a French locale, and the same English as
before otherwise."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

NBSP = "\u00a0"

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_locale(monkeypatch):
    """LANG=fr_FR.UTF-8 and no variable before it, as a French-speaking officer's shell has."""
    from django.db import connections

    # A command run from the command line closes the database connections when it ends
    # (Django's run_from_argv); here that would close the test's own transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    yield monkeypatch
    translation.activate("en")


def rapport(*args) -> None:
    from rapport.cli import main

    main(["rapport", *args])


def test_report_help_is_french_under_a_french_locale(eu_nato, french_locale, capsys):
    with pytest.raises(SystemExit) as done:
        rapport("report", "--help")
    assert done.value.code == 0
    french = capsys.readouterr().out
    for text in ("Écrit le rapport d’étape conjoint d’une période pour une édition",
                 "Le numéro d’ordre de la période de rapport, p. ex. 8.",
                 f"actions{NBSP}:\n  (aucune) render{NBSP}: écrire une édition",
                 f"éditions{NBSP}:\n  public                        contenu PUBLIC uniquement",
                 f"éditions des données chargées{NBSP}:\n  eu-nato: public, ",
                 f"qui lit{NBSP}:\n  La commande lit comme le public",
                 f"langues{NBSP}:\n  en       anglais (par défaut)",
                 f"exemples{NBSP}:\n  rapport report --period 8 --edition public --format pdf --output out/\n"):
        assert text in french, text
    for english in ("Write the joint progress report", "editions:", "who reads:", "examples:"):
        assert english not in french

    french_locale.setenv("LANG", "en_GB.UTF-8")
    with pytest.raises(SystemExit):
        rapport("report", "--help")
    english = capsys.readouterr().out
    assert "Write the joint progress report of a period for one edition (audience) in one format." in english
    assert "\neditions of the loaded data:\n  eu-nato: public, " in english
    assert "\nexamples:\n  rapport report --period 8" in english and "exemples" not in english


def test_a_failing_report_call_says_why_in_french(eu_nato, french_locale, capsys, tmp_path):
    # render without --format
    with pytest.raises(SystemExit):
        rapport("report", "--period", "8", "--output", str(tmp_path))
    err = capsys.readouterr().err
    assert "render exige --format et --output." in err and "needs" not in err

    french_locale.setenv("LANG", "C.UTF-8")
    with pytest.raises(SystemExit):
        rapport("report", "--period", "8", "--output", str(tmp_path))
    assert "render needs --format and --output." in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def report_error(language: str, *args) -> str:
    with translation.override(language), pytest.raises(CommandError) as failure:
        call_command("report", *args, stdout=io.StringIO())
    return str(failure.value)


def test_the_reports_errors_in_both_languages(eu_nato, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    cases = [
        (["--period", "8", "--user", "nobody"], "Aucun compte actif 'nobody'.", "No active account 'nobody'."),
        (["seal", "--period", "8"], f"seal exige --user{NBSP}: le coordinateur ou l’approbateur qui scelle.",
         "seal needs --user: the coordinator or approver who seals."),
        (["verify", "--period", "8"], "verify exige le fichier à vérifier (FILE).", "verify needs the FILE to check."),
        (["--period", "8", "--format", "md", "--output", str(not_a_folder)],
         f"--output {not_a_folder}{NBSP}: ce n’est pas un dossier.", f"--output {not_a_folder}: not a folder."),
        (["diff", "--period", "8", "--format", "pdf"], "Indiquez --output pour écrire une comparaison au format pdf.",
         "Give --output to write a pdf comparison."),
    ]
    for args, french, english in cases:
        assert report_error("fr", *args) == french
        assert report_error("en", *args) == english


def test_sealing_and_verifying_speak_french(make_user, tmp_path):
    coordinator = make_user(org="eu", role="coordinator", clearance=0)
    out = io.StringIO()
    with translation.override("fr"):
        call_command("report", "seal", "--period", "8", "--format", "md", "--user", coordinator.username, stdout=out)
        call_command("report", "--period", "8", "--format", "md", "--output", str(tmp_path), stdout=out)
    sealed, written = out.getvalue().splitlines()
    assert sealed.startswith("scellé public md   en ") and sealed.endswith("  eu-nato-report-08-public.md")
    path = tmp_path / "eu-nato-report-08-public.md"
    assert written == str(path.resolve())

    verified = io.StringIO()
    with translation.override("fr"):
        call_command("report", "verify", str(path), "--period", "8", stdout=verified)
    assert verified.getvalue().startswith(f"OK{NBSP}: {path} est l’édition public scellée (md) de la période 8, "
                                          f"scellée le ")
    assert f" par {coordinator.username}{NBSP}; SHA-256 " in verified.getvalue()

    path.write_bytes(path.read_bytes() + b"\n")
    assert report_error("fr", "verify", str(path), "--period", "8").startswith(
        f"{path} n’est PAS l’édition public scellée de la période 8 (son SHA-256 est ")
    assert report_error("en", "verify", str(path), "--period", "8").startswith(
        f"{path} is NOT the sealed public edition of period 8 (its SHA-256 is ")


def test_the_token_command_in_french(make_user, capsys):
    user = make_user(org="nato", role="reader", clearance=3)
    with translation.override("fr"):
        call_command("token", "create", user.username, "--name", "suivi")
        created = capsys.readouterr().out
        call_command("token", "list", user.username)
        listed = capsys.readouterr().out
        with pytest.raises(CommandError) as nobody:
            call_command("token", "create", "nobody", "--name", "x")
        with pytest.raises(CommandError) as bad_days:
            call_command("token", "create", user.username, "--name", "x", "--days", "0")
    assert created.startswith("Jeton ") and "jusqu’au " in created
    assert f"Affiché cette seule fois{NBSP}:\nrpt_" in created
    assert "jusqu’au " in listed and "jamais utilisé" in listed and "suivi" in listed
    assert str(nobody.value) == "Aucun compte 'nobody'."
    assert str(bad_days.value).startswith("Rien n") and "modifié" in str(bad_days.value)

    with translation.override("en"):
        call_command("token", "list", user.username)
    assert "never used" in capsys.readouterr().out


def test_argparse_and_djangos_own_words_are_french_too(eu_nato, french_locale, capsys):
    """No English around the French help: argparse's headings and errors, BaseCommand's options."""
    with pytest.raises(SystemExit):
        rapport("searchindex", "--help")
    french = capsys.readouterr().out
    assert french.startswith(f"utilisation{NBSP}: rapport searchindex")
    assert f"\noptions{NBSP}:\n" in french and "affiche ce message d’aide et quitte" in french
    assert "Niveau de détail" in french and "Reconstruit l’index de recherche" in french
    for english in ("usage:", "show this help", "Verbosity level", "Skip system checks", "Rebuild"):
        assert english not in french
    with pytest.raises(SystemExit):
        rapport("searchindex", "--bogus")
    assert f"erreur{NBSP}: arguments non reconnus{NBSP}: --bogus" in capsys.readouterr().err

    french_locale.setenv("LANG", "en_GB.UTF-8")
    with pytest.raises(SystemExit):
        rapport("searchindex", "--help")
    english = capsys.readouterr().out
    assert english.startswith("usage: rapport searchindex") and "show this help message and exit" in english
