"""Rendered parts of pages kept across requests, keyed by everything that makes them correct.

A fragment is a template rendered from the context its view computes, and nothing else:
it is rendered without the request's context processors (no ``user``, no messages), only
with ``request`` for the ``{% portion %}`` tag and the pager. ``{% csrf_token %}`` writes a
slot that each response fills with its own token. It is stored under a key made of

- the fragment's name and the address (path and query string) it was rendered for;
- the reader's scope (``markings.querysets.scope_key``: clearance rank, organisations read
  for, own organisation), which is all ``visible_to`` depends on; anything else the view
  used about the reader (a role, the account for "mine") goes in ``vary``;
- the audit log's head hash: every change to partnership content goes through a service
  that writes an audit entry in the same transaction, so a new head means the fragment may
  be stale (the head is read before the data, so a fragment is never older than its key);
- today's date (deadlines and the current period depend on it);
- the language of the page (its fixed wording, dates and numbers).

The marking notes made while the fragment rendered (``PageMarking.recording``) are stored
with it and replayed on a hit, so the banner is the same whether the fragment came from
the cache or not. A fragment that contains a real CSRF token is never stored. One thread
per process builds a missing fragment while the others asking for it wait.

Fragments live in the ``fragments`` cache (per process, in memory); the test settings
turn it off except where a test turns it on.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from contextlib import contextmanager

from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from rapport.core.clock import today
from rapport.markings.querysets import scope_key

from .rendering import data_version, page_marking

CACHE = "fragments"
CSRF_FIELD = "csrfmiddlewaretoken"
# What {% csrf_token %} writes inside a fragment; each response gets its own token instead.
CSRF_SLOT = "rapport-csrf-slot"
_SLOT_INPUT = f'name="{CSRF_FIELD}" value="{CSRF_SLOT}"'


def render_bare(template: str, context: dict, request) -> str:
    """Render without the context processors: the template sees the view's context, and the
    request only for what tags read of it (the marking, the query string)."""
    bare = Context({**context, "request": request, "csrf_token": CSRF_SLOT})
    bare.request = request
    return get_template(template).template.render(bare)


def fragment_key(request, name: str, vary=(), reader=None) -> str:
    query = sorted((k, tuple(v)) for k, v in request.GET.lists())
    reader = request.user if reader is None else reader
    parts = (name, request.path, query, scope_key(reader), data_version(request), today().isoformat(),
             get_language(), tuple(vary))
    return "fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def fragment(request, name: str, template, context: Callable[[], dict], *, vary=(), reader=None):
    """``template`` rendered from ``context()``, or the stored rendering for the same key.

    ``context`` is called only on a miss, so a hit reads nothing but the audit head; an
    exception it raises (a 404) is never stored. ``template`` may be a dict of names to
    templates rendered from the same context (a page's title and body): the answer is then
    a dict of the same names. ``reader`` is whom the view reads as (the public area reads
    as the signed-out public whoever is signed in); by default the request's user."""
    cache = caches[CACHE]
    key = fragment_key(request, name, vary, reader)
    marking = page_marking(request)
    templates = template if isinstance(template, dict) else {"": template}
    found = cache.get(key)
    if found is None:
        with _building(key):  # the other threads of this process asking for it wait for this one
            found = cache.get(key)
            if found is None:
                with marking.recording() as notes:
                    values = context()
                    parts = {part: render_bare(tmpl, values, request) for part, tmpl in templates.items()}
                if not any(CSRF_FIELD in html.replace(_SLOT_INPUT, "") for html in parts.values()):
                    cache.set(key, ({k: str(v) for k, v in parts.items()}, list(notes)))
    if found is not None:
        parts, notes = found
        marking.replay(notes)
    parts = {k: mark_safe(_with_token(request, html)) for k, html in parts.items()}
    return parts if isinstance(template, dict) else parts[""]


_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@contextmanager
def _building(key: str):
    """One thread per process builds a fragment; the others wait, then read it from the cache
    (right after a write, every thread would otherwise build the same page at once)."""
    with _locks_guard:
        lock = _locks.setdefault(key, threading.Lock())
    with lock:
        try:
            yield
        finally:
            with _locks_guard:
                if _locks.get(key) is lock:
                    del _locks[key]


def _with_token(request, html: str) -> str:
    if _SLOT_INPUT not in html:
        return html
    return html.replace(_SLOT_INPUT, f'name="{CSRF_FIELD}" value="{get_token(request)}"')
