"""Whole-database consistency rules that no single row constraint can express.

Apps register rules with ``@integrity_rule("name")``; ``rapport check`` runs them all.
A rule returns a list of problems, each one sentence.
"""

from __future__ import annotations

from collections.abc import Callable

from .registry import register, registry


def integrity_rule(name: str) -> Callable:
    return register("integrity_rules", name)


def data_problems() -> list[str]:
    problems: list[str] = []
    for _name, check in sorted(registry["integrity_rules"].items()):
        problems += check()
    return problems
