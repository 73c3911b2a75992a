"""mbc-kg search: ask the running server when it serves the same data, else search here.

Searching in this process loads the embedding model and the index first (several seconds, every
call); a running server has them loaded and answers in milliseconds. The server is used only when its
/healthz names the same generation as the data folder's live one, so an answer never comes from other
data than the folder asked about. Otherwise the search runs here, after one line on stderr saying
why it will be slow.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_SERVER = "http://127.0.0.1:5000"


def parse_args(argv: list[str], prog: str) -> argparse.Namespace:
    from search.__main__ import search_arguments

    parser = argparse.ArgumentParser(prog=prog, description="Answer a question with cited passages. Asks the "
                                     "server at --server when it serves the same data (fast), else loads the "
                                     "model and the index here (several seconds).")
    search_arguments(parser)
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--server", default=os.environ.get("MBC_SERVER_URL", DEFAULT_SERVER),
                       help=f"the running service to ask (default: $MBC_SERVER_URL or {DEFAULT_SERVER})")
    where.add_argument("--local", action="store_true", help="search in this process, never ask a server")
    return parser.parse_args(argv)


class ServerUnsuitable(Exception):
    """Why the server is not asked (it does not answer, or serves other data)."""


def _get_json(url: str, timeout: float) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def server_for(base: str, data_dir) -> str:
    """`base` when it serves the live generation of `data_dir`; else ServerUnsuitable saying why."""
    from kg.datadir import DataDir

    try:
        health = _get_json(base.rstrip("/") + "/healthz", timeout=2)
    except urllib.error.HTTPError as error:
        raise ServerUnsuitable(f"the server at {base} is not ready ({error.code})") from None
    except (urllib.error.URLError, OSError, ValueError):
        raise ServerUnsuitable(f"no server answers at {base} (start one with `mbc-kg serve`)") from None
    generation = DataDir(data_dir).current()
    local = generation.name if generation is not None else None
    if health.get("generation") != local:
        raise ServerUnsuitable(f"the server at {base} serves other data (generation {health.get('generation')}, "
                               f"{data_dir} holds {local})")
    if health.get("search") != "ready":
        raise ServerUnsuitable(f"the server at {base} has no search ({health.get('search')})")
    return base.rstrip("/")


def ask_server(base: str, args: argparse.Namespace) -> dict:
    params = {"q": args.query, "k": args.k, "offset": args.offset, "mode": args.mode}
    for name, value in (("document", args.document), ("entity", args.entity), ("type", args.entity_type)):
        if value:
            params[name] = value
    try:
        return _get_json(f"{base}/api/search?{urllib.parse.urlencode(params)}", timeout=60)
    except urllib.error.HTTPError as error:
        try:
            detail = json.loads(error.read()).get("detail")
        except ValueError:
            detail = None
        raise SystemExit(f"search: {detail or error}") from None


def main(argv: list[str] | None = None, prog: str = "mbc-kg search") -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv), prog)
    from search.__main__ import render

    response = None
    if not args.local:
        try:
            base = server_for(args.server, args.data)
            response = ask_server(base, args)
            print(f"(answered by the server at {base})", file=sys.stderr)
        except ServerUnsuitable as why:
            print(f"searching here, which loads the embedding model and the index first (several seconds): {why}",
                  file=sys.stderr)
    if response is None:
        from search import IndexUnavailable, Searcher, SearchError

        try:
            response = Searcher.open(args.data).search(args.query, k=args.k, document=args.document,
                                                       entity=args.entity, entity_type=args.entity_type,
                                                       mode=args.mode, offset=args.offset)
        except (SearchError, IndexUnavailable) as error:
            print(f"search: {error}", file=sys.stderr)
            return 2
    if args.json:
        print(json.dumps(response, indent=2, ensure_ascii=False))
    else:
        print(render(response, bold=sys.stdout.isatty()))
    return 0
