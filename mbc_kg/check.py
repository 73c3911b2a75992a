"""mbc-kg check: the data folder's live graph validated against the SHACL shapes (pyshacl).

The graph checked is the store's default graph: every document graph, the ontology and the vocabulary
merged, as queries see it. Exit status 0 when it conforms, 1 with each violation (its shape's message,
the focus node, the property path, the value) when it does not, 2 when there is nothing to check.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def parse_args(argv: list[str], prog: str) -> argparse.Namespace:
    from kg.vocabulary import SHAPES_FILE

    parser = argparse.ArgumentParser(prog=prog, description="Validate the graph against the SHACL shapes.")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("MBC_DATA_DIR", "data")),
                        help="data folder written by ingest (default: $MBC_DATA_DIR or data)")
    parser.add_argument("--shapes", type=Path, default=SHAPES_FILE, help=f"SHACL shapes (default: {SHAPES_FILE})")
    parser.add_argument("--max-violations", type=int, default=20, help="violations printed at most (default 20)")
    return parser.parse_args(argv)


def violations(report_graph) -> list[dict]:
    from rdflib.namespace import SH

    found = []
    for result in report_graph.subjects(SH.resultSeverity, None):
        found.append({name: report_graph.value(result, term) for name, term in (
            ("severity", SH.resultSeverity), ("focus", SH.focusNode), ("path", SH.resultPath), ("value", SH.value),
            ("message", SH.resultMessage), ("shape", SH.sourceShape))})
    return sorted(found, key=lambda v: (str(v["severity"]), str(v["focus"]), str(v["path"])))


def main(argv: list[str] | None = None, prog: str = "mbc-kg check") -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv), prog)
    import pyoxigraph as ox
    import pyshacl
    from rdflib import Graph

    from kg.datadir import DataDir, DataDirError
    from kg.prefixes import compact

    try:
        generation = DataDir(args.data).require_current()
        shapes = Graph().parse(args.shapes, format="turtle")
    except (OSError, DataDirError) as error:
        print(f"check: {error}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    store = ox.Store.read_only(str(generation.store_path))
    triples = (quad.triple for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    graph = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    # inplace: the graph is a copy made for this check, so pyshacl need not copy it again
    conforms, report_graph, _ = pyshacl.validate(graph, shacl_graph=shapes, advanced=True, inplace=True)
    seconds = time.perf_counter() - started
    where = f"{len(graph)} triples of generation {generation.name} against {args.shapes}"
    if conforms:
        print(f"check: the graph conforms: {where} ({seconds:.1f}s)")
        return 0
    found = violations(report_graph)
    print(f"check: {len(found)} violation(s): {where} ({seconds:.1f}s)", file=sys.stderr)
    for v in found[:args.max_violations]:
        severity = compact(str(v["severity"])).replace("http://www.w3.org/ns/shacl#", "sh:")
        line = f"  {severity} {v['focus']}"
        if v["path"] is not None:
            line += f" {compact(str(v['path']), keep_local=False)}"
        if v["value"] is not None:
            line += f" = {v['value']!s:.80}"
        print(f"{line}: {v['message']}", file=sys.stderr)
    if len(found) > args.max_violations:
        print(f"  ... and {len(found) - args.max_violations} more (--max-violations)", file=sys.stderr)
    return 1
