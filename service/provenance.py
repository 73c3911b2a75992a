"""Provenance: a claim's page (/claims/<id>) with its quote in context, and /api/provenance, the
claims behind any triple."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request, url_for
from markupsafe import Markup, escape

from kg.namespaces import ID_BASE, compact
from service import state
from service.data_access import claim_rows, labels
from service.errors import ApiError, whole_number
from service.negotiation import HTML, rdf_response, resource_media
from service.resources import MAX_CLAIMS, describe, local_href

bp = Blueprint("provenance", __name__)

MAX_OFFSET = 1_000_000


@bp.route("/claims/<string:claim_id>")
def claim_page(claim_id: str):
    iri = f"{ID_BASE}claim/{claim_id}"
    store = state.store()
    rows = claim_rows(store, claim=iri, limit=1)
    if not rows:
        abort(404, description=f"no claim {claim_id!r}")
    claim = rows[0]
    media = resource_media()
    if media != HTML:
        return rdf_response(describe(store, iri), media)
    text = state.served().document_text(claim["source_file"]) or claim["passage_text"]
    start, end = claim["start"], claim["end"]
    window_start, window_end = max(0, start - 400), min(len(text), end + 400)
    context = Markup("{}<mark id=\"highlight\">{}</mark>{}").format(
        escape(text[window_start:start]), escape(text[start:end]), escape(text[end:window_end]))
    names = labels(store, {claim["subject"], claim["predicate"]} | ({claim["object"]} if claim["object_type"] == "iri" else set()))
    return render_template("claim.html", claim=claim, iri=iri, context=context, names=names, href=local_href,
                           short=compact, document_href=url_for("documents.document_page", name=claim["source_file"],
                                                             start=start, end=end) + "#highlight")


@bp.route("/claims/")
def claim_list():
    """The claims behind a triple (or about a subject) as a page: where every "+N more" source leads."""
    subject, predicate, obj = (request.args.get(k) or None for k in ("s", "p", "o"))
    try:
        offset = max(0, min(whole_number(request.args.get("offset", "0")), MAX_OFFSET))
    except ValueError:
        raise ApiError(400, "bad offset", "offset must be a whole number") from None
    page_size = 100
    claims = claim_rows(state.store(), subject, predicate, obj, limit=page_size + 1, offset=offset)
    names = labels(state.store(), {c["subject"] for c in claims} | {c["object"] for c in claims if c["object_type"] == "iri"})
    return render_template("claims.html", claims=claims[:page_size], names=names, href=local_href, short=compact,
                           subject=subject, predicate=predicate, obj=obj, offset=offset, page_size=page_size,
                           has_more=len(claims) > page_size)


@bp.route("/api/provenance")
def provenance():
    for name in ("s", "p", "o"):
        if request.args.get(name) == "":
            raise ApiError(400, f"empty {name}", f"{name}= is empty: give a value or leave the parameter out")
    subject, predicate, obj = (request.args.get(k) for k in ("s", "p", "o"))
    try:
        limit = whole_number(request.args.get("limit", "100"))
        offset = whole_number(request.args.get("offset", "0"))
    except ValueError:
        raise ApiError(400, "bad limit or offset", "limit and offset must be whole numbers") from None
    if not 1 <= limit <= MAX_CLAIMS or not 0 <= offset <= MAX_OFFSET:
        raise ApiError(400, "bad limit or offset", f"limit must be 1 to {MAX_CLAIMS} and offset 0 to {MAX_OFFSET}")
    claims = claim_rows(state.store(), subject, predicate, obj, limit=limit, offset=offset)
    return jsonify({"s": subject, "p": predicate, "o": obj, "limit": limit, "offset": offset, "claims": claims})
