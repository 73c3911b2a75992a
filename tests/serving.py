"""Helpers for tests that start a real server or build a data directory by hand."""
from __future__ import annotations

import contextlib
from pathlib import Path

from kg.datadir import DataDir
from service.process import running_server

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def live_server(data_dir: Path, *extra: str, env: dict | None = None, workers: int = 1):
    """`python server.py` on a free loopback port; yields its base URL, stops it afterwards."""
    with running_server(data_dir, *extra, env=env, workers=workers) as (base, _process):
        yield base


def data_dir_with_graphs(root: Path, graphs: dict[str, Path], merge_default: bool = False) -> Path:
    """A data directory whose live generation holds the given files as named graphs (no documents);
    with `merge_default` its default graph is their merge, as ingest writes it."""
    from rdflib import Graph

    data = DataDir(root)
    generation = data.new_generation()
    store = generation.open_store(read_only=False)
    for name, path in graphs.items():
        graph = Graph()
        graph.parse(path, format="nt")
        store.replace_graph(name, graph)
    if merge_default:
        store.rebuild_default_graph()
    store.flush()
    del store
    generation.write_manifest({"documents": {}})
    generation.dump_path.write_text("")
    data.publish(generation)
    return root
