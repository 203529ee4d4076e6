"""A commitment's earlier refs (``aliases:`` in commitments.yaml): the loader renames the
stored record instead of adding a second one, and every file may still name it by an old ref."""

from __future__ import annotations

import pytest

from rapport.audit.models import AuditEvent
from rapport.audit.verbs import Verb
from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution
from rapport.core.errors import InputError
from rapport.evidence.models import CoordinationFormat, Exercise
from rapport.seed.load import load_dataset

from .conftest import Dataset, db_state, index_of


def rename(ds: Dataset, ref: str, new: str) -> None:
    """Give a commitment of the copy a new ref and keep the old one as its alias."""
    def edit(data):
        item = data["commitments"][index_of(data["commitments"], ref=ref)]
        item["ref"] = new
        item["aliases"] = [*item.get("aliases", []), ref]
    ds.edit("commitments.yaml", edit)


def contribution_on(ds: Dataset, ref: str) -> None:
    ds.write("contributions.yaml", {"contributions": [
        {"organisation": "eu", "commitment": ref, "period": 9, "narrative": "Work went on.", "marking": "PUBLIC"}]})


def rows_but_audit() -> dict[str, int]:
    return {table: n for table, n in db_state()[0].items() if table != AuditEvent._meta.db_table}


def test_the_default_data_moved_political_dialogue_to_the_2017_set(eu_nato):
    moved = Commitment.objects.get(partnership=eu_nato, ref="2017-POL-03")
    assert moved.mandate.key == "set-2017"
    assert not Commitment.objects.filter(partnership=eu_nato, ref__in=["2016-POL-01", "2016-POL-02", "2016-POL-03",
                                                                       "2017-CAP-02"]).exists()
    assert not Commitment.objects.filter(partnership=eu_nato, mandate__key="set-2016",
                                         area__key="political_dialogue").exists()
    assert moved in CoordinationFormat.objects.get(partnership=eu_nato, key="psc_nac").commitments.all()


def test_an_old_ref_in_any_file_names_the_renamed_commitment(eu_nato, dataset):
    def old_ref_in_evidence(data):
        data["formats"][index_of(data["formats"], key="psc_nac")]["commitments"] = ["2016-POL-01"]
    dataset.edit("evidence.yaml", old_ref_in_evidence)
    contribution_on(dataset, "2016-POL-01")
    load_dataset(dataset.folder)
    moved = Commitment.objects.get(partnership=eu_nato, ref="2017-POL-03")
    assert list(CoordinationFormat.objects.get(partnership=eu_nato, key="psc_nac").commitments.all()) == [moved]
    assert Contribution.objects.get(organisation__key="eu", period__ordinal=9).commitment == moved


def test_a_stored_record_under_an_alias_is_renamed_with_its_links(eu_nato, dataset):
    before = Commitment.objects.get(partnership=eu_nato, ref="2016-EXE-01")
    exercises = set(Exercise.objects.filter(commitments=before).values_list("pk", flat=True))
    assert exercises
    contribution_on(dataset, "2016-EXE-01")
    load_dataset(dataset.folder)
    contribution = Contribution.objects.get(commitment=before)

    rename(dataset, "2016-EXE-01", "2016-EXE-09")  # evidence.yaml and contributions.yaml keep the old ref
    counts = rows_but_audit()
    summary = load_dataset(dataset.folder)
    after = Commitment.objects.get(partnership=eu_nato, ref="2016-EXE-09")
    assert after.pk == before.pk
    assert not Commitment.objects.filter(partnership=eu_nato, ref="2016-EXE-01").exists()
    assert rows_but_audit() == counts  # renamed, not added
    assert set(Exercise.objects.filter(commitments=after).values_list("pk", flat=True)) == exercises
    assert Contribution.objects.get(pk=contribution.pk).commitment_id == after.pk
    entry = AuditEvent.objects.for_object(after).filter(verb=Verb.RECORD_UPDATED).latest("seq")
    assert "2016-EXE-01" in str(entry.before) and "2016-EXE-09" in str(entry.after)
    assert summary.updated == {"commitments.commitment": 1}

    assert not load_dataset(dataset.folder).changed  # and idempotent again


def test_an_alias_that_is_a_current_ref_is_refused(eu_nato, dataset):
    def edit(data):
        data["commitments"][index_of(data["commitments"], ref="2016-EXE-02")]["aliases"] = ["2016-EXE-01"]
    dataset.edit("commitments.yaml", edit)
    at = index_of(dataset.read("commitments.yaml")["commitments"], ref="2016-EXE-02")
    with pytest.raises(InputError) as err:
        load_dataset(dataset.folder)
    assert (err.value.record, err.value.field) == (f"commitments[{at}] (ref 2016-EXE-02)", "aliases")
    assert "'2016-EXE-01' is the ref of a commitment" in err.value.detail


def test_one_alias_for_two_commitments_is_refused(eu_nato, dataset):
    def edit(data):
        for ref in ("2016-EXE-02", "2016-EXE-03"):
            data["commitments"][index_of(data["commitments"], ref=ref)]["aliases"] = ["2016-EXE-77"]
    dataset.edit("commitments.yaml", edit)
    with pytest.raises(InputError, match="also an alias of '2016-EXE-02'"):
        load_dataset(dataset.folder)


def test_a_database_holding_both_the_ref_and_its_alias_is_refused_and_left_alone(eu_nato, dataset):
    """2016-EXE-02 claims 2016-EXE-03 as an earlier ref, but both are stored: the loader cannot
    tell which record to keep, so it changes nothing."""
    rename(dataset, "2016-EXE-03", "2016-EXE-08")
    def edit(data):
        data["commitments"][index_of(data["commitments"], ref="2016-EXE-08")]["aliases"] = []
        data["commitments"][index_of(data["commitments"], ref="2016-EXE-02")]["aliases"] = ["2016-EXE-03"]
    dataset.edit("commitments.yaml", edit)
    before = db_state()
    with pytest.raises(InputError, match="merge them by hand") as err:
        load_dataset(dataset.folder)
    assert err.value.field == "aliases"
    assert db_state() == before
