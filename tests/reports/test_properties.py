"""Properties of editions, with oracles written out here independently of the code under test:

- whatever markings the content carries, no edition holds a statement its audience may
  not read (who reads is worked out from the edition's name and the synthetic data, never
  from the edition's own audience);
- whatever state contributions and joint texts are in, an edition holds exactly the approved ones.
"""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rapport.commitments.models import Commitment
from rapport.contributions.choices import ContributionState, JointTextState
from rapport.contributions.models import Contribution, JointText
from rapport.partnerships.models import Membership
from rapport.reports.assemble import assemble
from rapport.reports.document import iter_blocks
from rapport.reports.editions import resolve_edition
from rapport.reports.models import Highlight
from tests.synthetic import build, mark

pytestmark = pytest.mark.django_db


def token(obj) -> str:
    return f"TOK{type(obj).__name__}{obj.pk}X"


@pytest.fixture
def small(db):
    data = build(prefix="hyp", n_areas=2, per_area=2, periods=2, restricted=False)
    period = data["periods"][1]
    records = list(Contribution.objects.filter(period=period).order_by("pk"))
    records += list(Commitment.objects.filter(partnership=data["partnership"]).order_by("pk"))
    records += list(Highlight.objects.filter(report__period=period).order_by("pk"))
    for obj in records:  # a token per record, to find it in any output
        field = "narrative" if isinstance(obj, Contribution) else "title" if isinstance(obj, Commitment) else "text"
        setattr(obj, field, f"{token(obj)} {getattr(obj, field)}")
        obj.save(update_fields=[field])
    return data, records


def who_reads(name: str, built: dict) -> tuple[int, set[int]]:
    """(clearance rank, organisations read for) of an edition, from its name and the data:
    an organisation's staff at a level of its scheme (its top level when none is named), a
    delegation for the organisations its state belongs to today, the public at rank 0."""
    if name == "public":
        return 0, set()
    kind, _, rest = name.partition(":")
    if kind == "delegation":
        code, _, rank = rest.partition(":")
        today = timezone.localdate()
        spells = Membership.objects.filter(state__code=code).values_list("organisation_id", "joined", "left")
        return int(rank), {org for org, joined, left in spells if joined <= today and (left is None or left > today)}
    org = next(o for o in built["orgs"] if o.key == kind)
    levels = built["levels"][kind]
    rank = next(lv.rank for lv in levels if lv.abbreviation == rest) if rest else max(lv.rank for lv in levels)
    return rank, {org.pk}


def readable(rank, orgs, audience_rank, audience_orgs) -> bool:
    return rank == 0 or (rank <= audience_rank and bool(set(orgs) & set(audience_orgs)))


marking = st.tuples(st.integers(0, 3), st.sets(st.integers(0, 1), min_size=1))
# The delegation's state in the second organisation: a member, gone since yesterday, or joining next month.
spell = st.sampled_from(["member", "left", "not yet"])


def set_spell(built, which: str) -> None:
    today = timezone.localdate()
    joined, left = {"member": (datetime.date(2000, 1, 1), None),
                    "left": (datetime.date(2000, 1, 1), today - datetime.timedelta(days=1)),
                    "not yet": (today + datetime.timedelta(days=30), None)}[which]
    Membership.objects.filter(state=built["state"], organisation=built["orgs"][1]).update(joined=joined, left=left)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_edition_holds_what_its_audience_may_not_read(small, data):
    built, records = small
    orgs, levels, period = built["orgs"], built["levels"], built["periods"][1]
    set_spell(built, data.draw(spell))
    given_markings = {}
    for obj in records:
        rank, owners = data.draw(marking)
        chosen = [orgs[i] for i in sorted(owners)]
        mark(obj, levels[orgs[0].key][rank], chosen)
        given_markings[token(obj)] = (rank, [o.pk for o in chosen])
    for name in ["public", "hyp0:HYP0I", "hyp0", "hyp1:HYP1R", "delegation:HYX:1", "delegation:HYX:3"]:
        audience_rank, audience_orgs = who_reads(name, built)
        doc = assemble(period, resolve_edition(built["partnership"], name, period))
        content = doc.canonical_json()
        for tok, (rank, owners) in given_markings.items():
            if not readable(rank, owners, audience_rank, audience_orgs):
                assert tok not in content, (name, tok, rank, owners)
        for _, block in iter_blocks(doc.sections):
            parts = block.rows if hasattr(block, "rows") else [block]
            for part in parts:
                said = getattr(part, "text", "") or " ".join(getattr(part, "cells", ()))
                assert part.marking.rank <= audience_rank
                for tok, (rank, _) in given_markings.items():
                    if tok in said:  # a statement is marked at least as high as what it says
                        assert part.marking.rank >= rank, (name, tok)
        if name == "public":
            assert doc.marking.rank == 0


@pytest.fixture
def workflow(db):
    """Four commitments with a contribution of each organisation and a joint text, all PUBLIC."""
    data = build(prefix="wf", n_areas=1, per_area=4, periods=2, restricted=False)
    period = data["periods"][1]
    contributions = list(Contribution.objects.filter(period=period).order_by("pk"))
    for c in contributions:
        Contribution.objects.filter(pk=c.pk).update(narrative=token(c))
    public = data["levels"]["wf0"][0]
    joint = [JointText.objects.create(commitment=c, period=period, text="", classification=public)
             for c in data["commitments"]]
    for j in joint:
        JointText.objects.filter(pk=j.pk).update(text=token(j))
    return data, contributions, joint


S, J = ContributionState, JointTextState


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contribution_states=st.lists(st.sampled_from(list(S)), min_size=8, max_size=8),
       joint_states=st.lists(st.sampled_from(list(J)), min_size=4, max_size=4))
@example(contribution_states=[S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED] * 2,
         joint_states=[J.DRAFT, J.IN_APPROVAL, J.APPROVED, J.DRAFT])
def test_an_edition_holds_exactly_the_approved_work(workflow, contribution_states, joint_states):
    built, contributions, joint = workflow
    period = built["periods"][1]
    for c, state in zip(contributions, contribution_states, strict=True):
        Contribution.objects.filter(pk=c.pk).update(state=state)
    for j, state in zip(joint, joint_states, strict=True):
        JointText.objects.filter(pk=j.pk).update(state=state)
    expected = {token(c): s == S.APPROVED for c, s in zip(contributions, contribution_states, strict=True)}
    expected |= {token(j): s == J.APPROVED for j, s in zip(joint, joint_states, strict=True)}
    for name in ["public", "wf0", "wf1", "wf0:WF0I", "delegation:WFX"]:
        content = assemble(period, resolve_edition(built["partnership"], name, period)).canonical_json()
        assert {tok: tok in content for tok in expected} == expected, name
