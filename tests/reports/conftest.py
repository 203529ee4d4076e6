"""Fixtures of the report tests: a small synthetic partnership built with the ORM."""

import pytest

from tests.synthetic import build


@pytest.fixture
def syn(db):
    return build()
