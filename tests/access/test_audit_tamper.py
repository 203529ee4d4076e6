"""Tampering with the audit log by someone who holds the database (and, in some tests,
the audit key too), with raw SQL; each test names the defence that catches it.

docs/security.md has the table of these tamperings; every "detected" row there is one
test here or in test_audit.py.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import stat
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client, override_settings

from rapport.audit import checkpoints
from rapport.audit import verify as verify_module
from rapport.audit.chain import canonical_json, entry_payload
from rapport.audit.keys import audit_key
from rapport.audit.models import AuditEvent, AuditHead
from rapport.audit.record import record
from rapport.audit.verify import page_status, verify_chain
from rapport.core import secretfiles
from rapport.partnerships.models import Organisation

pytestmark = pytest.mark.django_db

EVENTS = "audit_auditevent"
RELEASABLE = "audit_auditevent_releasable_to"
HEAD = "audit_audithead"


def _sql(sql, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _write(n, label="entry"):
    eu = Organisation.objects.get(key="eu")
    return [record(actor=None, verb="record.updated", obj=eu, object_repr=f"{label} {i}", after={"i": i},
                   system_actor="tamper test") for i in range(n)]


def _delete_from(seq):
    """Delete every entry from ``seq`` on, as raw SQL does."""
    _sql(f"DELETE FROM {RELEASABLE} WHERE auditevent_id IN (SELECT id FROM {EVENTS} WHERE seq >= %s)", [seq])
    _sql(f"DELETE FROM {EVENTS} WHERE seq >= %s", [seq])


def _set_head(seq, hash_):
    _sql(f"UPDATE {HEAD} SET seq = %s, hash = %s WHERE id = 1", [seq, hash_])


def _hash_of(seq):
    return AuditEvent.objects.get(seq=seq).hash


def _broken(expected_seq, *words):
    status = verify_chain()
    assert not status.ok, "tampering was not detected: " + status.describe()
    assert status.first_bad_seq == expected_seq, status.describe()
    for word in words:
        assert word in status.problem, status.describe()
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify")
    assert (f"#{expected_seq}" if expected_seq else words[0]) in str(failed.value)
    return status


def _plain_sha256(payload):
    return hashlib.sha256(canonical_json(payload)).hexdigest()


def _rechain(from_seq, hasher):
    """What an attacker does after changing entry ``from_seq``: recompute its hash and every
    later one with ``hasher`` (and the next prev_hash), then the head row."""
    prev = AuditEvent.objects.get(seq=from_seq - 1).hash if from_seq > 1 else "0" * 64
    for event in AuditEvent.objects.filter(seq__gte=from_seq).order_by("seq").prefetch_related("releasable_to"):
        event.prev_hash = prev
        new = hasher(entry_payload(event, [o.key for o in event.releasable_to.all()]))
        _sql(f"UPDATE {EVENTS} SET prev_hash = %s, hash = %s WHERE seq = %s", [prev, new, event.seq])
        prev, last = new, event.seq
    _set_head(last, prev)


def _copy_row(source_seq, **changes):
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {EVENTS} WHERE seq = %s", [source_seq])
        columns = [c[0] for c in cur.description]
        row = dict(zip(columns, cur.fetchone(), strict=True))
    row = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()}
    row.update(changes)
    _sql(f"INSERT INTO {EVENTS} ({', '.join(row)}) VALUES ({', '.join(['%s'] * len(row))})", list(row.values()))


# The head row --------------------------------------------------------------------------------------


def test_deleted_head_row_is_detected(eu_nato):
    _write(5)
    _sql(f"DELETE FROM {HEAD}")
    _broken(None, "the head row is missing")


def test_rewritten_head_row_is_detected(eu_nato):
    last = _write(5)[-1]
    _set_head(last.seq, "e" * 64)
    _broken(last.seq, "head row does not name this entry's hash")


def test_after_the_head_row_is_deleted_writes_go_on_and_the_log_says_so(eu_nato):
    last = _write(5)[-1]
    _sql(f"DELETE FROM {HEAD}")
    new = _write(1, "after")[0]  # used to fail on every audited write
    restored = AuditEvent.objects.get(seq=last.seq + 1)
    assert restored.verb == "audit.head_restored" and restored.object_label == "audit.audithead"
    assert "was missing" in restored.message and restored.after == {"seq": last.seq, "hash": last.hash}
    assert new.seq == last.seq + 2 and new.prev_hash == restored.hash
    assert AuditHead.objects.get(pk=1).seq == new.seq
    status = verify_chain()
    assert status.ok, status.describe()
    assert any(f"Entry #{restored.seq}" in n and "missing" in n for n in status.notices)


def test_head_row_pointing_before_the_last_entry_is_rebuilt_too(eu_nato):
    made = _write(5)
    _set_head(made[1].seq, made[1].hash)  # writes would collide with the entries after it
    new = _write(1, "after")[0]
    assert new.seq == made[-1].seq + 2
    restored = AuditEvent.objects.get(seq=made[-1].seq + 1)
    assert restored.verb == "audit.head_restored" and restored.before["seq"] == made[1].seq
    assert verify_chain().ok


# The end of the log: the checkpoint file ------------------------------------------------------------


def test_deleted_last_rows_with_the_head_row_rewritten_are_caught_by_the_checkpoint(eu_nato):
    made = _write(6)
    checkpoints.write_current()
    keep = made[-4]
    _delete_from(keep.seq + 1)
    _set_head(keep.seq, keep.hash)
    _broken(keep.seq + 1, "checkpoint file", "removed from the end")


def test_deleted_last_rows_and_head_row_then_a_write_are_caught_by_the_checkpoint(eu_nato):
    made = _write(6)
    checkpoints.write_current()
    _delete_from(made[-3].seq)
    _sql(f"DELETE FROM {HEAD}")
    _write(3, "rewritten")  # head rebuilt; new entries reuse the deleted sequence numbers
    _broken(made[-1].seq, "does not match the checkpoint file")


def test_emptied_log_is_detected(eu_nato):
    _write(3)
    checkpoints.write_current()
    _sql(f"DELETE FROM {RELEASABLE}")
    _sql(f"DELETE FROM {EVENTS}")
    _sql(f"DELETE FROM {HEAD}")
    status = _broken(1, "log emptied")
    assert status.checked == 0
    _write(2, "a new log")  # starts again at #1
    _broken(3, "removed from the end")


def test_garbled_checkpoint_file_is_reported(eu_nato):
    _write(2)
    checkpoints.write_current()
    with open(checkpoints.path(), "a", encoding="utf-8") as f:
        f.write('{"seq": "twelve"}\n')
    _broken(None, "line 2 of the checkpoint file")


# Rewriting entries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("hasher", [
    pytest.param(_plain_sha256, id="plain-sha256"),
    pytest.param(lambda p: hmac.new(b"a guessed key", canonical_json(p), hashlib.sha256).hexdigest(), id="wrong-key"),
])
def test_changed_entry_with_later_hashes_recomputed_without_the_key_is_detected(eu_nato, hasher):
    made = _write(10)
    victim = made[3]
    _sql(f"UPDATE {EVENTS} SET message = %s WHERE seq = %s", ["nothing to see", victim.seq])
    _rechain(victim.seq, hasher)
    _broken(victim.seq, "content was altered")


def test_changed_entry_with_later_hashes_recomputed_with_the_key_is_caught_by_the_checkpoint(eu_nato):
    """Someone who stole the audit key but cannot write the checkpoint file."""
    made = _write(10)
    checkpoints.write_current()
    _write(2, "later")
    checkpoints.write_current()
    victim = made[3]
    _sql(f"UPDATE {EVENTS} SET message = %s WHERE seq = %s", ["nothing to see", victim.seq])
    _rechain(victim.seq, lambda p: hmac.new(audit_key(), canonical_json(p), hashlib.sha256).hexdigest())
    # Every hash fits the key now; the first checkpointed entry at or after the change does not.
    _broken(made[-1].seq, "does not match the checkpoint file")


def test_inserted_entry_is_detected(eu_nato):
    made = _write(8)
    at = made[4].seq
    _sql(f"UPDATE {EVENTS} SET seq = seq + 1000000 WHERE seq >= %s", [at])
    _sql(f"UPDATE {EVENTS} SET seq = seq - 999999 WHERE seq >= 1000000")
    forged = {"seq": at, "prev_hash": made[3].hash, "message": "inserted", "object_repr": "inserted"}
    forged_event = AuditEvent.objects.get(seq=at - 1)
    forged_event.__dict__.update(forged)
    _copy_row(at - 1, id=made[-1].pk + 1000, hash=_plain_sha256(entry_payload(forged_event, [])), **forged)
    _set_head(made[-1].seq + 1, made[-1].hash)
    _broken(at, "content was altered")


def test_reordered_entries_are_detected(eu_nato):
    made = _write(8)
    a, b = made[3].seq, made[4].seq
    _sql(f"UPDATE {EVENTS} SET seq = 1000000 WHERE seq = %s", [a])
    _sql(f"UPDATE {EVENTS} SET seq = %s WHERE seq = %s", [a, b])
    _sql(f"UPDATE {EVENTS} SET seq = %s WHERE seq = 1000000", [b])
    _broken(a, "does not follow the previous entry")


# The checkpoint file deleted: only a signed head kept elsewhere shows it ----------------------------


@pytest.fixture
def instance_key(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    assert secretfiles.INSTANCE_SIGNING_KEY.ensure()
    return tmp_path


def _signed_head(folder):
    out = StringIO()
    call_command("audit", "checkpoint", stdout=out)
    path = folder / "kept-by-the-other-organisation.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_checkpoint_file_deleted_and_tail_removed_is_caught_by_a_signed_head(eu_nato, instance_key):
    made = _write(6)
    checkpoints.write_current()
    kept = _signed_head(instance_key)
    keep = made[-3]
    _delete_from(keep.seq + 1)
    _set_head(keep.seq, keep.hash)
    checkpoints.path().unlink()
    # Not detected from this instance alone: the database, key and checkpoint file all agree.
    status = verify_chain()
    assert status.ok and any("no checkpoint file" in n for n in status.notices)
    with pytest.raises(CommandError, match=f"no entry #{made[-1].seq}"):
        call_command("audit", "verify", "--against", str(kept))


def test_signed_head_shows_a_log_rewritten_with_the_key(eu_nato, instance_key):
    made = _write(6)
    kept = _signed_head(instance_key)
    _sql(f"UPDATE {EVENTS} SET message = %s WHERE seq = %s", ["nothing to see", made[2].seq])
    _rechain(made[2].seq, lambda p: hmac.new(audit_key(), canonical_json(p), hashlib.sha256).hexdigest())
    assert verify_chain().ok  # the per-test checkpoint file is empty: nothing else to compare
    with pytest.raises(CommandError, match=f"entry #{made[-1].seq} has another hash"):
        call_command("audit", "verify", "--against", str(kept))


def test_signed_head_fits_an_intact_log_and_refuses_a_changed_file(eu_nato, instance_key):
    _write(3)
    kept = _signed_head(instance_key)
    head = json.loads(kept.read_text())
    assert head["seq"] == AuditHead.objects.get(pk=1).seq and head["partnerships"] == ["eu-nato"]
    assert head["instance_key"].startswith("sha256:")
    out = StringIO()
    call_command("audit", "verify", "--against", str(kept), stdout=out)
    assert "fits" in out.getvalue() and "intact" in out.getvalue()
    _write(2, "later")  # the log may grow after a head was signed
    call_command("audit", "verify", "--against", str(kept), stdout=StringIO())
    head["seq"] -= 1
    kept.write_text(json.dumps(head))
    with pytest.raises(CommandError, match="signature does not fit"):
        call_command("audit", "verify", "--against", str(kept))


def test_signed_head_of_another_instance_is_refused(eu_nato, instance_key, tmp_path_factory, settings):
    _write(2)
    kept = _signed_head(instance_key)
    settings.DATA_DIR = tmp_path_factory.mktemp("another-instance")
    secretfiles.INSTANCE_SIGNING_KEY.ensure()
    with pytest.raises(CommandError, match="not with this instance's key"):
        call_command("audit", "verify", "--against", str(kept))


@pytest.mark.parametrize(("content", "message"), [
    (None, "Cannot read"), ("{not json", "is not JSON"), ('{"format": "x"}', "not a signed audit head"),
])
def test_bad_signed_head_files_get_a_clear_error(eu_nato, instance_key, content, message):
    path = instance_key / "head.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("audit", "verify", "--against", str(path))


def test_checkpoint_command_refuses_to_sign_a_broken_chain(eu_nato, instance_key):
    made = _write(3)
    _sql(f"UPDATE {EVENTS} SET message = 'x' WHERE seq = %s", [made[1].seq])
    with pytest.raises(CommandError, match="Not signing a broken chain"):
        call_command("audit", "checkpoint", stdout=StringIO())


def test_checkpoint_command_needs_the_instance_key(eu_nato, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    with pytest.raises(CommandError, match="No instance signing key"):
        call_command("audit", "checkpoint", stdout=StringIO())


# Checkpoints are written after commit, one line per commit ------------------------------------------


def _lines():
    return [json.loads(line) for line in checkpoints.path().read_text().splitlines()]


def test_one_checkpoint_line_per_commit_and_none_for_rolled_back_entries(eu_nato, django_capture_on_commit_callbacks):
    class Undo(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            _write(3)
            kept = _write(1, "kept")[0]
            with pytest.raises(Undo), transaction.atomic():
                _write(2, "rolled back")  # its callback is dropped with the savepoint
                raise Undo
    assert _lines() == [{"seq": kept.seq, "hash": kept.hash, "at": _lines()[0]["at"]}]
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            with pytest.raises(Undo), transaction.atomic():
                _write(1, "rolled back")
                raise Undo
            after = _write(2, "after")[-1]
    assert [(line["seq"], line["hash"]) for line in _lines()][1:] == [(after.seq, after.hash)]
    assert stat.S_IMODE(os.stat(checkpoints.path()).st_mode) == 0o600
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_each_commit_writes_its_own_checkpoint_line(eu_nato):
    lines_before = len(_lines()) if checkpoints.path().exists() else 0
    with transaction.atomic():
        first = _write(2)[-1]
    with transaction.atomic():
        second = _write(2, "second")[-1]
    third = _write(1, "autocommit")[-1]
    assert [(line["seq"], line["hash"]) for line in _lines()[lines_before:]] == \
        [(e.seq, e.hash) for e in (first, second, third)]
    assert verify_chain().ok


def test_a_checkpoint_that_cannot_be_written_does_not_fail_the_write(eu_nato, settings, tmp_path, caplog,
                                                                      django_capture_on_commit_callbacks):
    (tmp_path / "a-file").write_text("")
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "a-file" / "checkpoints.jsonl"
    with django_capture_on_commit_callbacks(execute=True):
        made = _write(1)
    assert AuditEvent.objects.filter(seq=made[0].seq).exists()
    assert "Could not write audit checkpoint" in caplog.text


def test_each_test_gets_its_own_checkpoint_file():
    from django.conf import settings

    assert "test-each-test-gets-its-own-checkpoint-file" in str(settings.AUDIT_CHECKPOINT_FILE)
    assert not checkpoints.path().exists()


# The pages verify incrementally ----------------------------------------------------------------------


@pytest.fixture
def hashes(monkeypatch):
    """Counts the entries the verifier hashes."""
    seen = []
    real = verify_module.entry_hash

    def counting(event, releasable, key=None):
        seen.append(event.seq)
        return real(event, releasable, key)

    monkeypatch.setattr(verify_module, "entry_hash", counting)
    return seen


def test_pages_verify_only_the_entries_written_since(eu_nato, hashes):
    first = page_status()
    assert first.ok and first.verified_seq == AuditEvent.objects.count()
    assert len(hashes) == first.verified_seq
    hashes.clear()
    made = _write(3)
    second = page_status()
    assert second.ok and second.verified_seq == made[-1].seq
    assert hashes == [first.verified_seq] + [e.seq for e in made]  # the last verified entry, then the new ones
    assert "#" not in second.describe()  # no entry numbers for readers: see test_audit_page_…


def test_pages_detect_an_entry_altered_after_the_last_verification(eu_nato):
    assert page_status().ok
    made = _write(4)
    _sql(f"UPDATE {EVENTS} SET message = 'x' WHERE seq = %s", [made[1].seq])
    status = page_status()
    assert not status.ok and status.status.first_bad_seq == made[1].seq


def test_pages_detect_the_last_verified_entry_altered(eu_nato):
    verified = page_status().verified_seq
    _sql(f"UPDATE {EVENTS} SET object_repr = 'x' WHERE seq = %s", [verified])
    status = page_status()
    assert not status.ok and status.status.first_bad_seq == verified
    assert "since it was last verified" in status.describe()


def test_pages_detect_entries_removed_after_the_last_verification(eu_nato):
    made = _write(4)
    assert page_status().verified_seq == made[-1].seq
    _delete_from(made[2].seq)
    _set_head(made[1].seq, made[1].hash)
    status = page_status()
    assert not status.ok and status.status.first_bad_seq == made[1].seq + 1
    assert "removed from the end" in status.describe()


def test_pages_check_the_head_row(eu_nato):
    assert page_status().ok
    made = _write(2)
    _set_head(made[-1].seq, "e" * 64)
    status = page_status()
    assert not status.ok and "head row does not name" in status.describe()
    _sql(f"DELETE FROM {HEAD}")
    assert "head row is missing" in page_status().describe()


def test_pages_ignore_a_forged_verification_record(eu_nato):
    """A database user moves the 'verified up to' record past an entry they altered."""
    assert page_status().ok
    made = _write(4)
    _sql(f"UPDATE {EVENTS} SET message = 'x' WHERE seq = %s", [made[1].seq])
    _sql("UPDATE audit_chainverification SET seq = %s, hash = %s", [made[-1].seq, made[-1].hash])
    status = page_status()
    assert not status.ok and status.status.first_bad_seq == made[1].seq


def test_pages_compare_the_last_checkpoint(eu_nato):
    made = _write(4)
    checkpoints.write_current()
    _delete_from(made[2].seq)
    _set_head(made[1].seq, made[1].hash)
    _sql("DELETE FROM audit_chainverification")  # so the pages verify from #1 again
    status = page_status()
    assert not status.ok and "checkpoint file" in status.describe()
    assert status.status.first_bad_seq == made[1].seq + 1


def test_audit_page_shows_the_verification_without_counting_entries(eu_nato, make_user):
    """The page says whether the chain holds and when it was last verified in full, but no entry
    number or count: those would tell a reader how much was written that they may not see."""
    client = Client()
    client.force_login(make_user("eu", "reader", 1))
    body = client.get("/audit/").content.decode()
    last = AuditHead.objects.get(pk=1).seq
    assert "Verified." in body and "not been verified yet" in body
    assert f"#{last}" not in body and f"{last} entries" not in body
    call_command("audit", "verify", stdout=StringIO())
    made = _write(1)
    body = client.get("/audit/").content.decode()
    assert "Verified." in body and "last verified on" in body and f"#{made[0].seq}" not in body
    _sql(f"UPDATE {EVENTS} SET message = 'x' WHERE seq = %s", [made[0].seq])
    _write(1, "after")
    body = client.get("/audit/").content.decode()
    assert "Tampering detected." in body and f"#{made[0].seq}" in body


# verify reads one consistent picture while others write -----------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("check", [verify_chain, page_status], ids=["verify_chain", "page_status"])
def test_verify_during_concurrent_writes_reports_no_tampering(eu_nato, monkeypatch, check):
    """A writer commits entries while the verifier is half-way through the log."""
    before = AuditHead.objects.get(pk=1).seq
    paused, resume, failures = threading.Event(), threading.Event(), []
    real = verify_module.entry_hash

    def writer():
        try:
            paused.wait(60)
            _write(5, "concurrent")
        except Exception as error:  # noqa: BLE001 — any failure in the thread is reported by the assertion below
            failures.append(error)
        finally:
            connection.close()
            resume.set()

    def hash_and_pause(event, releasable, key=None):
        if threading.current_thread() is threading.main_thread() and not paused.is_set():
            paused.set()
            assert resume.wait(60), "the writer did not finish"
        return real(event, releasable, key)

    monkeypatch.setattr(verify_module, "entry_hash", hash_and_pause)
    thread = threading.Thread(target=writer)
    thread.start()
    status = check(batch_size=50)
    thread.join(60)
    assert not failures, failures
    assert AuditHead.objects.get(pk=1).seq == before + 5  # the writes did land meanwhile
    assert status.ok, status.describe()
    assert status.verified_seq == before
    monkeypatch.setattr(verify_module, "entry_hash", real)
    assert verify_chain().ok and verify_chain().verified_seq == before + 5


# Keys live outside the database --------------------------------------------------------------------------


def test_key_files_are_created_once_with_mode_600(tmp_path):
    folder = tmp_path / "data"
    assert secretfiles.AUDIT_KEY.ensure(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    path = secretfiles.AUDIT_KEY.path(folder)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first = secretfiles.AUDIT_KEY.read(folder)
    assert len(first) == 64 and not secretfiles.AUDIT_KEY.ensure(folder)
    assert secretfiles.AUDIT_KEY.read(folder) == first  # never replaced
    assert [p.name for p in folder.iterdir()] == ["audit.key"]  # no temporary file left


def test_key_files_created_at_once_by_two_threads_agree(tmp_path):
    results = []
    threads = [threading.Thread(target=lambda: results.append(secretfiles.DJANGO_SECRET_KEY.ensure(tmp_path)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1
    assert len(secretfiles.DJANGO_SECRET_KEY.read(tmp_path)) >= 50


def test_environment_variable_wins_and_short_keys_are_refused(tmp_path, monkeypatch):
    secretfiles.AUDIT_KEY.ensure(tmp_path)
    monkeypatch.setenv("RAPPORT_AUDIT_KEY", "k" * 40)
    assert secretfiles.AUDIT_KEY.require(tmp_path) == "k" * 40
    monkeypatch.setenv("RAPPORT_AUDIT_KEY", "short")
    with pytest.raises(secretfiles.SecretMissing, match="RAPPORT_AUDIT_KEY is too short"):
        secretfiles.AUDIT_KEY.require(tmp_path)


def test_a_record_without_an_audit_key_fails_clearly_and_writes_nothing(eu_nato, settings, tmp_path, monkeypatch):
    monkeypatch.delenv("RAPPORT_AUDIT_KEY", raising=False)
    settings.AUDIT_KEY, settings.DATA_DIR = "", tmp_path
    before = AuditEvent.objects.count()
    with pytest.raises(secretfiles.SecretMissing, match="No audit key"):
        _write(1)
    assert AuditEvent.objects.count() == before
    with pytest.raises(CommandError, match="No audit key"):
        call_command("audit", "verify")


def test_a_different_audit_key_fails_every_entry(eu_nato, settings):
    settings.AUDIT_KEY = "another key of the right length, 0123456789"
    _broken(1, "content was altered")


def _check_ids(**overrides):
    from rapport.operations import checks

    with override_settings(**overrides):
        return [e.id for e in checks.secret_key_is_set(None) + checks.audit_key_is_set(None)]


def test_system_checks_refuse_missing_built_in_and_test_keys(settings, tmp_path, monkeypatch):
    from rapport.operations.checks import OLD_BUILT_IN_KEY

    monkeypatch.delenv("RAPPORT_AUDIT_KEY", raising=False)
    real = "a real secret key, random enough for this test: 7f3a9c1e5b2d8f4a6c0e"
    assert _check_ids(SECRET_KEY=real, AUDIT_KEY=real) == []
    assert _check_ids(SECRET_KEY="", AUDIT_KEY=real) == ["rapport.E010"]
    assert _check_ids(SECRET_KEY=OLD_BUILT_IN_KEY, AUDIT_KEY=real) == ["rapport.E010"]
    test_key = settings.SECRET_KEY
    assert _check_ids(SECRET_KEY=test_key, AUDIT_KEY=real) == []  # the test settings allow it
    assert _check_ids(SECRET_KEY=test_key, AUDIT_KEY=real, TEST_KEYS_ALLOWED=False) == ["rapport.E010"]
    assert _check_ids(SECRET_KEY=real, AUDIT_KEY=settings.AUDIT_KEY, TEST_KEYS_ALLOWED=False) == ["rapport.E011"]
    assert _check_ids(SECRET_KEY=real, AUDIT_KEY="", DATA_DIR=tmp_path) == ["rapport.E011"]


def test_base_settings_carry_no_secret_key(tmp_path, monkeypatch):
    import importlib

    monkeypatch.delenv("RAPPORT_SECRET_KEY", raising=False)
    monkeypatch.setenv("RAPPORT_DATA_DIR", str(tmp_path))
    base = importlib.import_module("rapport.settings.base")
    try:
        assert importlib.reload(base).SECRET_KEY == ""
        secretfiles.DJANGO_SECRET_KEY.ensure(tmp_path)
        assert importlib.reload(base).SECRET_KEY == secretfiles.DJANGO_SECRET_KEY.read(tmp_path)
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def _rapport(data_dir, *args):
    """The rapport command in a fresh process, on its own SQLite file, with no key in its environment."""
    env = {k: v for k, v in os.environ.items() if k not in (
        "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "RAPPORT_SECRET_KEY", "RAPPORT_AUDIT_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DATABASE_URL=f"sqlite:///{data_dir}/x.sqlite3", RAPPORT_DATA_DIR=str(data_dir))
    return subprocess.run([str(Path(sys.executable).parent / "rapport"), *args], env=env, capture_output=True,
                          text=True, timeout=240)


@pytest.mark.timeout(600)
def test_a_fresh_installation_creates_its_keys_and_checkpoints(tmp_path):
    data = tmp_path / "fresh"
    refused = _rapport(data, "check")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "rapport.E010" in refused.stderr and "rapport init" in refused.stderr
    init = _rapport(data, "init", "--no-demo-users")
    assert init.returncode == 0, init.stderr
    for name in ("secret.key", "audit.key", "instance-ed25519.pem", "audit-checkpoints.jsonl"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
        assert f"Created {data / name}" in init.stdout or name == "audit-checkpoints.jsonl"
    keys = {name: (data / name).read_text() for name in ("secret.key", "audit.key")}
    checked = _rapport(data, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Audit chain intact" in checked.stdout
    again = _rapport(data, "init", "--no-demo-users")
    assert again.returncode == 0 and "Created" not in again.stdout
    assert {name: (data / name).read_text() for name in keys} == keys  # never replaced
    signed = _rapport(data, "audit", "checkpoint")
    assert signed.returncode == 0, signed.stderr
    (data / "kept.json").write_text(signed.stdout)

    # The load's commit wrote a checkpoint; remove the last entries and rewrite the head row to match.
    with sqlite3.connect(data / "x.sqlite3") as db:
        last = db.execute(f"SELECT max(seq) FROM {EVENTS}").fetchone()[0]
        keep_seq, keep_hash = db.execute(f"SELECT seq, hash FROM {EVENTS} WHERE seq = ?", [last - 3]).fetchone()
        db.execute(f"DELETE FROM {RELEASABLE} WHERE auditevent_id IN (SELECT id FROM {EVENTS} WHERE seq > ?)", [keep_seq])
        db.execute(f"DELETE FROM {EVENTS} WHERE seq > ?", [keep_seq])
        db.execute(f"UPDATE {HEAD} SET seq = ?, hash = ?", [keep_seq, keep_hash])
    caught = _rapport(data, "audit", "verify")
    assert caught.returncode == 1 and f"entry #{keep_seq + 1}" in caught.stderr
    assert "checkpoint file" in caught.stderr
    (data / "audit-checkpoints.jsonl").unlink()
    against = _rapport(data, "audit", "verify", "--against", str(data / "kept.json"))
    assert against.returncode == 1 and f"no entry #{last}" in against.stderr


def test_pages_catch_the_tail_removed_with_the_head_row_then_a_write(eu_nato):
    """The pages had verified up to an entry; someone removes the entries after it and the head
    row, and Rapport writes on (the new entries reuse the numbers): the pages must not call the
    log intact, by the checkpoint lines written since and by the rebuilt head row."""
    made = _write(3)
    checkpoints.write_current()
    assert page_status().ok
    more = _write(4)
    checkpoints.write_current()
    _delete_from(more[1].seq)
    _sql(f"DELETE FROM {HEAD}")
    _write(3, "rewritten")
    status = page_status()
    assert not status.ok, status.describe()
    assert made[-1].seq < status.status.first_bad_seq <= more[-1].seq
    assert "rapport audit verify" in status.describe() or "checkpoint file" in status.describe()


def test_pages_ask_for_a_full_verification_after_a_rebuilt_head_row(eu_nato):
    _write(2)
    assert page_status().ok
    _sql(f"DELETE FROM {HEAD}")
    _write(1, "after the head row was deleted")
    status = page_status()
    assert not status.ok and "rapport audit verify" in status.describe()
    assert verify_chain().ok  # nothing else was changed: a full verification clears it
    assert page_status().ok


def test_the_pages_read_the_checkpoint_file_from_its_end(eu_nato, monkeypatch):
    """Many lines, read in small chunks: the pages find every line after their last verified
    entry, and only those."""
    made = _write(3)
    for _ in range(200):
        checkpoints.append(made[0].seq, made[0].hash)
    checkpoints.append(made[2].seq, made[2].hash)
    found, bad = checkpoints.read_since(made[1].seq, chunk=97)
    assert [m.seq for m in found] == [made[2].seq] and not bad
    found, _ = checkpoints.read_since(0, chunk=97)
    assert len(found) == 201
