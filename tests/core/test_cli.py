"""The rapport commands: in-process through call_command on the suite's database
(SQLite or PostgreSQL), and as a real process against a fresh SQLite file."""

from __future__ import annotations

import json
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from rapport.audit.models import AuditEvent
from rapport.commitments.models import Commitment
from rapport.core.registry import registry

from .conftest import SQLITE_ONLY, Dataset, index_of, run_cli, sqlite_counts, sqlite_value


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


# commitments -----------------------------------------------------------------------------


def test_commitments_json_lists_all_74(eu_nato):
    rows = json.loads(run("commitments", "--json"))
    assert isinstance(rows, list) and len(rows) == 74
    for row in rows:
        assert {"ref", "area", "mandate", "title"} <= set(row)
        assert all(isinstance(row[k], str) and row[k] for k in ("ref", "area", "mandate", "title"))
    assert len({r["ref"] for r in rows}) == 74
    assert {r["mandate"] for r in rows} == {"set-2016", "set-2017"}
    assert sorted(r["ref"] for r in rows) == sorted(Commitment.objects.values_list("ref", flat=True))


def test_commitments_area_filter(eu_nato):
    rows = json.loads(run("commitments", "--json", "--area", "cyber"))
    assert len(rows) == 8
    assert {r["area"] for r in rows} == {"cyber"}
    table = run("commitments", "--area", "cyber")
    assert "8 commitment(s)." in table
    assert "2016-CYB-01" in table and "2016-HYB-01" not in table


def test_commitments_table_counts_all(eu_nato):
    assert run("commitments").strip().endswith("74 commitment(s).")


# members -----------------------------------------------------------------------------------


def test_members_of_nato_on_1_may_2023(eu_nato):
    out = run("members", "nato", on="2023-05-01")
    assert out.strip().splitlines()[-1] == "NATO had 31 member states on 2023-05-01."
    assert "Finland" in out and "since 2023-04-04" in out
    assert "Sweden" not in out


def test_members_of_the_eu_after_brexit(eu_nato):
    out = run("members", "eu", on="2020-02-01")
    assert "EU had 27 member states on 2020-02-01." in out
    assert "United Kingdom" not in out
    assert "United Kingdom" in run("members", "eu", on="2019-04-01")


# periods -------------------------------------------------------------------------------------


def test_periods_lists_twelve_periods_ten_published(eu_nato):
    lines = run("periods").strip().splitlines()
    assert len(lines) == 12
    assert all(line.endswith("Published") for line in lines[:10])
    assert "Report in preparation" in lines[10] and lines[10].endswith("no published report")
    assert "Open for contributions" in lines[11] and lines[11].endswith("no published report")
    assert lines[8].split()[1:4] == ["2023-06-01", "–", "2024-05-31"]


# audit verify ----------------------------------------------------------------------------------

AUDIT_TABLE = "audit_auditevent"


def test_audit_table_name_is_what_the_tamper_tests_use():
    assert AuditEvent._meta.db_table == AUDIT_TABLE


def test_audit_verify_succeeds_on_the_loaded_database(eu_nato):
    out = run("audit", "verify")
    assert out.strip() == f"Audit chain intact: {AuditEvent.objects.count()} entries verified."


def test_audit_verify_names_an_altered_entry(eu_nato):
    assert AuditEvent.objects.filter(seq=5).exists()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AUDIT_TABLE} SET object_repr='x' WHERE seq=5")
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert "entry #5" in str(exc.value)
    assert "altered" in str(exc.value)


def test_audit_verify_names_a_missing_entry(eu_nato):
    middle = AuditEvent.objects.count() // 2
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AUDIT_TABLE}_releasable_to WHERE auditevent_id IN "
                       f"(SELECT id FROM {AUDIT_TABLE} WHERE seq=%s)", [middle])
        cursor.execute(f"DELETE FROM {AUDIT_TABLE} WHERE seq=%s", [middle])
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert f"entry #{middle}" in str(exc.value)
    assert "missing" in str(exc.value)


def test_audit_verify_notices_a_forged_hash_that_breaks_the_link(eu_nato):
    """Recomputing one entry's hash after altering it still breaks the next entry's link."""
    from rapport.audit.chain import entry_hash

    event = AuditEvent.objects.get(seq=7)
    event.object_repr = "forged"
    forged = entry_hash(event, [])
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AUDIT_TABLE} SET object_repr='forged', hash=%s WHERE seq=7", [forged])
    with pytest.raises(CommandError, match="entry #8"):
        call_command("audit", "verify")


def test_audit_log_shows_public_entries(eu_nato):
    out = run("audit", "log", "--limit", "3")
    assert len(out.strip().splitlines()) == 3
    assert out.startswith(f"#{AuditEvent.objects.order_by('-seq').first().seq}")


# rapport check -----------------------------------------------------------------------------------


def test_rapport_check_passes_on_the_loaded_database(eu_nato):
    out = run("check")
    assert "Audit chain intact" in out
    assert "Data holds together." in out


def test_rapport_check_fails_on_a_broken_chain(eu_nato):
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AUDIT_TABLE} SET object_repr='x' WHERE seq=5")
    with pytest.raises(CommandError, match="Rapport check failed"):
        run("check")


# The rapport program itself ----------------------------------------------------------------------


