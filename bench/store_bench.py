"""An aggregate SELECT through rdflib's API on its in-memory store and on Oxigraph (oxrdflib),
and directly on pyoxigraph, over the seed corpus graph.

    python -m bench.store_bench --data data
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph

from bench.common import percentiles, report, timed
from kg.prefixes import sparql_prologue

QUERY = sparql_prologue("mbc") + """SELECT ?region (COUNT(?w) AS ?figures) (AVG(?median) AS ?average) WHERE {
  ?w a mbc:WageStatistic ; mbc:region ?region . OPTIONAL { ?w mbc:median ?median }
} GROUP BY ?region ORDER BY DESC(?figures)"""


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    from kg.datadir import DataDir

    store = DataDir(args.data).require_current().open_store()
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    memory = Graph()
    memory.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    oxigraph = ox.Store()
    oxigraph.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    over_oxigraph = Dataset(store=OxigraphStore(store=oxigraph))   # its default graph holds the triples
    expected = len(list(oxigraph.query(QUERY)))
    assert len(list(over_oxigraph.query(QUERY))) == len(list(memory.query(QUERY))) == expected, "engines disagree"
    results = {"rows": expected}
    for name, run in (("rdflib in-memory (rdflib API)", lambda: list(memory.query(QUERY))),
                      ("Oxigraph through oxrdflib (rdflib API)", lambda: list(over_oxigraph.query(QUERY))),
                      ("pyoxigraph directly", lambda: list(oxigraph.query(QUERY)))):
        run()
        samples = [timed(run)[1] for _ in range(args.repeat)]
        results[name] = percentiles(samples)
    return report("store", {"triples": len(triples), "query": QUERY, "results": results})


if __name__ == "__main__":
    main()
