"""python -m search "who awards the CCS credential?" [--data DIR] [-k N] [--json]"""
from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path


def search_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options of a search, shared by `python -m search` and `mbc-kg search`."""
    parser.add_argument("query", help="a question in plain words")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("MBC_DATA_DIR", "data")))
    parser.add_argument("-k", type=int, default=5, help="number of results (default 5)")
    parser.add_argument("--offset", type=int, default=0, help="skip this many results (paging)")
    parser.add_argument("--document", help="only this document (file name or IRI)")
    parser.add_argument("--entity", help="only passages that mention this entity IRI")
    parser.add_argument("--type", dest="entity_type", help="only passages that mention an entity of this type")
    parser.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "lexical"])
    parser.add_argument("--json", action="store_true", help="print the API's JSON")
    return parser


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m search", description="Search the ingested passages.")
    return search_arguments(parser).parse_args(argv)


def _marked(hit: dict, bold: bool) -> str:
    text, start = hit["text"], hit["start"]
    light = hit["highlight"]
    before, inside, after = (text[:light["start"] - start], text[light["start"] - start:light["end"] - start],
                             text[light["end"] - start:])
    inside = f"\033[1m{inside}\033[0m" if bold else f">>{inside}<<"
    return before + inside + after


def cell_table(cells: list[dict], indent: str) -> list[str]:
    """A table row as a two-line table with its column names, columns aligned."""
    widths = [max(len(c["column"]), len(c["value"])) for c in cells]
    header = "  ".join(c["column"].ljust(w) for c, w in zip(cells, widths))
    values = "  ".join(c["value"].ljust(w) for c, w in zip(cells, widths))
    return [indent + header.rstrip(), indent + values.rstrip()]


def render_answers(response: dict, bold: bool) -> list[str]:
    lines = []
    for answer in response["answers"]:
        text = f"\033[1m{answer['text']}\033[0m" if bold else answer["text"]
        lines.append(f"Answer: {text}" + ("  (sources differ)" if answer["sources_differ"] else ""))
        seen = set()
        for item in answer["evidence"]:
            if (item["source_file"], item["start"]) in seen:
                continue
            seen.add((item["source_file"], item["start"]))
            if item.get("cells"):
                lines.extend(cell_table(item["cells"], "   "))
            else:
                lines.extend(textwrap.wrap(f"\u201c{item['quote']}\u201d", 100, initial_indent="   ",
                                           subsequent_indent="   "))
            lines.append(f"   \u2014 {item['title']} [{item['source_file']}], characters "
                         f"{item['start']}\u2013{item['end']}; claim {item['claim']}")
        lines.append("")
    return lines


def render(response: dict, bold: bool) -> str:
    lines = []
    for suggestion in response.get("suggestions", []):
        lines.append(f"Did you mean: {suggestion['query']}")
    if response.get("out_of_scope"):
        covers = response.get("covers", {})
        lines.append(f"Nothing in these documents answers {response['query']!r}. They cover:")
        lines.extend(f"  - {d['title']}" for d in covers.get("documents", []))
        for kind, topics in covers.get("topics", {}).items():
            lines.append(f"  {kind}: " + ", ".join(t["label"] for t in topics))
        return "\n".join(lines)
    lines.extend(render_answers(response, bold))
    if not response["results"]:
        lines.append(f"no passage matches {response['query']!r}")
        return "\n".join(lines)
    first = response["offset"] + 1
    lines.append(f"Passages {first}\u2013{response['offset'] + len(response['results'])} of {response['total']}")
    lines.append("")
    for number, hit in enumerate(response["results"], start=first):
        lines.append(f"{number}. {hit['title']}, characters {hit['start']}\u2013{hit['end']}  "
                     f"[{hit['source_file']}]  score {hit['score']:.3f}")
        if hit["section"]:
            lines.append(f"   section: {hit['section']}")
        if hit.get("cells"):
            lines.extend(cell_table(hit["cells"], "   "))
        else:
            for paragraph in _marked(hit, bold).splitlines():
                lines.extend(textwrap.wrap(paragraph, 100, initial_indent="   ", subsequent_indent="   ") or [""])
        if hit["entities"]:
            names = ", ".join(f"{e['label']} ({e['type']})" for e in hit["entities"][:8])
            lines.append(f"   entities: {names}")
        for claim in hit["claims"][:6]:
            lines.append(f"   fact: {claim['text']}")
        if len(hit["claims"]) > 6:
            lines.append(f"   ... {len(hit['claims']) - 6} more facts (see /api/provenance)")
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv if argv is not None else sys.argv[1:])
    from search import IndexUnavailable, Searcher, SearchError

    try:
        searcher = Searcher.open(args.data)
        response = searcher.search(args.query, k=args.k, document=args.document, entity=args.entity,
                                   entity_type=args.entity_type, mode=args.mode, offset=args.offset)
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