def test_rapport_help_lists_the_commands(tmp_path):
    result = run_cli(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    for command in ("init", "serve", "check", "commitments", "load", "members", "periods", "audit"):
        assert command in listed
    assert listed.index("init") < listed.index("serve")


@SQLITE_ONLY
def test_rapport_init_twice_is_idempotent(tmp_path):
    db_file = tmp_path / "x.sqlite3"
    first = run_cli(tmp_path, "init")
    assert first.returncode == 0, first.stderr
    assert "Demo accounts created" in first.stdout
    users = sqlite_value(db_file, "SELECT count(*) FROM access_user")
    assert users > 0
    passwords = (tmp_path / "demo-passwords.txt").read_text(encoding="utf-8").splitlines()
    assert len(passwords) == users
    counts = sqlite_counts(db_file)

    second = run_cli(tmp_path, "init")
    assert second.returncode == 0, second.stderr
    assert "already up to date" in second.stdout
    assert "Demo accounts created" not in second.stdout
    assert sqlite_value(db_file, "SELECT count(*) FROM access_user") == users
    assert (tmp_path / "demo-passwords.txt").read_text(encoding="utf-8").splitlines() == passwords
    assert sqlite_counts(db_file) == counts

    verify = run_cli(tmp_path, "audit", "verify")
    assert verify.returncode == 0, verify.stderr
    assert "Audit chain intact" in verify.stdout


# A real process against its own SQLite file: exit status and true atomicity ---------------------


@pytest.fixture(scope="module")
def cli_db(tmp_path_factory):
    home = tmp_path_factory.mktemp("cli")
    result = run_cli(home, "init", "--no-demo-users")
    assert result.returncode == 0, result.stderr
    return home


@pytest.fixture
def cli_dataset(tmp_path) -> Dataset:
    folder = tmp_path / "broken"
    shutil.copytree(registry["seed_datasets"]["eu_nato"], folder)
    return Dataset(folder)


@SQLITE_ONLY
def test_cli_bad_load_exits_non_zero_and_writes_nothing(cli_db, cli_dataset):
    db_file = cli_db / "x.sqlite3"

    def edit(data):
        data["commitments"][index_of(data["commitments"], ref="2016-HYB-01")]["title"] = "Changed by a broken load"
    cli_dataset.edit("commitments.yaml", edit)
    cli_dataset.write("contributions.yaml", {"contributions": [{
        "organisation": "eu", "commitment": "2016-HYB-01", "period": 9, "narrative": "x",
        "assessment": "beyond", "marking": "PUBLIC"}]})
    before = sqlite_counts(db_file)

    result = run_cli(cli_db, "load", str(cli_dataset.folder), "--verbosity", "0")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "contributions.yaml" in result.stderr
    assert "record contributions[0] (eu on 2016-HYB-01, period 9)" in result.stderr
    assert "field 'assessment'" in result.stderr
    assert sqlite_counts(db_file) == before
    assert sqlite_value(db_file, "SELECT title FROM commitments_commitment WHERE ref=?", "2016-HYB-01") \
        != "Changed by a broken load"
    assert run_cli(cli_db, "audit", "verify").returncode == 0


@SQLITE_ONLY
def test_cli_good_load_of_the_same_edit_goes_in(cli_db, cli_dataset):
    """Control for the test above: the title edit alone is loaded by the same command."""
    db_file = cli_db / "x.sqlite3"

    def edit(data):
        data["commitments"][index_of(data["commitments"], ref="2016-HYB-02")]["title"] = "Changed by a good load"
    cli_dataset.edit("commitments.yaml", edit)
    result = run_cli(cli_db, "load", str(cli_dataset.folder), "--verbosity", "0")
    assert result.returncode == 0, result.stderr
    assert "updated 1 commitment" in result.stdout
    assert sqlite_value(db_file, "SELECT title FROM commitments_commitment WHERE ref=?", "2016-HYB-02") \
        == "Changed by a good load"
    assert run_cli(cli_db, "audit", "verify").returncode == 0


@SQLITE_ONLY
@pytest.mark.parametrize(("args", "expected"), [
    (["members", "xx"], "No organisation 'xx'"),
    (["members", "nato", "--on", "2023-99-01"], "--on must be a date as YYYY-MM-DD"),
    (["commitments", "--area", "nonsense"], "No area 'nonsense'"),
    (["load", "/nonexistent/dataset"], "no dataset folder at /nonexistent/dataset"),
])
def test_cli_bad_arguments_exit_non_zero_with_a_clear_message(cli_db, args, expected):
    result = run_cli(cli_db, *args)
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


@SQLITE_ONLY
def test_cli_audit_verify_fails_on_a_tampered_file(cli_db, tmp_path):
    import sqlite3

    copy = tmp_path / "tampered"
    copy.mkdir()
    for part in [*cli_db.glob("x.sqlite3*"), cli_db / "audit.key"]:
        shutil.copy(part, copy / part.name)
    with sqlite3.connect(copy / "x.sqlite3") as conn:
        conn.execute(f"UPDATE {AUDIT_TABLE} SET object_repr='x' WHERE seq=5")
    result = run_cli(copy, "audit", "verify")
    assert result.returncode != 0
    assert "entry #5" in result.stderr


@SQLITE_ONLY
def test_output_piped_into_a_command_that_stops_reading_ends_quietly(cli_db):
    import subprocess

    from .conftest import RAPPORT, cli_env

    # Enough lines to fill the pipe after 'head' has gone, so the write really fails.
    done = subprocess.run(f"'{RAPPORT}' audit log --limit 100000 | head -c 10", shell=True, env=cli_env(cli_db),
                          capture_output=True, text=True, timeout=180)
    assert done.stdout and "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
