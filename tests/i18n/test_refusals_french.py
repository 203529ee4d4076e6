"""A refusal's reason is in the reader's language: every ``deny(...)`` reason goes through the
catalogue, so a French page says "Non autorisé : seuls les approbateurs …", not an English
reason after a French "Non autorisé"."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from rapport.access.policy import can, require
from rapport.core.errors import Refused
from rapport.reports.models import Report
from rapport.reports.rules import ReportAction

RAPPORT = Path(__file__).resolve().parents[2] / "rapport"
NBSP = "\u00a0"


@pytest.mark.django_db
def test_a_report_refusal_is_in_french(make_user, eu_nato):
    report = Report.objects.get(period__partnership=eu_nato, state="draft")
    drafter = make_user("eu", "drafter", 2)

    with translation.override("en"):
        decision = can(drafter, ReportAction.APPROVE, report)
    assert not decision
    assert decision.reason == "only approvers of the partnership's organisations approve reports"

    with translation.override("fr"):
        decision = can(drafter, ReportAction.APPROVE, report)
        assert not decision
        assert decision.reason == "seuls les approbateurs des organisations du partenariat approuvent les rapports"
        with pytest.raises(Refused) as refused:
            require(drafter, ReportAction.APPROVE, report)
    assert str(refused.value.args[0]) == (
        f"Non autorisé{NBSP}: seuls les approbateurs des organisations du partenariat approuvent les rapports.")


def _plain_denials(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        reason = node.args[0]
        if name == "deny" and (isinstance(reason, ast.JoinedStr)
                               or (isinstance(reason, ast.Constant) and isinstance(reason.value, str))):
            found.append(f"{path.relative_to(RAPPORT.parent)}:{node.lineno}: {ast.unparse(reason)[:80]}")
    return found


def test_no_refusal_reason_is_a_plain_string():
    plain = [hit for path in sorted(RAPPORT.rglob("*.py")) if "__pycache__" not in path.parts
             for hit in _plain_denials(path)]
    assert not plain, "deny() with an untranslated reason (wrap it in gettext):\n" + "\n".join(plain)
