"""The audit log: one entry per service call, read under the marking rules, and a
keyed hash chain that names the first entry that was tampered with (more
tampering, the checkpoint file and signed heads: test_audit_tamper.py)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory

from rapport.audit.context import current_request_id
from rapport.audit.middleware import RequestIdMiddleware
from rapport.audit.models import AuditEvent
from rapport.audit.record import record
from rapport.audit.verify import verify_chain
from rapport.commitments.models import Commitment
from rapport.contributions import services
from rapport.core.errors import Refused
from rapport.partnerships.models import Organisation
from rapport.periods.models import ReportingPeriod
from rapport.reports import workflow
from rapport.reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(eu_nato):
    return {o.key: o for o in Organisation.objects.all()}


@pytest.fixture
def request_id():
    token = current_request_id.set("req-test-0001")
    yield "req-test-0001"
    current_request_id.reset(token)


def _latest():
    return AuditEvent.objects.order_by("-seq").first()


def _one_entry(call, *, actor, verb, obj_type):
    # Notices a step sends (notifications/workflow.py) are entries of their own, about the notice.
    own = AuditEvent.objects.exclude(verb="notification.sent")
    before = own.count()
    result = call()
    assert own.count() == before + 1, f"{verb}: expected exactly one audit entry"
    e = own.order_by("-seq").first()
    assert e.verb == verb
    assert e.actor_id == actor.pk and e.actor_name == actor.username
    assert e.actor_org == actor.organisation.key
    assert e.object_label == obj_type and e.object_pk == result.pk
    assert e.request_id == current_request_id.get() != ""
    assert e.after is not None
    return result, e


def _open_period_with_a_draft_report(eu_nato, level):
    """The open period, with a draft report of its own (the default data's draft report is in an
    earlier period, whose contributions are closed)."""
    period = ReportingPeriod.objects.get(partnership=eu_nato, state="open")
    Report.objects.get_or_create(period=period, defaults={"title": "Draft report", "classification": level(0, scheme="eu")})
    return period


def test_every_service_call_writes_exactly_one_entry(make_user, level, orgs, eu_nato, request_id):
    period = _open_period_with_a_draft_report(eu_nato, level)
    commitment = Commitment.objects.filter(classification__rank=0).order_by("pk").first()
    drafter, approver = make_user("eu", "drafter", 2), make_user("eu", "approver", 3)
    nato_approver, nato_coord = make_user("nato", "approver", 3), make_user("nato", "coordinator", 3)
    lvl, rel = level(2, scheme="eu"), [orgs["eu"]]

    c, e = _one_entry(lambda: services.create_contribution(actor=drafter, commitment=commitment, period=period,
                                                           narrative="First.", classification=lvl, releasable_to=rel),
                      actor=drafter, verb="contribution.created", obj_type="contributions.contribution")
    assert e.before is None and e.after["narrative"] == "First."
    c, e = _one_entry(lambda: services.edit_contribution(actor=drafter, contribution=c, base_version=1,
                                                         narrative="Second.", classification=lvl, releasable_to=rel),
                      actor=drafter, verb="contribution.edited", obj_type="contributions.contribution")
    assert (e.before["narrative"], e.after["narrative"]) == ("First.", "Second.")
    assert (e.before["version"], e.after["version"]) == (1, 2)
    c, e = _one_entry(lambda: services.submit_contribution(actor=drafter, contribution=c),
                      actor=drafter, verb="contribution.submitted", obj_type="contributions.contribution")
    assert (e.before["state"], e.after["state"]) == ("draft", "submitted")
    c, e = _one_entry(lambda: services.return_contribution(actor=approver, contribution=c, message="Why?"),
                      actor=approver, verb="contribution.returned", obj_type="contributions.contribution")
    assert e.message == "Why?" and e.after["state"] == "returned"
    c = services.edit_contribution(actor=drafter, contribution=c, base_version=2, narrative="Third.",
                                   classification=lvl, releasable_to=rel)
    c = services.submit_contribution(actor=drafter, contribution=c)
    c, e = _one_entry(lambda: services.approve_contribution(actor=approver, contribution=c),
                      actor=approver, verb="contribution.approved", obj_type="contributions.contribution")
    assert e.after["approved_by_id"] == approver.pk and e.after["approved_revision_id"] == c.approved_revision_id

    jt, e = _one_entry(lambda: services.create_joint_text(actor=drafter, commitment=commitment, period=period,
                                                          text="Joint.", classification=lvl,
                                                          releasable_to=[orgs["eu"], orgs["nato"]]),
                       actor=drafter, verb="joint_text.created", obj_type="contributions.jointtext")
    jt, e = _one_entry(lambda: services.edit_joint_text(actor=drafter, joint_text=jt, base_version=1, text="Joint 2."),
                       actor=drafter, verb="joint_text.edited", obj_type="contributions.jointtext")
    jt, e = _one_entry(lambda: services.approve_joint_text(actor=approver, joint_text=jt),
                       actor=approver, verb="joint_text.approved", obj_type="contributions.jointtext")
    jt, e = _one_entry(lambda: services.return_joint_text(actor=nato_approver, joint_text=jt, message="No."),
                       actor=nato_approver, verb="joint_text.returned", obj_type="contributions.jointtext")

    report = Report.objects.get(period=period)
    report, e = _one_entry(lambda: workflow.approve_report(actor=approver, report=report),
                           actor=approver, verb="report.approved", obj_type="reports.report")
    report, e = _one_entry(lambda: workflow.approve_report(actor=nato_approver, report=report),
                           actor=nato_approver, verb="report.approved", obj_type="reports.report")
    assert (e.before["state"], e.after["state"]) == ("draft", "approved")
    report, e = _one_entry(lambda: workflow.withdraw_report_approval(actor=nato_approver, report=report, message="m"),
                           actor=nato_approver, verb="report.approval_withdrawn", obj_type="reports.report")
    report = workflow.approve_report(actor=nato_approver, report=report)
    # Publishing writes its own entry, then one per format and language of the public edition it seals.
    before = AuditEvent.objects.count()
    report = workflow.publish_report(actor=nato_coord, report=report)
    entries = list(AuditEvent.objects.filter(seq__gt=before).exclude(verb="notification.sent").order_by("seq"))
    assert [e.verb for e in entries] == ["report.published", "period.closed"] + ["report.sealed"] * 10
    assert {e.actor_id for e in entries} == {nato_coord.pk}
    assert sorted((e.after["language"], e.after["format"]) for e in entries[2:]) == [
        (lang, fmt) for lang in ("en", "fr") for fmt in ("docx", "html", "md", "pdf", "pdfa")]
    assert verify_chain().ok


def test_a_refused_call_writes_nothing(make_user, eu_nato):
    report = Report.objects.get(period__partnership=eu_nato, state="draft")
    before = AuditEvent.objects.count()
    with pytest.raises(Refused):
        workflow.publish_report(actor=make_user("eu", "coordinator", 3), report=report)
    assert AuditEvent.objects.count() == before


def test_request_id_comes_from_the_request(eu_nato):
    def view(request):
        record(actor=None, verb="record.updated", obj=Organisation.objects.order_by("pk").first(), object_repr="x")
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="abc12345"))
    assert response["X-Request-Id"] == "abc12345"
    assert _latest().request_id == "abc12345"
    response = RequestIdMiddleware(view)(RequestFactory().get("/"))
    assert len(response["X-Request-Id"]) == 32 and _latest().request_id == response["X-Request-Id"]
    assert current_request_id.get() == ""  # reset after the request


@pytest.mark.parametrize("limit", ["-5", "0", "x"])
def test_audit_log_limit_must_be_a_positive_number(eu_nato, limit):
    with pytest.raises(CommandError, match="--limit: must be a positive whole number"):
        call_command("audit", "log", "--limit", limit)


def test_audit_log_limit(eu_nato, capsys):
    call_command("audit", "log", "--limit", "1")
    assert capsys.readouterr().out.startswith(f"#{_latest().seq} ")


def test_audit_entries_follow_the_marking_of_their_record(make_user, level, orgs, eu_nato):
    period = _open_period_with_a_draft_report(eu_nato, level)
    commitment = Commitment.objects.filter(classification__rank=0).order_by("pk").first()
    drafter = make_user("eu", "drafter", 2)
    eu_reader, nato_reader = make_user("eu", "reader", 3), make_user("nato", "reader", 3)
    low_eu_reader = make_user("eu", "reader", 1)
    c = services.create_contribution(actor=drafter, commitment=commitment, period=period, narrative="EU only.",
                                     classification=level(2, scheme="eu"), releasable_to=[orgs["eu"]])
    c = services.submit_contribution(actor=drafter, contribution=c)
    entries = AuditEvent.objects.for_object(c)
    assert entries.count() == 2
    assert set(entries.visible_to(eu_reader)) == set(entries)
    assert not entries.visible_to(nato_reader).exists()
    assert not entries.visible_to(low_eu_reader).exists()
    assert not entries.visible_to(None).exists()
    # Lowering the marking: the edit's entry keeps the stricter (old) one, since its before-values were read under it.
    c = services.return_contribution(actor=make_user("eu", "approver", 3), contribution=c, message="Lower it.")
    services.edit_contribution(actor=drafter, contribution=c, base_version=c.version, narrative="Now public.",
                               classification=level(0, scheme="eu"), releasable_to=[orgs["eu"]])
    edit = _latest()
    assert edit.verb == "contribution.edited" and edit.classification.rank == 2
    assert not AuditEvent.objects.filter(pk=edit.pk).visible_to(nato_reader).exists()


# The chain ------------------------------------------------------------------------------------------


def _events(n=40):
    eu = Organisation.objects.get(key="eu")
    made = [record(actor=None, verb="record.updated", obj=eu,
                   object_repr=f"chain entry {i}", after={"i": i}, system_actor="chain test") for i in range(n)]
    made.append(record(actor=None, verb="record.updated", obj=eu,
                       object_repr="marked entry", after={"m": 1},
                       classification=__import__("rapport.markings.models", fromlist=["x"]).ClassificationLevel.objects.get(
                           scheme__key="eu", rank=2),
                       releasable_to=[eu], system_actor="chain test"))
    made += [record(actor=None, verb="record.updated", obj=eu,
                    object_repr=f"tail {i}", system_actor="chain test") for i in range(3)]
    return made


def _sql(sql, params=()):
    with connection.cursor() as cur:
        cur.execute(sql, params)


def _broken_at(seq):
    status = verify_chain()
    assert not status.ok, "tampering was not detected"
    assert status.first_bad_seq == seq, status.describe()
    with pytest.raises(CommandError, match=f"#{seq}\\b"):
        call_command("audit", "verify")
    return status


def test_chain_is_intact_after_many_events(eu_nato, capsys):
    made = _events(120)
    status = verify_chain(batch_size=7)
    assert status.ok, status.describe()
    assert status.checked == AuditEvent.objects.count() == made[-1].seq
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out


def test_altered_content_is_detected(eu_nato):
    victim = _events()[10]
    _sql("UPDATE audit_auditevent SET after = %s WHERE seq = %s", [json.dumps({"i": 999}), victim.seq])
    assert _broken_at(victim.seq).problem.startswith("its content was altered")


def test_altered_message_or_actor_is_detected(eu_nato):
    victim = _events()[5]
    _sql("UPDATE audit_auditevent SET actor_name = %s WHERE seq = %s", ["someone else", victim.seq])
    _broken_at(victim.seq)


def test_deleted_middle_row_is_detected(eu_nato):
    victim = _events()[20]
    _sql("DELETE FROM audit_auditevent_releasable_to WHERE auditevent_id = %s", [victim.pk])
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [victim.seq])
    assert "missing" in _broken_at(victim.seq).problem


def test_forged_row_with_copied_hashes_is_detected(eu_nato):
    """Replace an entry by a forged one that copies its seq, prev_hash and hash."""
    victim = _events()[15]
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM audit_auditevent WHERE seq = %s", [victim.seq])
        columns = [c[0] for c in cur.description]
        row = dict(zip(columns, cur.fetchone(), strict=True))
    row["message"] = "forged: nothing happened here"
    row = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()}
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [victim.seq])
    _sql(f"INSERT INTO audit_auditevent ({', '.join(row)}) VALUES ({', '.join(['%s'] * len(row))})", list(row.values()))
    assert AuditEvent.objects.get(seq=victim.seq).hash == victim.hash
    _broken_at(victim.seq)


def test_forged_row_appended_at_the_end_is_detected(eu_nato):
    last = _events()[-1]
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM audit_auditevent WHERE seq = %s", [last.seq])
        columns = [c[0] for c in cur.description]
        row = dict(zip(columns, cur.fetchone(), strict=True))
    row = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()}
    row.update(id=last.pk + 1000, seq=last.seq + 1, prev_hash=last.hash, hash="f" * 64, message="appended")
    _sql(f"INSERT INTO audit_auditevent ({', '.join(row)}) VALUES ({', '.join(['%s'] * len(row))})", list(row.values()))
    _broken_at(last.seq + 1)


def test_changed_releasability_is_detected(eu_nato):
    marked = next(e for e in _events() if e.object_repr == "marked entry")
    nato = Organisation.objects.get(key="nato")
    _sql("INSERT INTO audit_auditevent_releasable_to (auditevent_id, organisation_id) VALUES (%s, %s)",
         [marked.pk, nato.pk])
    _broken_at(marked.seq)


def test_removed_releasability_is_detected(eu_nato):
    marked = next(e for e in _events() if e.object_repr == "marked entry")
    _sql("DELETE FROM audit_auditevent_releasable_to WHERE auditevent_id = %s", [marked.pk])
    _broken_at(marked.seq)


def test_deleted_last_row_is_detected(eu_nato):
    last = _events()[-1]
    _sql("DELETE FROM audit_auditevent WHERE seq = %s", [last.seq])
    status = _broken_at(last.seq)
    assert "removed from the end" in status.problem


def test_record_many_appends_entries_that_verify_like_single_ones(eu_nato, level):
    from rapport.audit.record import Entry, record_many

    eu, nato = Organisation.objects.get(key="eu"), Organisation.objects.get(key="nato")
    objs = list(Commitment.objects.order_by("pk")[:5])
    before = AuditEvent.objects.count()
    record(actor=None, verb="record.updated", obj=objs[0], system_actor="single")
    n = record_many(actor=None, verb="record.created", system_actor="bulk", batch_size=2, entries=[
        Entry(obj=o, after={"n": i}, classification=level(2 if i % 2 else 0, scheme="eu"),
              releasable_to=[eu, nato] if i % 2 else []) for i, o in enumerate(objs)])
    assert n == 5 and AuditEvent.objects.count() == before + 6
    made = list(AuditEvent.objects.filter(actor_name="bulk").order_by("seq"))
    assert [e.object_pk for e in made] == [o.pk for o in objs]
    assert [sorted(r.key for r in e.releasable_to.all()) for e in made] == [[], ["eu", "nato"], [], ["eu", "nato"], []]
    status = verify_chain()
    assert status.ok, status.describe()
    # A later single entry follows the bulk ones.
    record(actor=None, verb="record.updated", obj=objs[0], system_actor="single")
    assert verify_chain().ok


def test_record_many_inside_a_rolled_back_transaction_leaves_nothing(eu_nato, level):
    from django.db import transaction

    from rapport.audit.record import Entry, record_many

    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record_many(actor=None, verb="record.created", entries=[
            Entry(obj=o, classification=level(0, scheme="eu")) for o in Commitment.objects.order_by("pk")[:3]])
        raise RuntimeError("the change fails after its entries were written")
    assert AuditEvent.objects.count() == before and verify_chain().ok


@pytest.mark.parametrize("given, kept", [("proxy-7f3a9c21", True), ("SPOOFED <script>", False), ("x" * 65, False),
                                         ("short", False)])
def test_a_request_id_from_outside_is_kept_only_as_a_plain_token(eu_nato, given, kept):
    def view(request):
        record(actor=None, verb="record.updated", obj=Organisation.objects.order_by("pk").first(), object_repr="x")
        return HttpResponse("ok")

    RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID=given))
    assert (_latest().request_id == given) is kept
    assert len(_latest().request_id) <= 64
