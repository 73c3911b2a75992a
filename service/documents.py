"""/documents/<name>: the source text of a document, with a cited span highlighted."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from markupsafe import Markup, escape

from kg.namespaces import document_iri
from service import state

bp = Blueprint("documents", __name__)


def _span(text: str) -> tuple[int, int] | None:
    try:
        start, end = int(request.args.get("start", "")), int(request.args.get("end", ""))
    except ValueError:
        return None
    if 0 <= start < end <= len(text):
        return start, end
    return None


@bp.route("/documents/<path:name>")
def document_page(name: str):
    """`name` is the document's path in the corpus ("texas/a.txt"); only names the manifest lists are read."""
    generation = state.served()
    text = generation.document_text(name)   # only names the manifest lists; anything else is a 404
    if text is None:
        abort(404, description=f"no document named {name!r}")
    entry = generation.documents[name]
    span = _span(text)
    if span:
        start, end = span
        body = Markup("{}<mark id=\"highlight\">{}</mark>{}").format(escape(text[:start]), escape(text[start:end]),
                                                                     escape(text[end:]))
    else:
        body = escape(text)
    return render_template("document.html", name=name, title=entry.get("title", name), body=body, span=span,
                           iri=str(document_iri(name)), entry=entry)
