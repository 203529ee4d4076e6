"""Counts what the API fuzzing ran, printed at the end of the run (the closing figures)."""

from __future__ import annotations

from collections import Counter

FUZZ = Counter()


def _statuses(prefix: str) -> str:
    return ", ".join(f"{k[len(prefix):]}: {v}" for k, v in sorted(FUZZ.items()) if k.startswith(prefix))


def pytest_terminal_summary(terminalreporter):
    if FUZZ["cases"]:
        terminalreporter.write_line(f"API fuzzing: {FUZZ['cases']} generated cases ({_statuses('status ')})")
    if FUZZ["stateful steps"]:
        terminalreporter.write_line(f"API stateful fuzzing: {FUZZ['stateful steps']} steps in "
                                    f"{FUZZ['stateful scenarios']} scenarios ({_statuses('stateful status ')})")
