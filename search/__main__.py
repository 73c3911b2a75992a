"""python -m search "who awards the CCS credential?" [--data DIR] [-k N] [--json]"""
from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m search", description="Search the ingested passages.")
    parser.add_argument("query", help="a question in plain words")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("MBC_DATA_DIR", "data")))
    parser.add_argument("-k", type=int, default=5, help="number of results (default 5)")
    parser.add_argument("--document", help="only this document (file name or IRI)")
    parser.add_argument("--entity", help="only passages that mention this entity IRI")
    parser.add_argument("--type", dest="entity_type", help="only passages that mention an entity of this type")
    parser.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "lexical"])
    parser.add_argument("--json", action="store_true", help="print the API's JSON")
    return parser.parse_args(argv)


def _marked(hit: dict, bold: bool) -> str:
    text, start = hit["text"], hit["start"]
    light = hit["highlight"]
    before, inside, after = (text[:light["start"] - start], text[light["start"] - start:light["end"] - start],
                             text[light["end"] - start:])
    inside = f"\033[1m{inside}\033[0m" if bold else f">>{inside}<<"
    return before + inside + after


def render(response: dict, bold: bool) -> str:
    lines = []
    if not response["results"]:
        return f"no passage matches {response['query']!r}"
    for number, hit in enumerate(response["results"], start=1):
        lines.append(f"{number}. {hit['title']}, characters {hit['start']}\u2013{hit['end']}  "
                     f"[{hit['source_file']}]  score {hit['score']:.3f}")
        if hit["section"]:
            lines.append(f"   section: {hit['section']}")
        for paragraph in _marked(hit, bold).splitlines():
            lines.extend(textwrap.wrap(paragraph, 100, initial_indent="   ", subsequent_indent="   ") or [""])
        if hit["entities"]:
            names = ", ".join(f"{e['label']} ({e['type']})" for e in hit["entities"][:8])
            lines.append(f"   entities: {names}")
        if hit["claims"]:
            lines.append(f"   claims: {len(hit['claims'])} (see /api/provenance)")
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv if argv is not None else sys.argv[1:])
    from search import IndexUnavailable, Searcher, SearchError

    try:
        searcher = Searcher.open(args.data)
        response = searcher.search(args.query, k=args.k, document=args.document, entity=args.entity,
                                   entity_type=args.entity_type, mode=args.mode)
    except (SearchError, IndexUnavailable) as error:
        print(f"search: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(response, indent=2, ensure_ascii=False))
    else:
        print(render(response, bold=sys.stdout.isatty()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
