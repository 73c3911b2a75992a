"""The layering holds: query time never loads the ingestion package, and only kg.datadir knows where
ingest's output lives."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYOUT_NAMES = {"generations", "current", "manifest.json", ".ingest.lock", "embeddings.sqlite", ".partial"}


def python_files(*folders: str) -> list[Path]:
    return [path for folder in folders for path in sorted((ROOT / folder).rglob("*.py"))]


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("folder", ["search", "service", "common"])
def test_nothing_at_query_time_imports_ingest(folder):
    offenders = {str(path.relative_to(ROOT)): sorted(m for m in imported_modules(path) if m.split(".")[0] == "ingest")
                 for path in python_files(folder)}
    assert not {path: modules for path, modules in offenders.items() if modules}


def test_common_imports_neither_side():
    for path in python_files("common"):
        assert not {m for m in imported_modules(path) if m.split(".")[0] in ("ingest", "search", "service")}, path


def test_importing_search_loads_neither_ingest_nor_rdflib():
    script = ("import sys, search\n"
              "print(sorted(m for m in ('ingest', 'rdflib', 'pysbd', 'spacy', 'torch') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_only_the_data_dir_module_spells_the_layout():
    offenders = []
    for path in python_files("ingest", "search", "service", "kg", "common", "bench") + [ROOT / "tests" / "serving.py"]:
        if path == ROOT / "kg" / "datadir.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in LAYOUT_NAMES:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert not offenders
