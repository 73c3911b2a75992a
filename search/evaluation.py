"""Retrieval quality on a question set: recall@5 and MRR@10 per ranking mode."""
from __future__ import annotations

import json
from pathlib import Path

from search.engine import Fusion, Searcher


def load_questions(path: Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["questions"]


def first_relevant_rank(results: list[dict], gold: list[str]) -> int | None:
    for rank, hit in enumerate(results, start=1):
        if any(snippet in hit["text"] for snippet in gold):
            return rank
    return None


def evaluate(searcher: Searcher, questions: list[dict], mode: str = "hybrid", fusion: Fusion | None = None) -> dict:
    ranks = []
    for question in questions:
        results = searcher.search(question["q"], k=10, mode=mode, fusion=fusion)["results"]
        ranks.append(first_relevant_rank(results, question["gold"]))
    count = len(questions)
    return {
        "recall@5": sum(1 for r in ranks if r is not None and r <= 5) / count,
        "mrr@10": sum(1 / r for r in ranks if r is not None) / count,
        "misses@5": [q["q"] for q, r in zip(questions, ranks) if r is None or r > 5],
        "ranks": ranks,
    }
