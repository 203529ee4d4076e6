"""Property: for random users and random markings,
``obj in Model.objects.visible_to(u)`` <=> ``can(u, "view", obj)`` <=> the plain rule."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rapport.access.models import User
from rapport.access.policy import can
from rapport.commitments.models import Commitment
from rapport.contributions.models import Contribution
from rapport.markings.models import ClassificationLevel
from rapport.partnerships.models import MemberState, Organisation
from rapport.periods.models import ReportingPeriod

from . import world as w

pytestmark = pytest.mark.django_db


class _Rollback(Exception):
    pass


users = st.one_of(
    st.builds(lambda org, role, rank, scheme: w.UserSpec("p", "staff", org=org, role=role, rank=rank,
                                                        clearance_scheme=scheme),
              st.sampled_from(w.ORGS), st.sampled_from(w.ROLES), st.sampled_from(w.RANKS), st.sampled_from(w.ORGS)),
    st.builds(lambda code, rank, scheme: w.UserSpec("p", "delegation", delegation=code, rank=rank,
                                                    clearance_scheme=scheme),
              st.sampled_from(sorted(w.DELEGATION_ORGS)), st.sampled_from(w.RANKS), st.sampled_from(w.ORGS)),
    st.just(w.UserSpec("p", "anonymous")),
)
objects = st.fixed_dictionaries({
    "model": st.sampled_from(["commitments.commitment", "contributions.contribution"]),
    "rank": st.sampled_from(w.RANKS),
    "scheme": st.sampled_from(w.ORGS),
    "releasable": st.sampled_from(list(w.RELEASABILITY.values())),
    "org": st.sampled_from(w.ORGS),
    "state": st.sampled_from(["draft", "submitted", "approved", "returned"]),
})


def _make_user(spec):
    if spec.kind == "anonymous":
        return AnonymousUser()
    return User.objects.create_user(
        username="prop-user", password="x" * 20,
        organisation=Organisation.objects.get(key=spec.org) if spec.kind == "staff" else None,
        delegation=MemberState.objects.get(code=spec.delegation) if spec.delegation else None,
        role=spec.role, clearance=ClassificationLevel.objects.get(scheme__key=spec.clearance_scheme, rank=spec.rank),
    )


def _make_obj(o):
    level = ClassificationLevel.objects.get(scheme__key=o["scheme"], rank=o["rank"])
    base = Commitment.objects.order_by("pk").first()
    if o["model"] == "commitments.commitment":
        obj = Commitment.objects.create(partnership=base.partnership, ref="PROP-1", mandate=base.mandate,
                                        area=base.area, title="Property commitment", text="t", classification=level)
        variant = {}
    else:
        obj = Contribution.objects.create(organisation=Organisation.objects.get(key=o["org"]), commitment=base,
                                          period=ReportingPeriod.objects.get(partnership=base.partnership, ordinal=10),
                                          narrative="Property contribution", state=o["state"], classification=level)
        variant = {"org": o["org"], "state": o["state"]}
    obj.releasable_to.set(Organisation.objects.filter(key__in=o["releasable"]))
    return obj, w.ObjSpec(o["model"], 0, o["rank"], o["scheme"], o["releasable"], variant, "", obj)


def _o(**kw):
    return {"model": "contributions.contribution", "rank": 2, "scheme": "eu", "releasable": w.RELEASABILITY["both"],
            "org": "eu", "state": "submitted", **kw}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(user=users, o=objects)
# The boundaries, always tried besides the random examples:
@example(user=w.UserSpec("p", "anonymous"), o=_o(model="commitments.commitment", rank=0))
@example(user=w.UserSpec("p", "anonymous"), o=_o(rank=0, state="approved"))
@example(user=w.UserSpec("p", "anonymous"), o=_o(rank=0, state="submitted"))
@example(user=w.UserSpec("p", "delegation", delegation="FI", rank=3, clearance_scheme="eu"), o=_o(state="draft"))
@example(user=w.UserSpec("p", "delegation", delegation="AT", rank=2, clearance_scheme="nato"),
         o=_o(releasable=w.RELEASABILITY["nato"]))
@example(user=w.UserSpec("p", "staff", org="nato", role="reader", rank=2, clearance_scheme="nato"), o=_o(state="returned"))
@example(user=w.UserSpec("p", "staff", org="eu", role="reader", rank=1, clearance_scheme="nato"), o=_o())
def test_visible_to_can_and_rule_agree(eu_nato, user, o):
    try:
        with transaction.atomic():
            u = _make_user(user)
            obj, spec = _make_obj(o)
            in_queryset = type(obj).objects.visible_to(u).filter(pk=obj.pk).exists()
            allowed = bool(can(u, "view", obj))
            rule = w.expected_visible(user, spec, w.FACTORIES[o["model"]])
            assert in_queryset == rule, f"visible_to says {in_queryset}, the rule says {rule}: {user} {o}"
            assert allowed == in_queryset, f"can(view) says {allowed}, visible_to says {in_queryset}: {user} {o}"
            raise _Rollback
    except _Rollback:
        pass
