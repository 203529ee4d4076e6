"""The apps form layers: an app may import only itself and the apps listed before it in
INSTALLED_APPS (core first, operations last), so a lower app never depends on a higher one.

Imports are read from the source with ``ast``, including those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2] / "rapport"
LAYERS = [app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("rapport.")]
PROJECT = {"settings", "urls", "wsgi", "cli", "__main__"}  # the project itself sits above every app


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "rapport" else None


def _imports(path: Path, package: str):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                yield node.lineno, ".".join(base + ([node.module] if node.module else []))
            elif node.module:
                yield node.lineno, node.module


def test_every_app_is_a_layer():
    apps_on_disk = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    assert apps_on_disk == set(LAYERS), "every app under rapport/ is in INSTALLED_APPS, and only those"


def test_no_app_imports_a_higher_one():
    rank = {app: n for n, app in enumerate(LAYERS)}
    upward = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT.parent)
        if "migrations" in rel.parts:
            continue
        own = rel.parts[1] if len(rel.parts) > 2 else rel.stem
        if own in PROJECT or own not in rank:
            continue
        package = ".".join(rel.with_suffix("").parts[:-1])
        for line, module in _imports(path, package):
            target = _app_of(module)
            if target is None or target == own or target in PROJECT:
                continue
            if target not in rank or rank[target] > rank[own]:
                upward.append(f"{rel}:{line} imports {module} ({own} is below {target})")
    assert not upward, "Lower apps must not import higher ones:\n  " + "\n  ".join(upward)


def test_core_knows_no_domain():
    for path in sorted((ROOT / "core").rglob("*.py")):
        for line, module in _imports(path, "rapport.core"):
            target = _app_of(module)
            assert target in (None, "core"), f"{path.relative_to(ROOT.parent)}:{line} imports {module}"
