"""The schema's links for the write chains (rapport/api/links.py): what follows the creation of
a contribution or a joint text, each link naming an operation the schema has, with the id from
the body and the ETag as If-Match where the target checks it."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

ETAG = "$response.header.ETag"


@pytest.fixture
def schema():
    return Client().get("/api/v1/openapi.json").json()


def _links(schema, method: str, path: str, status: str) -> dict:
    return schema["paths"][path][method]["responses"][status].get("links", {})


@pytest.mark.parametrize("objects, steps", [("contributions", {"submit", "approve", "return"}),
                                            ("joint-texts", {"approve", "return"})])
def test_a_creation_links_to_reading_editing_each_step_and_the_comments(schema, objects, steps):
    links = _links(schema, "post", f"/api/v1/{objects}", "201")
    assert set(links) == {"read", "edit", "comments", "comment"} | steps
    on_the_object = {op["operationId"] for path, ops in schema["paths"].items() for op in ops.values()
                     if path.startswith(f"/api/v1/{objects}/{{id}}")}
    for name, link in links.items():
        assert link["parameters"]["path.id"] == "$response.body#/id"
        assert (link["parameters"].get("header.If-Match") == ETAG) == (name in {"edit"} | steps), name
    assert links["read"]["operationId"] == schema["paths"][f"/api/v1/{objects}/{{id}}"]["get"]["operationId"]
    assert links["edit"]["operationId"] == schema["paths"][f"/api/v1/{objects}/{{id}}"]["patch"]["operationId"]
    assert {link["operationId"] for link in links.values()} <= on_the_object


def test_every_answer_that_returns_the_object_links_on_and_nothing_else_does(schema):
    linked = {(path, method, status) for path, ops in schema["paths"].items() for method, op in ops.items()
              for status, answer in op["responses"].items() if answer.get("links")}
    every = {op["operationId"] for ops in schema["paths"].values() for op in ops.values()}
    for path, method, status in linked:
        assert status in ("200", "201") and (path.startswith(("/api/v1/contributions", "/api/v1/joint-texts"))), path
        assert not path.endswith("/comments"), path  # a comment's answer names the comment, not its subject
        for link in _links(schema, method, path, status).values():
            assert link["operationId"] in every
    assert ("/api/v1/contributions/{id}/submit", "post", "200") in linked
    assert ("/api/v1/joint-texts/{id}", "patch", "200") in linked
