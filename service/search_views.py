"""/ and /search: the search page; /api/search: the same as JSON."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from markupsafe import Markup, escape

from search import MAX_K, MAX_QUERY_CHARS, SearchError, UnknownFilter
from service import state
from service.errors import ApiError

bp = Blueprint("search", __name__)
DEFAULT_K = 10


def _k(raw: str | None) -> int:
    if raw in (None, ""):
        return DEFAULT_K
    try:
        return int(raw)
    except ValueError:
        raise ApiError(400, "bad k", f"k must be a whole number from 1 to {MAX_K}, not {raw!r}") from None


def run_search(args) -> dict:
    try:
        return state.searcher().search(args.get("q", ""), k=_k(args.get("k")), document=args.get("document") or None,
                                  entity=args.get("entity") or None, entity_type=args.get("type") or None,
                                  mode=args.get("mode") or "hybrid")
    except UnknownFilter as error:
        raise ApiError(404, "unknown filter", str(error)) from None
    except SearchError as error:
        raise ApiError(400, "bad search request", str(error)) from None


@bp.route("/api/search")
def api_search():
    return jsonify(run_search(request.args))


def marked_passage(hit: dict) -> Markup:
    """The passage with its highlight in <mark>, everything escaped."""
    text, start, light = hit["text"], hit["start"], hit["highlight"]
    before = text[:light["start"] - start]
    inside = text[light["start"] - start:light["end"] - start]
    after = text[light["end"] - start:]
    return Markup("{}<mark>{}</mark>{}").format(escape(before), escape(inside), escape(after))


@bp.route("/")
@bp.route("/search")
def search_page():
    query = request.args.get("q", "")
    response, error, status = None, None, 200
    if query or "q" in request.args:
        try:
            response = run_search(request.args)
        except ApiError as problem:
            error, status = problem.detail, problem.status
    generation = state.served()
    documents = sorted((name, entry.get("title", name)) for name, entry in generation.documents.items())
    body = render_template("search.html", query=query, response=response, error=error, documents=documents,
                           selected_document=request.args.get("document", ""),
                           selected_type=request.args.get("type", ""), marked=marked_passage,
                           max_chars=MAX_QUERY_CHARS)
    return body, status
