"""Property: whatever markings the content carries, no edition holds a statement
its audience may not read. The oracle is the marking rule itself, written out
here independently of the visibility filter."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution
from rapport.reports.assemble import assemble
from rapport.reports.document import iter_blocks
from rapport.reports.editions import resolve_edition
from rapport.reports.models import Highlight
from tests.synthetic import build, mark

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(db):
    data = build(prefix="hyp", n_areas=2, per_area=2, periods=2, restricted=False)
    period = data["periods"][1]
    records = list(Contribution.objects.filter(period=period).order_by("pk"))
    records += list(Commitment.objects.filter(partnership=data["partnership"]).order_by("pk"))
    records += list(Highlight.objects.filter(report__period=period).order_by("pk"))
    for obj in records:  # a token per record, to find it in any output
        token = f"TOK{type(obj).__name__}{obj.pk}X"
        field = "narrative" if isinstance(obj, Contribution) else "title" if isinstance(obj, Commitment) else "text"
        setattr(obj, field, f"{token} {getattr(obj, field)}")
        obj.save(update_fields=[field])
    return data, records


def readable(rank, orgs, audience_rank, audience_orgs) -> bool:
    return rank == 0 or (rank <= audience_rank and bool(set(orgs) & set(audience_orgs)))


marking = st.tuples(st.integers(0, 3), st.sets(st.integers(0, 1), min_size=1))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_edition_holds_what_its_audience_may_not_read(small, data):
    built, records = small
    orgs, levels, period = built["orgs"], built["levels"], built["periods"][1]
    given_markings = {}
    for obj in records:
        rank, owners = data.draw(marking)
        chosen = [orgs[i] for i in sorted(owners)]
        mark(obj, levels[orgs[0].key][rank], chosen)
        given_markings[f"TOK{type(obj).__name__}{obj.pk}X"] = (rank, [o.pk for o in chosen])
    names = ["public", "hyp0:HYP0I", "hyp0", "hyp1:HYP1R", "delegation:HYX:1"]
    for name in names:
        edition = resolve_edition(built["partnership"], name, period)
        aud = edition.audience
        doc = assemble(period, edition)
        content = doc.canonical_json()
        for token, (rank, owners) in given_markings.items():
            if not readable(rank, owners, aud.rank, aud.organisation_ids):
                assert token not in content, (name, token, rank, owners)
        for _, block in iter_blocks(doc.sections):
            parts = block.rows if hasattr(block, "rows") else [block]
            for part in parts:
                said = getattr(part, "text", "") or " ".join(getattr(part, "cells", ()))
                assert part.marking.rank <= aud.rank
                for token, (rank, _) in given_markings.items():
                    if token in said:  # a statement is marked at least as high as what it says
                        assert part.marking.rank >= rank, (name, token)
        if name == "public":
            assert doc.marking.rank == 0
