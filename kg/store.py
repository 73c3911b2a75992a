"""The graph store: rdflib's Dataset API over an on-disk Oxigraph store (oxrdflib).

Bulk work (loading a document's graph, dumping TriG, SPARQL for the endpoint) goes to the
same pyoxigraph store directly, which is what oxrdflib wraps: rdflib's in-memory store took
about 450 ms for an aggregate query on an 8k-triple graph where Oxigraph takes a few.

A data directory holds generations of the store; `current` points at the live one, so an
interrupted ingest never leaves a half-written store in use (see ingest.pipeline).
"""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph

from kg.namespaces import ID_BASE, ONTOLOGY_GRAPH, PREFIXES, VOCABULARY_GRAPH
from kg.vocabulary import ONTOLOGY_FILE, VOCABULARY_FILE

MANIFEST = "manifest.json"
STORE_DIR = "store"
DUMP_FILE = "kg.trig"
DOCUMENTS_DIR = "documents"
INDEX_DIR = "index"


class DataDirError(Exception):
    """The data directory is missing or not ingested; the message says what to run."""


class GraphStore:
    def __init__(self, path: Path, read_only: bool = False):
        self.path = Path(path)
        if read_only:
            if not (self.path / "CURRENT").exists():
                raise DataDirError(f"no graph store at {self.path}; run `make ingest` (python -m ingest) first")
            self.oxigraph = ox.Store.read_only(str(self.path))
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            self.oxigraph = ox.Store(str(self.path))
        self.dataset = Dataset(store=OxigraphStore(store=self.oxigraph), default_union=True)
        for prefix, namespace in PREFIXES.items():
            self.dataset.bind(prefix, namespace, override=True)

    # -- writing (ingest only)
    def replace_graph(self, graph_iri: str, graph: Graph) -> int:
        """Put `graph` in the named graph `graph_iri`, replacing what was there. Returns its size."""
        name = ox.NamedNode(str(graph_iri))
        self.remove_graph(graph_iri)
        data = graph.serialize(format="nt", encoding="utf-8")
        self.oxigraph.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=name)
        return len(graph)

    def remove_graph(self, graph_iri: str) -> None:
        name = ox.NamedNode(str(graph_iri))
        if self.oxigraph.contains_named_graph(name):
            self.oxigraph.remove_graph(name)

    def load_reference_graphs(self) -> None:
        """The ontology and the reference vocabulary, each in its own named graph."""
        for graph_iri, path in ((ONTOLOGY_GRAPH, ONTOLOGY_FILE), (VOCABULARY_GRAPH, VOCABULARY_FILE)):
            graph = Graph()
            graph.parse(path, format="turtle")
            self.replace_graph(graph_iri, graph)

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


def current_generation(data_dir: Path) -> Path | None:
    """The live generation of a data directory, or None if nothing was ingested yet."""
    link = Path(data_dir) / "current"
    if not link.exists():
        return None
    return link.resolve()


def read_manifest(generation: Path | None) -> dict:
    if generation is None:
        return {}
    path = generation / MANIFEST
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def open_current(data_dir: Path) -> tuple[GraphStore, dict, Path]:
    """The live store (read-only), its manifest and its generation directory."""
    generation = current_generation(data_dir)
    if generation is None:
        raise DataDirError(f"{data_dir} holds no ingested graph; run `make ingest` (python -m ingest --data {data_dir})")
    return GraphStore(generation / STORE_DIR, read_only=True), read_manifest(generation), generation


__all__ = ["GraphStore", "DataDirError", "open_current", "current_generation", "read_manifest", "ID_BASE"]
