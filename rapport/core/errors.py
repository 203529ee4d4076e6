"""The errors that Rapport's loaders and services raise for bad input.

Each names where the problem is (file, record, field) so that the command line,
the API and the web pages can show one clear message.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


class RapportError(Exception):
    """Bad input or a refused operation: shown to the user, never a traceback."""


class InputError(RapportError):
    def __init__(self, message: str, *, source: str = "", record: str = "", field: str = ""):
        self.source, self.record, self.field, self.detail = source, record, field, message
        where = ", ".join(
            part
            for part in (source,
                         _("record %(record)s") % {"record": record} if record else "",
                         _("field %(field)s") % {"field": repr(field)} if field else "")
            if part
        )
        super().__init__(_("%(where)s: %(message)s") % {"where": where, "message": message} if where else message)


class NotFound(RapportError):
    """The object does not exist, or the user may not see it: the two answer alike."""

    def __init__(self, what: str = "object"):
        super().__init__(_("No such %(what)s.") % {"what": what})


class Conflict(RapportError):
    """A stale edit: the record changed since the version the edit started from."""


class Refused(RapportError):
    """The acting user may not do this (the reason stays in the logs)."""
