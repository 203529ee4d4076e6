from tests.core.conftest import dataset  # noqa: F401  (a copy of the default dataset to edit)
