"""Copying a published generation to a SPARQL server the user runs (kg.remote), changing only what
changed: each document's named graph is put when its text or the pipeline changed and dropped
when the document went away; the reference graphs follow the pipeline; the default graph is
rebuilt as the merge when anything changed.

What the server holds is remembered in the data directory (DataDir.remote_state_path), per server
URL, and written only after the server has taken everything: an interrupted copy is redone next
time, a server that was emptied or replaced is filled again (a different URL starts afresh).
"""
from __future__ import annotations

from kg.datadir import DataDir, Generation
from kg.namespaces import ONTOLOGY_GRAPH, VOCABULARY_GRAPH
from kg.remote import RemoteEndpoints, RemoteStore, server_entry


def wanted_graphs(generation: Generation) -> dict[str, str]:
    """Named graph IRI -> a key that changes whenever the graph's content can have changed."""
    manifest = generation.manifest
    fingerprint = manifest.get("fingerprint", "")
    graphs = {str(ONTOLOGY_GRAPH): fingerprint, str(VOCABULARY_GRAPH): fingerprint}
    for entry in manifest.get("documents", {}).values():
        graphs[entry["graph"]] = f"{fingerprint}:{entry['sha256']}"
    return graphs


def sync_remote(data: DataDir, generation: Generation, endpoints: RemoteEndpoints) -> dict:
    """Bring the server up to `generation`. Returns what was done (graphs put, dropped).

    While the copy runs the state says so ("syncing"), so a server reading the graph from there does not
    cache answers read from a store that is half old and half new (service.sparql)."""
    state = data.read_remote_state()
    entry = server_entry(state, endpoints) or {"graphs": {}, "generation": None, "syncing": False}
    held = entry["graphs"]
    wanted = wanted_graphs(generation)
    to_put = sorted(graph for graph, key in wanted.items() if held.get(graph) != key)
    to_drop = sorted(set(held) - set(wanted))
    if not to_put and not to_drop:
        if entry.get("generation") != generation.name or entry.get("syncing"):
            _record(data, state, endpoints, {"graphs": held, "generation": generation.name, "syncing": False})
        return {"put": [], "dropped": [], "server": endpoints.query_url}
    _record(data, state, endpoints, {**entry, "syncing": True})
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
    _record(data, state, endpoints, {"graphs": wanted, "generation": generation.name, "syncing": False})
    return {"put": to_put, "dropped": to_drop, "server": endpoints.query_url}


def _record(data: DataDir, state: dict, endpoints: RemoteEndpoints, entry: dict) -> None:
    if endpoints.update_url and endpoints.update_url != endpoints.query_url:
        state.pop(endpoints.update_url, None)      # the older key
    state[endpoints.query_url] = entry
    data.write_remote_state(state)


def _triple(quad):
    import pyoxigraph as ox

    return ox.Triple(quad.subject, quad.predicate, quad.object)
