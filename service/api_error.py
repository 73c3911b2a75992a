"""ApiError, in a leaf module: every blueprint and helper raises it, and service.errors turns it into a
response (JSON or a page) without the two importing each other."""
from __future__ import annotations


class ApiError(Exception):
    """An error the client can act on."""

    def __init__(self, status: int, error: str, detail: str = "", headers: dict | None = None, **extra):
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra
        super().__init__(f"{status} {error}: {detail}")
