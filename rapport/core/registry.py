"""The application registry: a fixed set of stores that apps fill at start-up.

Adding a store after import raises, so a typo in a store name fails loudly.
Apps register from their own modules (``@register_renderer("pdf")`` in
``reports/renderers/pdf.py``), imported from ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Registry(dict):
    def __setitem__(self, key: str, value: Any) -> None:
        raise KeyError(f"The registry has a fixed set of stores; cannot add {key!r}")

    def __delitem__(self, key: str) -> None:
        raise TypeError("Registry stores cannot be removed")


registry = Registry(
    {
        "renderers": {},  # report formats: name -> renderer
        "editions": {},  # report audiences: name -> edition factory
        "seed_datasets": {},  # name -> folder of YAML files
        "policy_rules": {},  # (model label, action) -> access.policy.Rule
        "policy_conditions": {},  # (model label, action) -> [decide]: another app's extra refusals
        "integrity_rules": {},  # name -> function returning a list of problems ('rapport check')
        "record_provenance": {},  # name -> provenance(kind, records) for report sources (reports/records.py)
        "account_checks": {},  # name -> check(organisation=, delegation=) raising InputError ('account add', console)
    }
)
dict.__setitem__(registry, "_frozen", True)


def register(store: str, name: str) -> Callable[[Any], Any]:
    """Decorator: put the decorated object into ``registry[store][name]``."""

    def decorator(obj: Any) -> Any:
        if name in registry[store]:
            raise ValueError(f"{store} already has an entry named {name!r}")
        registry[store][name] = obj
        return obj

    return decorator
