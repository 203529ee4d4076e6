"""Rate limits on the API, per token (or per user, for the browser session): so many reads and
so many writes a minute, in fixed one-minute windows counted in a cache that the server's
processes share (a folder under the data directory by default).

A caller over the limit gets 429 with ``Retry-After`` (the seconds left in the window) and
nothing is done. Counting is best effort under heavy concurrency (two processes may both
count the same number once): a limit may let a few more requests through, never fewer.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches

WINDOW = 60  # seconds

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RateLimited(Exception):
    def __init__(self, limit: int, kind: str, retry_after: int):
        self.limit, self.kind, self.retry_after = limit, kind, retry_after
        super().__init__(f"more than {limit} {kind}s a minute")


def limits() -> dict[str, int]:
    return {"read": 600, "write": 60, **getattr(settings, "RAPPORT_API_RATE_LIMITS", {})}


def check(request, who: str) -> None:
    """Count this request for ``who`` (a token's prefix, or a user's id); raise RateLimited past the limit."""
    kind = "read" if request.method in SAFE_METHODS else "write"
    limit = limits()[kind]
    if not limit:
        return  # 0: no limit
    now = time.time()
    window = int(now // WINDOW)
    key = f"api:{who}:{kind}:{window}"
    cache = caches["ratelimits"]
    if cache.add(key, 1, timeout=WINDOW * 2):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=WINDOW * 2)
            count = 1
    if count > limit:
        raise RateLimited(limit, kind, max(1, int((window + 1) * WINDOW - now)))
