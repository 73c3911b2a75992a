"""/healthz: answers 200 once the store is open (and says whether search is ready)."""
from flask import Blueprint, jsonify

from kg.datadir import DataDirError
from service import state

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    try:
        generation = state.served()
    except DataDirError as error:
        response = jsonify({"status": "unavailable", "detail": str(error)})
        response.status_code = 503
        return response
    return jsonify({
        "status": "ok",
        "generation": generation.name,
        "documents": len(generation.documents),
        "triples": generation.manifest.get("distinct_triples"),
        "search": "ready" if generation.searcher is not None else generation.search_problem,
    })
