"""Errors as JSON ({"error": ..., "detail": ...}) or, for a browser, as a page. Never a stack trace."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit, urlunsplit

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kg.errors import RemoteStoreError, RemoteTimeout
from service.api_error import ApiError
from service.negotiation import HTML, wants_html

log = logging.getLogger(__name__)


def error_response(status: int, error: str, detail: str = "", **extra):
    if wants_html():
        body = render_template("error.html", status=status, error=error, detail=detail, extra=extra)
        return body, status, {"Content-Type": f"{HTML}; charset=utf-8"}
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

    @app.errorhandler(RemoteStoreError)
    def _graph_store_error(error: RemoteStoreError):
        """A page or API call whose read from a remote graph store (kg.remote) failed: the store's
        fault, said so (502, or 503 when it was too slow), never a 500."""
        log.warning("graph store: %s (on %s %s)", error, request.method, request.path)
        if isinstance(error, RemoteTimeout):
            return error_response(503, "the graph store did not answer in time", str(error))
        return error_response(502, "the graph store is unreachable", str(error))

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

