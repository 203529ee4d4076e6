"""OpenAPI links for the write chains: what a client (or Schemathesis' stateful mode) can do
next with the contribution or joint text an answer names. Every answer that returns the object
— its creation (201), its read, its edit and each workflow step (200) — links to reading it,
editing it, each workflow step and its comment thread, passing the object's ``id`` from the
body and, where the target checks it, the answer's ``ETag`` as ``If-Match``."""

from __future__ import annotations

from typing import Any

ID = "$response.body#/id"
ETAG = "$response.header.ETag"

# The objects with a write chain, and the workflow steps each answers at /{objects}/{id}/{step}.
CHAINS = {"contributions": ("submit", "approve", "return"), "joint-texts": ("approve", "return")}


def _targets(objects: str, steps: tuple[str, ...]) -> list[tuple[str, str, str, bool]]:
    """(link name, method, path, whether it takes If-Match) of what follows an answer naming the object."""
    return [("read", "get", f"/{objects}/{{id}}", False),
            ("edit", "patch", f"/{objects}/{{id}}", True),
            *((step, "post", f"/{objects}/{{id}}/{step}", True) for step in steps),
            ("comments", "get", f"/{objects}/{{id}}/comments", False),
            ("comment", "post", f"/{objects}/{{id}}/comments", False)]


def _sources(objects: str, steps: tuple[str, ...]) -> list[tuple[str, str, int]]:
    """(method, path, status) of the answers that return the object with its ETag."""
    return [("post", f"/{objects}", 201), ("get", f"/{objects}/{{id}}", 200), ("patch", f"/{objects}/{{id}}", 200),
            *(("post", f"/{objects}/{{id}}/{step}", 200) for step in steps)]


def _operation(paths: dict[str, Any], prefix: str, method: str, path: str) -> dict[str, Any] | None:
    return paths.get(prefix + path, {}).get(method)


def _prefix(paths: dict[str, Any], objects: str) -> str | None:
    """Where the API is mounted, as the schema's paths spell it (``/api/v1``)."""
    return next((key[: -len(objects) - 1] for key in paths if key.endswith(f"/{objects}")
                 and "{" not in key[: -len(objects)]), None)


def add_links(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the write chains' links to ``schema`` (in place; also returned). A route that is not
    there (yet) is left out rather than named in a link that leads nowhere."""
    paths = schema.get("paths", {})
    for objects, steps in CHAINS.items():
        prefix = _prefix(paths, objects)
        if prefix is None:
            continue
        targets = [(name, _operation(paths, prefix, method, path), method, path, if_match)
                   for name, method, path, if_match in _targets(objects, steps)]
        for method, path, status in _sources(objects, steps):
            source = _operation(paths, prefix, method, path)
            responses = source.get("responses", {}) if source else {}
            answer = responses.get(status, responses.get(str(status)))
            if answer is None:
                continue
            links = answer.setdefault("links", {})
            for name, target, t_method, t_path, if_match in targets:
                if target is None or (t_method, t_path) == (method, path) or "operationId" not in target:
                    continue
                parameters = {"path.id": ID}
                if if_match:
                    parameters["header.If-Match"] = ETAG
                links[name] = {"operationId": target["operationId"], "parameters": parameters,
                               "description": f"{t_method.upper()} {prefix}{t_path} with the id of the object "
                                              "this answer returns" + (" and its ETag as If-Match" if if_match
                                                                       else "")}
    return schema
