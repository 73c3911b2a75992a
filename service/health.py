"""/healthz: answers 200 once the store is open (and says whether search is ready); with the graph on
a remote SPARQL server, only while that server answers (503 saying why otherwise)."""
from flask import Blueprint, jsonify

from kg.errors import StorageError
from service import state

bp = Blueprint("health", __name__)

REMOTE_CHECK_SECONDS = 2.0      # how long /healthz waits for a remote store's `ASK {}`


def _unavailable(detail: str, **extra):
    response = jsonify({"status": "unavailable", "detail": detail, **extra})
    response.status_code = 503
    return response


@bp.route("/healthz")
def healthz():
    try:
        generation = state.served()
    except StorageError as error:       # no data yet, or a SPARQL server that failed while it was opened
        return _unavailable(str(error))
    remote = not generation.store.is_local
    if remote:
        problem = generation.store.reachable(min(REMOTE_CHECK_SECONDS, state.config().sparql_timeout))
        if problem is not None:
            return _unavailable(f"the graph store is unreachable: {problem}", store="unreachable",
                                generation=generation.name)
    return jsonify({
        "status": "ok",
        "generation": generation.name,
        "documents": len(generation.documents),
        "triples": generation.manifest.get("distinct_triples"),
        "search": "ready" if generation.searcher is not None else generation.search_problem,
        **({"store": "reachable"} if remote else {}),
    })
