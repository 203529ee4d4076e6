"""The built package carries the translation catalogues: every .po file, and every .mo file
compiled beside it (pyproject.toml's package data; docs/i18n.md)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_holds_every_catalogue(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copy(ROOT / "README.md", tmp_path)
    shutil.copytree(ROOT / "rapport", tmp_path / "rapport", ignore=shutil.ignore_patterns("__pycache__", "static"))
    # build_py is the step that gathers a wheel's files (package data included).
    done = subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py",
                           "--build-lib", str(tmp_path / "lib")],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    sources = sorted(p.relative_to(ROOT) for p in (ROOT / "rapport").rglob("locale/*/LC_MESSAGES/django.*")
                     if p.suffix in (".po", ".mo"))
    assert any(p.suffix == ".po" for p in sources)
    built = tmp_path / "lib"
    assert [p for p in sources if not (built / p).is_file()] == []
