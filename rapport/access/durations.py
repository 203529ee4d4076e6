"""Durations said as people say them: "15 minutes", "40 seconds", "1 hour and 30 minutes" (never
"0.666667 minutes"), for the messages about sessions and sign-in limits."""

from __future__ import annotations

UNITS = (("hour", 3600), ("minute", 60), ("second", 1))


def duration(seconds: float) -> str:
    left = max(round(float(seconds)), 0)
    parts = []
    for name, size in UNITS:
        count, left = divmod(left, size)
        if count:
            parts.append(f"{count} {name}{'' if count == 1 else 's'}")
    if not parts:
        return "0 seconds"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
