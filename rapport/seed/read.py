"""Read a dataset folder: parse each YAML file and check it against the schema.

Nothing touches the database here; every problem becomes an InputError that
names the file, the record and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _
from pydantic import ValidationError

from rapport.core.errors import InputError

from .schema import FILES, Strict

_IDENTITY_FIELDS = ("ref", "key", "code", "ordinal", "organisation")


def record_label(raw: Any, loc: tuple) -> tuple[str, str]:
    """Turn a pydantic error location into ('commitments[3] (ref 2016-HYB-04)', 'title')."""
    last = max((i for i, step in enumerate(loc) if isinstance(step, int)), default=-1)
    path, node = "", raw
    for step in loc[: last + 1]:
        path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else str(step))
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            node = None
    ident = ""
    if last >= 0 and isinstance(node, dict):
        ident = next((f"{k} {node[k]}" for k in _IDENTITY_FIELDS if k in node), "")
    record = f"{path} ({ident})" if ident else path
    return record, ".".join(str(step) for step in loc[last + 1 :])


def _schema_error(name: str, raw: Any, error: ValidationError) -> InputError:
    first = error.errors()[0]
    loc = tuple(s for s in first["loc"] if s not in ("str", "MarkingIn", "str-constrained"))
    record, field = record_label(raw, loc)
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = _("unknown field")
    elif first["type"] == "missing":
        message = _("this field is required")
    return InputError(message, source=name, record=record, field=field)


def read_dataset(folder: Path) -> dict[str, Strict]:
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(_("no dataset folder at %(folder)s") % {"folder": folder})
    known = {name for name, _, _ in FILES}
    strays = sorted(p.name for p in folder.glob("*.yaml") if p.name not in known)
    if strays:
        raise InputError(_("unknown file(s) %(files)s; a dataset has %(known)s")
                         % {"files": ", ".join(strays), "known": ", ".join(sorted(known))}, source=str(folder))
    parsed: dict[str, Strict] = {}
    for name, schema, required in FILES:
        path = folder / name
        if not path.exists():
            if required:
                raise InputError(_("this file is required"), source=str(path))
            continue
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", exc)
            if mark:
                raise InputError(_("not valid YAML at line %(line)s, column %(column)s: %(problem)s")
                                 % {"line": mark.line + 1, "column": mark.column + 1, "problem": problem},
                                 source=str(path)) from None
            raise InputError(_("not valid YAML: %(problem)s") % {"problem": problem}, source=str(path)) from None
        except UnicodeDecodeError:
            raise InputError(_("not UTF-8 text"), source=str(path)) from None
        if not isinstance(raw, dict):
            raise InputError(_("the file must hold a mapping of sections"), source=str(path))
        try:
            parsed[name] = schema.model_validate(raw)
        except ValidationError as exc:
            raise _schema_error(str(path), raw, exc) from None
    return parsed
