"""Every bad-input path of the dataset loader: the error names the file, the
record and the field, and the database is left exactly as it was.

Each case copies the default dataset, breaks one thing, and loads it twice:
through ``load_dataset`` (InputError) and through ``rapport load``
(CommandError). The database is loaded with the default data beforehand, so a
half-applied load would show in the table counts or the audit log.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rapport.audit.verify import verify_chain
from rapport.commitments.models import Commitment
from rapport.core.errors import InputError
from rapport.partnerships.models import MemberState, Partnership
from rapport.seed.load import load_dataset

from .conftest import Dataset, db_state, index_of

D = datetime.date


@dataclass
class Case:
    id: str
    file: str
    change: Callable[[Dataset], None]
    record: str
    field: str
    message: str


def commitment(i: int, **values):
    def change(ds: Dataset) -> None:
        def edit(data):
            data["commitments"][i].update(values)
        ds.edit("commitments.yaml", edit)
    return change


def drop_from_commitment(i: int, key: str):
    def change(ds: Dataset) -> None:
        ds.edit("commitments.yaml", lambda data: data["commitments"][i].pop(key))
    return change


def duplicate_ref(ds: Dataset) -> None:
    def edit(data):
        data["commitments"][1]["ref"] = data["commitments"][0]["ref"]
    ds.edit("commitments.yaml", edit)


def membership(code: str, j: int | None, **values):
    """Change membership j of a state, or append a new one when j is None."""
    def change(ds: Dataset) -> None:
        def edit(data):
            state = data["member_states"][index_of(data["member_states"], code=code)]
            if j is None:
                state["memberships"].append(values)
            else:
                state["memberships"][j].update(values)
        ds.edit("member_states.yaml", edit)
    return change


def organisation(key: str, **values):
    def change(ds: Dataset) -> None:
        ds.edit("partnership.yaml", lambda data: data["organisations"][index_of(data["organisations"], key=key)]
                .update(values))
    return change


def period(i: int, **values):
    def change(ds: Dataset) -> None:
        ds.edit("periods.yaml", lambda data: data["periods"][i].update(values))
    return change


def highlight(i: int, j: int, **values):
    def change(ds: Dataset) -> None:
        ds.edit("periods.yaml", lambda data: data["periods"][i]["report"]["highlights"][j].update(values))
    return change


def meeting(i: int, **values):
    def change(ds: Dataset) -> None:
        ds.edit("evidence.yaml", lambda data: data["meetings"][i].update(values))
    return change


def area(i: int, **values):
    def change(ds: Dataset) -> None:
        ds.edit("areas.yaml", lambda data: data["areas"][i].update(values))
    return change


def partner_activity(i: int, **values):
    def change(ds: Dataset) -> None:
        ds.edit("evidence.yaml", lambda data: data["partner_activities"][i].update(values))
    return change


def contributions(*items: dict):
    def change(ds: Dataset) -> None:
        base = {"organisation": "eu", "commitment": "2016-HYB-01", "period": 9,
                "narrative": "Work went on.", "marking": "PUBLIC"}
        ds.write("contributions.yaml", {"contributions": [{**base, **item} for item in items]})
    return change


def fi_index() -> int:
    """Position of Finland in member_states.yaml (records are labelled by position and code)."""
    import yaml

    from rapport.core.registry import registry

    raw = yaml.safe_load((registry["seed_datasets"]["eu_nato"] / "member_states.yaml").read_text(encoding="utf-8"))
    return index_of(raw["member_states"], code="FI")


FI = fi_index()
C0, C1, C3 = "commitments[0] (ref 2016-HYB-01)", "commitments[1]", "commitments[3] (ref 2016-HYB-04)"

CASES = [
    Case("unknown-field", "commitments.yaml", commitment(3, colour="red"), C3, "colour", "unknown field"),
    Case("missing-required-field", "commitments.yaml", drop_from_commitment(0, "title"), C0, "title",
         "this field is required"),
    Case("impossible-date-in-period", "periods.yaml", period(8, start="2023-13-45"), "periods[8] (ordinal 9)",
         "start", "date"),
    Case("impossible-date-in-membership", "member_states.yaml", membership("FI", 1, joined="2023-13-45"),
         f"member_states[{FI}].memberships[1] (organisation nato)", "joined", "date"),
    Case("wrong-type-list-for-text", "commitments.yaml", commitment(0, title=["a", "list"]), C0, "title",
         "string"),
    Case("unknown-area", "commitments.yaml", commitment(0, area="nonsense"), C0, "area",
         "unknown area 'nonsense'"),
    Case("unknown-mandate-introducing-an-area", "areas.yaml", area(0, introduced_by="no-such-mandate"),
         "areas[0] (key hybrid)", "introduced_by", "unknown mandate 'no-such-mandate'"),
    Case("unknown-theme-area", "commitments.yaml", commitment(0, themes=["cyber", "nonsense"]), C0, "themes",
         "unknown area 'nonsense'"),
    Case("unknown-mandate", "commitments.yaml", commitment(0, set="set-2099"), C0, "set",
         "unknown mandate 'set-2099'"),
    Case("duplicate-ref", "commitments.yaml", duplicate_ref, C1, "ref", "appears twice"),
    Case("non-public-marking-without-releasable-to", "commitments.yaml", commitment(0, marking="NATO RESTRICTED"),
         C0, "marking.releasable_to", "releasable_to"),
    Case("unknown-marking", "commitments.yaml", commitment(0, marking="TOP SEKRIT"), C0, "marking",
         "unknown marking 'TOP SEKRIT'"),
    Case("releasable-to-unknown-organisation", "commitments.yaml",
         commitment(0, marking={"level": "NATO RESTRICTED", "releasable_to": ["asean"]}), C0,
         "marking.releasable_to", "unknown organisation 'asean'"),
    Case("unknown-organisation-in-membership", "member_states.yaml", membership("FI", 1, organisation="asean"),
         f"member_states[{FI}] (code FI).memberships[1]", "organisation", "unknown organisation 'asean'"),
    Case("membership-left-before-joined", "member_states.yaml", membership("FI", 1, left=D(2020, 1, 1)),
         f"member_states[{FI}] (code FI).memberships[1]", "left", "must end after it starts"),
    Case("membership-left-on-the-day-it-joined", "member_states.yaml", membership("FI", 1, left=D(2023, 4, 4)),
         f"member_states[{FI}] (code FI).memberships[1]", "left", "must end after it starts"),
    Case("overlapping-memberships", "member_states.yaml",
         membership("FI", None, organisation="nato", joined=D(2024, 1, 1)),
         f"member_states[{FI}] (code FI).memberships[2]", "joined", "overlaps another membership of nato"),
    Case("period-ends-before-it-starts", "periods.yaml", period(8, end=D(2023, 1, 1)), "periods[8] (ordinal 9)",
         "end", "must end on or after its start"),
    Case("unknown-commitment-in-highlight", "periods.yaml", highlight(0, 1, commitments=["2016-XXX-99"]),
         "periods[0] (ordinal 1).report.highlights[1]", "commitments", "unknown commitment '2016-XXX-99'"),
    Case("unknown-evidence-in-highlight", "periods.yaml", highlight(0, 1, evidence=["no_such_evidence"]),
         "periods[0] (ordinal 1).report.highlights[1]", "evidence", "unknown evidence 'no_such_evidence'"),
    Case("unknown-commitment-in-evidence", "evidence.yaml", meeting(0, commitments=["2016-XXX-99"]),
         "meetings[0] (key {key})", "commitments", "unknown commitment '2016-XXX-99'"),
    Case("unknown-format-in-evidence", "evidence.yaml", meeting(0, format="no_such_format"),
         "meetings[0] (key {key})", "format", "unknown format 'no_such_format'"),
    Case("unknown-country-in-partner-activity", "evidence.yaml", partner_activity(0, country="ZZ"),
         "partner_activities[0] (key {activity})", "country", "unknown partner country 'ZZ'"),
    Case("assessment-not-in-scheme", "contributions.yaml", contributions({"assessment": "beyond"}),
         "contributions[0] (eu on 2016-HYB-01, period 9)", "assessment", "'beyond' is not a value of the scheme"),
    Case("assessment-nonsense", "contributions.yaml", contributions({"assessment": "splendid"}),
         "contributions[0] (eu on 2016-HYB-01, period 9)", "assessment", "'splendid' is not a value"),
    Case("contribution-unknown-evidence", "contributions.yaml",
         contributions({"evidence": {"meetings": ["no_such_meeting"]}}),
         "contributions[0] (eu on 2016-HYB-01, period 9)", "evidence", "unknown evidence 'no_such_meeting'"),
    Case("default-level-of-another-scheme", "partnership.yaml", organisation("eu", default_level="NATO RESTRICTED"),
         "organisations[0] (key eu)", "default_level", "not a level of EU's own scheme"),
    Case("contribution-unknown-period", "contributions.yaml", contributions({"period": 99}),
         "contributions[0] (eu on 2016-HYB-01, period 99)", "period", "unknown reporting period 99"),
]


def _expected_record(case: Case, ds: Dataset) -> str:
    evidence = ds.read("evidence.yaml")
    return case.record.format(key=evidence["meetings"][0]["key"], activity=evidence["partner_activities"][0]["key"])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input_names_file_record_and_field_and_changes_nothing(eu_nato, dataset, case):
    case.change(dataset)
    before = db_state()

    with pytest.raises(InputError) as exc:
        load_dataset(dataset.folder)
    error = exc.value
    assert Path(error.source) == dataset.path(case.file)
    assert error.record == _expected_record(case, dataset)
    assert error.field == case.field
    assert case.message in error.detail
    assert db_state() == before

    with pytest.raises(CommandError) as cexc:
        call_command("load", str(dataset.folder), verbosity=0)
    message = str(cexc.value)
    assert message.startswith("Nothing was loaded.")
    assert case.file in message
    assert f"record {error.record}" in message
    assert f"field {case.field!r}" in message
    assert db_state() == before
    assert verify_chain().ok


def test_an_organisations_default_level_is_loaded_from_the_dataset(eu_nato, dataset):
    from rapport.partnerships.models import Organisation

    assert Organisation.objects.get(key="nato").default_level is None  # the public record names none
    organisation("nato", default_level="NR")(dataset)
    load_dataset(dataset.folder)
    assert Organisation.objects.get(key="nato").default_level.name == "NATO RESTRICTED"
    assert not load_dataset(dataset.folder).changed


def test_the_unbroken_copy_loads_cleanly(eu_nato, dataset):
    """Control for the cases above: the copy itself is good, so each failure comes from its one edit."""
    before = db_state()
    summary = load_dataset(dataset.folder)
    assert not summary.changed
    assert db_state() == before


def test_invalid_yaml_syntax_names_the_file_and_line(eu_nato, dataset):
    dataset.path("areas.yaml").write_text("areas:\n  - key: hybrid\n    name: [unclosed\n", encoding="utf-8")
    before = db_state()
    with pytest.raises(InputError) as exc:
        load_dataset(dataset.folder)
    assert Path(exc.value.source) == dataset.path("areas.yaml")
    assert "not valid YAML at line" in exc.value.detail
    with pytest.raises(CommandError, match=r"areas\.yaml: not valid YAML at line \d+"):
        call_command("load", str(dataset.folder), verbosity=0)
    assert db_state() == before


def test_a_file_that_is_not_a_mapping_is_refused(eu_nato, dataset):
    dataset.path("mandates.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_dataset(dataset.folder)
    assert Path(exc.value.source) == dataset.path("mandates.yaml")
    assert "mapping" in exc.value.detail


def test_a_stray_yaml_file_is_refused(eu_nato, dataset):
    dataset.write("notes.yaml", {"notes": ["hello"]})
    before = db_state()
    with pytest.raises(InputError) as exc:
        load_dataset(dataset.folder)
    assert "notes.yaml" in str(exc.value)
    assert Path(exc.value.source) == dataset.folder
    with pytest.raises(CommandError, match=r"unknown file\(s\) notes\.yaml"):
        call_command("load", str(dataset.folder), verbosity=0)
    assert db_state() == before


def test_a_missing_folder_is_refused(eu_nato, tmp_path):
    missing = tmp_path / "no-such-dataset"
    before = db_state()
    with pytest.raises(InputError, match="no dataset folder"):
        load_dataset(missing)
    with pytest.raises(CommandError, match=f"no dataset folder at {missing}"):
        call_command("load", str(missing), verbosity=0)
    assert db_state() == before


def test_a_missing_partnership_file_is_refused(eu_nato, dataset):
    dataset.path("partnership.yaml").unlink()
    with pytest.raises(InputError) as exc:
        load_dataset(dataset.folder)
    assert Path(exc.value.source) == dataset.path("partnership.yaml")
    assert "required" in exc.value.detail


# A proposal set whose count no longer matches --------------------------------------------


def _remove_commitment(ref: str):
    def edit(data):
        data["commitments"].pop(index_of(data["commitments"], ref=ref))
    return edit


def test_removing_a_commitment_from_a_fresh_partnership_breaks_the_count(eu_nato, dataset):
    """A fresh partnership key: every row is new, so the removed commitment is really absent."""
    dataset.edit("partnership.yaml", lambda data: data["partnership"].update(key="eu-nato-copy"))
    dataset.edit("commitments.yaml", _remove_commitment("2016-HYB-04"))
    before = db_state()
    with pytest.raises(InputError) as exc:
        load_dataset(dataset.folder)
    assert Path(exc.value.source) == dataset.path("commitments.yaml")
    assert (exc.value.record, exc.value.field) == ("commitments", "set")
    assert "'set-2016' endorsed 42 proposals but the data has 41" in exc.value.detail
    # Dozens of rows were written before the count was checked; none of them stays.
    assert db_state() == before
    assert not Partnership.objects.filter(key="eu-nato-copy").exists()


def test_removing_a_commitment_from_the_loaded_data_breaks_the_count(eu_nato, dataset):
    """The file now lists 41 proposals of a set that has 42: loading it over the
    existing data must be refused like any other count mismatch."""
    dataset.edit("commitments.yaml", _remove_commitment("2016-HYB-04"))
    before = db_state()
    with pytest.raises(InputError) as exc:
        load_dataset(dataset.folder)
    assert Path(exc.value.source) == dataset.path("commitments.yaml")
    assert exc.value.field == "set"
    assert "42" in exc.value.detail and "41" in exc.value.detail
    assert db_state() == before


def test_moving_a_commitment_to_the_other_set_breaks_both_counts(eu_nato, dataset):
    def edit(data):
        data["commitments"][index_of(data["commitments"], ref="2016-HYB-04")]["set"] = "set-2017"
    dataset.edit("commitments.yaml", edit)
    before = db_state()
    with pytest.raises(InputError) as exc:
        load_dataset(dataset.folder)
    assert (Path(exc.value.source).name, exc.value.record, exc.value.field) == ("commitments.yaml", "commitments", "set")
    assert "endorsed" in exc.value.detail
    assert Commitment.objects.get(ref="2016-HYB-04").mandate.key == "set-2016"
    assert db_state() == before


# Atomicity: an error in a late file undoes what earlier files changed ----------------------

NEW_TITLE = "A title changed by the broken dataset"


def _earlier_changes(ds: Dataset) -> None:
    def title(data):
        data["commitments"][index_of(data["commitments"], ref="2016-HYB-01")]["title"] = NEW_TITLE
    ds.edit("commitments.yaml", title)

    def name(data):
        data["member_states"][index_of(data["member_states"], code="FI")]["name"] = "Suomi"
    ds.edit("member_states.yaml", name)


def _assert_earlier_changes_absent() -> None:
    assert Commitment.objects.get(ref="2016-HYB-01").title != NEW_TITLE
    assert MemberState.objects.get(code="FI").name == "Finland"


LATE_ERRORS = {
    "contributions.yaml": contributions({"assessment": "nonsense"}),
    "evidence.yaml": meeting(0, commitments=["2016-XXX-99"]),
    "periods.yaml (report highlights, written last)": highlight(8, 0, evidence=["no_such_evidence"]),
}


@pytest.mark.parametrize("where", list(LATE_ERRORS))
def test_error_in_a_late_file_leaves_earlier_changes_out(eu_nato, dataset, where):
    _earlier_changes(dataset)
    LATE_ERRORS[where](dataset)
    before = db_state()
    with pytest.raises(InputError) as exc:
        load_dataset(dataset.folder)
    assert Path(exc.value.source).name == where.split()[0]
    _assert_earlier_changes_absent()
    assert db_state() == before
    with pytest.raises(CommandError):
        call_command("load", str(dataset.folder), verbosity=0)
    _assert_earlier_changes_absent()
    assert db_state() == before
    assert verify_chain().ok


def test_the_earlier_changes_alone_do_load(eu_nato, dataset):
    """Control for the atomicity tests: without the late error the changes go in, audited."""
    _earlier_changes(dataset)
    events_before = db_state()[1]
    summary = load_dataset(dataset.folder)
    assert summary.updated == {"commitments.commitment": 1, "partnerships.memberstate": 1}
    assert Commitment.objects.get(ref="2016-HYB-01").title == NEW_TITLE
    assert MemberState.objects.get(code="FI").name == "Suomi"
    assert db_state()[1] == events_before + 2
    assert verify_chain().ok


# Commands given bad arguments ---------------------------------------------------------------


def test_commitments_with_an_unknown_area(eu_nato):
    with pytest.raises(CommandError, match=r"No area 'nonsense'\. Areas: hybrid, .*cyber"):
        call_command("commitments", area="nonsense")


def test_members_of_an_unknown_organisation(eu_nato):
    with pytest.raises(CommandError, match=r"No organisation 'xx'\. Organisations: eu, nato"):
        call_command("members", "xx")


def test_members_on_an_impossible_date(eu_nato):
    with pytest.raises(CommandError, match=r"--on must be a date as YYYY-MM-DD, not '2023-99-01'"):
        call_command("members", "nato", on="2023-99-01")
