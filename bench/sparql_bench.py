"""SPARQL speed side by side, in one run over the same store: the project's /sparql over HTTP (new
query texts, and a repeated text answered from its result cache), Oxigraph's own HTTP server
(`oxigraph serve-read-only`, PyPI package `oxigraph`), pyoxigraph in-process, and rdflib in memory.

    python -m bench.sparql_bench --data data [--rounds 15]

Each query's text is made distinct per run (a trailing comment) except in the cache column, so no
engine can answer from a cache where the table says it cannot. p50 in milliseconds; the ratios are
the project's p50 over Oxigraph's server's.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from bench.common import report
from kg.prefixes import sparql_prologue
from service.process import free_port, running_server

PROLOGUE = sparql_prologue("mbc", "rdf", "rdfs")
QUERIES = {
    "issuers": PROLOGUE + """SELECT ?certification ?issuer WHERE {
  ?c a mbc:Certification ; rdfs:label ?certification ; mbc:issuedBy ?o . ?o rdfs:label ?issuer }""",
    "wage by region": PROLOGUE + """SELECT ?region (AVG(?median) AS ?m) (COUNT(?w) AS ?n) WHERE {
  ?w a mbc:WageStatistic ; mbc:region ?r ; mbc:median ?median . ?r rdfs:label ?region } GROUP BY ?region""",
    "claims per document": PROLOGUE + """SELECT ?document (COUNT(?claim) AS ?n) WHERE {
  ?claim a mbc:Claim ; mbc:document ?document } GROUP BY ?document""",
    "1,820 claims with quotes": PROLOGUE + """SELECT ?claim ?quote ?start ?end WHERE {
  ?claim mbc:quote ?quote ; mbc:start ?start ; mbc:end ?end } LIMIT 1820""",
    "two-hop count": PROLOGUE + """SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o . ?o ?q ?x }""",
}
ACCEPT = {"Accept": "application/sparql-results+json"}


def timed_ms(function) -> float:
    started = time.perf_counter()
    function()
    return (time.perf_counter() - started) * 1000


def over_http(session, endpoint: str, query: str) -> float:
    def call():
        response = session.post(endpoint, data={"query": query}, headers=ACCEPT)
        response.raise_for_status()
        return response.content
    return timed_ms(call)


class OxigraphServer:
    """`oxigraph serve-read-only` on the same store, on a loopback port."""

    def __init__(self, store: Path):
        binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        self.port = free_port()
        self.process = subprocess.Popen([binary, "serve-read-only", "--location", str(store), "--bind",
                                         f"127.0.0.1:{self.port}"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.endpoint = f"http://127.0.0.1:{self.port}/query"

    def __enter__(self):
        import requests

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.post(self.endpoint, data={"query": "ASK {}"}, timeout=2)
                return self
            except requests.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError("oxigraph serve-read-only did not start (pip install oxigraph)")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


def main(argv=None) -> dict:
    import requests
    from rdflib import Graph

    from kg.datadir import DataDir

    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    generation = DataDir(args.data).require_current()
    store = generation.open_store()
    triples = [ox.Triple(q.subject, q.predicate, q.object)
               for q in store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    memory = Graph()
    memory.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in QUERIES}
    counter = iter(range(10**9))

    def distinct(query: str) -> str:
        return f"{query}\n# run {next(counter)}"

    def record(engine: str, name: str, ms: float) -> None:
        samples[name].setdefault(engine, []).append(ms)

    for name, query in QUERIES.items():
        rows = len(list(store.oxigraph.query(query)))
        samples[name]["rows"] = [rows]
        for _ in range(args.rounds):
            record("pyoxigraph in-process", name, timed_ms(
                lambda: store.oxigraph.query(distinct(query)).serialize(format=ox.QueryResultsFormat.JSON)))
        for _ in range(max(3, args.rounds // 5)):
            record("rdflib in-memory", name, timed_ms(lambda: memory.query(distinct(query)).serialize(format="json")))
    with OxigraphServer(generation.store_path) as oxigraph, requests.Session() as session:
        for name, query in QUERIES.items():
            over_http(session, oxigraph.endpoint, distinct(query))
            for _ in range(args.rounds):
                record("Oxigraph server (HTTP)", name, over_http(session, oxigraph.endpoint, distinct(query)))
    with running_server(args.data.resolve(), env={"MBC_LOAD_SEARCH": "false"}, workers=2) as (base, _), \
            requests.Session() as session:
        endpoint = base + "/sparql"
        for name, query in QUERIES.items():
            over_http(session, endpoint, distinct(query))
            for _ in range(args.rounds):
                record("project /sparql (HTTP, new text)", name, over_http(session, endpoint, distinct(query)))
            repeated = distinct(query)
            over_http(session, endpoint, repeated)
            for _ in range(args.rounds):
                record("project /sparql (HTTP, repeated text)", name, over_http(session, endpoint, repeated))
    table = {}
    for name, engines in samples.items():
        row = {"rows": engines.pop("rows")[0]}
        row.update({engine: round(statistics.median(values), 2) for engine, values in engines.items()})
        reference = row["Oxigraph server (HTTP)"]
        row["project new / Oxigraph"] = round(row["project /sparql (HTTP, new text)"] / reference, 2)
        row["project repeated / Oxigraph"] = round(row["project /sparql (HTTP, repeated text)"] / reference, 2)
        table[name] = row
    _print_table(table)
    return report("sparql", {"rounds": args.rounds, "p50_ms": table})


def _print_table(table: dict) -> None:
    engines = list(next(iter(table.values())))
    width = max(len(name) for name in table) + 2
    print("p50 ms".ljust(width) + " | ".join(engines))
    for name, row in table.items():
        print(name.ljust(width) + " | ".join(str(row[engine]).rjust(len(engine)) for engine in engines))


if __name__ == "__main__":
    main()
