"""Who is calling: the browser session (Django's, with its CSRF check on writes) or a
personal access token in ``Authorization: Bearer …`` (tokens.py). Either way the caller is
one user, and reads and writes go through that user's visibility and the policy."""

from __future__ import annotations

from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from rapport.audit.context import current_request_id
from rapport.core.errors import InputError

from . import ratelimits
from .models import Scope
from .tokens import authenticate

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Query parameters that take several values (``?kind=a&kind=b``); any other given twice is refused.
LIST_PARAMETERS = frozenset({"kind"})


def refuse_repeated_parameters(request) -> None:
    """A parameter of one value given twice is ambiguous (which one counts?), and one without a
    name is no parameter: a clear 400 before the operation reads its input."""
    for name, values in request.GET.lists():
        if not name.strip():
            raise InputError("a query parameter has no name (as in '?=value')", field="query")
        if len(values) > 1 and name not in LIST_PARAMETERS:
            raise InputError(f"{name[:40]} is given {len(values)} times; give it once", field=name[:40])


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        found = authenticate(token)
        if found is None:
            return None
        if request.method not in SAFE_METHODS and found.scope != Scope.WRITE:
            raise HttpError(403, "this token reads only: make a write token to change anything")
        refuse_repeated_parameters(request)
        ratelimits.check(request, f"token:{found.prefix}")
        request.user = found.user  # the rest of the stack (no-store, audit) sees the token's user
        request.access_token = found
        # Every audit entry written for this request names the token it came with.
        current_request_id.set(f"token:{found.prefix}:{getattr(request, 'request_id', '')}"[:64])
        return found.user


class StaffSession(SessionAuth):
    """The signed-in browser session: any active, signed-in user."""

    def authenticate(self, request, key):
        user = request.user
        if not (user.is_authenticated and user.is_active):
            return None
        refuse_repeated_parameters(request)
        ratelimits.check(request, f"user:{user.pk}")
        return user


AUTH = [TokenAuth(), StaffSession()]
