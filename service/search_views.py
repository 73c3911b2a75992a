"""/ and /search: the search page; /api/search: the same as JSON."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, jsonify, render_template, request, url_for
from markupsafe import Markup, escape

from search import MAX_K, MAX_QUERY_CHARS, SearchError, UnknownFilter
from search.request import ENTITY_KINDS, MAX_OFFSET, MODES
from service import state
from service.errors import ApiError, whole_number

bp = Blueprint("search", __name__)
DEFAULT_K = 10
# What the page keeps from one search to the next (the form's fields and the paging links).
KEPT = ("q", "mode", "document", "type", "entity", "k")


def _whole(raw: str | None, name: str, default: int, low: int, high: int) -> int:
    if raw in (None, ""):
        return default
    try:
        return whole_number(raw)
    except ValueError:
        raise ApiError(400, f"bad {name}", f"{name} must be a whole number from {low} to {high}, not {raw!r}") from None


def run_search(args) -> dict:
    try:
        return state.searcher().search(args.get("q", ""), k=_whole(args.get("k"), "k", DEFAULT_K, 1, MAX_K),
                                       offset=_whole(args.get("offset"), "offset", 0, 0, MAX_OFFSET),
                                       document=args.get("document") or None, entity=args.get("entity") or None,
                                       entity_type=args.get("type") or None, mode=args.get("mode") or "hybrid")
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


def local_link(iri: str) -> str:
    """The page of a resource of the graph on this server ('/id/...')."""
    marker = "/mbc-kg/id/"
    return "/id/" + iri.split(marker, 1)[1] if marker in iri else iri


def claim_link(iri: str) -> str:
    return url_for("provenance.claim_page", claim_id=iri.rsplit("/", 1)[-1])


def source_link(source_file: str, start: int, end: int) -> str:
    return url_for("documents.document_page", name=source_file, start=start, end=end) + "#highlight"


def quotes(evidence: list[dict]) -> list[dict]:
    """An answer's evidence by quoted span: one quote however many claims it backs."""
    spans: dict[tuple, dict] = {}
    for item in evidence:
        key = (item["source_file"], item["start"], item["end"])
        spans.setdefault(key, {**item, "claims": []})["claims"].append(item["claim"])
    return list(spans.values())


def page_link(args, **changes) -> str:
    """This search with some parameters changed (paging, a corrected question), the rest kept."""
    kept = {name: args.get(name) for name in KEPT if args.get(name)}
    kept.update({name: value for name, value in changes.items() if value not in (None, "")})
    return url_for("search.search_page") + "?" + urlencode(kept)


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
    counts = {"documents": {}, "types": {}}
    if response:
        counts["documents"] = {d["source_file"]: d["count"] for d in response["facets"]["documents"]}
        counts["types"] = {t["type"]: t["count"] for t in response["facets"]["types"]}
    body = render_template("search.html", query=query, response=response, error=error, documents=documents,
                           kinds=ENTITY_KINDS, modes=MODES, counts=counts,
                           selected_document=request.args.get("document", ""),
                           selected_type=request.args.get("type", ""), selected_mode=request.args.get("mode", "hybrid"),
                           entity=request.args.get("entity", ""), marked=marked_passage, local_link=local_link,
                           claim_link=claim_link, source_link=source_link, quotes=quotes,
                           page_link=lambda **changes: page_link(request.args, **changes), max_chars=MAX_QUERY_CHARS)
    return body, status
