"""mbc-kg query: a SPARQL query from the shell over the data folder's live graph.

The store is opened read-only (an update is refused by the store itself) and the query runs in this
process with pyoxigraph, which needs no model and starts at once. The project's prefixes (mbc:, id:,
rdfs:, schema:, ...) are declared for the query unless it declares its own. SELECT prints an aligned
table (IRIs as prefixed names), or CSV, TSV or SPARQL JSON; ASK prints true or false (exit status 0 or
1 with --ask-status); CONSTRUCT and DESCRIBE print Turtle or N-Triples.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

FORMATS = ("table", "csv", "tsv", "json", "turtle", "ntriples")


def parse_args(argv: list[str], prog: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description="Run a SPARQL query over the graph (read-only).",
                                     epilog="example: mbc-kg query 'SELECT ?cert ?issuer WHERE { ?c a mbc:Certification "
                                            "; rdfs:label ?cert ; mbc:issuedBy/rdfs:label ?issuer }'")
    parser.add_argument("query", help="the SPARQL query; '-' reads it from stdin, '@FILE' from a file")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("MBC_DATA_DIR", "data")),
                        help="data folder written by ingest (default: $MBC_DATA_DIR or data)")
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="SELECT: table (default), csv, tsv, json; CONSTRUCT/DESCRIBE: turtle (default), ntriples")
    parser.add_argument("--full-iris", action="store_true", help="in a table, write IRIs whole, not as prefixed names")
    parser.add_argument("--ask-status", action="store_true", help="ASK: exit status 1 when the answer is false")
    return parser.parse_args(argv)


def read_query(argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    if argument.startswith("@"):
        return Path(argument[1:]).read_text(encoding="utf-8")
    return argument


def with_prefixes(query: str) -> str:
    """The project's PREFIX lines before the query, except those the query declares itself."""
    import re

    from kg.prefixes import PREFIX_IRIS

    declared = {m.group(1) for m in re.finditer(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", query)}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIX_IRIS.items() if p not in declared) + query


def is_update(text: str) -> bool:
    """True when the text parses as SPARQL Update (parsed by rdflib, never run)."""
    from rdflib.plugins.sparql import prepareUpdate

    try:
        prepareUpdate(text)
    except Exception:  # noqa: BLE001 - any parse failure: not an update
        return False
    return True


def syntax_message(message: str, prologue_lines: int) -> str:
    """pyoxigraph's message with the line counted in the user's query (not the PREFIX lines added before
    it), cut to its first line: the list of expected tokens can run to a page."""
    import re

    message = re.sub(r"at (\d+):(\d+)", lambda m: f"line {int(m.group(1)) - prologue_lines}, column {m.group(2)}",
                     message, count=1)
    first = message.splitlines()[0]
    return first if len(first) <= 160 else first[:160] + " ..."


def term_text(term, full_iris: bool) -> str:
    import pyoxigraph as ox

    from kg.prefixes import compact

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return term.value if full_iris else compact(term.value, keep_local=False)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(variables: list[str], rows: list[list[str]]) -> str:
    widths = [max([len(v)] + [len(row[i]) for row in rows]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines)


def main(argv: list[str] | None = None, prog: str = "mbc-kg query") -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv), prog)
    import pyoxigraph as ox

    from kg.datadir import DataDir, DataDirError

    try:
        query = read_query(args.query)
        generation = DataDir(args.data).require_current()
    except (OSError, DataDirError) as error:
        print(f"query: {error}", file=sys.stderr)
        return 2
    if not query.strip():
        print("query: the query is empty", file=sys.stderr)
        return 2
    store = ox.Store.read_only(str(generation.store_path))
    full = with_prefixes(query)
    try:
        result = store.query(full)
    except SyntaxError as error:
        if is_update(full):
            print("query: updates are refused: the graph changes only when documents are ingested again "
                  "(mbc-kg ingest)", file=sys.stderr)
        else:
            print(f"query: malformed query: {syntax_message(str(error), full.count(chr(10)) - query.count(chr(10)))}",
                  file=sys.stderr)
        return 2
    except (OSError, RuntimeError, ValueError) as error:
        print(f"query: {error}", file=sys.stderr)
        return 2
    out = sys.stdout
    if isinstance(result, ox.QueryBoolean):
        answer = bool(result)
        print("true" if answer else "false", file=out)
        return 1 if args.ask_status and not answer else 0
    if isinstance(result, ox.QuerySolutions):
        if args.format in ("csv", "tsv", "json"):
            formats = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                       "json": ox.QueryResultsFormat.JSON}
            buffer = io.BytesIO()
            result.serialize(buffer, formats[args.format])
            out.write(buffer.getvalue().decode("utf-8"))
            return 0
        variables = [v.value for v in result.variables]
        rows = [[term_text(solution[v], args.full_iris) for v in variables] for solution in result]
        print(table(variables, rows), file=out)
        return 0
    rdf_format = ox.RdfFormat.N_TRIPLES if args.format == "ntriples" else ox.RdfFormat.TURTLE
    from kg.prefixes import PREFIX_IRIS

    triples = list(result)
    # id: stays out: its local names hold slashes, which Turtle would escape (id:certification\\/ccs)
    prefixes = {prefix: iri for prefix, iri in PREFIX_IRIS.items() if prefix != "id"}
    extra = {"prefixes": prefixes} if rdf_format == ox.RdfFormat.TURTLE else {}
    out.write(ox.serialize(triples, format=rdf_format, **extra).decode("utf-8"))
    return 0
