"""Loading the same data again changes nothing, writes no audit entry, and the
audit chain verifies after every load."""

from io import StringIO

from django.core.management import call_command

from rapport.audit.models import AuditEvent
from rapport.audit.verbs import Verb
from rapport.audit.verify import verify_chain
from rapport.commitments.models import Commitment
from rapport.core.registry import registry
from rapport.reports.models import Highlight
from rapport.seed.load import load_dataset

from .conftest import db_state, index_of

DEFAULT = registry["seed_datasets"]["eu_nato"]


def test_loading_the_default_data_again_changes_nothing(eu_nato):
    before = db_state()
    summary = load_dataset(DEFAULT)
    assert not summary.changed
    assert summary.created == summary.updated == summary.deleted == {}
    assert summary.unchanged > 300
    assert "already up to date" in summary.describe()
    assert db_state() == before


def test_rapport_load_twice_reports_no_change(eu_nato):
    events = AuditEvent.objects.count()
    for _ in range(2):
        out = StringIO()
        call_command("load", "eu_nato", verbosity=0, stdout=out)
        assert "eu_nato: already up to date" in out.getvalue()
    assert AuditEvent.objects.count() == events


def test_audit_chain_verifies_after_the_loads(eu_nato):
    status = verify_chain()
    assert status.ok, status.describe()
    assert status.checked == AuditEvent.objects.count() > 0
    load_dataset(DEFAULT)
    assert verify_chain().ok


def test_every_loaded_record_has_its_creation_audited(eu_nato):
    """The entries the idempotent reloads do not write were written once, at the first load."""
    audited = set(AuditEvent.objects.for_objects(Commitment, Commitment.objects.values("pk"))
                  .filter(verb=Verb.RECORD_CREATED).values_list("object_pk", flat=True))
    assert set(Commitment.objects.values_list("pk", flat=True)) <= audited


def test_a_changed_file_is_loaded_once_then_idempotent_again(eu_nato, dataset):
    """The counterpart that shows the checks above can fail: one edit is one update and one entry."""
    def edit(data):
        data["commitments"][index_of(data["commitments"], ref="2016-CYB-01")]["title"] = "Cyber concepts, renamed"
    dataset.edit("commitments.yaml", edit)
    counts, events, _ = db_state()

    first = load_dataset(dataset.folder)
    assert first.updated == {"commitments.commitment": 1}
    assert not first.created and not first.deleted
    assert AuditEvent.objects.count() == events + 1
    entry = AuditEvent.objects.order_by("-seq").first()
    assert entry.verb == Verb.RECORD_UPDATED
    assert entry.before["title"] != entry.after["title"] == "Cyber concepts, renamed"
    after = db_state()[0]
    assert {t: n for t, n in after.items() if not t.startswith("audit_")} == {
        t: n for t, n in counts.items() if not t.startswith("audit_")}
    assert verify_chain().ok

    second = load_dataset(dataset.folder)
    assert not second.changed
    assert AuditEvent.objects.count() == events + 1


def test_a_highlight_removed_from_the_file_is_removed_and_audited(eu_nato, dataset):
    report = eu_nato.periods.get(ordinal=1).report
    n = Highlight.objects.filter(report=report).count()
    dataset.edit("periods.yaml", lambda data: data["periods"][0]["report"]["highlights"].pop())
    events = AuditEvent.objects.count()
    summary = load_dataset(dataset.folder)
    assert summary.deleted == {"reports.highlight": 1}
    assert Highlight.objects.filter(report=report).count() == n - 1
    assert AuditEvent.objects.filter(seq__gt=events, verb=Verb.RECORD_DELETED).count() == 1
    assert verify_chain().ok


def test_loading_again_never_moves_the_workflow_back(eu_nato, make_user):
    """The dataset says period 11's report is a draft and the period in preparation; once the
    report is approved, published and its period closed in Rapport, loading again keeps them so."""
    from rapport.periods.models import ReportingPeriod
    from rapport.reports import workflow
    from rapport.reports.models import Report

    report = Report.objects.get(period__partnership=eu_nato, period__ordinal=11)
    for org in ("eu", "nato"):
        report = workflow.approve_report(actor=make_user(org, "approver", 3), report=report)
    workflow.publish_report(actor=make_user("eu", "coordinator", 3), report=report)
    summary = load_dataset(DEFAULT)
    assert not summary.changed, summary.describe()
    assert Report.objects.get(pk=report.pk).state == "published"
    assert ReportingPeriod.objects.get(pk=report.period_id).state == "published"


def test_a_load_that_lowers_a_marking_keeps_the_stricter_one_on_its_entry(eu_nato, dataset, level):
    from rapport.partnerships.models import Organisation

    c = Commitment.objects.get(ref="2016-CYB-05")
    c.classification = level(2, scheme="nato")
    c.save()
    c.releasable_to.set([Organisation.objects.get(key="nato")])
    load_dataset(dataset.folder)  # the file has it PUBLIC
    c.refresh_from_db()
    assert c.classification.rank == 0
    entry = AuditEvent.objects.for_object(c).filter(verb=Verb.RECORD_UPDATED).latest("seq")
    assert entry.classification.rank == 2 and [o.key for o in entry.releasable_to.all()] == ["nato"]
