"""Running a workflow service from a button: the outcome becomes a message, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from rapport.core.errors import Conflict, InputError, NotFound, Refused


def run_workflow_action(request, call: Callable[[], object], done: str) -> None:
    """Call the service; a hidden object answers 404 as a missing one does."""
    try:
        call()
    except NotFound as exc:
        raise Http404 from exc
    except (Refused, Conflict) as exc:
        messages.error(request, str(exc))
    except InputError as exc:
        messages.error(request, _("Not done: %(problem)s.") % {"problem": exc.detail})
    else:
        messages.success(request, done)
