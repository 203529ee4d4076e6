"""A stylesheet made from the data: assessment and organisation colours.

The CSP forbids inline styles, so colours that live in the database reach the
page as classes defined here (served from 'self')."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from rapport.partnerships.models import AssessmentValue, Organisation


def _text_colour(hex_colour: str) -> str:
    """Black or white, whichever contrasts better with the background."""
    h = hex_colour.lstrip("#")
    if len(h) != 6:
        return "#000"
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#fff"


def _safe(colour: str) -> str:
    c = colour.strip()
    return c if len(c) in (4, 7) and c.startswith("#") and all(ch in "0123456789abcdefABCDEF" for ch in c[1:]) else "#999999"


@require_GET
def assessment_css(request):
    lines = []
    for v in AssessmentValue.objects.order_by("pk"):
        colour = _safe(v.colour)
        lines.append(f".assess-{v.scheme_id}-{v.key}{{background:{colour};color:{_text_colour(colour)};}}")
        lines.append(f".swatch-{v.scheme_id}-{v.key}{{fill:{colour};}}")
    for o in Organisation.objects.order_by("pk"):
        colour = _safe(o.colour)
        lines.append(f".org-{o.key}{{border-color:{colour};}}")
        lines.append(f".org-badge-{o.key}{{background:{colour};color:{_text_colour(colour)};}}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "max-age=300"
    return response
