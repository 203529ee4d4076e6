"""Small SVG charts drawn by the templates: geometry is computed here, colours
come from classes (the CSP forbids inline styles; SVG attributes are fine).
Every chart is shown with a data table for screen readers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Segment:
    css: str
    label: str
    count: int
    x: float = 0.0
    width: float = 0.0
    record: object = None  # what the label names (its language is tagged on the page), if a record


@dataclass
class Bar:
    label: str
    total: int
    segments: list[Segment]
    y: float = 0.0
    record: object = None
    description: str = ""  # the bar in words, for screen readers


def stacked_bars(rows: list[tuple], *, width: float = 100.0, row_height: float = 22.0) -> dict:
    """Lay out horizontal stacked bars, each scaled to its own total (a share chart). A row is
    (label, segments) or (label, segments, the record the label names)."""
    bars = []
    for i, (label, segments, *record) in enumerate(rows):
        total = sum(s.count for s in segments)
        x = 0.0
        for s in segments:
            s.width = round(width * s.count / total, 2) if total else 0.0
            s.x = round(x, 2)
            x += s.width
        bars.append(Bar(label=label, total=total, segments=segments, y=i * row_height, record=record[0] if record else None))
    return {"bars": bars, "height": len(bars) * row_height, "row_height": row_height - 6, "width": width}
