"""Document numbers: each report is cited by a number in its partnership's pattern.

The pattern is a ``str.format`` string; the default gives ``EU-NATO/PR/8/2023``
(partnership, "PR" for progress report, the report's ordinal, the year of its
date). A deployment sets its own per partnership key in the setting
``RAPPORT_REPORT_NUMBER_PATTERNS`` (``"*"`` for every other partnership), e.g.
``{"eu-nato": "EU-NATO/JPR({ordinal:02d})/{year}"}``.

Fields: ``PARTNERSHIP`` (the key in capitals), ``partnership`` (the key),
``ordinal``, ``year``.
"""

from __future__ import annotations

import datetime

from django.conf import settings

DEFAULT_PATTERN = "{PARTNERSHIP}/PR/{ordinal}/{year}"


def pattern_for(partnership_key: str) -> str:
    patterns = getattr(settings, "RAPPORT_REPORT_NUMBER_PATTERNS", None) or {}
    return patterns.get(partnership_key) or patterns.get("*") or DEFAULT_PATTERN


def document_number(partnership_key: str, ordinal: int, date: datetime.date) -> str:
    return pattern_for(partnership_key).format(
        PARTNERSHIP=partnership_key.upper(), partnership=partnership_key, ordinal=ordinal, year=date.year)
