"""Schemathesis' stateful mode against the live schema, in-process, on each database: scenarios
that start by writing a contribution or a joint text and follow the schema's links
(``rapport/api/links.py``) — read it, edit it with the ETag as If-Match, submit, approve or
return it, read and add to its comments — with write-scoped tokens. Every step must answer
within the schema and never with a server error, and the chains must really be walked: some
edits or workflow steps succeed on objects the scenario created.

The references a write names (commitment, period, level, organisations, assessment) are set to
ones that exist in three positive cases out of four, so that chains get past validation; the free text
and the rest stay generated (the stateless fuzzing in ``test_fuzz.py`` covers bad references).
Approvals and returns go with an approver's token of the writer's organisation, the rest with the
drafter's. ``RAPPORT_FUZZ_STATEFUL_EXAMPLES`` sets the scenarios per database (30 by default,
up to ``RAPPORT_FUZZ_STATEFUL_STEPS`` steps each, 8 by default); the run prints the steps made."""

from __future__ import annotations

import os
import random
from collections import Counter

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings

from rapport.wsgi import application

from .conftest import FUZZ
from .test_fuzz import keep_the_test_connection  # noqa: F401  (the same in-process connection handling)

SCENARIOS = int(os.environ.get("RAPPORT_FUZZ_STATEFUL_EXAMPLES", "30"))
STEPS = int(os.environ.get("RAPPORT_FUZZ_STATEFUL_STEPS", "8"))
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# The scenarios follow the links the schema declares, not links Schemathesis would infer.
schema.config.phases.stateful.inference.algorithms = []

APPROVER_STEPS = ("/approve", "/return")
CREATES = ("POST_api_v1_contributions", "POST_api_v1_joint_texts")


@pytest.fixture
def chain_data(make_user, eu_nato):
    from rapport.api.tokens import create_token
    from rapport.commitments.models import Commitment
    from rapport.partnerships.models import AssessmentValue
    from rapport.periods.models import ReportingPeriod

    period = ReportingPeriod.objects.filter(partnership=eu_nato, state="open").first()
    ReportingPeriod.objects.filter(pk=period.pk).update(contributions_due=None, joint_texts_due=None)
    drafter = make_user(org="eu", role="drafter", clearance=3)
    approver = make_user(org="eu", role="approver", clearance=3)
    return {
        "drafter": create_token(user=drafter, name="stateful fuzz write", scope="write")[1],
        "approver": create_token(user=approver, name="stateful fuzz approve", scope="write")[1],
        "references": {
            "commitment": list(Commitment.objects.filter(partnership=eu_nato, classification__rank=0)
                               .order_by("order").values_list("pk", flat=True)[:12]),
            "period": [period.ordinal],
            "classification": ["PUBLIC"],
            "releasable_to": [[]],
            "assessment": [None, *AssessmentValue.objects.filter(scheme_id=eu_nato.assessment_scheme_id)
                           .values_list("key", flat=True)],
        },
    }


def _machine(data: dict, seen: Counter):
    generated = schema.as_state_machine()
    # A scenario starts by writing: the steps on an object come through the links from it (a step
    # on a random id is the stateless fuzzing's business), so the other starting rules are dropped.
    starts = frozenset(name for name in generated.root_rules if name.endswith(CREATES))
    assert len(starts) == len(CREATES), generated.root_rules

    class WriteChains(generated):
        root_rules = starts
        _root_labels = frozenset(label for label in generated._root_labels if label.endswith(("/contributions",
                                                                                                 "/joint-texts")))

        def setup(self):
            # Each scenario starts from the same data (a joint text is one per commitment and period):
            # Hypothesis replays choices and expects the same answers to them.
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)
            super().teardown()

        def before_call(self, case):
            # Chosen from the generated case itself, so that a replayed case is sent alike.
            # A negative case (input that breaks the schema) is left as generated: it must be refused.
            if case.meta is not None and case.meta.generation.mode.is_negative:
                return
            chooser = random.Random(repr((case.path, case.path_parameters, case.body)))
            if isinstance(case.body, dict) and chooser.random() < 0.75:
                for field, values in data["references"].items():
                    if field in case.body:
                        case.body[field] = chooser.choice(values)

        def get_call_kwargs(self, case):
            who = "approver" if case.path.endswith(APPROVER_STEPS) else "drafter"
            return {"headers": {"Authorization": f"Bearer {data[who]}"}}

        def after_call(self, response, case):
            super().after_call(response, case)
            seen[(case.method.upper(), case.path, response.status_code)] += 1
            FUZZ["stateful steps"] += 1
            FUZZ[f"stateful status {response.status_code}"] += 1

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # As in test_fuzz.py: schema-valid input may still be refused for what it means.
            assert response.status_code < 500
            case.validate_response(response, additional_checks=additional_checks, headers=kwargs.get("headers"),
                                   transport_kwargs=kwargs or None, recorder=self.recorder,
                                   excluded_checks=[schemathesis.checks.positive_data_acceptance])

    for name in generated.root_rules - starts:
        setattr(WriteChains, name, None)  # no longer a rule
    return WriteChains


@pytest.mark.django_db
def test_write_chains_follow_the_links_within_the_schema(chain_data):
    seen: Counter = Counter()
    _machine(chain_data, seen).run(settings=settings(
        max_examples=SCENARIOS, stateful_step_count=STEPS, deadline=None, database=None,
        phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
    FUZZ["stateful scenarios"] += SCENARIOS

    def succeeded(method: str, suffix: str) -> int:
        return sum(n for (m, path, status), n in seen.items()
                   if m == method and path.endswith(suffix) and status in (200, 201))

    # The links were followed: objects of both kinds were written, read through the id a link
    # carried, and edited (with the ETag a link carried as If-Match) or moved on in their workflow.
    assert succeeded("POST", "/contributions") and succeeded("POST", "/joint-texts"), seen
    assert succeeded("GET", "/{id}"), seen
    assert sum(succeeded(m, suffix) for m, suffix in (("PATCH", "/{id}"), ("POST", "/submit"),
                                                      ("POST", "/approve"), ("POST", "/return"))), seen
