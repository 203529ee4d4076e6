"""Free text as Rapport accepts it: no NUL or other control characters, one kind of line end.

Every service passes what a person typed through ``clean_text`` before it is
stored, so the same text gives the same clear error on SQLite and PostgreSQL
(which refuses NUL outright) and paragraphs typed in a browser (``\\r\\n``)
are the same paragraphs in every output.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import InputError

# The longest texts Rapport takes: a contribution's or a joint text's body, and a message.
LONG_TEXT, MESSAGE = 50_000, 5_000

# C0 controls except tab and line feed, DEL, the C1 controls, the bidirectional embeddings,
# overrides and isolates (they make a text display other than it reads), lone surrogates
# (no UTF-8 form) and the noncharacters, which XML (DOCX) and some databases cannot hold.
_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# Characters that show nothing: a text made only of them (and spaces) is empty.
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\\s]")


def control_character(value: str) -> str | None:
    """The first forbidden control character in ``value``, as U+XXXX, or None."""
    match = _CONTROL.search(value.replace("\r", ""))
    return f"U+{ord(match.group()):04X}" if match else None


def clean_text(value, *, field: str, required: bool = False, max_length: int | None = None,
               what: str = gettext_lazy("the text"), missing: str = "") -> str:
    """Normalise line ends, strip, and refuse control characters, naming the field.

    ``what`` (a noun phrase, "the message") and ``missing`` (a whole instruction) appear in
    the errors as given: callers pass them translated (gettext_lazy)."""
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = control_character(text)
    if bad:
        raise InputError(_("%(what)s contains a control character (%(character)s) that Rapport does not accept")
                         % {"what": what, "character": bad}, field=field)
    text = text.strip()
    if required and not _INVISIBLE.sub("", text):
        raise InputError(str(missing) or _("write %(what)s") % {"what": what}, field=field)
    if max_length is not None and len(text) > max_length:
        raise InputError(_("%(what)s is %(length)s characters long; at most %(maximum)s are accepted")
                         % {"what": what, "length": len(text), "maximum": max_length}, field=field)
    return text


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a text: blank lines separate them; single line ends join lines."""
    parts = _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n").strip())
    return [" ".join(line.strip() for line in p.split("\n")) for p in parts if p.strip()]
