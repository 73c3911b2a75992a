"""The layering holds: query time never loads the ingestion package, and only kg.datadir knows where
ingest's output lives."""
import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYOUT_NAMES = {"generations", "current", "manifest.json", ".ingest.lock", "embeddings.sqlite", ".partial",
                "CURRENT"}    # the file that says a generation has a store: Generation.has_store


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


MEDIA_TYPE = re.compile(r"\b(?:application|text|image|audio|video|font|multipart)/[A-Za-z0-9][\w.+-]*")


def media_type_spellings(paths: list[Path]) -> list[str]:
    """Where code (not a docstring) writes a media type out, in a str or bytes constant."""
    offenders = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)) and id(node) not in docstrings:
                text = node.value.decode("latin-1") if isinstance(node.value, bytes) else node.value
                offenders += [f"{path.relative_to(ROOT)}:{node.lineno} {media}" for media in MEDIA_TYPE.findall(text)]
    return offenders


def test_only_the_negotiation_module_spells_media_types():
    paths = [p for p in python_files("service") if p != ROOT / "service" / "negotiation.py"]
    assert media_type_spellings(paths) == []


def test_a_spelled_media_type_would_be_found():
    module = ROOT / "tests" / "_media_type_probe.py"
    module.write_text('"""Docstring: text/turtle is fine here."""\n'
                      'HEADERS = [(b"content-type", b"application/json")]\n'
                      'WRITTEN = f"{1}; text/plain; charset=utf-8"\n', encoding="utf-8")
    try:
        assert sorted(media_type_spellings([module])) == ["tests/_media_type_probe.py:2 application/json",
                                                  "tests/_media_type_probe.py:3 text/plain"]
    finally:
        module.unlink()


def project_import_graph() -> dict[str, set[str]]:
    """Module -> the project's modules it imports (anywhere in its body). `from package import module`
    is an edge to that module, not to the package."""
    modules = {}
    for path in python_files("ingest", "search", "service", "kg", "common"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    graph = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                submodules = [f"{node.module}.{alias.name}" for alias in node.names
                              if f"{node.module}.{alias.name}" in modules]
                targets = submodules if len(submodules) == len(node.names) else [node.module, *submodules]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return circles


def test_no_import_circle():
    assert import_circles(project_import_graph()) == []


def test_an_import_circle_would_be_found():
    assert import_circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def iri_base_spellings(paths: list[Path], base: str) -> list[str]:
    """Where code (not a docstring or comment) writes the project's IRI base out."""
    offenders = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and base in node.value
                    and id(node) not in docstrings):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return offenders


def test_only_the_prefixes_module_spells_the_iri_base():
    paths = [p for p in python_files("ingest", "search", "service", "kg", "common", "bench") + [ROOT / "server.py"]
             if p != ROOT / "kg" / "prefixes.py"]
    assert iri_base_spellings(paths, "w3id.org/mbc-kg") == []


def test_a_spelled_iri_base_would_be_found():
    module = ROOT / "tests" / "_spelled_base_probe.py"
    module.write_text('"""Docstring: https://w3id.org/mbc-kg/id/ is fine here."""\n'
                      'X = "https://w3id.org/mbc-kg/ontology#"\n', encoding="utf-8")
    try:
        assert iri_base_spellings([module], "w3id.org/mbc-kg") == ["tests/_spelled_base_probe.py:2"]
    finally:
        module.unlink()


# What only a query reading figures names: their classes, measures and the properties that place them.
FIGURE_TERMS = re.compile(r"mbc:(?:WageStatistic|GrowthProjection|EmploymentStatistic|wageValue|median|mean|low|high"
                          r"|percentile\d+|percentChange|annualOpenings|employment|payPeriod|amount)\b")


def figure_query_spellings(paths: list[Path]) -> list[str]:
    """Where code (not a docstring) writes SPARQL that reads figures."""
    offenders = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and FIGURE_TERMS.search(node.value)
                    and id(node) not in docstrings):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return offenders


def test_only_the_figures_read_model_queries_figures():
    """search.answers and the pages read figures through kg.figures, so an answer and a page agree. The
    SPARQL page's examples are queries shown to people, not reads of the code."""
    allowed = {ROOT / "kg" / "figures.py", ROOT / "service" / "sparql_examples.py"}
    paths = [p for p in python_files("search", "service", "kg", "common") + [ROOT / "server.py"] if p not in allowed]
    assert figure_query_spellings(paths) == []


def test_a_figure_query_would_be_found():
    module = ROOT / "tests" / "_figure_query_probe.py"
    module.write_text('"""Docstring: mbc:median is fine here."""\n'
                      'Q = f"SELECT ?m WHERE {{ ?w a mbc:WageStatistic ; mbc:median ?m }}"\n', encoding="utf-8")
    try:
        assert figure_query_spellings([module]) == ["tests/_figure_query_probe.py:2"]
    finally:
        module.unlink()


def layout_rows() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Layout"):]
    section = section[:section.index("\n## ", 1)]
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `([^`]+)` \| (.*) \|$", section, re.MULTILINE)}


def test_the_readme_layout_table_names_every_module():
    rows = layout_rows()
    unnamed = []
    for package in ("kg", "common", "ingest", "search", "service", "mbc_kg"):
        row = rows.get(package + "/", "")
        for path in python_files(package):
            relative = path.relative_to(ROOT / package)
            if path.name in ("__init__.py", "__main__.py"):
                continue
            if len(relative.parts) > 1 and f"`{relative.parts[0]}/`" in row:     # a sub-package named as a whole
                continue
            if f"`{path.name}`" not in row:
                unnamed.append(str(path.relative_to(ROOT)))
    assert unnamed == []


def wording_patterns(source: str) -> list[int]:
    """Lines where code (not a docstring) writes a pattern of words: a string with a word boundary
    before a word or a group (r"\\b(?:pay|wages?)\\b"); a bare r"\\b" around an escaped name is not one."""
    import re

    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and re.search(r"\\b[\w(]", node.value)]


def test_one_table_of_question_kinds():
    """What a question asks is decided once, in search/question.py's KINDS (which the answers and the
    ranking's intent signal both read): every kind has one answer function, and no other module of
    search/ writes question wording as a pattern of its own."""
    from search.answers import GraphAnswers
    from search.question import KINDS

    assert set(GraphAnswers.ANSWER) == set(KINDS)
    offenders = [f"{path.relative_to(ROOT)}:{line}" for path in python_files("search")
                 if path != ROOT / "search" / "question.py"
                 for line in wording_patterns(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_a_wording_pattern_elsewhere_would_be_found():
    probe = ('"""Docstring: r"\\b(?:pay)\\b" is fine here."""\nimport re\n'
             'PAY = re.compile(r"\\b(?:pay|wages?)\\b")\nre.search(r"\\b" + re.escape("Ohio") + r"\\b", "x")\n')
    assert wording_patterns(probe) == [3]
