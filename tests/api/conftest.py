"""Counts what the API fuzzing ran, printed at the end of the run (the closing figures)."""

from __future__ import annotations

from collections import Counter

FUZZ = Counter()


def pytest_terminal_summary(terminalreporter):
    if FUZZ["cases"]:
        statuses = ", ".join(f"{k[7:]}: {v}" for k, v in sorted(FUZZ.items()) if k.startswith("status "))
        terminalreporter.write_line(f"API fuzzing: {FUZZ['cases']} generated cases ({statuses})")
