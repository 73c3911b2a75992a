"""Score an ingested graph against a gold file: recall and precision per fact kind and per document.

    python -m bench.score_heldout DATA/kg.trig tests/gold/heldout_gold.json [--missed]

Counts facts the way tests/gold_scoring.py does (one tuple per fact). Documents of the gold file
that the graph does not hold (a format not ingested yet) are reported as absent and left out of
the totals, so a figure always says what it was measured on. `--missed` lists the missed and
spurious facts. Also reports forbidden issuer pairs (`_forbidden_issuers`) found in the graph.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rdflib import Dataset, Graph

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from gold_scoring import gold_tuples, load_gold, predicted_tuples, score, score_by_category  # noqa: E402

from kg.namespaces import document_graph_iri  # noqa: E402

KINDS = ("certification", "issuer", "organization", "code_set", "regulation", "accreditor", "wage", "growth",
         "employment", "partOf")


def _figures(result: dict) -> str:
    return f"R {result['recall']:.2f} P {result['precision']:.2f} ({result['hits']}/{result['gold']}, {result['predicted']} found)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trig", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--missed", action="store_true", help="list missed and spurious facts")
    args = parser.parse_args(argv)
    dataset = Dataset()
    dataset.parse(args.trig, format="trig")
    union = Graph()
    for s, p, o, _ in dataset.quads():
        union.add((s, p, o))
    graph_names = {str(c.identifier) for c in dataset.graphs()}
    forbidden = json.loads(args.gold.read_text(encoding="utf-8")).get("_forbidden_issuers", {})
    all_gold, all_predicted = set(), set()
    for name, facts in load_gold(args.gold).items():
        if str(document_graph_iri(name)) not in graph_names:
            print(f"{name}: absent from the graph (not ingested), left out")
            continue
        gold = gold_tuples(facts)
        predicted = predicted_tuples(dataset.graph(document_graph_iri(name)), union)
        all_gold |= {(name, *t) for t in gold}
        all_predicted |= {(name, *t) for t in predicted}
        print(f"{name}: {_figures(score(gold, predicted))}")
        for kind, result in score_by_category(gold, predicted).items():
            print(f"    {kind:13} {_figures(result)}")
            if args.missed:
                for fact in result["missed"]:
                    print(f"        missed   {fact}")
                for fact in result["spurious"]:
                    print(f"        spurious {fact}")
        wrong = {("issuer", *pair) for pair in forbidden.get(name, [])} & predicted
        for fact in sorted(wrong):
            print(f"    FORBIDDEN issuer pair found: {fact[1:]}")
    print(f"all: {_figures(score(all_gold, all_predicted))}")
    by_kind = score_by_category({t[1:] for t in all_gold}, {t[1:] for t in all_predicted})
    for kind in KINDS:
        if kind in by_kind:
            print(f"    {kind:13} {_figures(by_kind[kind])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
