"""Copying a published generation to a SPARQL server the user runs (kg.remote), changing only what
changed: each document's named graph is put when its text or the pipeline changed and dropped
when the document went away; the reference graphs follow the pipeline; the default graph is
rebuilt as the merge when anything changed.

What the server holds is remembered in the data directory (DataDir.remote_state_path), per server
URL, and written only after the server has taken everything: an interrupted copy is redone next
time, a server that was emptied or replaced is filled again (a different URL starts afresh).
"""
from __future__ import annotations

import json

from kg.datadir import DataDir, Generation
from kg.namespaces import ONTOLOGY_GRAPH, VOCABULARY_GRAPH
from kg.remote import RemoteEndpoints, RemoteStore


def wanted_graphs(generation: Generation) -> dict[str, str]:
    """Named graph IRI -> a key that changes whenever the graph's content can have changed."""
    manifest = generation.manifest
    fingerprint = manifest.get("fingerprint", "")
    graphs = {str(ONTOLOGY_GRAPH): fingerprint, str(VOCABULARY_GRAPH): fingerprint}
    for entry in manifest.get("documents", {}).values():
        graphs[entry["graph"]] = f"{fingerprint}:{entry['sha256']}"
    return graphs


def sync_remote(data: DataDir, generation: Generation, endpoints: RemoteEndpoints) -> dict:
    """Bring the server up to `generation`. Returns what was done (graphs put, dropped)."""
    state = _read_state(data)
    held = state.get(endpoints.update_url or endpoints.query_url, {})
    wanted = wanted_graphs(generation)
    to_put = sorted(graph for graph, key in wanted.items() if held.get(graph) != key)
    to_drop = sorted(set(held) - set(wanted))
    if not to_put and not to_drop:
        return {"put": [], "dropped": [], "server": endpoints.query_url}
    remote = RemoteStore(endpoints)
    local = generation.open_store(read_only=True)
    try:
        for graph in to_drop:
            remote.remove_graph(graph)
        for graph in to_put:
            triples = [_triple(quad) for quad in local.named_graph_quads(graph)]
            remote.replace_graph(graph, triples)
        remote.rebuild_default_graph()
    finally:
        local.close()
    state[endpoints.update_url or endpoints.query_url] = wanted
    data.remote_state_path.write_text(json.dumps(state, indent=2), encoding="utf-8")
    return {"put": to_put, "dropped": to_drop, "server": endpoints.query_url}


def _triple(quad):
    import pyoxigraph as ox

    return ox.Triple(quad.subject, quad.predicate, quad.object)


def _read_state(data: DataDir) -> dict:
    if not data.remote_state_path.exists():
        return {}
    return json.loads(data.remote_state_path.read_text(encoding="utf-8"))
