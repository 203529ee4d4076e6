import re

from .context import current_request_id, new_request_id

_TOKEN = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Gives each request an id; audit entries written while serving it carry the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A proxy may pass its own id so that its logs and ours can be matched; anything but a
        # plain token is replaced, so the log never holds text a client chose.
        given = request.headers.get("X-Request-Id", "")
        request_id = given if _TOKEN.fullmatch(given) else new_request_id()
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-Id"] = request_id
        return response
