"""The production settings module, loaded with the environment it needs (and the environment put back)."""

from __future__ import annotations

import importlib
import os


def production_settings():
    env = {"RAPPORT_SECRET_KEY": "x" * 60}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return importlib.reload(importlib.import_module("rapport.settings.production"))
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
