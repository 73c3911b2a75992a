"""mbc-kg: one command for everything a user does with the project.

    mbc-kg ingest  [--corpus corpus] [--data data]   documents -> graph store, dump and search index
    mbc-kg serve   [--data data] [--port 5000]       the web service (search page, SPARQL, API)
    mbc-kg search  "a question" [--data data]       answers and ranked passages, each cited
    mbc-kg query   'SELECT ...' [--data data]       SPARQL over the graph: a table, CSV, TSV or JSON
    mbc-kg check   [--data data]                     the graph against kg/shapes.ttl (SHACL)

Each subcommand has --help. Installed by `make install` as a console script of the project's
virtual environment (.venv/bin/mbc-kg); `python -m mbc_kg` is the same. Each subcommand imports only
what it needs, so `mbc-kg --help` and `mbc-kg query` start in well under a second.
"""
from __future__ import annotations

import sys

COMMANDS = {
    "ingest": "read the documents of a corpus folder into the graph store, its dump and the search index",
    "serve": "serve the search page, the SPARQL endpoint and workbench, the API and its page",
    "search": "answer a question with cited passages (asks a running server when one serves the same data)",
    "query": "run a SPARQL query over the graph; results as a table, CSV, TSV or JSON",
    "check": "validate the graph against the SHACL shapes (kg/shapes.ttl)",
}
PROG = "mbc-kg"


def usage() -> str:
    width = max(map(len, COMMANDS))
    lines = [f"usage: {PROG} <command> [options]", "",
             "A knowledge graph and semantic search over career documents about medical billing and coding.", "",
             "commands:"]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS.items()]
    lines += ["", f"`{PROG} <command> --help` describes a command's options. A first run:",
              f"  {PROG} ingest --corpus corpus --data data && {PROG} serve --data data"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    command, rest = argv[0], argv[1:]
    prog = f"{PROG} {command}"
    if command == "ingest":
        from ingest.__main__ import main as ingest

        return ingest(rest, prog=prog)
    if command == "serve":
        from server import main as serve

        return serve(rest, prog=prog)
    if command == "search":
        from mbc_kg.search_client import main as search

        return search(rest, prog=prog)
    if command == "query":
        from mbc_kg.query import main as query

        return query(rest, prog=prog)
    if command == "check":
        from mbc_kg.check import main as check

        return check(rest, prog=prog)
    print(f"{PROG}: unknown command {command!r}; the commands are {', '.join(COMMANDS)}\n\n{usage()}",
          file=sys.stderr)
    return 2
