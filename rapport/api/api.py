"""The REST API, mounted at /api/v1/ (django-ninja): typed routes, OpenAPI 3.1 at
/api/v1/openapi.json, errors as RFC 9457 problem details naming the field."""

from __future__ import annotations

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from rapport.core.errors import Conflict, InputError, NotFound, Refused

from . import comments, editions, joint_texts, journal, labels, records, reference  # noqa: F401  (importing a module adds its routes to the router)
from .auth import AUTH
from .docs import OwnSwagger
from .links import add_links
from .ratelimits import RateLimited
from .resources import router
from .writes import PreconditionFailed  # importing writes adds its routes to the router


class RapportAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The schema ninja builds, with errors documented as the problem details they are."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    if str(status)[:1] in "45" and "application/json" in answer.get("content", {}):
                        answer["content"] = {PROBLEM: answer["content"]["application/json"]}
        return add_links(schema)


api = RapportAPI(title="Rapport API", version="1", urls_namespace="api", auth=AUTH, docs_url="/docs",
                 docs=OwnSwagger(),
                 description="The partnership's records as the caller may read them, and the contribution "
                             "workflow. Sign in with the browser session or a personal access token "
                             "(`Authorization: Bearer rpt_…`, made on the page /accounts/tokens/ or with "
                             "`rapport token create`).")
api.add_router("", router)

PROBLEM = "application/problem+json"


def problem(request, status: int, title: str, detail: str, field: str | None = None):
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if field:
        body["field"] = field
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = PROBLEM
    return response


@api.exception_handler(NotFound)
@api.exception_handler(Http404)
def not_found(request, exc):
    # A denied object and a missing one answer alike.
    return problem(request, 404, "Not Found", "No such object, or not one you may read.")


@api.exception_handler(InputError)
def input_error(request, exc):
    return problem(request, 400, "Bad Request", exc.detail, exc.field or None)


@api.exception_handler(Refused)
def refused(request, exc):
    return problem(request, 403, "Forbidden", str(exc))


@api.exception_handler(ValidationError)
def invalid(request, exc):
    first = exc.errors[0] if exc.errors else {}
    loc = list(first.get("loc", ()))
    if loc[:1] == ["body"]:
        loc = loc[2:]  # ("body", <the parameter>, field …): the field as the caller sent it
    where = [str(p) for p in loc if p not in ("query", "path")]
    field = ".".join(where) or None
    return problem(request, 400, "Bad Request", f"{field or 'the request'}: {first.get('msg', 'invalid')}", field)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = problem(request, 401, "Unauthorized",
                       "Sign in, or send a personal access token: Authorization: Bearer rpt_…")
    response["WWW-Authenticate"] = 'Bearer realm="rapport"'
    return response


@api.exception_handler(PreconditionFailed)
def precondition(request, exc):
    return problem(request, exc.status, "Precondition Failed" if exc.status == 412 else "Precondition Required",
                   exc.detail)


@api.exception_handler(RateLimited)
def rate_limited(request, exc):
    response = problem(request, 429, "Too Many Requests",
                       f"This token (or account) made more than {exc.limit} {exc.kind} requests this minute; "
                       f"try again in {exc.retry_after} seconds.")
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Conflict)
def conflict(request, exc):
    return problem(request, 409, "Conflict", str(exc))


@api.exception_handler(HttpError)
def http_error(request, exc):
    return problem(request, exc.status_code, "Error", str(exc))
