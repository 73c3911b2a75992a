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


@pytest.fixture(scope="module")
def other_layouts(tmp_path_factory):
    from ingest.pipeline import run_ingest

    data = tmp_path_factory.mktemp("other-layouts")
    assert run_ingest(OTHER_LAYOUTS_DIR, data, progress=False).exit_status == 0
    dataset = Dataset()
    dataset.parse(data / "kg.trig", format="trig")
    union = Graph()
    for s, p, o, _ in dataset.quads():
        union.add((s, p, o))
    return dataset, union


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
