"""The command line speaks the language of its environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG),
English by default."""

from __future__ import annotations

import subprocess

import pytest

from rapport.core.language import environment_language

from .conftest import RAPPORT, cli_env


@pytest.mark.parametrize(("environ", "language"), [
    ({}, "en-gb"),
    ({"LANG": "C.UTF-8"}, "en-gb"),
    ({"LANG": "POSIX"}, "en-gb"),
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"LANG": "fr_BE.UTF-8@euro"}, "fr"),
    ({"LANG": "fr_CA"}, "fr"),
    ({"LANG": "en_GB.UTF-8"}, "en-gb"),
    ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANGUAGE": "fr:en", "LANG": "en_GB.UTF-8"}, "fr"),
    ({"LANGUAGE": "xx:fr", "LANG": "en_GB.UTF-8"}, "fr"),
    ({"LC_MESSAGES": "fr_FR.UTF-8"}, "fr"),
])
def test_the_language_comes_from_the_first_variable_set(environ, language, settings):
    settings.LANGUAGE_CODE = "en-gb"
    settings.LANGUAGES = [("en", "English"), ("en-gb", "British English"), ("fr", "French")]
    assert environment_language(environ) == language


def _rapport(tmp_path, *args, **variables) -> subprocess.CompletedProcess:
    env = cli_env(tmp_path) | variables
    return subprocess.run([str(RAPPORT), *args], env=env, capture_output=True, text=True, timeout=120)


def test_help_is_french_under_a_french_locale_and_english_otherwise(tmp_path):
    french = _rapport(tmp_path, "--help", LANG="fr_FR.UTF-8")
    assert french.returncode == 0, french.stderr
    assert "Commandes\u00a0:" in french.stdout
    assert "Vérifier la configuration, les données et la chaîne d’audit." in french.stdout
    assert "Commands:" not in french.stdout

    english = _rapport(tmp_path, "--help")
    assert "Commands:" in english.stdout
    assert "Check the configuration, the data and the audit chain." in english.stdout
    assert "Commandes" not in english.stdout


def test_a_commands_own_help_and_errors_follow_the_locale(tmp_path):
    # A fresh data folder has no keys: 'rapport check' stops on its system checks.
    french = _rapport(tmp_path, "check", LANG="fr_FR.UTF-8")
    assert french.returncode != 0
    assert "Il n’y a pas de clé secrète." in french.stderr
    assert "There is no secret key." not in french.stderr

    english = _rapport(tmp_path, "check", LC_ALL="C.UTF-8", LANG="fr_FR.UTF-8")
    assert "There is no secret key." in english.stderr

    usage = _rapport(tmp_path, "init", "--help", LANGUAGE="fr", LANG="fr_FR.UTF-8")
    assert "Ne pas créer les comptes de démonstration." in usage.stdout


@pytest.mark.django_db
def test_a_data_command_prints_french_under_a_french_locale(eu_nato, monkeypatch, capsys):
    from django.db import connections
    from django.utils import translation

    from rapport.cli import main

    # A command run from the command line closes the database connections when it ends (Django's
    # run_from_argv); here that would close the test's own transaction (PostgreSQL refuses the rest).
    monkeypatch.setattr(connections, "close_all", lambda: None)

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    try:
        main(["rapport", "commitments", "--area", "cyber"])
        assert capsys.readouterr().out.strip().endswith("\n8 engagements.")
        with pytest.raises(SystemExit):
            main(["rapport", "commitments", "--area", "nowhere"])
        assert "Aucun domaine 'nowhere'. Domaines\u00a0: " in capsys.readouterr().err
        monkeypatch.setenv("LANG", "en_GB.UTF-8")
        main(["rapport", "commitments", "--area", "cyber"])
        assert capsys.readouterr().out.strip().endswith("\n8 commitment(s).")
    finally:
        translation.activate("en")


def test_a_loader_error_is_french_under_a_french_locale(monkeypatch, capsys, tmp_path):
    from django.utils import translation

    from rapport.cli import main

    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    missing = tmp_path / "nowhere"
    try:
        with pytest.raises(SystemExit):
            main(["rapport", "load", str(missing)])
        assert f"Rien n’a été chargé. aucun dossier de jeu de données à l’emplacement {missing}" in capsys.readouterr().err
    finally:
        translation.activate("en")
