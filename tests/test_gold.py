"""Extraction quality against the hand-made gold annotation of the seed documents."""
import pytest
from gold_scoring import (
    OTHER_LAYOUTS_DIR,
    OTHER_LAYOUTS_GOLD,
    gold_tuples,
    load_gold,
    predicted_tuples,
    score,
    score_by_category,
)
from rdflib import Dataset, Graph

from kg.namespaces import document_graph_iri

TARGET = 0.95


def _scores(gold_facts: dict, dataset, union_graph):
    gold, predicted = set(), set()
    for name, facts in gold_facts.items():
        gold |= {(name, *t) for t in gold_tuples(facts)}
        predicted |= {(name, *t) for t in predicted_tuples(dataset.graph(document_graph_iri(name)), union_graph)}
    return gold, predicted


def test_precision_and_recall_against_the_gold_annotation(dataset, union_graph):
    gold, predicted = _scores(load_gold(), dataset, union_graph)
    overall = score(gold, predicted)
    by_category = score_by_category({t[1:] for t in gold}, {t[1:] for t in predicted})
    summary = {c: (round(s["precision"], 3), round(s["recall"], 3)) for c, s in by_category.items()}
    print("precision/recall by category:", summary)
    assert overall["gold"] > 200
    assert overall["precision"] >= TARGET, overall["spurious"][:20]
    assert overall["recall"] >= TARGET, overall["missed"][:20]
    for category in ("certification", "issuer", "organization", "wage", "growth"):
        assert by_category[category]["recall"] >= 0.9, (category, by_category[category]["missed"])


def _ingested(folder, data):
    """`folder` ingested into `data` (every file must ingest), as a dataset and the union of its graphs."""
    from ingest.pipeline import run_ingest

    report = run_ingest(folder, data, progress=False)
    assert report.exit_status == 0, [str(p) for p in report.problems]
    dataset = Dataset()
    dataset.parse(data / "kg.trig", format="trig")
    union = Graph()
    for s, p, o, _ in dataset.quads():
        union.add((s, p, o))
    return dataset, union


@pytest.fixture(scope="module")
def other_layouts(tmp_path_factory):
    return _ingested(OTHER_LAYOUTS_DIR, tmp_path_factory.mktemp("other-layouts"))


def test_documents_in_other_layouts_extract_as_well(other_layouts):
    """A markdown page with a pipe table, a hard-wrapped FAQ and a fact sheet: same quality, no code change."""
    dataset, union = other_layouts
    gold, predicted = _scores(load_gold(OTHER_LAYOUTS_GOLD), dataset, union)
    overall = score(gold, predicted)
    print("other layouts:", {c: (round(s["precision"], 3), round(s["recall"], 3))
                             for c, s in score_by_category({t[1:] for t in gold}, {t[1:] for t in predicted}).items()})
    assert overall["gold"] > 100
    assert overall["precision"] >= TARGET, overall["spurious"][:20]
    assert overall["recall"] >= TARGET, overall["missed"][:20]


def test_the_scorer_counts_a_wrong_figure_as_a_miss_and_a_spurious_fact():
    gold = {("wage", "Stockton, CA MSA", "Hour", "median", "20.54")}
    wrong = {("wage", "Stockton, CA MSA", "Hour", "median", "20.45")}
    result = score(gold, wrong)
    assert result["precision"] == 0 and result["recall"] == 0


# ---------------------------------------------------------------- held-out documents (HTML, PDF, DOCX, text)

HELDOUT_DIR = OTHER_LAYOUTS_DIR.parent / "heldout"
HELDOUT_GOLD = OTHER_LAYOUTS_DIR.parent / "heldout_gold.json"


@pytest.fixture(scope="module")
def heldout(tmp_path_factory):
    return _ingested(HELDOUT_DIR, tmp_path_factory.mktemp("heldout"))


def test_held_out_documents_in_every_format(heldout):
    """Five documents annotated blind (an HTML careers page with boilerplate, a PDF fact sheet, a forum
    thread, an HTML glossary, a Word brochure). The floors are the figures measured when the rules were
    last changed (recall 0.93, precision 0.96): a rule change that loses ground here fails. Issuers must
    stay exact: a neighbouring organization is never an issuer."""
    import json

    dataset, union = heldout
    gold_facts = load_gold(HELDOUT_GOLD)
    assert len(gold_facts) == 5
    gold, predicted = _scores(gold_facts, dataset, union)
    overall = score(gold, predicted)
    by_category = score_by_category({t[1:] for t in gold}, {t[1:] for t in predicted})
    print("held-out:", {c: (round(s["precision"], 3), round(s["recall"], 3)) for c, s in by_category.items()})
    assert overall["recall"] >= 0.92, overall["missed"][:20]
    assert overall["precision"] >= 0.95, overall["spurious"][:20]
    assert by_category["issuer"]["precision"] == 1.0, by_category["issuer"]["spurious"]
    assert by_category["issuer"]["recall"] == 1.0, by_category["issuer"]["missed"]
    forbidden = json.loads(HELDOUT_GOLD.read_text(encoding="utf-8")).get("_forbidden_issuers", {})
    for name, pairs in forbidden.items():
        wrong = {("issuer", *pair) for pair in pairs} & {t[1:] for t in predicted if t[0] == name}
        assert not wrong, (name, wrong)
