"""The graph store: one named graph per document, and the default graph as their merge.

Two kinds with one interface, written down in kg.store_protocol (`ReadableStore`, `WritableStore`):
`GraphStore`, an on-disk Oxigraph store (pyoxigraph) in each generation of the data directory, and
`RemoteStore` (kg.remote), any SPARQL 1.1 server a user already runs (Oxigraph server, Fuseki,
QLever, Virtuoso). Readers use the read side whichever kind they hold. Ingest writes with the write
side, and with what only a local store has: `load_graph`, `load_reference_graphs`, `dump_trig`,
`backup`, `flush`.

Everything local goes to pyoxigraph directly: rdflib's in-memory store took about 450 ms for an
aggregate query on an 8k-triple graph where Oxigraph takes a few (bench/store_bench.py). Ingest
still builds each document's graph with rdflib (its Graph API is what the claim writer uses) and
hands it over as N-Triples. Where a local store lives is the data directory's business (kg.datadir).
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import ONTOLOGY_GRAPH, PREFIXES, VOCABULARY_GRAPH
from kg.vocabulary import ONTOLOGY_FILE, vocabulary_graph


class GraphStore:
    """A local store (kg.store_protocol.WritableStore). Opened by kg.datadir.Generation.open_store,
    which checks that a store is there before opening it read-only."""

    is_local = True

    def __init__(self, path: Path, read_only: bool = False):
        self.path = Path(path)
        if read_only:
            self.oxigraph = ox.Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self.oxigraph = ox.Store(str(self.path))

    # -- reading
    def select(self, query: str) -> list[dict]:
        """Rows of a SELECT as {variable: pyoxigraph term or None}."""
        solutions = self.oxigraph.query(query)
        names = [v.value for v in solutions.variables]
        return [{name: solution[name] for name in names} for solution in solutions]

    def ask(self, query: str) -> bool:
        return bool(self.oxigraph.query(query))

    def construct(self, query: str) -> list[ox.Triple]:
        return list(self.oxigraph.query(query))

    def triples_about(self, iri: str) -> list[ox.Triple]:
        """The triples with `iri` as subject in the default graph."""
        quads = self.oxigraph.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph())
        return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]

    def default_graph_triples(self):
        return (ox.Triple(q.subject, q.predicate, q.object)
                for q in self.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def named_graph_quads(self, graph_iri: str | None = None):
        if graph_iri is not None:
            return self.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri))
        return (q for q in self.oxigraph if not isinstance(q.graph_name, ox.DefaultGraph))

    # -- writing (ingest only)
    def replace_graph(self, graph_iri: str, graph) -> int:
        """Put `graph` in the named graph `graph_iri`, replacing what was there. Returns its size."""
        self.load_graph(graph_iri, graph.serialize(format="nt", encoding="utf-8"))
        return len(graph)

    def load_graph(self, graph_iri: str, ntriples: bytes) -> None:
        """Put N-Triples in the named graph `graph_iri`, replacing what was there (ingest's workers
        hand each document's graph over as N-Triples: see ingest.jobs)."""
        self.remove_graph(graph_iri)
        self.oxigraph.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph_iri)))

    def remove_graph(self, graph_iri: str) -> None:
        name = ox.NamedNode(str(graph_iri))
        if self.oxigraph.contains_named_graph(name):
            self.oxigraph.remove_graph(name)

    def load_reference_graphs(self, vocabulary_mode: str = "full") -> None:
        """The ontology and the reference vocabulary (the one the extractor read:
        kg.vocabulary.vocabulary_mode), each in its own named graph."""
        from rdflib import Graph

        ontology = Graph()
        ontology.parse(ONTOLOGY_FILE, format="turtle")
        self.replace_graph(ONTOLOGY_GRAPH, ontology)
        self.replace_graph(VOCABULARY_GRAPH, vocabulary_graph(vocabulary_mode))

    def rebuild_default_graph(self) -> int:
        """Make the default graph the RDF merge of every named graph.

        Queries that name no dataset read the default graph. Oxigraph's "default graph as union"
        option returns a triple once per graph that holds it (AAPC would issue the CPC three
        times over), so the merge is stored instead: a set, as SPARQL's default graph should be.
        """
        self.oxigraph.clear_graph(ox.DefaultGraph())
        self.oxigraph.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        return self.default_graph_size()

    def default_graph_size(self) -> int:
        return sum(1 for _ in self.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def close(self) -> None:
        """Let go of the store's files (pyoxigraph closes them when the store is dropped)."""
        self.oxigraph = None

    def dump_trig(self, path: Path) -> None:
        """The named graphs as TriG (the default graph is their merge, so it is left out)."""
        prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        with open(path, "wb") as handle:
            for graph in sorted(self.named_graphs()):
                quads = self.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph))
                handle.write(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes))

    def backup(self, target: Path) -> None:
        """A checkpoint copy of the store in `target` (hard links where it can)."""
        self.oxigraph.backup(str(target))

    def flush(self) -> None:
        self.oxigraph.flush()

    def __len__(self) -> int:
        return len(self.oxigraph)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self.oxigraph.named_graphs())


__all__ = ["GraphStore"]
