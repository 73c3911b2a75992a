"""SPARQL latency for the example-query mix: over HTTP, in-process on pyoxigraph, and on rdflib's
in-memory store, in one run.

    python -m bench.sparql_bench --data data
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from bench.common import percentiles, report, timed
from service.sparql_examples import EXAMPLES


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    import requests

    from kg.datadir import DataDir
    from service.process import running_server

    store = DataDir(args.data).require_current().open_store()
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    memory = Graph()
    memory.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    results = {"triples": len(triples), "queries": [e["id"] for e in EXAMPLES]}
    per_engine = {"pyoxigraph in-process": [], "rdflib in-memory": [], "HTTP /sparql": []}
    for example in EXAMPLES:
        list(store.oxigraph.query(example["query"]))
        list(memory.query(example["query"]))
    for _ in range(args.rounds):
        for example in EXAMPLES:
            per_engine["pyoxigraph in-process"].append(timed(lambda: list(store.oxigraph.query(example["query"])))[1])
    for _ in range(max(2, args.rounds // 5)):
        for example in EXAMPLES:
            per_engine["rdflib in-memory"].append(timed(lambda: list(memory.query(example["query"])))[1])
    with running_server(args.data, env={"MBC_LOAD_SEARCH": "false"}) as (base, _), requests.Session() as session:
        for example in EXAMPLES:
            session.post(base + "/sparql", data={"query": example["query"]})
        for _ in range(args.rounds):
            for example in EXAMPLES:
                started = time.perf_counter()
                response = session.post(base + "/sparql", data={"query": example["query"]})
                per_engine["HTTP /sparql"].append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.text[:200]
    results["latency"] = {name: percentiles(samples) for name, samples in per_engine.items()}
    return report("sparql", results)


if __name__ == "__main__":
    main()
