"""Extraction quality against the hand-made gold annotation of the seed documents."""
from gold_scoring import gold_tuples, load_gold, predicted_tuples, score, score_by_category

from kg.namespaces import document_graph_iri

TARGET = 0.95


def test_precision_and_recall_against_the_gold_annotation(dataset, union_graph):
    gold, predicted = set(), set()
    for name, facts in load_gold().items():
        gold |= {(name, *t) for t in gold_tuples(facts)}
        predicted |= {(name, *t) for t in predicted_tuples(dataset.graph(document_graph_iri(name)), union_graph)}
    overall = score(gold, predicted)
    by_category = score_by_category({t[1:] for t in gold}, {t[1:] for t in predicted})
    summary = {c: (round(s["precision"], 3), round(s["recall"], 3)) for c, s in by_category.items()}
    print("precision/recall by category:", summary)
    assert overall["gold"] > 200
    assert overall["precision"] >= TARGET, overall["spurious"][:20]
    assert overall["recall"] >= TARGET, overall["missed"][:20]
    for category in ("certification", "issuer", "organization", "wage", "growth"):
        assert by_category[category]["recall"] >= 0.9, (category, by_category[category]["missed"])


def test_the_scorer_counts_a_wrong_figure_as_a_miss_and_a_spurious_fact():
    gold = {("wage", "Stockton, CA MSA", "Hour", "median", "20.54")}
    wrong = {("wage", "Stockton, CA MSA", "Hour", "median", "20.45")}
    result = score(gold, wrong)
    assert result["precision"] == 0 and result["recall"] == 0
