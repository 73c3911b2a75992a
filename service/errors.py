"""Errors as JSON ({"error": ..., "detail": ...}) or, for a browser, as a page. Never a stack trace."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error the client can act on."""

    def __init__(self, status: int, error: str, detail: str = "", headers: dict | None = None, **extra):
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra
        super().__init__(f"{status} {error}: {detail}")


def error_response(status: int, error: str, detail: str = "", **extra):
    from service.negotiation import wants_html

    if wants_html():
        body = render_template("error.html", status=status, error=error, detail=detail, extra=extra)
        return body, status, {"Content-Type": "text/html; charset=utf-8"}
    payload = {"error": error, "detail": detail}
    payload.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify(payload)
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        response = app.make_response(error_response(error.status, error.error, error.detail, **error.extra))
        response.headers.update(error.headers)
        return response

    @app.after_request
    def _relative_redirects(response):
        """Werkzeug writes its own redirects ('/id//x' -> '/id/x', '/sparql' -> '/sparql/') with the
        request's Host; make them relative, so a client's Host header never names where a browser goes."""
        location = response.headers.get("Location")
        if location and 300 <= response.status_code < 400:
            parts = urlsplit(location)
            if parts.netloc and parts.netloc == request.host:
                response.headers["Location"] = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        response = app.make_response(error_response(error.code or 500, error.name, error.description or ""))
        headers = dict(error.get_headers())
        for name in ("Allow", "Retry-After"):
            if name in headers:
                response.headers[name] = headers[name]
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal error", "the server could not complete the request; it has been logged")


def whole_number(value: str) -> int:
    """A request parameter that must be a whole number, exactly as links write it: ASCII digits only
    (int() also takes " 3", "+3", "3_0" and Arabic-Indic digits). ValueError otherwise."""
    if not value.isascii() or not value.isdigit():
        raise ValueError(value)
    return int(value)

