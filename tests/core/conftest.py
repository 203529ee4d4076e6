"""Helpers for the core tests: copies of the default dataset to break, and a
picture of the whole database to compare before and after a failed load."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from django.conf import settings

RAPPORT = Path(sys.executable).parent / "rapport"
ON_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
SQLITE_ONLY = pytest.mark.skipif(
    not ON_SQLITE,
    reason="runs the rapport CLI in a subprocess against its own SQLite file; on PostgreSQL the same "
    "code paths are covered in-process through call_command",
)


def table_counts() -> dict[str, int]:
    """Row count of every table the database has (models and many-to-many tables)."""
    from django.apps import apps
    from django.db import connection

    existing = set(connection.introspection.table_names())
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in existing:
            counts[table] = model._base_manager.count()
    return counts


def db_state() -> tuple[dict[str, int], int, tuple[int, str]]:
    """Table counts, the number of audit entries and the chain head."""
    from rapport.audit.models import AuditEvent, AuditHead

    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    return table_counts(), AuditEvent.objects.count(), head


class Dataset:
    """A copy of the default EU–NATO dataset in a temporary folder, edited file by file."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __fspath__(self) -> str:
        return str(self.folder)

    def path(self, name: str) -> Path:
        return self.folder / name

    def read(self, name: str):
        return yaml.safe_load(self.path(name).read_text(encoding="utf-8"))

    def write(self, name: str, data) -> None:
        self.path(name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def edit(self, name: str, change: Callable) -> None:
        data = self.read(name)
        change(data)
        self.write(name, data)


@pytest.fixture
def dataset(tmp_path) -> Dataset:
    from rapport.core.registry import registry

    folder = tmp_path / "eu_nato_copy"
    shutil.copytree(registry["seed_datasets"]["eu_nato"], folder)
    return Dataset(folder)


def index_of(items: list[dict], **match) -> int:
    for i, item in enumerate(items):
        if all(item.get(k) == v for k, v in match.items()):
            return i
    raise LookupError(match)


# The rapport command in a subprocess ------------------------------------------------


def cli_env(data_dir: Path) -> dict[str, str]:
    # The command speaks the environment's language (rapport/core/language.py): English here.
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    env["LANG"] = "C.UTF-8"
    env["DATABASE_URL"] = f"sqlite:///{data_dir / 'x.sqlite3'}"
    env["RAPPORT_DATA_DIR"] = str(data_dir)
    return env


def run_cli(data_dir: Path, *args: str, timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(RAPPORT), *args], env=cli_env(data_dir), capture_output=True, text=True, timeout=timeout
    )


def sqlite_counts(db_file: Path) -> dict[str, int]:
    with sqlite3.connect(db_file) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def sqlite_value(db_file: Path, sql: str, *params):
    with sqlite3.connect(db_file) as conn:
        return conn.execute(sql, params).fetchone()[0]
