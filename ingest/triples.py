"""A document's named graph written straight to N-Triples, for the extraction job (ingest.jobs).

`ingest.graph.document_graph` adds triples to whatever graph it is given and asks it only whether a
triple is already there. An rdflib `Graph` keeps three nested indexes of term objects per triple:
for a 2 MB document (about 900,000 triples) that was most of the job's memory (gigabytes) and a third
of its time. `NTriplesSink` keeps each distinct triple once, as its N-Triples line in UTF-8 (rdflib's
own N-Triples row writer, so the store reads exactly the terms the Graph would have held), in the
order first added, and reads off, as the triples arrive, the little the index needs of the graph
(its claims and labels: `records()`), so nothing walks the graph afterwards.
"""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.plugins.serializers.nt import _quoteLiteral

from kg.namespaces import MBC

# what search.index.ClaimRecord reads of a claim (ingest.indexing.claim_records)
_CLAIM_FIELDS = frozenset({RDF.subject, RDF.predicate, RDF.object, PROV.wasDerivedFrom, MBC.quote, MBC.start, MBC.end,
                           MBC.extractor, MBC.confidence})


class NTriplesSink:
    """The add / contains / bind part of an rdflib Graph that document_graph uses, kept as N-Triples."""

    def __init__(self):
        self._lines: dict[bytes, None] = {}          # insertion-ordered set of N-Triples lines
        self._claims: dict[object, dict] = {}        # claim IRI -> its fields, in the order claims were typed
        self._labels: dict[object, list] = {}        # rdfs:label object -> subjects, in insertion order
        self._iris: dict[object, str] = {}           # IRI -> its N-Triples form

    def bind(self, *args, **kwargs) -> None:
        """Prefixes do not exist in N-Triples."""

    def _line(self, triple) -> bytes:
        """rdflib's N-Triples row (plugins.serializers.nt._nt_row), with each IRI written once: IRIs recur in
        triple after triple (a claim's IRI in about twelve) and URIRef.n3 checks every character each call."""
        subject, predicate, obj = triple
        terms = self._iris
        for term in (subject, predicate) if isinstance(obj, Literal) else triple:
            if term not in terms:
                terms[term] = term.n3()
        written = _quoteLiteral(obj) if isinstance(obj, Literal) else terms[obj]
        return f"{terms[subject]} {terms[predicate]} {written} .\n".encode("utf-8")

    def add(self, triple) -> None:
        line = self._line(triple)
        if line in self._lines:
            return
        self._lines[line] = None
        subject, predicate, obj = triple
        if predicate == RDF.type and obj == MBC.Claim:
            self._claims.setdefault(subject, {})
        elif predicate in _CLAIM_FIELDS and subject in self._claims:
            self._claims[subject].setdefault(predicate, obj)
        elif predicate == RDFS.label:
            self._labels.setdefault(obj, []).append(subject)

    def __contains__(self, triple) -> bool:
        return self._line(triple) in self._lines

    def __len__(self) -> int:
        return len(self._lines)

    def serialize(self) -> bytes:
        return b"".join(self._lines)

    def records(self):
        """The index's claims and labels of this graph, as ingest.indexing.graph_records reads them off an
        rdflib Graph (claims in the order they were typed; for labels, rdflib's order: by label, then
        subject, the last one winning)."""
        from search.index import ClaimRecord

        claims = []
        for claim, fields in self._claims.items():
            obj = fields[RDF.object]
            claims.append(ClaimRecord(
                str(fields[PROV.wasDerivedFrom]), str(claim), str(fields[RDF.subject]), str(fields[RDF.predicate]),
                str(obj), isinstance(obj, URIRef), str(fields[MBC.quote]), int(fields[MBC.start]),
                int(fields[MBC.end]), str(fields[MBC.extractor]), float(fields[MBC.confidence])))
        labels = {str(subject): str(label) for label, subjects in self._labels.items() for subject in subjects}
        return claims, labels

