"""What a graph store is, written down: the read side every reader uses and the write side ingest uses,
as `typing.Protocol`s (rdflib's `Store` documents its interface the same way).

Two kinds implement both: `kg.store.GraphStore` (an Oxigraph store in a generation of the data
directory) and `kg.remote.RemoteStore` (a SPARQL 1.1 server the user runs). Code that reads the graph
takes a `ReadableStore` and does not ask which kind it holds; where the kind matters (a local store's
files can be opened by the query workers, a remote one can be asked whether it answers) it reads
`is_local`. tests/test_store_protocol.py checks that both kinds have every method with the same
parameters. A leaf module: it imports neither store, so the search side can name the type without
loading rdflib.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import pyoxigraph as ox


@runtime_checkable
class ReadableStore(Protocol):
    """The graph as readers see it: each document a named graph, the default graph their merge.
    Terms come back as pyoxigraph terms whichever kind of store answers."""

    is_local: bool
    """True for a store in the data directory (its files are at `path`), False for a SPARQL server."""

    path: Path | None
    """Where a local store's files are; None for a remote store."""

    def select(self, query: str) -> list[dict]:
        """Rows of a SELECT as {variable: pyoxigraph term or None}."""

    def ask(self, query: str) -> bool:
        """The answer of an ASK query."""

    def construct(self, query: str) -> list[ox.Triple]:
        """The triples of a CONSTRUCT (or DESCRIBE) query."""

    def triples_about(self, iri: str) -> list[ox.Triple]:
        """The triples with `iri` as subject in the default graph."""

    def default_graph_triples(self) -> Iterable[ox.Triple]:
        """Every triple of the default graph (the merge of the named graphs)."""

    def named_graph_quads(self, graph_iri: str | None = None) -> Iterator[ox.Quad]:
        """The quads of one named graph, or of all of them when `graph_iri` is None."""

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""

    def default_graph_size(self) -> int:
        """How many triples the default graph holds."""

    def close(self) -> None:
        """Let go of the store (its files, for a local one)."""


@runtime_checkable
class WritableStore(ReadableStore, Protocol):
    """The graph as ingest writes it: whole named graphs put or dropped, then the default graph
    rebuilt as their merge."""

    def replace_graph(self, graph_iri: str, graph) -> int:
        """Put `graph` (an rdflib graph; a remote store also takes a list of pyoxigraph triples) in the
        named graph `graph_iri`, replacing what was there. Returns its size."""

    def remove_graph(self, graph_iri: str) -> None:
        """Drop the named graph `graph_iri` (nothing happens if there is none)."""

    def rebuild_default_graph(self) -> int:
        """Make the default graph the RDF merge of every named graph. Returns its size."""
