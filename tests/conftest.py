"""Fixtures shared by the whole suite.

The EU–NATO default data is loaded once into each test database; tests that
flush the database (live-server browser tests) get it back through the
``eu_nato`` fixture, which reloads it when it is missing (loading is idempotent).
"""

from __future__ import annotations

import hashlib
import os

import pytest
from django.db import connection

from rapport.core.registry import registry

DEFAULT_DATASET = registry["seed_datasets"]["eu_nato"]
_REAL_NAME = connection.settings_dict["NAME"]  # read before pytest-django swaps in the test database


def _load_default():
    from rapport.seed.load import load_dataset

    return load_dataset(DEFAULT_DATASET)


@pytest.fixture(scope="session", autouse=True)
def _audit_checkpoints_dir(tmp_path_factory):
    """The audit checkpoint file lives outside the database, so rollbacks and flushes do
    not touch it. The session's own loads write to a file no test compares with (defined
    before the fixtures that load), and each test gets a fresh file of its own below."""
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("audit-checkpoints")
    with override_settings(AUDIT_CHECKPOINT_FILE=folder / "session.jsonl"):
        yield folder


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language and leaves no other behind: a request in French
    (LocaleMiddleware) or a French command activates French in the thread, as a server's next
    request would undo, but the next test would otherwise inherit."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _audit_checkpoint_file(_audit_checkpoints_dir, request):
    from django.test import override_settings

    nodeid = request.node.nodeid
    name = "".join(c if c.isalnum() else "-" for c in nodeid)[-100:]
    unique = hashlib.sha256(nodeid.encode()).hexdigest()[:10]
    with override_settings(AUDIT_CHECKPOINT_FILE=_audit_checkpoints_dir / f"{name}-{unique}.jsonl"):
        yield


@pytest.fixture(scope="session", autouse=True)
def _expected_database(django_db_setup, django_db_blocker):
    """When the test script asks for PostgreSQL, refuse to run quietly on anything else."""
    expected = os.environ.get("RAPPORT_EXPECT_DB")
    with django_db_blocker.unblock():
        if expected and connection.vendor != expected:
            pytest.exit(f"RAPPORT_EXPECT_DB={expected} but the tests would run on {connection.vendor}", returncode=3)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # pytest-django creates no test database when no collected test uses one;
        # never load into the real database in that case.
        if connection.settings_dict["NAME"] != _REAL_NAME:
            _load_default()


@pytest.fixture
def eu_nato(db):
    from rapport.partnerships.models import Partnership

    partnership = Partnership.objects.filter(key="eu-nato").first()
    if partnership is None:
        _load_default()
        partnership = Partnership.objects.get(key="eu-nato")
    return partnership


@pytest.fixture
def make_user(eu_nato):
    """make_user(org="eu", role="drafter", clearance="NATO RESTRICTED" | rank int, delegation=None, username=None)."""
    from rapport.access.models import User
    from rapport.markings.models import ClassificationLevel
    from rapport.partnerships.models import MemberState, Organisation

    counter = {"n": 0}

    def factory(org="eu", role="drafter", clearance=2, delegation=None, username=None):
        counter["n"] += 1
        organisation = Organisation.objects.get(key=org) if org and not delegation else None
        state = MemberState.objects.get(code=delegation) if delegation else None
        scheme = organisation.scheme if organisation else Organisation.objects.order_by("key").first().scheme
        if isinstance(clearance, int):
            level = ClassificationLevel.objects.get(scheme=scheme, rank=clearance)
        elif clearance is None:
            level = None
        else:
            level = ClassificationLevel.objects.filter(name=clearance).order_by("pk").first()
        name = username or f"{org or 'del'}-{role}-{counter['n']}"
        return User.objects.create_user(
            username=name, password="correct-horse-battery", organisation=organisation,
            delegation=state, role="reader" if delegation else role, clearance=level,
        )

    return factory


@pytest.fixture
def level():
    """level("NATO RESTRICTED") or level(2, scheme="eu") -> ClassificationLevel."""
    from rapport.markings.models import ClassificationLevel

    def get(name_or_rank, scheme="nato"):
        if isinstance(name_or_rank, int):
            return ClassificationLevel.objects.get(scheme__key=scheme, rank=name_or_rank)
        return ClassificationLevel.objects.filter(name=name_or_rank).order_by("pk").first()

    return get
