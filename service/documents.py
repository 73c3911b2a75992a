"""/documents/<name>: the source text of a document, every claim marked where it was read, its facts in
words beside it (service.reader), and a cited span highlighted.

    /documents/<name>                  the page: the reader; a cited span highlighted (?start=&end=)
    /documents/<name>?format=text      the text every offset indexes, verbatim (text/plain; charset=utf-8)
    /documents/<name>?format=original  the file as ingested, with its media type, always as a download
                                       (Content-Disposition: attachment): the file is untrusted, so a
                                       browser must never render an uploaded HTML page or PDF inline
"""
from __future__ import annotations

import io
import posixpath

from flask import Blueprint, Response, abort, render_template, request, send_file

from kg.namespaces import document_iri
from service import reader, state
from service.errors import whole_number
from service.negotiation import HTML, PLAIN_TEXT

bp = Blueprint("documents", __name__)


def _span(text: str) -> tuple[int, int] | None:
    """The cited span: both offsets or neither; offsets that are not a span of this text are a 400,
    so a broken citation link says so instead of showing the document with nothing marked."""
    start, end = request.args.get("start"), request.args.get("end")
    if start is None and end is None:
        return None
    try:
        start, end = whole_number(start or ""), whole_number(end or "")
    except ValueError:
        abort(400, description="start and end must both be given, as whole numbers of characters")
    if not 0 <= start < end <= len(text):
        abort(400, description=f"start and end must satisfy 0 <= start < end <= {len(text)} "
                               f"(the length of this document's text)")
    return start, end


@bp.route("/documents/<path:name>")
def document_page(name: str):
    """`name` is the document's path in the corpus ("texas/a.txt"); only names the manifest lists are read."""
    generation = state.served()
    text = generation.document_text(name)   # only names the manifest lists; anything else is a 404
    if text is None:
        abort(404, description=f"no document named {name!r}")
    entry = generation.documents[name]
    wanted = request.args.get("format", "html")
    if wanted == "text":
        return Response(text.encode("utf-8"), content_type=f"{PLAIN_TEXT}; charset=utf-8")
    if wanted == "original":
        return _original(generation, name, text, entry)
    if wanted != "html":
        abort(400, description=f"format must be text or original (or absent for the page), not {wanted!r}")
    span = _span(text)
    iri = str(document_iri(name))
    spans, facts, fact_of = generation.cached_download(
        f"reader:{name}", lambda: reader.document_facts(generation.store, iri, name))
    marks = list(spans) + ([reader.Span(span[0], span[1], reader.HIGHLIGHT)] if span else [])
    body = reader.mark_up(text, marks)
    groups: dict[str, list] = {kind: [] for kind, _ in reader.KINDS}
    for number, fact in enumerate(facts):
        groups.setdefault(fact.kind, []).append((number, fact))
    return render_template("document.html", name=name, title=entry.get("title", name), body=body, span=span,
                           iri=iri, entry=entry, facts=facts, groups=groups, kinds=reader.KINDS,
                           folded=reader.FOLDED_KINDS, claim_count=len(spans),
                           reader_data=reader.facts_json(facts, fact_of))


def _original(generation, name: str, text: str, entry: dict):
    """The file's own bytes; for plain text and markdown the text is the file (decoded unchanged)."""
    media_type = entry.get("media_type", PLAIN_TEXT)
    data = generation.document_original(name)
    if data is None:
        if not media_type.startswith("text/") or media_type == HTML:
            abort(404, description=f"the original file of {name!r} was not kept")
        data = text.encode("utf-8")     # send_file adds "; charset=utf-8" to a text/* type
    response = send_file(io.BytesIO(data), mimetype=media_type, as_attachment=True,
                         download_name=posixpath.basename(name), etag=False, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"    # even if opened, it runs nothing
    return response
