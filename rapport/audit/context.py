"""The request an audited change came in with, carried in a context variable."""

import contextvars
import uuid

current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("rapport_request_id", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex
