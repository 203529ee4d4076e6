"""A test client that calls the API as one user, through a personal access token of theirs."""

from __future__ import annotations

from django.test import Client

from rapport.api.tokens import create_token


def token_client(user, scope: str = "write") -> Client:
    """A client whose every request carries a new token of ``user`` with this scope."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {create_token(user=user, name='test client', scope=scope)[1]}")
