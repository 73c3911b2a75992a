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


def main(argv=None) -> int:
    """python -m search.evaluation [--data data]: recall@5 and MRR@10 by ranking, side by side."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m search.evaluation")
    parser.add_argument("--data", type=Path, default=Path("data"))
    parser.add_argument("--questions", type=Path,
                        default=Path(__file__).resolve().parent.parent / "tests" / "search" / "dev_set.json")
    parser.add_argument("--misses", action="store_true", help="list the questions each ranking misses at 5")
    args = parser.parse_args(argv)
    searcher = Searcher.open(args.data)
    questions = load_questions(args.questions)
    print(f"{len(questions)} questions ({args.questions})")
    print(f"{'ranking':<28} {'recall@5':>9} {'MRR@10':>8}")
    rankings = (("lexical (FTS5 BM25)", "lexical", None), ("dense (MiniLM + faiss)", "dense", None),
                ("hybrid, reciprocal rank", "hybrid", Fusion(method="rrf", dense=1, lexical=1, entity=1)),
                ("hybrid, weighted (default)", "hybrid", None))
    for name, mode, fusion in rankings:
        result = evaluate(searcher, questions, mode, fusion)
        print(f"{name:<28} {result['recall@5']:>9.3f} {result['mrr@10']:>8.3f}")
        if args.misses:
            for question in result["misses@5"]:
                print(f"    missed: {question}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
