"""Module-scoped test data for the access tests.

The objects are built once per test module inside a transaction that is rolled
back when the module ends, so nothing leaks into other tests; each test still
runs in its own savepoint (pytest-django's ``db``).
"""

from __future__ import annotations

import contextlib

import pytest
from django.db import transaction


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """{"users": {key: User}, "specs": [UserSpec], "ctx": Ctx, "objects": {label: [ObjSpec]}}"""
    from . import world as w

    with rolled_back(django_db_blocker):
        specs = w.user_specs()
        users = w.make_users(specs)
        ctx = w.Ctx()
        ctx.audit_subjects = w.make_audit_subjects(ctx)
        objects = {label: w.build_objects(ctx, label) for label in w.FACTORIES
                   if label in {m._meta.label_lower for m in w.marked_models()}}
        yield {"users": users, "specs": specs, "ctx": ctx, "objects": objects}


@pytest.fixture
def orgs(eu_nato):
    from rapport.partnerships.models import Organisation

    return {o.key: o for o in Organisation.objects.all()}


@pytest.fixture
def open_period(eu_nato):
    """The default data's open period, with a draft report as its coordinators would start one
    (the default data's own draft report belongs to the period before, in preparation)."""
    from rapport.markings.models import ClassificationLevel
    from rapport.periods.models import ReportingPeriod
    from rapport.reports.models import Report

    period = ReportingPeriod.objects.get(partnership=eu_nato, state="open")
    public = ClassificationLevel.objects.filter(rank=0).order_by("pk").first()
    Report.objects.get_or_create(period=period, defaults={"title": "Draft report", "classification": public})
    return period


@pytest.fixture
def commitment(eu_nato):
    """The first PUBLIC commitment."""
    from rapport.commitments.models import Commitment

    return Commitment.objects.filter(partnership=eu_nato, classification__rank=0).order_by("pk").first()
