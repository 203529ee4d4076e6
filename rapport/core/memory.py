"""Pausing Python's cyclic garbage collector while a large, short-lived structure is built.

Reading and assembling a report at 100× the default data creates some hundred thousand
objects that all stay alive until the document is done; each generational collection on
the way walks all of them again, which costs as much as the work itself (measured in
bench/bench_reports.py). Reference counting still frees everything as usual, and the
collector resumes when the outermost pause ends (in any thread).

    @collection_paused()
    def assemble(...): ...
"""

from __future__ import annotations

import contextlib
import gc
import threading

_lock = threading.Lock()
_depth = 0  # pauses in progress, across threads: the collector resumes when the last ends


@contextlib.contextmanager
def collection_paused():
    global _depth
    with _lock:
        if _depth == 0 and not gc.isenabled():
            owner = False  # someone else (a test, a profiler) turned it off: leave it so
        else:
            owner = True
            _depth += 1
            gc.disable()
    try:
        yield
    finally:
        if owner:
            with _lock:
                _depth -= 1
                if _depth == 0:
                    gc.enable()
