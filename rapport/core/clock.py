"""Today's date, as every rule that depends on the calendar reads it.

``RAPPORT_TODAY`` (an ISO date) fixes it: the test settings do, so that rules
about deadlines give the same answers whatever day the suite runs; an
installation may set it to rehearse a cycle. Otherwise it is the local date.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone


def today() -> datetime.date:
    fixed = getattr(settings, "RAPPORT_TODAY", None)
    return datetime.date.fromisoformat(fixed) if fixed else timezone.localdate()
